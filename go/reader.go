package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_reader_init
#cgo nocallback iggy_reader_init
#cgo noescape iggy_reader_finish
#cgo nocallback iggy_reader_finish
#cgo noescape iggy_reader_free
#cgo nocallback iggy_reader_free
#cgo noescape iggy_reader_next
#cgo nocallback iggy_reader_next
#cgo noescape iggy_go_reader_step
#cgo nocallback iggy_go_reader_step

// One step of FrameReader.Next in one cgo call: commits the n bytes read into the last
// offer (n > 0), takes the next frame into *frame and, when none is complete and offer
// is set, makes the offer for the next read. st[0] gets the status of
// iggy_reader_next, st[1] the commit's, st[2] the offer's; returns the offer's start
// (NULL when none was made) and its length in *len. No argument holds a pointer, so
// cgo checks none, and no detail is asked for: after a stream error the next call
// gives it (the error is sticky).
static inline uint8_t *iggy_go_reader_step(iggy_reader *r, size_t n, int offer,
		iggy_buf *frame, iggy_status st[3], size_t *len) {
	uint8_t *ptr = NULL;
	st[1] = n > 0 ? iggy_reader_commit(r, n) : IGGY_OK;
	st[2] = IGGY_OK;
	*len = 0;
	st[0] = iggy_reader_next(r, frame, NULL);
	if (st[0] == IGGY_ERR_INCOMPLETE && offer) {
		st[2] = iggy_reader_buffer(r, &ptr, len);
	}
	return ptr;
}
*/
import "C"

import (
	"fmt"
	"io"
	"runtime"
	"unsafe"
)

// ReaderValidation says which validation a FrameReader runs on every frame
// (IGGY_READER_VALIDATE_*). The zero value is ReaderValidateFrame.
type ReaderValidation uint32

// The validations of a FrameReader. (ValidateFrame and ValidateInbound name the
// functions, hence the Reader prefix.)
const (
	// ReaderValidateFrame runs ValidateFrame on every frame (the default).
	ReaderValidateFrame ReaderValidation = 0
	// ReaderValidateInbound runs ValidateInbound on every frame: the replica's
	// inbound path.
	ReaderValidateInbound ReaderValidation = 1
	// ReaderValidateNone checks the framing only: the command byte and the size
	// bounds, from the header.
	ReaderValidateNone ReaderValidation = 2
)

// The Go constants are the C macros (a compile-time check).
var (
	_ [C.IGGY_READER_VALIDATE_FRAME - ReaderValidateFrame]struct{}
	_ [ReaderValidateFrame - C.IGGY_READER_VALIDATE_FRAME]struct{}
	_ [C.IGGY_READER_VALIDATE_INBOUND - ReaderValidateInbound]struct{}
	_ [ReaderValidateInbound - C.IGGY_READER_VALIDATE_INBOUND]struct{}
	_ [C.IGGY_READER_VALIDATE_NONE - ReaderValidateNone]struct{}
	_ [ReaderValidateNone - C.IGGY_READER_VALIDATE_NONE]struct{}
)

// ReaderConfig is how a FrameReader frames and checks a stream (iggy_reader_config).
// The zero value is the default configuration.
type ReaderConfig struct {
	// MaxFrame is the largest frame size accepted, in HeaderSize..MaxMessageSize; 0
	// means MaxMessageSize (64 MiB). A larger size fails the stream with
	// ErrFrameTooLarge, found on the header before anything is allocated for the
	// body.
	MaxFrame int
	// ReadAhead is how many bytes one Read is offered between frames, and the body
	// length above which a frame is read in place into a buffer of its own, in
	// HeaderSize..MaxMessageSize; 0 means 65536.
	ReadAhead int
	// Validate is the validation run on every frame; the zero value is
	// ReaderValidateFrame.
	Validate ReaderValidation
}

// FrameReader reads frames from an io.Reader (a net.Conn, a *tls.Conn, a pipe, a
// file): a 256-byte header, then size - 256 body bytes (docs/protocol.md, "Framing on TCP"), each frame
// checked as ReaderConfig.Validate says. It is the library's sans-I/O reader
// (iggy_reader) driven by Read calls: Next reads straight into memory the library
// offers, with no intermediate copy and no bufio. Between frames one Read is offered
// ReadAhead bytes, so one system call can bring many small frames; a frame whose body
// is longer than ReadAhead is read in place into its own buffer.
//
// Close a FrameReader once it is no longer needed; Close is idempotent and does not
// close the io.Reader. If a live FrameReader becomes unreachable, a runtime cleanup
// frees it, as a safety net only.
//
// Threads: a FrameReader is used by one goroutine at a time. The frames it returns
// are ordinary Bufs, owned by the caller, and outlive it. Read writes into library
// memory the FrameReader owns, so never Close it while a Next may be blocked in Read
// on another goroutine: to stop such a Next, close the connection or set a deadline,
// and Close the FrameReader once Next has returned.
//
// The zero FrameReader and a nil *FrameReader are empty (Next returns ErrEmptyHandle).
// Do not copy a FrameReader value (go vet reports it).
type FrameReader struct {
	_       noCopy
	h       *readerHandle
	cleanup runtime.Cleanup
	src     io.Reader

	// err is the end of the stream, returned by every later call: the
	// *ValidationError of a bad frame, io.EOF, or the truncation error.
	err error
	// readErr is the error of the last Read other than io.EOF, returned once the
	// frames completed before it are taken; the next Next reads again.
	readErr error
	// eof: the io.Reader returned io.EOF; it is not read again.
	eof bool
}

// readerHandle holds the C handle in Go memory; see frozenHandle.
type readerHandle struct{ c C.iggy_reader }

func freeReader(h *readerHandle) { C.iggy_reader_free(&h.c) }

func (h *readerHandle) empty() bool { return h.c == (C.iggy_reader{}) }

// maxEmptyReads is how many Read calls in a row may return 0 bytes and no error
// before Next gives up with io.ErrNoProgress (as bufio does).
const maxEmptyReads = 100

// NewFrameReader returns a FrameReader of the frames of src, configured by cfg. It
// allocates the read-ahead buffer (ReadAhead + 256 bytes, 4096-aligned, in library
// memory) and reads nothing yet. The caller owns the FrameReader and must Close it;
// src stays the caller's.
//
// Errors (nothing is allocated then): ErrNullArgument for a nil src;
// ErrInvalidArgument for a MaxFrame or ReadAhead outside its bounds (0 aside) or an
// undefined Validate; ErrOutOfMemory.
func NewFrameReader(src io.Reader, cfg ReaderConfig) (*FrameReader, error) {
	if src == nil {
		return nil, ErrNullArgument
	}
	if cfg.MaxFrame < 0 || cfg.ReadAhead < 0 {
		return nil, ErrInvalidArgument
	}
	c := C.iggy_reader_config{
		max_frame:  C.size_t(cfg.MaxFrame),
		read_ahead: C.size_t(cfg.ReadAhead),
		validate:   C.uint32_t(cfg.Validate),
	}
	h := new(readerHandle)
	if st := C.iggy_reader_init(&c, &h.c); st != 0 {
		return nil, Status(st)
	}
	r := &FrameReader{h: h, src: src}
	r.cleanup = runtime.AddCleanup(r, freeReader, h)
	return r, nil
}

// live returns r's handle, or nil when r is nil, zero or closed.
func (r *FrameReader) live() *readerHandle {
	if r == nil || r.h == nil || r.h.empty() {
		return nil
	}
	return r.h
}

// Next returns the next frame of the stream, in order, in a Buf of its own:
// 4096-aligned, Len == size, byte-identical to the stream, unique and writable (a
// Request can become a Prepare in place), owned by the caller. It reads from the io.Reader
// only when no whole frame is held, so it may block there.
//
// Errors:
//   - io.EOF, itself (not wrapped), when the io.Reader ended cleanly between frames;
//   - an error matching both ErrTruncated and io.ErrUnexpectedEOF (errors.Is) when it
//     ended inside a frame;
//   - the *ValidationError of a bad frame (errors.Is matches its Status: ErrFrameTooLarge
//     with Expected = MaxFrame and Found = size, ErrFrameChecksumMismatch, ...), once
//     the good frames before it are taken;
//   - an error of the io.Reader, wrapped (errors.Is and errors.As see it), once the
//     frames completed before it are taken;
//   - ErrOutOfMemory, ErrEmptyHandle (nil or closed reader).
//
// The first three end the stream: every later call returns the same error without
// reading. An io.Reader error does not: the reader keeps its place, and the next
// call reads again (after a timeout, extend the deadline and call Next).
//
// The slice given to Read is library memory, valid for that call only (io.Reader's
// contract: an implementation must not retain it). Cost: a frame already held costs
// one cgo call and no Read; a Read costs one more cgo call. The library allocates each returned frame (a small frame is copied out of
// the read-ahead buffer once; a large one is handed over without a copy); Go allocates
// the Buf's handle and registers its cleanup.
func (r *FrameReader) Next() (*Buf, error) { return r.next(true) }

// NextBuffered is Next without reading: it returns the next frame if the reader
// already holds it whole, else ErrIncomplete (read more), and never calls Read. Once
// the stream has ended (a bad frame, io.EOF, truncation, a Read error waiting to be
// returned) it returns what Next would.
//
// It lets one goroutine batch its replies: handle every frame that one Read brought,
// then Flush a FrameWriter once, before blocking in Next:
//
//	frame, err := r.NextBuffered()
//	if errors.Is(err, ErrIncomplete) {
//		if err := w.Flush(); err != nil { ... }
//		frame, err = r.Next()
//	}
func (r *FrameReader) NextBuffered() (*Buf, error) { return r.next(false) }

func (r *FrameReader) next(read bool) (*Buf, error) {
	h := r.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	if r.err != nil {
		return nil, r.err
	}
	defer runtime.KeepAlive(r)
	out := new(bufHandle)
	var st [3]C.iggy_status // next, commit, buffer
	var offered C.size_t
	n := 0 // bytes read into the last offer, committed by the next step
	for {
		offer := read && !r.eof && r.readErr == nil
		p := C.iggy_go_reader_step(&h.c, C.size_t(n), cBool(offer), &out.c, &st[0], &offered)
		n = 0
		switch {
		case st[0] == 0:
			return newBuf(out), nil
		case st[0] != C.IGGY_ERR_INCOMPLETE:
			return nil, r.fail(h, Status(st[0]))
		case st[1] != 0:
			// Not the stream's error (that one next would have returned): a broken
			// contract between this loop and the library.
			return nil, Status(st[1])
		}
		// No whole frame is held: more bytes are needed.
		if r.readErr != nil {
			err := r.readErr
			r.readErr = nil
			return nil, err
		}
		if r.eof {
			r.err = finishErr(C.iggy_reader_finish(&h.c))
			return nil, r.err
		}
		if !read {
			return nil, ErrIncomplete
		}
		if st[2] != 0 {
			return nil, Status(st[2]) // out of memory: nothing changed
		}
		var err error
		n, err = r.read(bytesAt(unsafe.Pointer(p), offered))
		switch {
		case err == io.EOF:
			r.eof = true
		case err != nil:
			r.readErr = fmt.Errorf("iggyconsensus: reading frames: %w", err)
		}
	}
}

// read reads into p, which is library memory the reader offered (no Go pointer is
// given to C, and C keeps none). Reads returning 0 bytes and no error are retried a
// few times, as bufio does.
func (r *FrameReader) read(p []byte) (int, error) {
	for range maxEmptyReads {
		n, err := r.src.Read(p)
		if n < 0 || n > len(p) {
			return 0, fmt.Errorf("iggyconsensus: %T.Read returned %d for a buffer of %d bytes", r.src, n, len(p))
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// fail turns the status of iggy_reader_next into Next's error: a frame's error ends
// the stream (sticky, as in the library: next gives it again, now with its detail);
// argument and resource errors do not.
func (r *FrameReader) fail(h *readerHandle, st Status) error {
	if st < ErrIncomplete { // 1–7: argument, memory, panic: not the stream's
		return st
	}
	var frame C.iggy_buf
	var detail C.iggy_validation_detail
	if again := C.iggy_reader_next(&h.c, &frame, &detail); Status(again) != st {
		return st // cannot happen: the error is sticky
	}
	r.err = detailErr(&detail)
	return r.err
}

// truncatedError is the end of a stream inside a frame: it matches ErrTruncated and
// io.ErrUnexpectedEOF.
var truncatedError = fmt.Errorf("iggyconsensus: the stream ended inside a frame: %w (%w)",
	ErrTruncated, io.ErrUnexpectedEOF)

// finishErr is Next's error at the end of the io.Reader, from iggy_reader_finish.
func finishErr(st C.iggy_status) error {
	switch st {
	case 0:
		return io.EOF
	case C.IGGY_ERR_TRUNCATED:
		return truncatedError
	}
	return Status(st)
}

// Close frees the reader and everything it holds (frames not yet returned by Next
// included) and leaves r empty. Frames already returned are not affected; the
// io.Reader is not closed. Closing an empty FrameReader does nothing, so Close is
// idempotent. It always returns nil (it implements io.Closer).
func (r *FrameReader) Close() error {
	h := r.live()
	if h == nil {
		return nil
	}
	C.iggy_reader_free(&h.c)
	r.cleanup.Stop()
	runtime.KeepAlive(r)
	return nil
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
