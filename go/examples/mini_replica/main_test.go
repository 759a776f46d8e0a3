package main

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	ic "github.com/iggy-consensus/libiggy_consensus/go"
)

// The demo end to end with a small N, one request at a time (make go-test runs it
// under -race and cgocheck2).
func TestMiniReplica(t *testing.T) {
	var out bytes.Buffer
	if err := run(config{requests: 50, messages: 8, pipeline: 1}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"50 requests of 8 messages",
		"up to 1 in flight",
		"backup 1: decoded 400 messages, commit 50, 50 frames in ",
		"backup 2: decoded 400 messages, commit 50, 50 frames in ",
		"client: 50 requests in 50 flushes",
		"every reply checked",
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	t.Log("\n" + out.String())
}

// Pipelined: 32 requests in flight. The client's first Flush carries all 32 (one
// writev), so it flushes fewer times than it sends; every reply still checks out and
// every backup sees every message and the last commit.
func TestMiniReplicaPipelined(t *testing.T) {
	var out bytes.Buffer
	if err := run(config{requests: 300, messages: 4, pipeline: 32}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"300 requests of 4 messages",
		"up to 32 in flight",
		"backup 1: decoded 1200 messages, commit 300, 300 frames in ",
		"backup 2: decoded 1200 messages, commit 300, 300 frames in ",
		"every reply checked",
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	m := regexp.MustCompile(`client: 300 requests in (\d+) flushes`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no client line:\n%s", out.String())
	}
	if flushes, _ := strconv.Atoi(m[1]); flushes > 300-31 {
		t.Fatalf("the client flushed %d times for 300 requests, 32 in flight", flushes)
	}
	t.Log("\n" + out.String())
}

// A payload bit flipped in request 3 passes the primary (a Request's body carries no
// checksum) but not the backups' DecodeBatch: the demo fails with that error, the
// rejected Prepare is logged with Describe, and every goroutine returns instead of
// hanging; one at a time and pipelined.
func TestMiniReplicaCorruptRequest(t *testing.T) {
	for _, pipeline := range []int{1, 8} {
		t.Run(fmt.Sprint(pipeline), func(t *testing.T) {
			var log bytes.Buffer
			err := run(config{requests: 20, messages: 4, pipeline: pipeline, corrupt: 3, log: &log}, &bytes.Buffer{})
			if !errors.Is(err, ic.ErrBatchMessageChecksum) {
				t.Fatalf("got %v, want a message checksum error", err)
			}
			if line := log.String(); !strings.Contains(line, "): Prepare size=") || !strings.Contains(line, " op=3 ") {
				t.Fatalf("the log does not describe the rejected Prepare of op 3:\n%s", line)
			}
			t.Log(err)
			t.Log(log.String())
		})
	}
}
