package iggyconsensus

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

var _ io.Closer = (*FrameWriter)(nil)

func newWriter(tb testing.TB, dst io.Writer, cfg WriterConfig) *FrameWriter {
	tb.Helper()
	w, err := NewFrameWriter(dst, cfg)
	return opened(tb, w, err)
}

// pushAll pushes a copy of each frame, flushing when the queue is full.
func pushAll(tb testing.TB, w *FrameWriter, frames [][]byte) {
	tb.Helper()
	for _, f := range frames {
		frozen := frozenCopy(tb, f)
		err := w.Push(frozen)
		if errors.Is(err, ErrQueueFull) {
			if err = w.Flush(); err == nil {
				err = w.Push(frozen)
			}
		}
		if err != nil {
			tb.Fatal(err)
		}
		if !frozen.IsEmpty() {
			tb.Fatal("Push did not take the frame")
		}
	}
}

func pending(w *FrameWriter) [2]int {
	f, b := w.Pending()
	return [2]int{f, b}
}

func TestFrameWriterWritesInOrder(t *testing.T) {
	stream, frames := mixedStream(HeaderSize, 5000, 300, 70<<10)
	var out bytes.Buffer
	w := newWriter(t, &out, WriterConfig{})
	if err := w.Flush(); err != nil || out.Len() != 0 {
		t.Fatalf("Flush of an empty queue: %v, %d bytes", err, out.Len())
	}
	pushAll(t, w, frames)
	if got := pending(w); got != [2]int{len(frames), len(stream)} {
		t.Fatalf("Pending %v", got)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), stream) || pending(w) != [2]int{} {
		t.Fatalf("wrote %d bytes, want %d; then pending %v", out.Len(), len(stream), pending(w))
	}
}

// More frames than one net.Buffers takes (1024): Flush goes round until all are out.
func TestFrameWriterManyFrames(t *testing.T) {
	stream, frames := commitStream(t, 3000)
	var out bytes.Buffer
	w := newWriter(t, &out, WriterConfig{MaxFrames: 4000})
	pushAll(t, w, frames)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), stream) {
		t.Fatalf("wrote %d bytes, want %d", out.Len(), len(stream))
	}
}

// A full queue refuses the frame and leaves it with the caller, unchanged.
func TestFrameWriterQueueFull(t *testing.T) {
	var out bytes.Buffer
	for _, cfg := range []WriterConfig{{MaxFrames: 2}, {MaxBytes: 2*HeaderSize + 10}} {
		w := newWriter(t, &out, cfg)
		pushAll(t, w, [][]byte{sealedCommit(t, 1), sealedCommit(t, 2)})
		third := frozenCopy(t, sealedCommit(t, 3))
		if err := w.Push(third); !errors.Is(err, ErrQueueFull) {
			t.Fatalf("%+v: third push: %v", cfg, err)
		}
		if third.IsEmpty() || !bytes.Equal(third.Bytes(), sealedCommit(t, 3)) || pending(w) != [2]int{2, 2 * HeaderSize} {
			t.Fatalf("%+v: a refused push changed the frame or the queue", cfg)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := w.Push(third); err != nil || !third.IsEmpty() {
			t.Fatalf("%+v: push after Flush: %v", cfg, err)
		}
	}
	// A frame longer than MaxBytes goes into an empty queue, alone.
	w := newWriter(t, &out, WriterConfig{MaxBytes: 100})
	pushAll(t, w, [][]byte{sealedCommit(t, 1)})
	if err := w.Push(frozenCopy(t, sealedCommit(t, 2))); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("second frame over MaxBytes: %v", err)
	}
}

// A frame of length 0 is taken and released at once; it is never pending.
func TestFrameWriterEmptyFrame(t *testing.T) {
	var out bytes.Buffer
	w := newWriter(t, &out, WriterConfig{MaxFrames: 1})
	pushAll(t, w, [][]byte{sealedCommit(t, 1)})
	empty := frozenCopy(t, nil)
	if err := w.Push(empty); err != nil || !empty.IsEmpty() || pending(w) != [2]int{1, HeaderSize} {
		t.Fatalf("Push of an empty frame into a full queue: %v, pending %v", err, pending(w))
	}
}

// shortWriter writes at most max bytes per call (and says so with io.ErrShortWrite),
// and every third call fails with nothing written.
type shortWriter struct {
	out   bytes.Buffer
	max   int
	calls int
}

var errFlaky = errors.New("flaky link")

func (s *shortWriter) Write(p []byte) (int, error) {
	s.calls++
	if s.calls%3 == 0 {
		return 0, errFlaky
	}
	n := min(len(p), s.max)
	s.out.Write(p[:n])
	if n < len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

// Short writes and failed writes: Flush returns the error and keeps the rest, a
// partly written frame first; Flush again continues, and the bytes come out whole,
// each once, in order.
func TestFrameWriterShortWrites(t *testing.T) {
	stream, frames := mixedStream(HeaderSize, 1000, 4096, 300, 70<<10, HeaderSize)
	for _, most := range []int{1, 100, 255, 257, 5000} {
		dst := &shortWriter{max: most}
		w := newWriter(t, dst, WriterConfig{})
		pushAll(t, w, frames)
		sawShort, sawFlaky := false, false
		for rounds := 0; ; rounds++ {
			err := w.Flush()
			if err == nil {
				break
			}
			sawShort = sawShort || errors.Is(err, io.ErrShortWrite)
			sawFlaky = sawFlaky || errors.Is(err, errFlaky)
			if _, b := w.Pending(); b != len(stream)-dst.out.Len() || rounds > 2*len(stream) {
				t.Fatalf("write at most %d: pending %d bytes after %d written", most, b, dst.out.Len())
			}
		}
		if !bytes.Equal(dst.out.Bytes(), stream) || pending(w) != [2]int{} || !sawFlaky || !sawShort {
			t.Fatalf("write at most %d: %d bytes out of %d (short %v, flaky %v)", most, dst.out.Len(), len(stream), sawShort, sawFlaky)
		}
	}
}

// bogusWriter claims more than it was given, or nothing and no error.
type bogusWriter struct{ n int }

func (b bogusWriter) Write(p []byte) (int, error) { return b.n, nil }

func TestFrameWriterBogusWriters(t *testing.T) {
	w := newWriter(t, bogusWriter{n: 0}, WriterConfig{})
	pushAll(t, w, [][]byte{sealedCommit(t, 1)})
	if err := w.Flush(); !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("a writer that writes nothing: %v", err)
	}
	if pending(w) != [2]int{1, HeaderSize} {
		t.Fatal("a failed Flush lost the frame")
	}
	w = newWriter(t, bogusWriter{n: 1000}, WriterConfig{})
	pushAll(t, w, [][]byte{sealedCommit(t, 1)})
	if err := w.Flush(); !errors.Is(err, ErrOutOfRange) || pending(w) != [2]int{1, HeaderSize} {
		t.Fatalf("a writer that claims more than it was given: %v, pending %v", err, pending(w))
	}
}

func TestFrameWriterConfigAndEmpty(t *testing.T) {
	var out bytes.Buffer
	for _, cfg := range []WriterConfig{{MaxFrames: -1}, {MaxBytes: -1}} {
		if w, err := NewFrameWriter(&out, cfg); !errors.Is(err, ErrInvalidArgument) || w != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
	}
	if _, err := NewFrameWriter(nil, WriterConfig{}); !errors.Is(err, ErrNullArgument) {
		t.Fatalf("nil io.Writer: %v", err)
	}
	w := newWriter(t, &out, WriterConfig{})
	if err := w.Push(nil); err != ErrEmptyHandle {
		t.Fatalf("Push(nil): %v", err)
	}
	closed := frozenCopy(t, sealedCommit(t, 1))
	closed.Close()
	if err := w.Push(closed); err != ErrEmptyHandle {
		t.Fatalf("Push of a closed frame: %v", err)
	}
	if w.Close() != nil || w.Close() != nil {
		t.Fatal("Close")
	}
	var zero FrameWriter
	for _, e := range []*FrameWriter{w, &zero, nil} {
		f := frozenCopy(t, sealedCommit(t, 1))
		if e.Push(f) != ErrEmptyHandle || f.IsEmpty() || e.Flush() != ErrEmptyHandle || pending(e) != [2]int{} || e.Close() != nil {
			t.Fatal("an empty writer")
		}
		f.Close()
	}
}

// Close releases the frames still queued, and so does the cleanup of a writer dropped
// without Close: the tail's count shows it (CanCoalesce needs it at exactly 2).
func TestFrameWriterReleasesQueuedFrames(t *testing.T) {
	p, tail := split(t, "header and the rest", 6)
	defer p.Close()
	defer tail.Close()
	var out bytes.Buffer
	w := newWriter(t, &out, WriterConfig{})
	if err := w.Push(must[*Frozen](t)(tail.Clone())); err != nil || p.CanCoalesce(tail) {
		t.Fatalf("push: %v; the queue holds no share", err)
	}
	w.Close()
	if !p.CanCoalesce(tail) {
		t.Fatal("Close did not release the queued frame")
	}
	h := func() *writerHandle {
		w, err := NewFrameWriter(&out, WriterConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Push(must[*Frozen](t)(tail.Clone())); err != nil {
			t.Fatal(err)
		}
		return w.h
	}()
	waitFor(t, "the cleanup of a dropped writer", func() bool { return h.empty() && p.CanCoalesce(tail) })
	if out.Len() != 0 {
		t.Fatal("Close or the cleanup wrote")
	}
}

// writeSyscalls returns the number of write system calls this process has made
// (/proc/self/io, Linux), or -1.
func writeSyscalls() int {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "syscw: "); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// On a *net.TCPConn one Flush of 512 frames is one writev (a few more if the socket
// takes the bytes in parts), not 512 writes: counted in /proc/self/io.
func TestFlushIsOneWritevOnTCP(t *testing.T) {
	if runtime.GOOS != "linux" || writeSyscalls() < 0 {
		t.Skip("needs /proc/self/io")
	}
	client, server := tcpPair(t)
	stream, frames := commitStream(t, 512)
	received := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(server, int64(len(stream))))
		received <- b
	}()
	w := newWriter(t, client, WriterConfig{})
	pushAll(t, w, frames)
	before := writeSyscalls()
	err := w.Flush()
	writes := writeSyscalls() - before
	if err != nil {
		t.Fatal(err)
	}
	if got := <-received; !bytes.Equal(got, stream) {
		t.Fatalf("received %d bytes, want %d", len(got), len(stream))
	}
	if writes > 8 {
		t.Fatalf("one Flush of %d frames made %d write system calls", len(frames), writes)
	}
	t.Logf("one Flush of %d frames (%d bytes): %d write system call(s)", len(frames), len(stream), writes)
}

// Push and Flush allocate nothing in Go once the writer's iovecs have grown.
func TestFrameWriterFlushAllocations(t *testing.T) {
	w := newWriter(t, io.Discard, WriterConfig{})
	frames := make([]*Frozen, 0, 1000)
	for i := range cap(frames) {
		frames = append(frames, frozenCopy(t, sealedCommit(t, uint64(i+1))))
	}
	pushAll(t, w, [][]byte{sealedCommit(t, 1), sealedCommit(t, 2)}) // grows the iovecs
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	next := 0
	allocs := testing.AllocsPerRun(100, func() {
		for range 2 {
			if err := w.Push(frames[next]); err != nil {
				t.Fatal(err)
			}
			next++
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Push and Flush: %v allocations, want 0", allocs)
	}
}
