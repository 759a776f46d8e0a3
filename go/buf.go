package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_buf_new_zeroed
#cgo nocallback iggy_buf_new_zeroed
#cgo noescape iggy_buf_with_capacity
#cgo nocallback iggy_buf_with_capacity
#cgo noescape iggy_buf_copy_from
#cgo nocallback iggy_buf_copy_from
#cgo noescape iggy_buf_capacity
#cgo nocallback iggy_buf_capacity
#cgo noescape iggy_buf_set_len
#cgo nocallback iggy_buf_set_len
#cgo noescape iggy_buf_reserve
#cgo nocallback iggy_buf_reserve
#cgo noescape iggy_buf_split_at
#cgo nocallback iggy_buf_split_at
#cgo noescape iggy_buf_freeze
#cgo nocallback iggy_buf_freeze
#cgo noescape iggy_buf_free
#cgo nocallback iggy_buf_free
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Buf is a unique, mutable, growable buffer in a 4096-aligned allocation of the
// library (iggy_buf), not reference-counted: the way to build or receive a message
// before it is split or frozen.
//
// Close a Buf once it is no longer needed; Close is idempotent. SplitAt and
// Freeze consume it (it becomes empty: Close is a no-op, other methods return
// ErrEmptyHandle). If a live Buf becomes unreachable, a runtime cleanup frees it, as a
// safety net only.
//
// Threads: a Buf is used by one goroutine at a time; it may move between goroutines.
// Only Bytes, SpareCapacity, Len, Capacity and IsEmpty may run concurrently with each
// other (writing through their slices is then the caller's to synchronise).
//
// The zero Buf and a nil *Buf are empty. Do not copy a Buf value (go vet reports it).
type Buf struct {
	_       noCopy
	h       *bufHandle
	cleanup runtime.Cleanup
}

// bufHandle holds the C handle in Go memory; see frozenHandle.
type bufHandle struct{ c C.iggy_buf }

func freeBuf(h *bufHandle) { C.iggy_buf_free(&h.c) }

func newBuf(h *bufHandle) *Buf {
	b := &Buf{h: h}
	b.cleanup = runtime.AddCleanup(b, freeBuf, h)
	return b
}

// live returns b's handle, or nil when b is nil, zero, closed or consumed.
func (b *Buf) live() *bufHandle {
	if b == nil || b.h == nil || b.h.c == (C.iggy_buf{}) {
		return nil
	}
	return b.h
}

func (b *Buf) consumed() {
	b.cleanup.Stop()
	runtime.KeepAlive(b)
}

// NewZeroed returns a buffer of n zero bytes (capacity at least n): one allocation,
// none for n == 0. ErrOutOfRange for n < 0; ErrOutOfMemory when the allocation fails
// or n is too large to represent. The caller owns it.
func NewZeroed(n int) (*Buf, error) {
	return newSized(n, func(n C.size_t, out *C.iggy_buf) C.iggy_status {
		return C.iggy_buf_new_zeroed(n, out)
	})
}

// WithCapacity returns an empty buffer (Len 0) with room for at least n bytes, to be
// written through SpareCapacity and then committed with SetLen. One allocation, none
// for n == 0; the bytes are not initialised. ErrOutOfRange for n < 0; ErrOutOfMemory
// when the allocation fails or n is too large. The caller owns it.
func WithCapacity(n int) (*Buf, error) {
	return newSized(n, func(n C.size_t, out *C.iggy_buf) C.iggy_status {
		return C.iggy_buf_with_capacity(n, out)
	})
}

// newSized makes a buffer by call (a library constructor taking a size:
// iggy_buf_new_zeroed, iggy_buf_with_capacity) with n: ErrOutOfRange for n < 0, else
// the call's status or the new buffer.
func newSized(n int, call func(C.size_t, *C.iggy_buf) C.iggy_status) (*Buf, error) {
	if n < 0 {
		return nil, ErrOutOfRange
	}
	out := new(bufHandle)
	if st := call(C.size_t(n), &out.c); st != 0 {
		return nil, Status(st)
	}
	return newBuf(out), nil
}

// CopyFrom returns a buffer holding a copy of src: one allocation, one copy. An empty
// src gives a live buffer of length 0. The caller owns it.
func CopyFrom(src []byte) (*Buf, error) {
	out := new(bufHandle)
	if st := C.iggy_buf_copy_from(bytesPtr(src), C.size_t(len(src)), &out.c); st != 0 {
		return nil, Status(st)
	}
	return newBuf(out), nil
}

// IsEmpty reports whether b is an empty handle: nil, zero, closed or consumed (not
// whether Len is 0). No cgo call.
func (b *Buf) IsEmpty() bool { return b.live() == nil }

// parts returns the data pointer, length and capacity in one cgo call.
func (b *Buf) parts() (unsafe.Pointer, C.size_t, C.size_t) {
	h := b.live()
	if h == nil {
		return nil, 0, 0
	}
	p, n := handleWords(&h.c.opaque)
	c := C.iggy_buf_capacity(&h.c)
	runtime.KeepAlive(b)
	return p, n, c
}

// Bytes returns the initialised bytes [0, Len) in place, writable, without copying
// (nil when empty or of length 0). It is valid only while b is live and not grown:
// not after Close, SplitAt, Freeze, or a Reserve that may move the data; and it does
// not keep b reachable, so keep b (and its Close) after the last use of the slice.
// One cgo call.
func (b *Buf) Bytes() []byte {
	h := b.live()
	if h == nil {
		return nil
	}
	return bytesAt(handleWords(&h.c.opaque))
}

// SpareCapacity returns the bytes [Len, Capacity) in place, not initialised (nil when
// there are none): write into them, then call SetLen to make them part of the
// buffer. It is valid as long as a Bytes slice is. One cgo call.
func (b *Buf) SpareCapacity() []byte {
	p, n, c := b.parts()
	if p == nil || c == n {
		return nil
	}
	return bytesAt(unsafe.Add(p, n), c-n)
}

// Len returns the number of initialised bytes; 0 when empty. No cgo call.
func (b *Buf) Len() int { return len(b.Bytes()) }

// Capacity returns the number of bytes b holds without growing; 0 when empty. One
// cgo call.
func (b *Buf) Capacity() int {
	h := b.live()
	if h == nil {
		return 0
	}
	c := C.iggy_buf_capacity(&h.c)
	runtime.KeepAlive(b)
	return int(c)
}

// SetLen sets the length to n, growing over bytes written through SpareCapacity or
// shrinking. ErrOutOfRange unless 0 <= n <= Capacity; on error b is unchanged. No
// allocation.
func (b *Buf) SetLen(n int) error {
	return b.sized(n, func(c *C.iggy_buf, n C.size_t) C.iggy_status {
		return C.iggy_buf_set_len(c, n)
	})
}

// Reserve makes room for at least additional bytes after Len: nothing when the room
// is there, else one reallocation that may move the data, invalidating every slice
// from Bytes and SpareCapacity. ErrOutOfRange for additional < 0; ErrOutOfMemory,
// with b unchanged, when the total overflows or the allocation fails.
func (b *Buf) Reserve(additional int) error {
	return b.sized(additional, func(c *C.iggy_buf, n C.size_t) C.iggy_status {
		return C.iggy_buf_reserve(c, n)
	})
}

// sized runs call (a library call taking a size: iggy_buf_set_len, iggy_buf_reserve)
// on b's handle with n: ErrEmptyHandle when b is empty, ErrOutOfRange for n < 0,
// else the call's status.
func (b *Buf) sized(n int, call func(*C.iggy_buf, C.size_t) C.iggy_status) error {
	h := b.live()
	if h == nil {
		return ErrEmptyHandle
	}
	if n < 0 {
		return ErrOutOfRange
	}
	st := call(&h.c, C.size_t(n))
	runtime.KeepAlive(b)
	return statusErr(st)
}

// SplitAt splits b into a writable Prefix [0, at) and a Frozen tail [at, Len) that
// share b's allocation (count 2): no copy, no allocation (except for a buffer of
// capacity 0). On success b is consumed (empty); the caller owns both results, which
// may be closed in any order. ErrOutOfRange unless 0 <= at <= Len; on error b is
// unchanged.
func (b *Buf) SplitAt(at int) (*Prefix, *Frozen, error) {
	h := b.live()
	if h == nil {
		return nil, nil, ErrEmptyHandle
	}
	if at < 0 {
		return nil, nil, ErrOutOfRange
	}
	prefix, tail := new(prefixHandle), new(frozenHandle)
	if st := C.iggy_buf_split_at(&h.c, C.size_t(at), &prefix.c, &tail.c); st != 0 {
		runtime.KeepAlive(b)
		return nil, nil, Status(st)
	}
	b.consumed()
	return newPrefix(prefix), newFrozen(tail), nil
}

// Freeze turns b into a Frozen over [0, Len) (count 1, capacity kept): no copy, no
// allocation (except for a buffer of capacity 0). On success b is consumed (empty)
// and the caller owns the Frozen.
func (b *Buf) Freeze() (*Frozen, error) {
	h := b.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	out := new(frozenHandle)
	if st := C.iggy_buf_freeze(&h.c, &out.c); st != 0 {
		runtime.KeepAlive(b)
		return nil, Status(st)
	}
	b.consumed()
	return newFrozen(out), nil
}

// Close frees the buffer and leaves b empty. Closing an empty Buf does nothing, so
// Close is idempotent. It always returns nil (it implements io.Closer).
func (b *Buf) Close() error {
	h := b.live()
	if h == nil {
		return nil
	}
	C.iggy_buf_free(&h.c)
	b.consumed()
	return nil
}
