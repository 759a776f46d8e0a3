package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_header_seal
#cgo nocallback iggy_header_seal
*/
import "C"

// Seal stamps into header[0:16] the checksum its command requires
// (iggy_header_seal): the frame seal (XXH3-64 of bytes [16, 256)) for the sealed
// commands (PrepareOk, Commit, StartViewChange, DoViewChange, StartView,
// RequestStartView, RequestPrepares and 20–29), the prepare identity for Prepare and
// RepairPrepare; ChecksumBody is never written, and a command that carries no
// checksum changes nothing. Only the first HeaderSize bytes are read; any alignment is
// accepted. Seal last, after every other write to the header.
//
// ErrOutOfRange when len(header) < HeaderSize, ErrInvalidBitPattern for an undefined
// command byte; on error header is unchanged. One cgo call, no allocation. header may
// be Go memory or the Bytes of a Buf or Prefix; it needs exclusive use.
func Seal(header []byte) error {
	return statusErr(C.iggy_header_seal(bytesPtr(header), C.size_t(len(header))))
}
