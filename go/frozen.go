package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_frozen_copy_from
#cgo nocallback iggy_frozen_copy_from
#cgo noescape iggy_frozen_clone
#cgo nocallback iggy_frozen_clone
#cgo noescape iggy_frozen_slice
#cgo nocallback iggy_frozen_slice
#cgo noescape iggy_frozen_split_at
#cgo nocallback iggy_frozen_split_at
#cgo noescape iggy_frozen_release
#cgo nocallback iggy_frozen_release
*/
import "C"

import (
	"runtime"
	"sync/atomic"
)

// Frozen is a shared, immutable, reference-counted view of bytes in a 4096-aligned
// allocation of the library (iggy_frozen). It owns one share of the allocation: Clone
// and Slice add a share (one atomic add, no allocation in the library), Close gives
// it back, and the last share frees the allocation.
//
// Close a Frozen once it is no longer needed; Close is idempotent.
// Operations that consume it (SplitAt, and Coalesce as the tail) leave it empty: its
// Close is then a no-op and its other methods return ErrEmptyHandle (Bytes nil, Len 0).
// If live Frozens become unreachable unclosed, a runtime cleanup releases their
// share, as a safety net only.
//
// Clones made by Clone share one library handle: a Clone is one Go allocation and
// one atomic add on a Go count, and its Close one atomic subtract; the library's share
// is released when the last of them is closed (or by the cleanup, one per library
// handle, when all of them became unreachable). Slice, and the results of SplitAt,
// Freeze and Coalesce, are library handles of their own.
//
// Threads: Bytes, Len, IsEmpty, Clone, Slice (and being the tail of Prefix.Aliases
// and Prefix.CanCoalesce) only read the handle and may run concurrently on one
// Frozen. SplitAt, Coalesce and Close need it exclusively. Distinct Frozens sharing
// one allocation may be used and closed on any goroutines.
//
// The zero Frozen and a nil *Frozen are empty. Do not copy a Frozen value (go vet
// reports it): share it with Clone.
type Frozen struct {
	_ noCopy
	h *frozenHandle // nil when f is empty: zero, closed or consumed
}

// frozenHandle is one library handle (one share of the allocation) in Go memory, and
// the Frozens that use it: refs counts them (each holds one reference, given back by
// its Close). The last Close releases the share. The cleanup, registered once per
// library handle, releases it if the frozenHandle becomes unreachable while
// references are left (leaked Frozens); it is stopped when the share is released or
// consumed. Its argument is a copy of the handle's words (a frozenHandle cannot be
// the argument of its own cleanup); nothing else uses the handle by then.
type frozenHandle struct {
	c       C.iggy_frozen
	refs    atomic.Int64
	cleanup runtime.Cleanup
}

func releaseFrozen(c C.iggy_frozen) { C.iggy_frozen_release(&c) }

// newFrozen wraps a handle the library has just filled: the first Frozen using it.
func newFrozen(h *frozenHandle) *Frozen {
	h.refs.Store(1)
	h.cleanup = runtime.AddCleanup(h, releaseFrozen, h.c)
	return &Frozen{h: h}
}

// CopyFrozen returns a Frozen over a copy of src (iggy_frozen_copy_from): a frame
// from bytes in one cgo call, one allocation in the library (the count inside it), one
// copy. An empty src gives a live Frozen of length 0. The caller owns it.
func CopyFrozen(src []byte) (*Frozen, error) {
	out := new(frozenHandle)
	if st := C.iggy_frozen_copy_from(bytesPtr(src), C.size_t(len(src)), &out.c); st != 0 {
		return nil, Status(st)
	}
	return newFrozen(out), nil
}

// live returns f's handle, or nil when f is nil, zero, closed or consumed.
func (f *Frozen) live() *frozenHandle {
	if f == nil {
		return nil
	}
	return f.h
}

// own returns f's handle for a call that consumes it, f being its only user: the
// shared one when f holds its only reference, else a library clone of it that f
// takes over (one cgo call), f's reference to the shared one given back. nil when f
// is empty; a status when the clone fails.
func (f *Frozen) own() (*frozenHandle, error) {
	h := f.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	if h.refs.Load() == 1 {
		return h, nil
	}
	own := new(frozenHandle)
	if st := C.iggy_frozen_clone(&h.c, &own.c); st != 0 {
		return nil, Status(st)
	}
	own.refs.Store(1) // no cleanup yet: the caller consumes it, or calls kept
	f.h = own
	h.unref() // the others may have been closed meanwhile: then this is the last
	return own, nil
}

// unref gives back one reference; the last one releases the library's share.
func (h *frozenHandle) unref() {
	if h.refs.Add(-1) == 0 {
		h.cleanup.Stop()
		C.iggy_frozen_release(&h.c)
	}
}

// kept is the end of a consuming call that failed after own: f keeps its handle, and
// the handle gets its cleanup if own made it.
func (f *Frozen) kept() {
	if h := f.h; h != nil && h.cleanup == (runtime.Cleanup{}) {
		h.cleanup = runtime.AddCleanup(h, releaseFrozen, h.c)
	}
}

// consumed marks f empty after the library consumed (zeroed) its handle, which f
// owned alone (own): there is no share left to release. (Stopping the zero Cleanup of
// a handle own made is a no-op.)
func (f *Frozen) consumed() {
	f.h.cleanup.Stop()
	f.h = nil
}

// IsEmpty reports whether f is an empty handle: nil, zero, closed or consumed. It is
// not whether Len is 0: a live Frozen may view 0 bytes. No cgo call.
func (f *Frozen) IsEmpty() bool { return f.live() == nil }

// Bytes returns the view's bytes in place, without copying (nil when empty or of
// length 0). The slice is read-only: writing through it is undefined behaviour for
// every handle sharing the allocation. It is valid only while f is live: not after
// f.Close or a consuming call, and it does not keep f reachable, so keep f (and its
// Close) after the last use of the slice. No cgo call: it reads the handle's words.
func (f *Frozen) Bytes() []byte {
	h := f.live()
	if h == nil {
		return nil
	}
	return bytesAt(handleWords(&h.c.opaque))
}

// Len returns the view's length; 0 when empty. No cgo call.
func (f *Frozen) Len() int { return len(f.Bytes()) }

// Clone returns another handle to the same bytes: one Go allocation and one atomic
// add on the Go count of f's library handle, which the clone shares (no cgo call, no
// copy). The caller owns the clone and must Close it. ErrEmptyHandle when f is empty.
func (f *Frozen) Clone() (*Frozen, error) {
	h := f.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	h.refs.Add(1)
	return &Frozen{h: h}, nil
}

// Slice returns a handle to the bytes [start, end) of this view: one atomic add, no
// copy. It outlives f. The caller owns it and must Close it. ErrOutOfRange unless
// 0 <= start <= end <= Len; ErrEmptyHandle when f is empty. On error f is unchanged.
func (f *Frozen) Slice(start, end int) (*Frozen, error) {
	h := f.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	if start < 0 || end < 0 {
		return nil, ErrOutOfRange
	}
	out := new(frozenHandle)
	st := C.iggy_frozen_slice(&h.c, C.size_t(start), C.size_t(end), &out.c)
	runtime.KeepAlive(f)
	if st != 0 {
		return nil, Status(st)
	}
	return newFrozen(out), nil
}

// SplitAt splits f into a Prefix holding a copy of [0, at) (one allocation of at
// bytes and one copy) and a Frozen tail [at, Len) that takes over f's share (no
// atomic). On success f is consumed (empty); other clones are unaffected. The caller
// owns both results. ErrOutOfRange unless 0 <= at <= Len; on error f is unchanged.
func (f *Frozen) SplitAt(at int) (*Prefix, *Frozen, error) {
	if f.live() == nil {
		return nil, nil, ErrEmptyHandle
	}
	if at < 0 {
		return nil, nil, ErrOutOfRange
	}
	h, err := f.own()
	if err != nil {
		return nil, nil, err
	}
	prefix, tail := new(prefixHandle), new(frozenHandle)
	st := C.iggy_frozen_split_at(&h.c, C.size_t(at), &prefix.c, &tail.c)
	if st != 0 {
		f.kept()
		return nil, nil, Status(st)
	}
	f.consumed()
	return newPrefix(prefix), newFrozen(tail), nil
}

// Close gives back f's reference and leaves f empty: one atomic subtract on the Go
// count; the last Frozen of a library handle releases its share (one cgo call: one
// atomic subtract, and the last share frees the allocation). Closing an empty Frozen
// does nothing, so Close is idempotent. It always returns nil (it implements
// io.Closer).
func (f *Frozen) Close() error {
	h := f.live()
	if h == nil {
		return nil
	}
	f.h = nil
	h.unref()
	return nil
}
