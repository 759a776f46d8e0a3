package iggyconsensus

/*
#include "iggy_consensus.h"
*/
import "C"

import "unsafe"

// noCopy makes go vet's copylocks check report copies of the handle types: a copied
// Buf, Prefix or Frozen would be a second owner of one C handle.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// handleWords reads the data pointer and the length of a live buffer handle (iggy_buf,
// iggy_prefix, iggy_frozen) in place, without a cgo call: the header's inline
// accessors read the same words, IGGY_HANDLE_DATA_WORD and IGGY_HANDLE_LEN_WORD, an ABI
// promise of the library (asserted in its Rust tests and the header's static asserts).
// The pointer word is read as a pointer, so no integer becomes a pointer.
func handleWords(opaque *[4]C.uintptr_t) (unsafe.Pointer, C.size_t) {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&opaque[C.IGGY_HANDLE_DATA_WORD]))
	return p, C.size_t(opaque[C.IGGY_HANDLE_LEN_WORD])
}

// bytesAt is the Go slice over n bytes of library memory at p; nil for n == 0, so that
// the dangling pointer of an empty buffer never reaches Go.
func bytesAt(p unsafe.Pointer, n C.size_t) []byte {
	if n == 0 || p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(p), int(n))
}

// bytesPtr is the C view of a Go byte slice for the duration of one call: NULL for
// an empty slice, which the library reads as the empty slice (NULL, 0). Passing it is
// allowed by the cgo rules: the bytes contain no Go pointer, and C keeps no copy.
func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}
