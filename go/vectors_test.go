package iggyconsensus

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// vectorsPath is the repository's copy of the golden vectors (tests/vectors/README.md).
const vectorsPath = "../tests/vectors/wire-public.jsonl"

type vector struct {
	ID            string `json:"id"`
	Kind          string `json:"kind"`
	Hex           string `json:"hex"`
	Expect        string `json:"expect"`
	Command       *int   `json:"command"`
	FrameValidate string `json:"frame_validate"`
	SealedHex     string `json:"sealed_hex"`
	Rule          string `json:"rule"`    // batch, on error: B1_short_frame ...
	Count         *int   `json:"count"`   // batch, on ok
	Display       string `json:"display"` // on error

	data []byte
}

var (
	vectorsOnce sync.Once
	vectorsAll  []vector
	vectorsErr  error
)

// loadVectors returns the vectors of one kind, decoded.
func loadVectors(tb testing.TB, kind string) []vector {
	tb.Helper()
	vectorsOnce.Do(func() { vectorsAll, vectorsErr = readVectors(vectorsPath) })
	if vectorsErr != nil {
		tb.Fatal(vectorsErr)
	}
	var out []vector
	for _, v := range vectorsAll {
		if v.Kind == kind {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		tb.Fatalf("no %q vectors in %s", kind, vectorsPath)
	}
	return out
}

func readVectors(path string) ([]vector, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var all []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, err
		}
		if v.data, err = hex.DecodeString(v.Hex); err != nil {
			return nil, err
		}
		all = append(all, v)
	}
	return all, sc.Err()
}

// statusNamed maps a verdict name of the vectors to its Status by the C rule:
// "ok" is 0, a variant is IGGY_ERR_ + the variant in SCREAMING_SNAKE_CASE.
func statusNamed(tb testing.TB, name string) Status {
	tb.Helper()
	if name == "ok" {
		return 0
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	pair, ok := cConstants()["IGGY_ERR_"+b.String()]
	if !ok {
		tb.Fatalf("no status for the variant %q (IGGY_ERR_%s)", name, b.String())
	}
	return Status(pair[0])
}

// checkVerdict checks err against the expected status, and the detail of an error.
func checkVerdict(t *testing.T, v vector, err error, want Status) {
	t.Helper()
	if got := StatusOf(err); got != want {
		t.Fatalf("%s: got %v (%d), want %v (%d)", v.ID, err, got, want, want)
	}
	if want == 0 {
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: errors.Is(%v, %d) is false", v.ID, err, want)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%s: %T is not a *ValidationError", v.ID, err)
	}
	wantCmd := Command(0)
	if v.Command != nil {
		wantCmd = Command(*v.Command)
	}
	if ve.Command != wantCmd || ve.Reason == "" {
		t.Fatalf("%s: detail %+v, want command %d and a reason", v.ID, ve, wantCmd)
	}
}

// misaligned returns a copy of b at an odd address.
func misaligned(b []byte) []byte {
	m := make([]byte, len(b)+1)[1:]
	copy(m, b)
	return m
}

// checkValidateVectors runs validate on every vector of kind, in place and at an odd
// address; the verdict must be the status that want names.
func checkValidateVectors(t *testing.T, kind string, validate func([]byte) error, want func(vector) string) {
	vs := loadVectors(t, kind)
	for _, v := range vs {
		status := statusNamed(t, want(v))
		checkVerdict(t, v, validate(v.data), status)
		checkVerdict(t, v, validate(misaligned(v.data)), status)
	}
	t.Logf("%d %s vectors", len(vs), kind)
}

func TestVectorsTyped(t *testing.T) {
	checkValidateVectors(t, "typed", ValidateFrame, func(v vector) string { return v.FrameValidate })
}

func TestVectorsInbound(t *testing.T) {
	checkValidateVectors(t, "inbound", ValidateInbound, func(v vector) string { return v.Expect })
}

func TestVectorsSeal(t *testing.T) {
	vs := loadVectors(t, "seal")
	for _, v := range vs {
		if statusNamed(t, v.Expect) != 0 {
			t.Fatalf("%s: seal vectors expect ok", v.ID)
		}
		want, err := hex.DecodeString(v.SealedHex)
		if err != nil {
			t.Fatal(err)
		}
		for _, header := range [][]byte{bytes.Clone(v.data), misaligned(v.data)} {
			if err := Seal(header); err != nil {
				t.Fatalf("%s: Seal: %v", v.ID, err)
			}
			if !bytes.Equal(header[:16], want) || !bytes.Equal(header[16:], v.data[16:]) {
				t.Fatalf("%s: sealed %x, want %x and the rest unchanged", v.ID, header[:16], want)
			}
		}
	}
	t.Logf("%d seal vectors", len(vs))
}

// TestVectorsBatch validates every typed and inbound-valid frame in one ValidateFrames
// call: each verdict, and each detail, must equal ValidateFrame's.
func TestVectorsBatch(t *testing.T) {
	vs := loadVectors(t, "typed")
	frames := make([][]byte, len(vs))
	for i, v := range vs {
		frames[i] = v.data
	}
	errs := ValidateFrames(frames)
	if len(errs) != len(vs) {
		t.Fatalf("%d results for %d frames", len(errs), len(vs))
	}
	for i, v := range vs {
		checkVerdict(t, v, errs[i], statusNamed(t, v.FrameValidate))
		if single := ValidateFrame(v.data); !reflect.DeepEqual(errs[i], single) {
			t.Fatalf("%s: batch %v, single %v", v.ID, errs[i], single)
		}
	}
	t.Logf("%d typed vectors in one batch", len(vs))
}

// TestVectorsPacked packs the typed vectors at odd offsets with gaps, in one []byte,
// and validates them without copying; extra entries outside the buffer are out of
// range.
func TestVectorsPacked(t *testing.T) {
	vs := loadVectors(t, "typed")
	var base []byte
	var offsets, lens []int
	for i, v := range vs {
		base = append(base, make([]byte, i%3)...) // a gap of 0–2 bytes
		offsets = append(offsets, len(base))
		lens = append(lens, len(v.data))
		base = append(base, v.data...)
	}
	bad := [][2]int{{len(base), 1}, {len(base) - 10, 11}, {-1, 5}, {0, -1}, {1 << 62, 1 << 62}}
	for _, b := range bad {
		offsets, lens = append(offsets, b[0]), append(lens, b[1])
	}
	errs := ValidateFramesPacked(base, offsets, lens)
	if len(errs) != len(offsets) {
		t.Fatalf("%d results for %d frames", len(errs), len(offsets))
	}
	for i, v := range vs {
		checkVerdict(t, v, errs[i], statusNamed(t, v.FrameValidate))
	}
	for i := range bad {
		err := errs[len(vs)+i]
		var ve *ValidationError
		if !errors.Is(err, ErrOutOfRange) || !errors.As(err, &ve) || ve.Reason == "" {
			t.Fatalf("frame %v outside the buffer: got %v", bad[i], err)
		}
	}
	t.Logf("%d typed vectors packed, %d out of range", len(vs), len(bad))
}
