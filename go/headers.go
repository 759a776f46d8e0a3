package iggyconsensus

import "unsafe"

// ViewHeader returns b's first HeaderSize bytes as a header view of type H, in place:
// no copy, no allocation, no cgo call. Writes through the view change b.
//
// b must be at least HeaderSize bytes long (else ErrOutOfRange) and 8-byte aligned
// (else ErrInvalidArgument). The Bytes of a Buf, of a Prefix and of a Frozen that
// starts at its allocation (from Freeze or Coalesce) are 4096-aligned; a tail or a
// Slice starts wherever it was cut. Go memory has no such guarantee (the compiler may
// place a []byte that does not escape on the stack at any address): to build a header
// in Go memory, declare the header struct and use HeaderBytes.
//
// The view is only as valid as b: for b from a Bytes method, while that handle is live
// and, for a Buf, not grown. The views read the little-endian wire format in host
// order, so, like the C views, they are correct on little-endian hosts only.
//
// ViewHeader itself is safe for concurrent use; the view follows b's rules (read-only
// over the Bytes of a Frozen).
func ViewHeader[H Header](b []byte) (*H, error) {
	if len(b) < HeaderSize {
		return nil, ErrOutOfRange
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	if uintptr(p)%unsafe.Alignof(U128{}) != 0 {
		return nil, ErrInvalidArgument
	}
	return (*H)(p), nil
}

// HeaderBytes returns the HeaderSize bytes of the header h in place, without copying:
// the wire form of a header built in Go memory, for Seal, ValidateFrame or CopyFrom.
// Writes through either change both. No allocation, no cgo call.
func HeaderBytes[H Header](h *H) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(h)), HeaderSize)
}
