package iggyconsensus

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// batchRuleStatus maps a batch vector's rule ("B7_batch_reserved_nonzero") to its
// Status, 200 + 7 - 1, and checks that the C macro named after the rule
// (IGGY_ERR_BATCH_ + the name without a leading "batch_": IGGY_ERR_BATCH_RESERVED_NONZERO)
// has that value.
func batchRuleStatus(tb testing.TB, rule string) Status {
	tb.Helper()
	id, name, ok := strings.Cut(rule, "_")
	n, err := strconv.Atoi(strings.TrimPrefix(id, "B"))
	if !ok || err != nil || !strings.HasPrefix(id, "B") || n < 1 || n > 11 {
		tb.Fatalf("bad batch rule %q", rule)
	}
	want := Status(200 + n - 1)
	macro := "IGGY_ERR_BATCH_" + strings.ToUpper(strings.TrimPrefix(name, "batch_"))
	pair, ok := cConstants()[macro]
	if !ok || Status(pair[0]) != want || pair[1] != pair[0] {
		tb.Fatalf("rule %q: status %d, but %s is %v", rule, want, macro, pair)
	}
	return want
}

// checkBatchVector decodes v.data (at whatever address frame has) and checks the
// verdict, the detail, and on ok the count and the messages against the library's
// own iterator.
func checkBatchVector(t *testing.T, v vector, frame []byte) {
	t.Helper()
	b, err := DecodeBatch(frame)
	if v.Expect == "ok" {
		if err != nil {
			t.Fatalf("%s: %v, want ok", v.ID, err)
		}
		if v.Count == nil || int(b.MessageCount) != *v.Count {
			t.Fatalf("%s: %d messages, want %v", v.ID, b.MessageCount, v.Count)
		}
		checkBatchMessages(t, v.ID, frame, b)
		return
	}
	want := batchRuleStatus(t, v.Rule)
	wantExpect := map[Status]string{ErrBatchMessageChecksum: "InvalidMessageChecksum",
		ErrBatchChecksum: "InvalidBatchChecksum"}[want]
	if wantExpect == "" {
		wantExpect = "InvalidCommand"
	}
	if v.Expect != wantExpect {
		t.Fatalf("%s: rule %s but expect %s", v.ID, v.Rule, v.Expect)
	}
	checkVerdict(t, v, err, want)
	if b != nil {
		t.Fatalf("%s: a batch with the error %v", v.ID, err)
	}
	if want == ErrBatchMessageChecksum || want == ErrBatchChecksum {
		// The reference's text: Name(stored, computed, offset).
		var stored, computed, offset uint64
		if _, err := fmt.Sscanf(v.Display, v.Expect+"(%d, %d, %d)", &stored, &computed, &offset); err != nil {
			t.Fatalf("%s: display %q: %v", v.ID, v.Display, err)
		}
		var ve *ValidationError
		errors.As(err, &ve)
		if ve.Expected != computed || ve.Found != stored {
			t.Fatalf("%s: expected %d found %d, want computed %d stored %d", v.ID, ve.Expected, ve.Found, computed, stored)
		}
	}
}

// checkBatchMessages checks b (decoded from frame) and its messages: the blob in place
// in frame, and Messages, All and the library's iterator agreeing message by message
// (same values, same addresses).
func checkBatchMessages(t *testing.T, id string, frame []byte, b *Batch) []BatchMessage {
	t.Helper()
	if b.BatchLength != HeaderSize+uint64(len(b.Blob)) || cap(b.Blob) != len(b.Blob) ||
		(len(b.Blob) > 0 && &b.Blob[0] != &frame[blobStart]) {
		t.Fatalf("%s: blob of %d bytes (cap %d), batch_length %d, not in place at frame+512", id, len(b.Blob), cap(b.Blob), b.BatchLength)
	}
	lib, err := libraryMessages(frame)
	if err != nil {
		t.Fatalf("%s: the library's iterator: %v", id, err)
	}
	all, err := b.All()
	if err != nil {
		t.Fatalf("%s: All: %v", id, err)
	}
	var ranged []BatchMessage
	for m := range b.Messages() {
		ranged = append(ranged, m)
	}
	if len(lib) != int(b.MessageCount) || len(all) != len(lib) || len(ranged) != len(lib) {
		t.Fatalf("%s: count %d, library %d, All %d, Messages %d", id, b.MessageCount, len(lib), len(all), len(ranged))
	}
	for i := range lib {
		if !sameMessage(lib[i], all[i]) || !sameMessage(lib[i], ranged[i]) {
			t.Fatalf("%s: message %d: library %+v, All %+v, Messages %+v", id, i, lib[i], all[i], ranged[i])
		}
	}
	return all
}

// sameMessage compares the values and the addresses of the slices.
func sameMessage(a, b BatchMessage) bool {
	return a.Checksum == b.Checksum && a.ID == b.ID && a.Offset == b.Offset && a.Timestamp == b.Timestamp &&
		sameSlice(a.Payload, b.Payload) && sameSlice(a.UserHeaders, b.UserHeaders)
}

// sameSlice: same length and capacity, and the same address unless empty (Go does
// not advance the pointer of a slice of capacity 0, so that it never points past the
// end of its array).
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && cap(a) == cap(b) && (len(a) == 0 || unsafe.SliceData(a) == unsafe.SliceData(b))
}

func TestVectorsBatchDecode(t *testing.T) {
	vs := loadVectors(t, "batch")
	rules := map[string]int{}
	for _, v := range vs {
		checkBatchVector(t, v, v.data)
		checkBatchVector(t, v, misaligned(v.data))
		buf, err := CopyFrom(v.data) // library memory, 4096-aligned
		if err != nil {
			t.Fatal(err)
		}
		checkBatchVector(t, v, buf.Bytes())
		buf.Close()
		rules[v.Expect+" "+v.Rule]++
	}
	t.Logf("%d batch vectors agree (aligned, misaligned, in a Buf): %v", len(vs), rules)
}

// The worked examples of docs/protocol.md ("Batch examples"), encoded here: every byte must match.
func TestBatchWorkedExamples(t *testing.T) {
	hi := BatchInput{ID: U128{Lo: 1}, Payload: []byte("hi")}
	second := BatchInput{ID: U128{Lo: 2}, OffsetDelta: 1, TimestampDelta: 5, Payload: []byte("hi"), UserHeaders: []byte{1, 2, 3}}
	for _, tc := range []struct {
		name              string
		partition, origin uint64
		messages          []BatchInput
		size              int
		batchChecksum     uint64
		frames            []string
	}{
		{"empty", 1, 0, nil, 512, 0x44abe809bb3dd52a, nil},
		{"one", 7, 1000, []BatchInput{hi}, 562, 0x2ac63cb14661c660,
			[]string{"dc8e00ca420b92a9 01000000000000000000000000000000 00000000 00000000 00000000 02000000 0000000000000000 6869"}},
		{"two", 7, 1000, []BatchInput{hi, second}, 562 + 53, 0x7277be6e7c3432d6,
			[]string{"dc8e00ca420b92a9 01000000000000000000000000000000 00000000 00000000 00000000 02000000 0000000000000000 6869",
				"16a518e3ee6db447 02000000000000000000000000000000 01000000 05000000 03000000 02000000 0000000000000000 6869 010203"}},
	} {
		buf := prepareFrame(t, tc.partition, 0, 0, tc.origin, tc.messages)
		frame := buf.Bytes()
		if len(frame) != tc.size {
			t.Fatalf("%s: %d bytes, want %d", tc.name, len(frame), tc.size)
		}
		b, err := DecodeBatch(frame)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if b.BatchChecksum != tc.batchChecksum || b.PartitionID != tc.partition || b.OriginTimestamp != tc.origin {
			t.Fatalf("%s: %+v, want batch checksum %#x", tc.name, b, tc.batchChecksum)
		}
		want, _ := hex.DecodeString(strings.ReplaceAll(strings.Join(tc.frames, ""), " ", ""))
		if !bytes.Equal(b.Blob, want) {
			t.Fatalf("%s: blob %x, want %x", tc.name, b.Blob, want)
		}
		checkBatchMessages(t, tc.name, frame, b)
		buf.Close()
	}
}

// prepareFrame encodes a batch after a 256-byte Prepare header (size, command 6,
// operation 160, the rest zero), in a new Buf.
func prepareFrame(tb testing.TB, partition, baseOffset, baseTimestamp, origin uint64, messages []BatchInput) *Buf {
	tb.Helper()
	buf, err := encodePrepare(partition, baseOffset, baseTimestamp, origin, messages)
	if err != nil {
		tb.Fatal(err)
	}
	return buf
}

// encodePrepare is prepareFrame for any goroutine.
func encodePrepare(partition, baseOffset, baseTimestamp, origin uint64, messages []BatchInput) (*Buf, error) {
	buf, err := NewZeroed(HeaderSize)
	if err != nil {
		return nil, err
	}
	if err := EncodeBatch(buf, partition, baseOffset, baseTimestamp, origin, messages); err != nil {
		buf.Close()
		return nil, err
	}
	h, err := ViewHeader[PrepareHeader](buf.Bytes())
	if err != nil {
		buf.Close()
		return nil, err
	}
	h.Size = uint32(buf.Len())
	h.Command = CommandPrepare
	h.Operation = OperationSendMessages
	return buf, nil
}

// randomBytes returns n random bytes; nil or empty for n == 0, at random.
func randomBytes(r *rand.Rand, n int) []byte {
	if n == 0 && r.IntN(2) == 0 {
		return nil
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// randomBase returns a u64 that is small, near the top (for the saturating sums) or
// anything.
func randomBase(r *rand.Rand) uint64 {
	switch r.IntN(3) {
	case 0:
		return r.Uint64N(1 << 20)
	case 1:
		return math.MaxUint64 - r.Uint64N(1<<33)
	}
	return r.Uint64()
}

// Random batches: encode, put a Prepare header in front, decode, and compare every
// message with its input; the decoded frame also passes in Go memory at an odd
// address. Any single-bit flip in the blob is then caught.
func TestBatchRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 160))
	total := 0
	for round := range 300 {
		n := r.IntN(20)
		if round%50 == 0 {
			n = 300 + r.IntN(200)
		}
		inputs := make([]BatchInput, n)
		for i := range inputs {
			inputs[i] = BatchInput{
				ID:             U128{Lo: r.Uint64(), Hi: r.Uint64()},
				OffsetDelta:    r.Uint32(),
				TimestampDelta: r.Uint32(),
				Payload:        randomBytes(r, r.IntN(300)),
				UserHeaders:    randomBytes(r, r.IntN(3)*r.IntN(40)),
			}
		}
		partition, baseOffset, baseTimestamp, origin := r.Uint64(), randomBase(r), r.Uint64(), randomBase(r)
		buf := prepareFrame(t, partition, baseOffset, baseTimestamp, origin, inputs)
		frame := buf.Bytes()
		id := fmt.Sprintf("round %d", round)
		if err := ValidateInbound(frame); err != nil {
			t.Fatalf("%s: the Prepare is not valid inbound: %v", id, err)
		}
		b, err := DecodeBatch(frame)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if b.PartitionID != partition || b.BaseOffset != baseOffset || b.BaseTimestamp != baseTimestamp ||
			b.OriginTimestamp != origin || int(b.MessageCount) != n || b.BatchLength != uint64(len(frame)-HeaderSize) {
			t.Fatalf("%s: %+v", id, b)
		}
		msgs := checkBatchMessages(t, id, frame, b)
		for i, m := range msgs {
			in := inputs[i]
			if m.ID != in.ID || m.Offset != sat(baseOffset, in.OffsetDelta) || m.Timestamp != sat(origin, in.TimestampDelta) ||
				!bytes.Equal(m.Payload, in.Payload) || !bytes.Equal(m.UserHeaders, in.UserHeaders) {
				t.Fatalf("%s: message %d: %+v, input %+v", id, i, m, in)
			}
		}
		total += n

		odd := misaligned(frame)
		if b2, err := DecodeBatch(odd); err != nil || !reflect.DeepEqual(allValues(t, b2), msgsValues(msgs)) {
			t.Fatalf("%s: misaligned: %v", id, err)
		}
		if len(odd) > blobStart {
			bit := blobStart*8 + r.IntN((len(odd)-blobStart)*8)
			odd[bit/8] ^= 1 << (bit % 8)
			if _, err := DecodeBatch(odd); err == nil {
				t.Fatalf("%s: bit %d flipped, still decodes", id, bit)
			}
		}
		buf.Close()
	}
	t.Logf("300 random batches, %d messages", total)
}

func sat(base uint64, delta uint32) uint64 {
	if base > math.MaxUint64-uint64(delta) {
		return math.MaxUint64
	}
	return base + uint64(delta)
}

// msgsValues drops the addresses: the payloads and user headers as their bytes.
func msgsValues(msgs []BatchMessage) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = fmt.Sprintf("%d %v %d %d %x %x", m.Checksum, m.ID, m.Offset, m.Timestamp, m.Payload, m.UserHeaders)
	}
	return out
}

// allValues is All for a test, as msgsValues: a failure is fatal.
func allValues(tb testing.TB, b *Batch) []string {
	tb.Helper()
	msgs, err := b.All()
	if err != nil {
		tb.Fatal(err)
	}
	return msgsValues(msgs)
}

func TestDecodeBatchArguments(t *testing.T) {
	for _, tc := range []struct {
		name  string
		frame []byte
		want  Status
	}{
		{"nil", nil, ErrBatchShortFrame},
		{"empty", []byte{}, ErrBatchShortFrame},
		{"255 bytes", make([]byte, 255), ErrBatchShortFrame},
		{"a zero header", make([]byte, 256), ErrBatchSizeBelowHeader},
	} {
		b, err := DecodeBatch(tc.frame)
		var ve *ValidationError
		if b != nil || !errors.Is(err, tc.want) || !errors.As(err, &ve) || ve.Reason == "" {
			t.Fatalf("%s: %v, %v; want %v", tc.name, b, err, tc.want)
		}
	}
	// No command check (B2 is a bit pattern only): a batch behind a Request header
	// decodes; bytes after size are ignored.
	buf := prepareFrame(t, 1, 2, 3, 4, []BatchInput{{Payload: []byte("x")}})
	defer buf.Close()
	frame := append(bytes.Clone(buf.Bytes()), 1, 2, 3)
	frame[60] = byte(CommandRequest)
	if b, err := DecodeBatch(frame); err != nil || b.MessageCount != 1 || len(b.Blob) != len(frame)-3-blobStart {
		t.Fatalf("a Request with trailing bytes: %+v, %v", b, err)
	}
	frame[60] = 30 // undefined
	if _, err := DecodeBatch(frame); !errors.Is(err, ErrBatchPrepareBitPattern) {
		t.Fatalf("command 30: %v", err)
	}
}

// Messages and All on a batch whose frame changed after DecodeBatch, on a hand-made
// Batch, on nil, and with an early break.
func TestBatchIterationEdges(t *testing.T) {
	var nilBatch *Batch
	if msgs, err := nilBatch.All(); msgs != nil || err != nil {
		t.Fatal("nil batch")
	}
	for range nilBatch.Messages() {
		t.Fatal("nil batch yields")
	}
	inputs := []BatchInput{{Payload: []byte("a")}, {Payload: []byte("bb")}, {Payload: []byte("ccc")}}
	buf := prepareFrame(t, 0, 10, 0, 0, inputs)
	defer buf.Close()
	b, err := DecodeBatch(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for m := range b.Messages() {
		if n++; m.Offset != 10 || n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("break after 2: %d", n)
	}
	// The second frame's reserved bytes change after decoding: the walk stops there.
	b.Blob[48+1+msgReserved] = 1
	if msgs, err := b.All(); msgs != nil || !errors.Is(err, ErrBatchFramesDoNotTile) {
		t.Fatalf("changed frame: %v", err)
	}
	n = 0
	for range b.Messages() {
		n++
	}
	if n != 1 {
		t.Fatalf("changed frame: %d messages", n)
	}
	b.Blob[48+1+msgReserved] = 0
	b.MessageCount = 4
	if _, err := b.All(); !errors.Is(err, ErrBatchFramesDoNotTile) {
		t.Fatalf("wrong count: %v", err)
	}
	// A hand-made Batch over garbage never panics.
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		blob := randomBytes(r, r.IntN(200))
		for i := 0; i+msgHeaderSize <= len(blob); i += 1 + r.IntN(60) {
			if r.IntN(2) == 0 { // plausible lengths and reserved bytes
				binary.LittleEndian.PutUint32(blob[i+msgPayloadLen:], uint32(r.IntN(60)))
				binary.LittleEndian.PutUint32(blob[i+msgUserHeadersLen:], uint32(r.IntN(10)))
				binary.LittleEndian.PutUint64(blob[i+msgReserved:], 0)
			}
		}
		hb := &Batch{Blob: blob, MessageCount: uint32(r.IntN(5)), BaseOffset: r.Uint64()}
		total := 0
		for m := range hb.Messages() {
			total += msgHeaderSize + len(m.Payload) + len(m.UserHeaders)
		}
		if total > len(blob) {
			t.Fatalf("walked %d bytes of %d", total, len(blob))
		}
		_, _ = hb.All()
	}
}

func TestEncodeBatchArguments(t *testing.T) {
	msgs := []BatchInput{{Payload: []byte("p")}}
	var zero Buf
	closed, _ := NewZeroed(HeaderSize)
	closed.Close()
	consumed, _ := NewZeroed(HeaderSize)
	f, _ := consumed.Freeze()
	defer f.Close()
	for name, out := range map[string]*Buf{"nil": nil, "zero": &zero, "closed": closed, "consumed": consumed} {
		if err := EncodeBatch(out, 0, 0, 0, 0, msgs); err != ErrEmptyHandle {
			t.Fatalf("%s: %v", name, err)
		}
		if out.Len() != 0 {
			t.Fatalf("%s: changed", name)
		}
	}
	// Appends after what is there, which it leaves alone; nil messages is an empty
	// batch; payloads may be library memory (no pin) or Go memory.
	buf, err := CopyFrom([]byte("existing"))
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Close()
	if err := EncodeBatch(buf, 0, 0, 0, 0, nil); err != nil || buf.Len() != 8+HeaderSize || string(buf.Bytes()[:8]) != "existing" {
		t.Fatalf("empty batch: %v, %d bytes", err, buf.Len())
	}
	lib := frozenOf(t, "payload in library memory")
	defer lib.Close()
	two := prepareFrame(t, 0, 0, 0, 0, []BatchInput{{Payload: lib.Bytes(), UserHeaders: []byte("go")}, {Payload: []byte{}}})
	defer two.Close()
	b, err := DecodeBatch(two.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := allValues(t, b)
	if len(got) != 2 || !strings.Contains(got[0], hex.EncodeToString(lib.Bytes())) {
		t.Fatalf("messages %v", got)
	}
	// A payload inside out itself would be freed by out's growth: refused, out unchanged.
	own := buf.Bytes()
	if err := EncodeBatch(buf, 0, 0, 0, 0, []BatchInput{{Payload: own[:8]}}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("payload inside out: %v", err)
	}
	if buf.Len() != 8+HeaderSize || &buf.Bytes()[0] != &own[0] {
		t.Fatal("out changed")
	}
}

// Many goroutines decode and iterate one shared Frozen frame (Frozen.Bytes is
// read-only and so are DecodeBatch and the iteration).
func TestBatchConcurrentDecode(t *testing.T) {
	inputs := make([]BatchInput, 64)
	for i := range inputs {
		inputs[i] = BatchInput{ID: U128{Lo: uint64(i)}, OffsetDelta: uint32(i), Payload: bytes.Repeat([]byte{byte(i)}, 100)}
	}
	buf := prepareFrame(t, 0, 1000, 0, 0, inputs)
	frame, err := buf.Freeze()
	if err != nil {
		t.Fatal(err)
	}
	defer frame.Close()
	var wg sync.WaitGroup
	for range 8 {
		clone, err := frame.Clone()
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer clone.Close()
			for range 200 {
				if !decodesAs(t, clone.Bytes(), func(i int, m BatchMessage) bool {
					return m.Offset == 1000+uint64(i) && len(m.Payload) == 100 && m.Payload[0] == byte(i)
				}) {
					return
				}
			}
		})
	}
	wg.Wait()
}

// Per message: DecodeBatch (one cgo call, XXH3 over every frame) and the iteration.
func BenchmarkDecodeBatchIterate(b *testing.B) {
	for _, shape := range []struct{ messages, payload int }{{16, 100}, {1024, 100}, {16, 4096}} {
		inputs := make([]BatchInput, shape.messages)
		payload := bytes.Repeat([]byte{'x'}, shape.payload)
		for i := range inputs {
			inputs[i] = BatchInput{ID: U128{Lo: uint64(i)}, OffsetDelta: uint32(i), Payload: payload}
		}
		buf := prepareFrame(b, 0, 0, 0, 0, inputs)
		frame := buf.Bytes()
		b.Run(fmt.Sprintf("%dx%dB", shape.messages, shape.payload), func(b *testing.B) {
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				batch, err := DecodeBatch(frame)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for m := range batch.Messages() {
					n += len(m.Payload)
				}
				if n != shape.messages*shape.payload {
					b.Fatal("payload bytes")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(shape.messages), "ns/msg")
		})
		buf.Close()
	}
}

// Per message: the Go iteration alone (no cgo call, no allocation).
func BenchmarkBatchIterateOnly(b *testing.B) {
	inputs := make([]BatchInput, 1024)
	for i := range inputs {
		inputs[i] = BatchInput{ID: U128{Lo: uint64(i)}, Payload: []byte("0123456789")}
	}
	buf := prepareFrame(b, 0, 0, 0, 0, inputs)
	defer buf.Close()
	batch, err := DecodeBatch(buf.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		for range batch.Messages() {
			n++
		}
		if n != len(inputs) {
			b.Fatal("count")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(inputs)), "ns/msg")
}

// Per message: EncodeBatch of 16 messages of 100 bytes into a reused buffer.
func BenchmarkEncodeBatch(b *testing.B) {
	inputs := make([]BatchInput, 16)
	for i := range inputs {
		inputs[i] = BatchInput{ID: U128{Lo: uint64(i)}, OffsetDelta: uint32(i), Payload: make([]byte, 100)}
	}
	buf, err := WithCapacity(1 << 16)
	if err != nil {
		b.Fatal(err)
	}
	defer buf.Close()
	for b.Loop() {
		if err := buf.SetLen(HeaderSize); err != nil {
			b.Fatal(err)
		}
		if err := EncodeBatch(buf, 0, 0, 0, 0, inputs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(inputs)), "ns/msg")
}

// Payloads sharing memory: one slice for every message (pinned once), and sub-slices
// of one buffer (one object pinned many times); the GC runs meanwhile.
func TestEncodeBatchSharedPayloads(t *testing.T) {
	shared := []byte("the same payload")
	big := make([]byte, 4096)
	for i := range big {
		big[i] = byte(i)
	}
	inputs := make([]BatchInput, 200)
	for i := range inputs {
		inputs[i] = BatchInput{ID: U128{Lo: uint64(i)}, Payload: shared, UserHeaders: big[i*10 : i*10+7]}
		if i%2 == 1 {
			inputs[i].Payload = big[i : i+100]
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				buf, err := encodePrepare(0, 0, 0, 0, inputs)
				if err != nil {
					t.Error(err)
					return
				}
				ok := decodesAs(t, buf.Bytes(), func(i int, m BatchMessage) bool {
					return bytes.Equal(m.Payload, inputs[i].Payload) && bytes.Equal(m.UserHeaders, inputs[i].UserHeaders)
				})
				buf.Close()
				if !ok {
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			runtime.GC()
		}
	})
	wg.Wait()
}

// decodesAs decodes the batch of frame and checks message i with want(i, m); a decode
// error or the first message that fails is reported with t.Error, and false returned.
// Safe to call from several goroutines.
func decodesAs(t *testing.T, frame []byte, want func(i int, m BatchMessage) bool) bool {
	b, err := DecodeBatch(frame)
	if err != nil {
		t.Error(err)
		return false
	}
	i := 0
	for m := range b.Messages() {
		if !want(i, m) {
			t.Errorf("message %d: %+v", i, m)
			return false
		}
		i++
	}
	return true
}
