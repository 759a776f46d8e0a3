package iggyconsensus

import (
	"errors"
	"strings"
	"testing"
)

// Every typed vector's description ends with ValidateFrame's verdict: ": ok", or the
// status's name and the reason. A short first buffer (the second call, into a buffer
// of the exact size) gives the same line.
func TestDescribeVectors(t *testing.T) {
	vs := loadVectors(t, "typed")
	longest := 0
	for _, v := range vs {
		line := Describe(v.data)
		longest = max(longest, len(line))
		if strings.ContainsAny(line, "\x00\n") {
			t.Fatalf("%s: %q is not one line", v.ID, line)
		}
		err := ValidateFrame(v.data)
		var ve *ValidationError
		switch {
		case err == nil:
			if !strings.HasSuffix(line, ": ok") {
				t.Fatalf("%s: %q does not end with \": ok\"", v.ID, line)
			}
		case errors.As(err, &ve):
			if want := ": " + ve.Status.Name() + " (" + ve.Reason + ")"; !strings.HasSuffix(line, want) {
				t.Fatalf("%s: %q does not end with %q", v.ID, line, want)
			}
		default:
			t.Fatalf("%s: %v", v.ID, err)
		}
		if len(v.data) > 60 && v.data[60] <= byte(CommandForwardLogoutResult) &&
			!strings.HasPrefix(line, CommandName(Command(v.data[60]))+" ") {
			t.Fatalf("%s: %q does not start with the command's name", v.ID, line)
		}
		for _, first := range []int{0, 1, 16, len(line), len(line) + 1} {
			if again := describe(v.data, make([]byte, first)); again != line {
				t.Fatalf("%s: with a first buffer of %d bytes: %q, want %q", v.ID, first, again, line)
			}
		}
	}
	t.Logf("%d typed vectors; the longest line is %d bytes", len(vs), longest)
}

func TestDescribeExamples(t *testing.T) {
	commit := sealedCommit(t, 41)
	for _, c := range []struct {
		frame        []byte
		prefix, want string
	}{
		{commit, "Commit size=256 view=3 ", " commit=41 "},
		{commit, "", ": ok"},
		{nil, "frame of 0 bytes", "IGGY_ERR_INVALID_COMMAND"},
		{commit[:100], "Commit frame of 100 bytes", "IGGY_ERR_INVALID_COMMAND"},
		{requestFrame(7, HeaderSize+10), "Request size=266 ", " operation=SendMessages "},
	} {
		line := Describe(c.frame)
		if !strings.HasPrefix(line, c.prefix) || !strings.Contains(line, c.want) {
			t.Fatalf("%q: want the prefix %q and %q", line, c.prefix, c.want)
		}
	}
	bad := append([]byte(nil), commit...)
	bad[200] ^= 1
	if line := Describe(bad); !strings.HasSuffix(line, ErrFrameChecksumMismatch.Name()+" ("+ValidateFrame(bad).(*ValidationError).Reason+")") {
		t.Fatalf("bad seal: %q", line)
	}
	t.Log(Describe(commit))
}

// The returned string is the only allocation.
func TestDescribeAllocations(t *testing.T) {
	frame := requestFrame(7, HeaderSize)
	if n := testing.AllocsPerRun(100, func() { _ = Describe(frame) }); n != 1 {
		t.Fatalf("Describe: %v allocations, want 1", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = describe(frame, nil) }); n != 1 {
		t.Fatalf("Describe of a long line: %v allocations, want 1", n)
	}
}
