package iggyconsensus

/*
#include "iggy_consensus.h"

#cgo noescape iggy_go_batch_decode
#cgo nocallback iggy_go_batch_decode
#cgo noescape iggy_batch_encode
#cgo nocallback iggy_batch_encode

// The fields of a decoded iggy_batch without its blob pointer, so that no pointer is
// written into Go memory: Go slices the blob out of the frame itself (frame + 512).
typedef struct iggy_go_batch {
	uint64_t partition_id, base_offset, base_timestamp, origin_timestamp;
	uint64_t batch_length, batch_checksum;
	uint64_t blob_len;
	uint32_t message_count;
} iggy_go_batch;

// iggy_batch_decode into a C local: the iggy_batch, which points into the frame,
// never leaves this call.
static inline iggy_status iggy_go_batch_decode(const uint8_t *frame, size_t len,
		iggy_go_batch *out, iggy_validation_detail *detail) {
	iggy_batch b;
	iggy_status st = iggy_batch_decode(frame, len, &b, detail);
	if (st == IGGY_OK) {
		out->partition_id = b.partition_id;
		out->base_offset = b.base_offset;
		out->base_timestamp = b.base_timestamp;
		out->origin_timestamp = b.origin_timestamp;
		out->batch_length = b.batch_length;
		out->batch_checksum = b.batch_checksum;
		out->blob_len = b.blob_len;
		out->message_count = b.message_count;
	}
	return st;
}
*/
import "C"

import (
	"encoding/binary"
	"iter"
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// The layout of a SendMessages Prepare (docs/protocol.md, "Batch layout"): the Prepare header, the
// batch header, then the blob of message frames, each a 48-byte header, the payload
// and the user headers.
const (
	blobStart = 2 * HeaderSize // the blob starts after the two 256-byte headers

	msgHeaderSize     = 48 // then the payload, then the user headers
	msgChecksum       = 0  // u64
	msgID             = 8  // u128
	msgOffsetDelta    = 24 // u32
	msgTimestampDelta = 28 // u32
	msgUserHeadersLen = 32 // u32
	msgPayloadLen     = 36 // u32
	msgReserved       = 40 // u64, 0
)

// Batch is a decoded SendMessages batch (C iggy_batch): the fields of the batch header
// and the blob of message frames, in place in the frame it was decoded from.
//
// Its slices, and those of its messages, point into that frame: they are valid as
// long as the frame is (for the Bytes of a Buf or Frozen, while that handle is live
// and, for a Buf, not grown) and they must not be written through. A Batch is a plain
// value: it may be copied, and read from many goroutines at once.
type Batch struct {
	// PartitionID is stamped by the server at ingestion (a producer sends 0).
	PartitionID uint64
	// BaseOffset is stamped at persistence; message offsets are relative to it.
	BaseOffset uint64
	// BaseTimestamp is stamped at persistence.
	BaseTimestamp uint64
	// OriginTimestamp is the producer's clock (µs); message timestamps are relative
	// to it.
	OriginTimestamp uint64
	// BatchLength is 256 + len(Blob).
	BatchLength uint64
	// BatchChecksum is the stored batch checksum, verified by DecodeBatch.
	BatchChecksum uint64
	// MessageCount is the number of messages: exactly the frames of Blob.
	MessageCount uint32
	// Blob is the message frames, frame[512 : 512+len(Blob)], in place (its capacity
	// ends with it).
	Blob []byte
}

// BatchMessage is one message of a Batch (C iggy_batch_message). Payload and
// UserHeaders are sub-slices of the frame, in place: read-only, valid as long as the
// frame is, each with its capacity ending at its length (an append copies).
type BatchMessage struct {
	// Checksum is the stored message checksum, verified by DecodeBatch.
	Checksum uint64
	// ID is the message id.
	ID U128
	// Offset is BaseOffset + the message's offset delta, saturating at MaxUint64.
	Offset uint64
	// Timestamp is OriginTimestamp + the message's timestamp delta (µs), saturating.
	Timestamp uint64
	// Payload is the message's payload (it comes first in the frame).
	Payload []byte
	// UserHeaders is the message's user-header block (after the payload).
	UserHeaders []byte
}

// DecodeBatch decodes the SendMessages batch of a whole Prepare frame
// (iggy_batch_decode): rules B1–B11 (docs/protocol.md, "Batch rules") in order, every message checksum
// and the batch checksum included. There is no command check and no header
// validation (B2 checks the command and operation bytes are defined, nothing more): a
// replica validates the frame first (ValidateInbound) and decodes it after. Bytes
// after size are ignored; any alignment is accepted.
//
// On success the Batch's Blob is frame[512 : 512+BatchLength-256], a sub-slice of frame
// computed in Go: no copy, and no pointer from C is kept (a C wrapper decodes into an
// iggy_batch on the C stack and returns its fields without the blob pointer: C never
// stores a pointer into the frame in Go memory, which the cgo rules allow only for
// pinned memory). Otherwise the error is a
// *ValidationError whose Status is the first rule that failed (ErrBatchShortFrame ...
// ErrBatchChecksum, matched by errors.Is); for ErrBatchMessageChecksum and
// ErrBatchChecksum its Expected is the computed checksum and Found the stored one.
// An empty or nil frame is ErrBatchShortFrame.
//
// One cgo call, which hashes every message once; one allocation (the Batch). frame is
// only read; safe for concurrent use.
func DecodeBatch(frame []byte) (*Batch, error) {
	var out C.iggy_go_batch
	var d C.iggy_validation_detail
	if C.iggy_go_batch_decode(bytesPtr(frame), C.size_t(len(frame)), &out, &d) != 0 {
		return nil, detailErr(&d)
	}
	end := blobStart + int(out.blob_len) // <= size <= len(frame): the library checked
	return &Batch{
		PartitionID:     uint64(out.partition_id),
		BaseOffset:      uint64(out.base_offset),
		BaseTimestamp:   uint64(out.base_timestamp),
		OriginTimestamp: uint64(out.origin_timestamp),
		BatchLength:     uint64(out.batch_length),
		BatchChecksum:   uint64(out.batch_checksum),
		MessageCount:    uint32(out.message_count),
		Blob:            frame[blobStart:end:end],
	}, nil
}

// Messages returns an iterator over b's messages, in order, for a range-over-func
// loop:
//
//	for m := range batch.Messages() {
//		process(m.Offset, m.Payload)
//	}
//
// It walks the blob in Go, without cgo calls or allocations: DecodeBatch has already
// validated it through the library (checksums and tiling), so what is left is reading
// the 48-byte frame headers, as iggy_batch_next does. The walk is the library's
// (docs/protocol.md, "Frame walk"): it stops early, silently, where a frame does not fit the blob or
// has non-zero reserved bytes, which never happens on a decoded batch whose frame is
// unchanged; All reports it. The iterator reads b's fields when the loop starts; it
// may be used any number of times, from any goroutines. A nil b yields nothing.
//
// Why not the library's iterator (iggy_batch_iter_begin, iggy_batch_next): it costs a
// cgo call per message, and its state, an iggy_batch and an iterator that points to
// it, holds a pointer into the frame between calls. For a frame in Go memory that is
// legal only with the frame pinned, and every message it returns would have C write
// pointers into Go memory. The tests check this walk against the library's iterator,
// message by message, on every vector and on random batches.
func (b *Batch) Messages() iter.Seq[BatchMessage] {
	return func(yield func(BatchMessage) bool) {
		if b == nil {
			return
		}
		blob, base, origin := b.Blob, b.BaseOffset, b.OriginTimestamp
		for pos := 0; ; {
			m, next, ok := nextMessage(blob, pos, base, origin)
			if !ok || !yield(m) {
				return
			}
			pos = next
		}
	}
}

// All returns b's messages in a new slice (one allocation; the payloads are not
// copied). ErrBatchFramesDoNotTile when the frames no longer tile the blob in
// MessageCount frames, which means the frame changed after DecodeBatch (or b was not
// decoded). A nil b has no messages.
func (b *Batch) All() ([]BatchMessage, error) {
	if b == nil {
		return nil, nil
	}
	// MessageCount frames of at least 48 bytes each: never trust a count the blob
	// cannot hold for the allocation.
	out := make([]BatchMessage, 0, min(uint64(b.MessageCount), uint64(len(b.Blob)/msgHeaderSize)))
	pos := 0
	for {
		m, next, ok := nextMessage(b.Blob, pos, b.BaseOffset, b.OriginTimestamp)
		if !ok {
			break
		}
		out = append(out, m)
		pos = next
	}
	if pos != len(b.Blob) || uint64(len(out)) != uint64(b.MessageCount) {
		return nil, ErrBatchFramesDoNotTile
	}
	return out, nil
}

// nextMessage reads the message frame at pos in blob and returns it with the position
// after it; ok is false where the frame walk (docs/protocol.md, "Frame walk") stops: fewer than 48
// bytes left, non-zero reserved bytes, or a frame running past the blob.
func nextMessage(blob []byte, pos int, baseOffset, originTimestamp uint64) (m BatchMessage, next int, ok bool) {
	if pos < 0 || pos > len(blob) || len(blob)-pos < msgHeaderSize {
		return m, pos, false
	}
	h := blob[pos : pos+msgHeaderSize]
	le := binary.LittleEndian
	if le.Uint64(h[msgReserved:]) != 0 {
		return m, pos, false
	}
	payloadLen := uint64(le.Uint32(h[msgPayloadLen:]))
	userLen := uint64(le.Uint32(h[msgUserHeadersLen:]))
	room := uint64(len(blob) - pos - msgHeaderSize)
	if payloadLen > room || userLen > room-payloadLen {
		return m, pos, false
	}
	start := pos + msgHeaderSize
	mid := start + int(payloadLen)
	end := mid + int(userLen)
	return BatchMessage{
		Checksum:    le.Uint64(h[msgChecksum:]),
		ID:          U128{Lo: le.Uint64(h[msgID:]), Hi: le.Uint64(h[msgID+8:])},
		Offset:      saturatingAdd(baseOffset, le.Uint32(h[msgOffsetDelta:])),
		Timestamp:   saturatingAdd(originTimestamp, le.Uint32(h[msgTimestampDelta:])),
		Payload:     blob[start:mid:mid],
		UserHeaders: blob[mid:end:end],
	}, end, true
}

func saturatingAdd(base uint64, delta uint32) uint64 {
	if s := base + uint64(delta); s >= base {
		return s
	}
	return math.MaxUint64
}

// BatchInput is one message to encode (C iggy_batch_input). Payload and UserHeaders
// may be empty or nil; each is at most 2^32 - 1 bytes.
type BatchInput struct {
	// ID is the message id.
	ID U128
	// OffsetDelta is the offset relative to the batch's base offset.
	OffsetDelta uint32
	// TimestampDelta is the timestamp in µs relative to the batch's origin timestamp.
	TimestampDelta uint32
	// Payload is the message's payload.
	Payload []byte
	// UserHeaders is the message's user-header block.
	UserHeaders []byte
}

// encodeScratch is the reusable memory of one EncodeBatch call: the C array of inputs
// (Go memory in C layout) and the Pinner of the payloads it points to.
type encodeScratch struct {
	inputs []C.iggy_batch_input
	pinner runtime.Pinner
	last   *byte // the block pinned last
}

var encodeScratches = sync.Pool{New: func() any { return new(encodeScratch) }}

// EncodeBatch appends a SendMessages batch body for messages to out
// (iggy_batch_encode): the 256-byte batch header, then one frame per message, with
// every message checksum and the batch checksum computed by the library. The caller
// writes the Prepare (or Request) header in front, usually already in out: encode
// into a buffer holding the 256 header bytes, then set size to out.Len() and fill the
// header. The payloads are copied once, into out; out grows by at most one
// reallocation, which may move its bytes (slices from Bytes are then stale).
//
// ErrEmptyHandle when out is empty; ErrOutOfMemory when a payload or user-header block
// exceeds 2^32 - 1 bytes, the total cannot be represented or the allocation fails. On
// error out is unchanged. out needs exclusive use; messages are only read. A payload
// or user-header block that lies in out's own capacity (growing out would free it) is
// ErrInvalidArgument: copy it out first.
//
// The cgo pointer rules: the C function takes an array of iggy_batch_input structs
// that point to the payloads. EncodeBatch builds that array in Go memory (a pooled
// []C.iggy_batch_input, so no C allocation and no copy of the payloads) and pins
// every payload and user-header block it points to with a runtime.Pinner for the
// duration of the call: Go memory passed to C may contain Go pointers to pinned
// memory (go doc cmd/cgo, "Passing pointers"; checked at run time by the default
// cgocheck and fully by GOEXPERIMENT=cgocheck2). The pins are released, and the array
// cleared, before EncodeBatch returns; the library keeps no pointer. A pin costs a
// few tens of nanoseconds; a block that starts where the previous one did (one
// payload shared by every message) is pinned once, and blocks in library memory (the
// Bytes of a Buf or Frozen) need no pin.
func EncodeBatch(out *Buf, partitionID, baseOffset, baseTimestamp, originTimestamp uint64, messages []BatchInput) error {
	h := out.live()
	if h == nil {
		return ErrEmptyHandle
	}
	s := encodeScratches.Get().(*encodeScratch)
	if cap(s.inputs) < len(messages) {
		s.inputs = make([]C.iggy_batch_input, len(messages))
	}
	inputs := s.inputs[:len(messages)]
	for i := range messages {
		m := &messages[i]
		in := &inputs[i]
		in.id = C.iggy_u128{lo: C.uint64_t(m.ID.Lo), hi: C.uint64_t(m.ID.Hi)}
		in.offset_delta = C.uint32_t(m.OffsetDelta)
		in.timestamp_delta = C.uint32_t(m.TimestampDelta)
		in.payload, in.payload_len = s.pin(m.Payload)
		in.user_headers, in.user_headers_len = s.pin(m.UserHeaders)
	}
	var first *C.iggy_batch_input
	if len(inputs) > 0 {
		first = &inputs[0]
	}
	st := C.iggy_batch_encode(C.uint64_t(partitionID), C.uint64_t(baseOffset),
		C.uint64_t(baseTimestamp), C.uint64_t(originTimestamp), first, C.size_t(len(inputs)), &h.c)
	runtime.KeepAlive(out)
	s.pinner.Unpin()
	s.last = nil
	// No Go pointer stays in the pooled array, and no huge array in the pool.
	clear(inputs)
	if cap(s.inputs) <= 1<<16 {
		encodeScratches.Put(s)
	}
	return statusErr(st)
}

// pin pins the memory of b (a no-op for library memory) and returns its C view.
func (s *encodeScratch) pin(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	p := unsafe.SliceData(b)
	if p != s.last {
		s.pinner.Pin(p)
		s.last = p
	}
	return (*C.uint8_t)(unsafe.Pointer(p)), C.size_t(len(b))
}
