package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_prefix_copy_from
#cgo nocallback iggy_prefix_copy_from
#cgo noescape iggy_prefix_freeze
#cgo nocallback iggy_prefix_freeze
#cgo noescape iggy_prefix_aliases
#cgo nocallback iggy_prefix_aliases
#cgo noescape iggy_prefix_can_coalesce
#cgo nocallback iggy_prefix_can_coalesce
#cgo noescape iggy_prefix_coalesce
#cgo nocallback iggy_prefix_coalesce
#cgo noescape iggy_prefix_free
#cgo nocallback iggy_prefix_free
*/
import "C"

import "runtime"

// Prefix is the unique, writable head of a split (iggy_prefix): the first bytes of an
// allocation whose tail is a Frozen (Buf.SplitAt), or a copy in its own allocation
// (Frozen.SplitAt, PrefixCopyFrom). Writes through Bytes never touch bytes any other
// handle sees. It owns one share of its allocation.
//
// Close a Prefix once it is no longer needed; Close is idempotent. Freeze
// and a successful Coalesce consume it (it becomes empty: Close is a no-op, other
// methods return ErrEmptyHandle). If a live Prefix becomes unreachable, a runtime
// cleanup frees its share, as a safety net only.
//
// Threads: a Prefix is used by one goroutine at a time (writing through Bytes, Freeze,
// Coalesce and Close need it exclusively); Len, IsEmpty, Aliases and CanCoalesce only
// read it. It may move between goroutines, and its tail may be used concurrently on
// another one.
//
// The zero Prefix and a nil *Prefix are empty. Do not copy a Prefix value (go vet
// reports it).
type Prefix struct {
	_       noCopy
	h       *prefixHandle
	cleanup runtime.Cleanup
}

// prefixHandle holds the C handle in Go memory; see frozenHandle.
type prefixHandle struct{ c C.iggy_prefix }

func freePrefix(h *prefixHandle) { C.iggy_prefix_free(&h.c) }

func newPrefix(h *prefixHandle) *Prefix {
	p := &Prefix{h: h}
	p.cleanup = runtime.AddCleanup(p, freePrefix, h)
	return p
}

// live returns p's handle, or nil when p is nil, zero, closed or consumed.
func (p *Prefix) live() *prefixHandle {
	if p == nil || p.h == nil || p.h.c == (C.iggy_prefix{}) {
		return nil
	}
	return p.h
}

func (p *Prefix) consumed() {
	p.cleanup.Stop()
	runtime.KeepAlive(p)
}

// PrefixCopyFrom returns a Prefix holding a copy of src in its own 4096-aligned
// allocation with its own count (one allocation, one copy). An empty src gives a live
// Prefix of length 0, which coalesces with any fresh Frozen. The caller owns it.
func PrefixCopyFrom(src []byte) (*Prefix, error) {
	out := new(prefixHandle)
	st := C.iggy_prefix_copy_from(bytesPtr(src), C.size_t(len(src)), &out.c)
	if st != 0 {
		return nil, Status(st)
	}
	return newPrefix(out), nil
}

// IsEmpty reports whether p is an empty handle: nil, zero, closed or consumed (not
// whether Len is 0). No cgo call.
func (p *Prefix) IsEmpty() bool { return p.live() == nil }

// Bytes returns the prefix's bytes in place, writable, without copying (nil when empty
// or of length 0). It is valid only while p is live: not after Close, Freeze or
// Coalesce, and it does not keep p reachable, so keep p (and its Close) after the
// last use of the slice. No cgo call: it reads the handle's words.
func (p *Prefix) Bytes() []byte {
	h := p.live()
	if h == nil {
		return nil
	}
	return bytesAt(handleWords(&h.c.opaque))
}

// Len returns the prefix's length; 0 when empty. No cgo call.
func (p *Prefix) Len() int { return len(p.Bytes()) }

// Freeze turns p into a Frozen over the same bytes: the share moves over, no copy, no
// atomic. On success p is consumed (empty) and the caller owns the Frozen.
func (p *Prefix) Freeze() (*Frozen, error) {
	h := p.live()
	if h == nil {
		return nil, ErrEmptyHandle
	}
	out := new(frozenHandle)
	if st := C.iggy_prefix_freeze(&h.c, &out.c); st != 0 {
		runtime.KeepAlive(p)
		return nil, Status(st)
	}
	p.consumed()
	return newFrozen(out), nil
}

// Aliases reports whether p and tail share one allocation (they came from one
// Buf.SplitAt). False when either is empty. No atomic; tail is only read.
func (p *Prefix) Aliases(tail *Frozen) bool {
	ph, th := p.live(), tail.live()
	if ph == nil || th == nil {
		return false
	}
	ok := C.iggy_prefix_aliases(&ph.c, &th.c)
	runtime.KeepAlive(p)
	runtime.KeepAlive(tail)
	return bool(ok)
}

// CanCoalesce reports whether p.Coalesce(tail) would succeed now: same allocation and
// no other share of the tail alive, or different allocations, tail unshared and
// starting p.Len bytes into its allocation. False when either is empty. One atomic
// load; tail is only read. Another goroutine releasing a clone of tail may change the
// answer at any time.
func (p *Prefix) CanCoalesce(tail *Frozen) bool {
	ph, th := p.live(), tail.live()
	if ph == nil || th == nil {
		return false
	}
	if th.refs.Load() > 1 { // tail's Clones share its library handle: tail is shared
		return false
	}
	ok := C.iggy_prefix_can_coalesce(&ph.c, &th.c)
	runtime.KeepAlive(p)
	runtime.KeepAlive(tail)
	return bool(ok)
}

// Coalesce reunites p and its tail into one Frozen over the whole original allocation,
// [0, its length when first shared), even if the tail was narrowed with Slice (the
// reference's quirk, kept on purpose). No allocation; no copy when they share an
// allocation, else p's bytes are copied over the head of the tail's allocation. On
// success both p and tail are consumed (empty) and the caller owns the result. On
// ErrCoalesceRefused both are unchanged and still the caller's. Needs p and tail
// exclusively.
func (p *Prefix) Coalesce(tail *Frozen) (*Frozen, error) {
	ph := p.live()
	if ph == nil || tail.live() == nil {
		return nil, ErrEmptyHandle
	}
	th := tail.live()
	if th.refs.Load() > 1 { // tail's Clones share its library handle: tail is shared
		return nil, ErrCoalesceRefused
	}
	out := new(frozenHandle)
	st := C.iggy_prefix_coalesce(&ph.c, &th.c, &out.c)
	if st != 0 {
		runtime.KeepAlive(p)
		runtime.KeepAlive(tail)
		return nil, Status(st)
	}
	p.consumed()
	tail.consumed()
	return newFrozen(out), nil
}

// Close frees p's share (one atomic subtract; the last share frees the allocation)
// and leaves p empty. Closing an empty Prefix does nothing. It always returns nil (it
// implements io.Closer).
func (p *Prefix) Close() error {
	h := p.live()
	if h == nil {
		return nil
	}
	C.iggy_prefix_free(&h.c)
	p.consumed()
	return nil
}
