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
	out := runChecked(t, config{requests: 50, messages: 8, pipeline: 1})
	if want := "client: 50 requests in 50 flushes"; !strings.Contains(out, want) {
		t.Fatalf("output lacks %q:\n%s", want, out)
	}
	t.Log("\n" + out)
}

// runChecked runs the demo with cfg, which must succeed and print the lines every run
// prints: the plan, each backup's count of messages, commits and frames, and that every
// reply checked. It returns what the demo printed.
func runChecked(t *testing.T, cfg config) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(cfg, &out); err != nil {
		t.Fatal(err)
	}
	n, messages := cfg.requests, cfg.requests*cfg.messages
	for _, want := range []string{
		fmt.Sprintf("%d requests of %d messages", n, cfg.messages),
		fmt.Sprintf("up to %d in flight", cfg.pipeline),
		fmt.Sprintf("backup 1: decoded %d messages, commit %d, %d frames in ", messages, n, n),
		fmt.Sprintf("backup 2: decoded %d messages, commit %d, %d frames in ", messages, n, n),
		"every reply checked",
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	return out.String()
}

// Pipelined: 32 requests in flight. The client's first Flush carries all 32 (one
// writev), so it flushes fewer times than it sends; every reply still checks out and
// every backup sees every message and the last commit.
func TestMiniReplicaPipelined(t *testing.T) {
	out := runChecked(t, config{requests: 300, messages: 4, pipeline: 32})
	m := regexp.MustCompile(`client: 300 requests in (\d+) flushes`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no client line:\n%s", out)
	}
	if flushes, _ := strconv.Atoi(m[1]); flushes > 300-31 {
		t.Fatalf("the client flushed %d times for 300 requests, 32 in flight", flushes)
	}
	t.Log("\n" + out)
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
