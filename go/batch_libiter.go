package iggyconsensus

// For the tests only: the library's own iterator (iggy_batch_iter_begin and
// iggy_batch_next), against which the tests check the pure-Go walk of
// Batch.Messages. Nothing here is called by the package, so the linker drops it from
// programs.

/*
#include "iggy_consensus.h"

// A message as offsets into the frame: no pointer reaches Go memory.
typedef struct iggy_go_message {
	uint64_t checksum;
	iggy_u128 id;
	uint64_t offset, timestamp;
	size_t payload_at, payload_len, user_headers_at, user_headers_len;
} iggy_go_message;

// Decodes frame and walks it with the library's iterator, all in one call, the
// iggy_batch and its iterator in C locals. Writes the first `cap` messages to `out`
// and their number to *n.
static iggy_status iggy_go_batch_walk(const uint8_t *frame, size_t len, iggy_go_message *out,
		size_t cap, size_t *n) {
	iggy_batch b;
	iggy_batch_iter it;
	iggy_batch_message m;
	*n = 0;
	iggy_status st = iggy_batch_decode(frame, len, &b, NULL);
	if (st != IGGY_OK) return st;
	iggy_batch_iter_begin(&b, &it);
	while (iggy_batch_next(&it, &m)) {
		if (*n < cap) {
			iggy_go_message *o = &out[*n];
			o->checksum = m.checksum;
			o->id = m.id;
			o->offset = m.offset;
			o->timestamp = m.timestamp;
			o->payload_at = (size_t)(m.payload - frame);
			o->payload_len = m.payload_len;
			o->user_headers_at = (size_t)(m.user_headers - frame);
			o->user_headers_len = m.user_headers_len;
		}
		++*n;
	}
	return IGGY_OK;
}
*/
import "C"

import "unsafe"

// libraryMessages decodes frame and returns its messages as the library's iterator
// yields them, as sub-slices of frame. One cgo call.
func libraryMessages(frame []byte) ([]BatchMessage, error) {
	msgs := make([]C.iggy_go_message, len(frame)/msgHeaderSize+1)
	var n C.size_t
	st := C.iggy_go_batch_walk(bytesPtr(frame), C.size_t(len(frame)),
		(*C.iggy_go_message)(unsafe.Pointer(unsafe.SliceData(msgs))), C.size_t(len(msgs)), &n)
	if st != 0 {
		return nil, Status(st)
	}
	out := make([]BatchMessage, min(int(n), len(msgs)))
	for i := range out {
		m := &msgs[i]
		p, pn := int(m.payload_at), int(m.payload_len)
		u, un := int(m.user_headers_at), int(m.user_headers_len)
		out[i] = BatchMessage{
			Checksum:    uint64(m.checksum),
			ID:          U128{Lo: uint64(m.id.lo), Hi: uint64(m.id.hi)},
			Offset:      uint64(m.offset),
			Timestamp:   uint64(m.timestamp),
			Payload:     frame[p : p+pn : p+pn],
			UserHeaders: frame[u : u+un : u+un],
		}
	}
	return out, nil
}
