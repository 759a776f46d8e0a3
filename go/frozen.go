package iggyconsensus

/*
#include "iggy_consensus.h"

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

import "runtime"

// Frozen is a shared, immutable, reference-counted view of bytes in a 4096-aligned
// allocation of the library (iggy_frozen). It owns one share of the allocation: Clone
// and Slice add a share (one atomic add, no allocation in the library), Close gives
// it back, and the last share frees the allocation.
//
// Close a Frozen once it is no longer needed; Close is idempotent.
// Operations that consume it (SplitAt, and Coalesce as the tail) leave it empty: its
// Close is then a no-op and its other methods return ErrEmptyHandle (Bytes nil, Len 0).
// If a live Frozen becomes unreachable, a runtime cleanup releases its share, as a
// safety net only.
//
// Threads: Bytes, Len, IsEmpty, Clone, Slice (and being the tail of Prefix.Aliases
// and Prefix.CanCoalesce) only read the handle and may run concurrently on one
// Frozen. SplitAt, Coalesce and Close need it exclusively. Distinct Frozens sharing
// one allocation may be used and closed on any goroutines.
//
// The zero Frozen and a nil *Frozen are empty. Do not copy a Frozen value (go vet
// reports it): share it with Clone.
type Frozen struct {
	_       noCopy
	h       *frozenHandle
	cleanup runtime.Cleanup
}

// frozenHandle holds the C handle in Go memory (it contains no Go pointer). It is the
// cleanup's argument, so the cleanup sees whether the handle was consumed or closed
// (zeroed by the library) and then does nothing.
type frozenHandle struct{ c C.iggy_frozen }

func releaseFrozen(h *frozenHandle) { C.iggy_frozen_release(&h.c) }

// newFrozen wraps a handle the library has just filled.
func newFrozen(h *frozenHandle) *Frozen {
	f := &Frozen{h: h}
	f.cleanup = runtime.AddCleanup(f, releaseFrozen, h)
	return f
}

// live returns f's handle, or nil when f is nil, zero, closed or consumed.
func (f *Frozen) live() *frozenHandle {
	if f == nil || f.h == nil || f.h.c == (C.iggy_frozen{}) {
		return nil
	}
	return f.h
}

// consumed stops the cleanup of a Frozen the library has just zeroed.
func (f *Frozen) consumed() {
	f.cleanup.Stop()
	runtime.KeepAlive(f)
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
func (f *Frozen) Len() int {
	h := f.live()
	if h == nil {
		return 0
	}
	_, n := handleWords(&h.c.opaque)
	return int(n)
}

// Clone returns another handle to the same bytes: one atomic add (relaxed), no copy;
// two small Go allocations and a runtime cleanup for the new handle. The caller owns
// the clone and must Close it. ErrEmptyHandle when f is empty.
func (f *Frozen) Clone() (*Frozen, error) {
	h := f.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	out := new(frozenHandle)
	st := C.iggy_frozen_clone(&h.c, &out.c)
	runtime.KeepAlive(f)
	if st != 0 {
		return nil, Status(st)
	}
	return newFrozen(out), nil
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
	h := f.live()
	if h == nil {
		return nil, nil, ErrEmptyHandle
	}
	if at < 0 {
		return nil, nil, ErrOutOfRange
	}
	prefix, tail := new(prefixHandle), new(frozenHandle)
	st := C.iggy_frozen_split_at(&h.c, C.size_t(at), &prefix.c, &tail.c)
	if st != 0 {
		runtime.KeepAlive(f)
		return nil, nil, Status(st)
	}
	f.consumed()
	return newPrefix(prefix), newFrozen(tail), nil
}

// Close releases f's share (one atomic subtract; the last share frees the
// allocation) and leaves f empty. Closing an empty Frozen does nothing, so Close is
// idempotent. It always returns nil (it implements io.Closer).
func (f *Frozen) Close() error {
	h := f.live()
	if h == nil {
		return nil
	}
	C.iggy_frozen_release(&h.c)
	f.consumed()
	return nil
}
