package iggyconsensus

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Every status code of the header has a sentinel with its own text, and the
// sentinels work with errors.Is and errors.As, wrapped or not.
func TestStatusSentinels(t *testing.T) {
	texts := map[string]Status{}
	count := 0
	for name, pair := range cConstants() {
		if !strings.HasPrefix(name, "IGGY_ERR_") {
			continue
		}
		count++
		s := Status(pair[0])
		text := s.String()
		if text == "" || text == Status(9999).String() {
			t.Errorf("%s: text %q", name, text)
		}
		if other, dup := texts[text]; dup {
			t.Errorf("%s and %d share the text %q", name, other, text)
		}
		texts[text] = s
		wrapped := fmt.Errorf("context: %w", s)
		var got Status
		if !errors.Is(wrapped, s) || !errors.As(wrapped, &got) || got != s || StatusOf(wrapped) != s {
			t.Errorf("%s does not match through wrapping", name)
		}
		if s.Error() != text || fmt.Sprint(s) != text {
			t.Errorf("%s: Error() = %q", name, s.Error())
		}
	}
	for _, s := range []Status{ErrNullArgument, ErrPanic, ErrInvalidCommand, ErrClientBoundCommand} {
		if _, ok := texts[s.String()]; !ok {
			t.Errorf("no sentinel for %d", s)
		}
	}
	if count < 22 { // 1–7 and 100–114, then the batch codes 200–210
		t.Fatalf("%d status codes", count)
	}
	if errors.Is(ErrOutOfRange, ErrOutOfMemory) {
		t.Fatal("distinct sentinels match")
	}
	ve := &ValidationError{Status: ErrInvalidField, Command: CommandCommit, Reason: "r"}
	if !errors.Is(ve, ErrInvalidField) || errors.Is(ve, ErrInvalidSize) || errors.Is(ve, errors.New("x")) {
		t.Fatal("ValidationError.Is")
	}
	if got := ve.Error(); got != "invalid field: r (command Commit)" {
		t.Fatalf("ValidationError.Error() = %q", got)
	}
}

func TestVersion(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+([-+].*)?$`).MatchString(Version()) {
		t.Fatalf("Version() = %q", Version())
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(WireRevision()) {
		t.Fatalf("WireRevision() = %q", WireRevision())
	}
	if HeaderSize != 256 || MessageAlign != 4096 || MaxMessageSize != 64<<20 {
		t.Fatal("size constants")
	}
}

// QuietPanics installs the library's hook once; a second call changes nothing, and the
// library keeps working (the C tests check that a caught panic then prints nothing).
func TestQuietPanics(t *testing.T) {
	QuietPanics()
	QuietPanics()
	if got := ErrPanic.Name(); got != "IGGY_ERR_PANIC" {
		t.Fatalf("ErrPanic.Name() = %q", got)
	}
}
