package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	ic "github.com/iggy-consensus/libiggy_consensus/go"
)

// The demo end to end with a small N (make go-test runs it under -race and cgocheck2).
func TestMiniReplica(t *testing.T) {
	var out bytes.Buffer
	if err := run(config{requests: 50, messages: 8}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"50 requests of 8 messages",
		"backup 1: decoded 400 messages, commit 50",
		"backup 2: decoded 400 messages, commit 50",
		"every reply checked",
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	t.Log("\n" + out.String())
}

// A payload bit flipped in request 3 passes the primary (a Request's body carries no
// checksum) but not the backups' DecodeBatch: the demo fails with that error, and
// every goroutine returns instead of hanging.
func TestMiniReplicaCorruptRequest(t *testing.T) {
	err := run(config{requests: 5, messages: 4, corrupt: 3}, io.Discard)
	if !errors.Is(err, ic.ErrBatchMessageChecksum) {
		t.Fatalf("got %v, want a message checksum error", err)
	}
	t.Log(err)
}
