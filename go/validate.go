package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_frame_validate
#cgo nocallback iggy_frame_validate
#cgo noescape iggy_frame_validate_inbound
#cgo nocallback iggy_frame_validate_inbound
#cgo noescape iggy_frames_validate_packed
#cgo nocallback iggy_frames_validate_packed
*/
import "C"

import (
	"fmt"
	"math"
	"sync"
	"unsafe"
)

// size_t and int have the same size on every platform cgo supports, so []int offsets
// and lengths are passed to C as they are (a negative one reads as a huge size_t,
// which the library reports as out of range).
var _ [unsafe.Sizeof(C.size_t(0)) - unsafe.Sizeof(int(0))]struct{}
var _ [unsafe.Sizeof(int(0)) - unsafe.Sizeof(C.size_t(0))]struct{}

// ValidateFrame validates one whole frame, seals included (iggy_frame_validate):
// generic construction (length >= HeaderSize, command byte defined, HeaderSize <=
// size <= len(frame)), then, for a command with a typed header, the typed bit
// pattern, the frame seal of sealed commands and the header's own rules. Bytes after
// size are allowed; any alignment is accepted. It returns nil for a valid frame, else
// a *ValidationError (errors.Is matches its Status). A valid frame costs one cgo call
// and no allocation; an invalid one a second call, for the detail, and one
// allocation. frame is only read; safe for concurrent use.
func ValidateFrame(frame []byte) error {
	return validated(frame, false)
}

// frameStatus is the bare cgo call iggy_frame_validate(frame, len, NULL): the status
// alone, what ValidateFrame costs at least (the benchmarks' baseline).
func frameStatus(frame []byte) C.iggy_status {
	return C.iggy_frame_validate(bytesPtr(frame), C.size_t(len(frame)), nil)
}

// ValidateInbound validates a frame on the replica's inbound path
// (iggy_frame_validate_inbound): generic construction, then the inbound dispatch
// (Reply and Eviction are ErrClientBoundCommand; Reserved, the pings and pongs and the
// handshake commands ErrInvalidCommand), then the dispatched type's typed
// conversion, seal included. Returns as ValidateFrame does.
func ValidateInbound(frame []byte) error {
	return validated(frame, true)
}

// validated validates frame, on the inbound path when inbound: nil when it passes;
// else it validates again, for the detail, and returns its *ValidationError.
func validated(frame []byte, inbound bool) error {
	p, n := bytesPtr(frame), C.size_t(len(frame))
	if validateCall(inbound, p, n, nil) == 0 {
		return nil
	}
	var d C.iggy_validation_detail
	validateCall(inbound, p, n, &d)
	return detailErr(&d)
}

// validateCall is iggy_frame_validate_inbound when inbound, else iggy_frame_validate.
func validateCall(inbound bool, p *C.uint8_t, n C.size_t, d *C.iggy_validation_detail) C.iggy_status {
	if inbound {
		return C.iggy_frame_validate_inbound(p, n, d)
	}
	return C.iggy_frame_validate(p, n, d)
}

func detailErr(d *C.iggy_validation_detail) *ValidationError {
	return &ValidationError{
		Status:   Status(d.status),
		Command:  Command(d.command),
		Rule:     Rule(d.rule),
		Reason:   C.GoString(d.reason),
		Expected: uint64(d.expected),
		Found:    uint64(d.found),
	}
}

// batch is the reusable scratch memory of one ValidateFrames call.
type batch struct {
	packed   []byte
	offsets  []int
	lens     []int
	statuses []C.iggy_status
}

var batches = sync.Pool{New: func() any { return new(batch) }}

// ValidateFrames validates many frames as ValidateFrame does, in one cgo call: the
// frames are copied once into one contiguous buffer (reused across calls) and
// validated by iggy_frames_validate_packed; the few that fail are validated again one
// by one for their detail. It returns one entry per frame: nil when valid, else a
// *ValidationError. Allocates the result slice; safe for concurrent use.
func ValidateFrames(frames [][]byte) []error {
	b := batches.Get().(*batch)
	defer batches.Put(b)
	packed, offsets, lens := b.packed[:0], b.offsets[:0], b.lens[:0]
	for _, f := range frames {
		offsets = append(offsets, len(packed))
		lens = append(lens, len(f))
		packed = append(packed, f...)
	}
	b.packed, b.offsets, b.lens = packed, offsets, lens
	errs := validatePacked(b, packed, offsets, lens)
	for i, err := range errs {
		if err != nil {
			errs[i] = ValidateFrame(frames[i])
		}
	}
	if cap(b.packed) > 64<<20 { // do not keep a huge batch alive in the pool
		b.packed = nil
	}
	return errs
}

// ValidateFramesPacked validates frames already packed in one buffer, in one cgo call
// and without copying: frame i is base[offsets[i] : offsets[i]+lens[i]]. A frame that
// does not lie within base (a negative offset or length included) gets a
// *ValidationError with Status ErrOutOfRange. It returns one entry per frame, as
// ValidateFrames does, and panics if offsets and lens differ in length (a programming
// error, like an index out of range). The three slices are only read.
func ValidateFramesPacked(base []byte, offsets, lens []int) []error {
	if len(offsets) != len(lens) {
		panic(fmt.Sprintf("iggyconsensus: ValidateFramesPacked: %d offsets but %d lengths", len(offsets), len(lens)))
	}
	b := batches.Get().(*batch)
	defer batches.Put(b)
	errs := validatePacked(b, base, offsets, lens)
	for i, err := range errs {
		if err == nil {
			continue
		}
		if off, n := offsets[i], lens[i]; off < 0 || n < 0 || off > len(base) || n > len(base)-off {
			errs[i] = outsideErr(len(base), off, n)
		} else {
			errs[i] = ValidateFrame(base[off : off+n])
		}
	}
	return errs
}

// outsideErr describes a packed frame that does not lie within base: Expected is
// len(base), Found the frame's end (math.MaxUint64 when negative or overflowing).
func outsideErr(baseLen, off, n int) *ValidationError {
	end := uint64(off) + uint64(n)
	if off < 0 || n < 0 || end < uint64(off) {
		end = math.MaxUint64
	}
	return &ValidationError{Status: ErrOutOfRange, Reason: "frame outside the packed buffer",
		Expected: uint64(baseLen), Found: end}
}

// statusesPacked is the bare cgo call iggy_frames_validate_packed: each frame's status
// into b.statuses[:len(offsets)] (returned, valid until b is reused) and the call's
// result. offsets and lens have the same length.
func (b *batch) statusesPacked(base []byte, offsets, lens []int) ([]C.iggy_status, C.iggy_status) {
	n := len(offsets)
	if cap(b.statuses) < n {
		b.statuses = make([]C.iggy_status, n)
	}
	st := b.statuses[:n]
	ret := C.iggy_frames_validate_packed(bytesPtr(base), C.size_t(len(base)),
		(*C.size_t)(unsafe.Pointer(unsafe.SliceData(offsets))),
		(*C.size_t)(unsafe.Pointer(unsafe.SliceData(lens))),
		C.size_t(n), (*C.iggy_status)(unsafe.SliceData(st)))
	return st, ret
}

// validatePacked makes the one cgo call; a failed frame's entry is its bare Status,
// which the callers replace with the *ValidationError.
func validatePacked(b *batch, base []byte, offsets, lens []int) []error {
	errs := make([]error, len(offsets))
	if len(offsets) == 0 {
		return errs
	}
	st, ret := b.statusesPacked(base, offsets, lens)
	if ret == C.IGGY_ERR_NULL_ARGUMENT || ret == C.IGGY_ERR_PANIC {
		// The statuses may be unwritten: mark every frame, so that each is validated
		// again on its own.
		for i := range errs {
			errs[i] = Status(ret)
		}
		return errs
	}
	for i, s := range st {
		if s != 0 {
			errs[i] = Status(s)
		}
	}
	return errs
}
