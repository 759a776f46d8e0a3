package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_writer_init
#cgo nocallback iggy_writer_init
#cgo noescape iggy_writer_push
#cgo nocallback iggy_writer_push
#cgo noescape iggy_writer_advance
#cgo nocallback iggy_writer_advance
#cgo noescape iggy_writer_free
#cgo nocallback iggy_writer_free
#cgo noescape iggy_go_writer_iovecs
#cgo nocallback iggy_go_writer_iovecs
#cgo noescape iggy_go_writer_pending
#cgo nocallback iggy_go_writer_pending

// The iovecs of the unsent bytes, and how many frames are pending, in one call.
static inline size_t iggy_go_writer_iovecs(const iggy_writer *w, iggy_iovec *iov, size_t cap,
		size_t *frames) {
	*frames = iggy_writer_pending_frames(w);
	return iggy_writer_iovecs(w, iov, cap);
}

// The pending frames and bytes in one call.
static inline void iggy_go_writer_pending(const iggy_writer *w, size_t *frames, size_t *bytes) {
	*frames = iggy_writer_pending_frames(w);
	*bytes = iggy_writer_pending_bytes(w);
}
*/
import "C"

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"unsafe"
)

// WriterConfig bounds a FrameWriter's queue (iggy_writer_init). The zero value is the
// default: at most 1024 frames, no byte limit.
type WriterConfig struct {
	// MaxFrames is the most frames queued at once; 0 means 1024.
	MaxFrames int
	// MaxBytes is the most bytes queued at once; 0 means no limit. A frame longer
	// than MaxBytes is still accepted into an empty queue.
	MaxBytes int
}

// maxIovecs is the most frames one Flush hands to one net.Buffers.WriteTo, so to
// one writev on a *net.TCPConn: Linux's IOV_MAX, and Go's own limit per writev.
const maxIovecs = 1024

// FrameWriter queues frozen frames and writes them to an io.Writer in order, with
// vectored writes: Flush builds a net.Buffers over the queued frames' own bytes (no
// copy) and writes it, which is one writev system call on a *net.TCPConn or
// *net.UnixConn for up to 1024 frames (other writers, a *tls.Conn or a net.Pipe,
// get one Write per frame). It is the library's frame writer (iggy_writer): the queue
// holds one share of each frame, and the library never copies frame bytes.
//
// Close a FrameWriter once it is no longer needed; Close is idempotent, releases the
// frames still queued and does not close the io.Writer. If a live FrameWriter becomes
// unreachable, a runtime cleanup frees it, as a safety net only.
//
// Threads: a FrameWriter is used by one goroutine at a time (Pending included, as it
// reads what Flush changes). The frames pushed may be clones of frames that other
// goroutines hold and send elsewhere: fan one frame out to many writers with Clone.
// The io.Writer reads the queued frames' memory during Flush, so never Close the
// FrameWriter while a Flush may be blocked on another goroutine: to stop it, close
// the connection or set a deadline, and Close the FrameWriter once Flush has returned.
//
// The zero FrameWriter and a nil *FrameWriter are empty (methods return
// ErrEmptyHandle). Do not copy a FrameWriter value (go vet reports it).
type FrameWriter struct {
	_       noCopy
	h       *writerHandle
	cleanup runtime.Cleanup
	dst     io.Writer

	// Reused by every Flush: the library's iovecs, the net.Buffers over them, and
	// the net.Buffers value WriteTo consumes (a field, so that it does not escape
	// anew on every call). Cleared after each write, so that no slice of a released
	// frame stays in Go memory.
	iovecs []C.iggy_iovec
	bufs   [][]byte
	nb     net.Buffers
}

// writerHandle holds the C handle in Go memory; see frozenHandle.
type writerHandle struct{ c C.iggy_writer }

func freeWriter(h *writerHandle) { C.iggy_writer_free(&h.c) }

func (h *writerHandle) empty() bool { return h.c == (C.iggy_writer{}) }

// NewFrameWriter returns a FrameWriter that writes to dst, its queue bounded by cfg.
// It allocates the writer's state (under 100 bytes of library memory); the queue grows
// as frames are pushed. The caller owns the FrameWriter and must Close it; dst stays
// the caller's.
//
// Errors (nothing is allocated then): ErrNullArgument for a nil dst,
// ErrInvalidArgument for a negative limit, ErrOutOfMemory.
func NewFrameWriter(dst io.Writer, cfg WriterConfig) (*FrameWriter, error) {
	if dst == nil {
		return nil, ErrNullArgument
	}
	if cfg.MaxFrames < 0 || cfg.MaxBytes < 0 {
		return nil, ErrInvalidArgument
	}
	h := new(writerHandle)
	if st := C.iggy_writer_init(C.size_t(cfg.MaxFrames), C.size_t(cfg.MaxBytes), &h.c); st != 0 {
		return nil, Status(st)
	}
	w := &FrameWriter{h: h, dst: dst}
	w.cleanup = runtime.AddCleanup(w, freeWriter, h)
	return w, nil
}

// live returns w's handle, or nil when w is nil, zero or closed.
func (w *FrameWriter) live() *writerHandle {
	if w == nil || w.h == nil || w.h.empty() {
		return nil
	}
	return w.h
}

// Push queues frame after the frames already queued. On success the writer takes
// frame's share (frame is consumed: empty, its Close a no-op) and releases it once the
// frame is written whole, or at Close; to keep using the bytes, push a Clone. A frame
// of length 0 is accepted and released at once.
//
// ErrQueueFull when the queue is at its MaxFrames or MaxBytes: frame stays the
// caller's, unchanged; Flush, then push it again. ErrEmptyHandle for a nil, closed or
// consumed frame or writer. One cgo call; no copy, no atomic; the library's queue may
// grow (amortised). A frame that shares its library handle with its Clones is first
// given one of its own (one more cgo call and one atomic add).
func (w *FrameWriter) Push(frame *Frozen) error {
	h := w.live()
	if h == nil {
		return ErrEmptyHandle
	}
	f, err := frame.own()
	if err != nil {
		return err
	}
	st := C.iggy_writer_push(&h.c, &f.c)
	runtime.KeepAlive(w)
	if st != 0 {
		frame.kept()
		return Status(st)
	}
	frame.consumed()
	return nil
}

// Flush writes every queued byte to the io.Writer, in order, and releases each frame
// written whole. It builds a net.Buffers over the queued frames (library memory, no
// copy), calls its WriteTo, and tells the library how many bytes were written; it
// repeats only when more than 1024 frames are queued. It returns nil once nothing is
// pending (at once when the queue is empty).
//
// On a write error (a short write included) it returns that error wrapped (errors.Is
// and errors.As see it) and keeps what was not written, a partly written frame first:
// a later Flush continues from there (after a timeout, extend the deadline and call
// Flush again). It never writes a frame twice. An io.Writer that reports more bytes
// than it was given breaks its contract: ErrOutOfRange (wrapped), nothing released.
//
// Cost: per 1024 frames, two cgo calls and one WriteTo; no allocation in steady state
// (the iovecs are reused).
func (w *FrameWriter) Flush() error {
	h := w.live()
	if h == nil {
		return ErrEmptyHandle
	}
	defer runtime.KeepAlive(w)
	for {
		var frames C.size_t
		count := int(C.iggy_go_writer_iovecs(&h.c, unsafe.SliceData(w.iovecs), C.size_t(len(w.iovecs)), &frames))
		if want := min(int(frames), maxIovecs); want > len(w.iovecs) {
			w.iovecs = make([]C.iggy_iovec, want)
			w.bufs = make([][]byte, want)
			count = int(C.iggy_go_writer_iovecs(&h.c, unsafe.SliceData(w.iovecs), C.size_t(want), &frames))
		}
		if count == 0 {
			return nil
		}
		given := int64(0)
		for i, v := range w.iovecs[:count] {
			w.bufs[i] = bytesAt(v.base, v.len)
			given += int64(v.len)
		}
		// WriteTo consumes w.nb (it advances and clears its entries): built anew
		// from the library's iovecs on every round.
		w.nb = w.bufs[:count]
		written, err := w.nb.WriteTo(w.dst)
		w.nb = nil
		clear(w.bufs[:count])
		clear(w.iovecs[:count])
		if written < 0 || written > given {
			return fmt.Errorf("iggyconsensus: %T reported %d bytes written of %d: %w", w.dst, written, given, ErrOutOfRange)
		}
		if written > 0 {
			if st := C.iggy_writer_advance(&h.c, C.size_t(written)); st != 0 {
				return Status(st)
			}
		}
		if err != nil {
			return fmt.Errorf("iggyconsensus: writing frames: %w", err)
		}
		if written == 0 {
			return io.ErrShortWrite // nothing written and no error: do not spin
		}
	}
}

// Pending returns the frames queued and not yet written whole, and their bytes not yet
// written; 0, 0 for an empty writer. One cgo call.
func (w *FrameWriter) Pending() (frames, bytes int) {
	h := w.live()
	if h == nil {
		return 0, 0
	}
	var f, b C.size_t
	C.iggy_go_writer_pending(&h.c, &f, &b)
	runtime.KeepAlive(w)
	return int(f), int(b)
}

// Close releases every frame still queued, unwritten, frees the writer and leaves w
// empty. It does not flush (call Flush first to send them) and does not close the
// io.Writer. Closing an empty FrameWriter does nothing, so Close is idempotent. It
// always returns nil (it implements io.Closer).
func (w *FrameWriter) Close() error {
	h := w.live()
	if h == nil {
		return nil
	}
	C.iggy_writer_free(&h.c)
	w.cleanup.Stop()
	runtime.KeepAlive(w)
	return nil
}
