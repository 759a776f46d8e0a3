package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_frame_describe
#cgo nocallback iggy_frame_describe
*/
import "C"

import "unsafe"

// describeStack is the line length Describe formats on the stack; a longer line costs
// a second cgo call into a buffer of its exact size.
const describeStack = 512

// Describe returns one line describing frame's header, for a log (iggy_frame_describe):
// the command name, the size, the header type's own fields by their wire names (enum
// bytes by name, numbers in decimal), then the verdict of ValidateFrame: ": ok", or
// ": " + the Status's Name + " (" + the reason + ")". For example
//
//	Commit size=256 view=3 replica=1 commit_checksum=0 ... commit=41 ...: ok
//
// A frame shorter than the header is described as such; any bytes, any alignment, any
// length (nil included) are accepted, and frame is only read. Safe for concurrent use.
//
// Cost: one cgo call into a stack buffer and one allocation, the returned string;
// a line longer than 512 bytes costs a second call into a buffer of its exact size,
// which becomes the string (still one allocation).
func Describe(frame []byte) string {
	var stack [describeStack]byte
	return describe(frame, stack[:])
}

// describe is Describe with a first buffer of any length (the tests give a short one).
func describe(frame, first []byte) string {
	p, n := bytesPtr(frame), C.size_t(len(frame))
	length := int(C.iggy_frame_describe(p, n, (*C.char)(unsafe.Pointer(unsafe.SliceData(first))), C.size_t(len(first))))
	if length < len(first) {
		return string(first[:length])
	}
	exact := make([]byte, length+1) // and the NUL
	length = int(C.iggy_frame_describe(p, n, (*C.char)(unsafe.Pointer(&exact[0])), C.size_t(len(exact))))
	return unsafe.String(&exact[0], min(length, len(exact)-1))
}
