package iggyconsensus

import (
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
)

// FrameReader and FrameWriter over real connections: net.Pipe, loopback TCP, and TLS
// over each.

// sendFrames pushes request frames of the given sizes into a writer on dst, built in
// library memory, flushing after a random number of them (and when the queue is
// full), then a last time.
func sendFrames(dst io.Writer, sizes []int, seed uint64) error {
	w, err := NewFrameWriter(dst, WriterConfig{MaxFrames: 64, MaxBytes: 4 << 20})
	if err != nil {
		return err
	}
	defer w.Close()
	r := rand.New(rand.NewPCG(seed, 3))
	for i, size := range sizes {
		frame, err := CopyFrom(requestFrame(uint64(i+1), size))
		if err != nil {
			return err
		}
		frozen, err := frame.Freeze()
		if err != nil {
			return err
		}
		err = w.Push(frozen)
		if errors.Is(err, ErrQueueFull) {
			if err = w.Flush(); err == nil {
				err = w.Push(frozen)
			}
		}
		frozen.Close() // a no-op once pushed
		if err != nil {
			return err
		}
		if r.IntN(8) == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// receiveFrames reads len(sizes) frames from src and checks each against the frame
// sendFrames made; with atEnd it then expects io.EOF.
func receiveFrames(src io.Reader, sizes []int, atEnd bool) error {
	r, err := NewFrameReader(src, ReaderConfig{Validate: ReaderValidateInbound})
	if err != nil {
		return err
	}
	defer r.Close()
	for i, size := range sizes {
		f, err := r.Next()
		if err != nil {
			return err
		}
		want := requestFrame(uint64(i+1), size)
		got := f.Bytes()
		same := len(got) == len(want) && string(got) == string(want) && aligned(got)
		f.Close()
		if !same {
			return errors.New("frame " + Describe(want) + " came back different")
		}
	}
	if atEnd {
		if _, err := r.Next(); err != io.EOF {
			return errors.New("after the last frame: " + errString(err) + ", want io.EOF")
		}
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// both runs the functions on their own goroutines and fails on their errors.
func both(t *testing.T, fs ...func() error) {
	t.Helper()
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Go(func() { errs[i] = f() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Frames both ways at once over one net.Pipe (synchronous, unbuffered: each Write
// waits for the other side's Read).
func TestStreamNetPipeBothDirections(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	toB, toA := mixedSizes(300, 1), mixedSizes(200, 2)
	both(t,
		func() error { return sendFrames(a, toB, 1) },
		func() error { return receiveFrames(b, toB, false) },
		func() error { return sendFrames(b, toA, 2) },
		func() error { return receiveFrames(a, toA, false) },
	)
}

// Thousands of frames from 256 B to 1 MiB over loopback TCP: Push and Flush on one
// side, Next on the other, then io.EOF once the sender shuts its side down.
func TestStreamTCPRoundTrip(t *testing.T) {
	client, server := tcpPair(t)
	sizes := mixedSizes(3000, 3)
	total := 0
	for _, s := range sizes {
		total += s
	}
	both(t,
		func() error {
			if err := sendFrames(client, sizes, 3); err != nil {
				return err
			}
			return client.CloseWrite()
		},
		func() error { return receiveFrames(server, sizes, true) },
	)
	t.Logf("%d frames, %d bytes", len(sizes), total)
}

// TLS (a certificate made in the test) over net.Pipe and over TCP: the client sends
// frames, the server echoes each frame it reads (Freeze, then Push: no copy) and the
// client reads the echoes.
func TestStreamTLS(t *testing.T) {
	sizes := mixedSizes(200, 4)
	conns := map[string]func() (net.Conn, net.Conn){
		"pipe": func() (net.Conn, net.Conn) { a, b := net.Pipe(); return a, b },
		"tcp":  func() (net.Conn, net.Conn) { a, b := tcpPair(t); return a, b },
	}
	for name, pair := range conns {
		t.Run(name, func(t *testing.T) {
			c, s := pair()
			client, server := tlsPair(t, c, s)
			both(t,
				func() error { return sendFrames(client, sizes, 4) },
				func() error { return echo(server, len(sizes)) },
				func() error { return receiveFrames(client, sizes, false) },
			)
		})
	}
}

// echo reads n frames from conn and writes each back, flushing when no whole frame is
// held (before Next would block).
func echo(conn net.Conn, n int) error {
	r, err := NewFrameReader(conn, ReaderConfig{})
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := NewFrameWriter(conn, WriterConfig{MaxFrames: 1 << 20})
	if err != nil {
		return err
	}
	defer w.Close()
	for range n {
		frame, err := r.NextBuffered()
		if errors.Is(err, ErrIncomplete) {
			if err := w.Flush(); err != nil {
				return err
			}
			frame, err = r.Next()
		}
		if err != nil {
			return err
		}
		frozen, err := frame.Freeze()
		if err != nil {
			frame.Close()
			return err
		}
		if err := w.Push(frozen); err != nil {
			frozen.Close()
			return err
		}
	}
	return w.Flush()
}
