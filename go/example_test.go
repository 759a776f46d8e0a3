package iggyconsensus_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"sync"

	ic "github.com/iggy-consensus/libiggy_consensus/go"
)

// The primary's message path, without copying the body (examples-c/buffers.c): build
// a Request, split its header from its body, rewrite the header into a Prepare in
// place and seal it, coalesce header and body into one frozen frame, and fan it out
// to replica goroutines by Clone.
func Example() {
	body := []byte("one SendMessages batch would go here")
	size := ic.HeaderSize + len(body)

	// 1. A client's Request, header then body, in one 4096-aligned buffer.
	request, err := ic.WithCapacity(size)
	if err != nil {
		log.Fatal(err)
	}
	defer request.Close() // a no-op once SplitAt has consumed it
	spare := request.SpareCapacity()
	clear(spare[:ic.HeaderSize])
	req, err := ic.ViewHeader[ic.RequestHeader](spare)
	if err != nil {
		log.Fatal(err)
	}
	req.Size = uint32(size)
	req.Command = ic.CommandRequest
	req.Client = ic.U128{Lo: 0xc11e47}
	req.Session = 1
	req.Request = 7
	req.Operation = ic.OperationSendMessages
	copy(spare[ic.HeaderSize:], body)
	if err := request.SetLen(size); err != nil {
		log.Fatal(err)
	}
	fmt.Println("request:", request.Len(), "bytes, valid:", ic.ValidateInbound(request.Bytes()) == nil)

	// 2. Split: zero-copy, the header and the body share one allocation.
	header, tail, err := request.SplitAt(ic.HeaderSize)
	if err != nil {
		log.Fatal(err)
	}
	defer header.Close()
	defer tail.Close()
	bodyAt := &tail.Bytes()[0]
	fmt.Println("split:", header.Len(), "+", tail.Len(), "bytes, same allocation:", header.Aliases(tail))

	// 3. Rewrite the header into a Prepare in place, then seal it, last.
	r := *must(ic.ViewHeader[ic.RequestHeader](header.Bytes())) // a copy of the request header
	clear(header.Bytes())
	prepare := must(ic.ViewHeader[ic.PrepareHeader](header.Bytes()))
	prepare.Size = r.Size
	prepare.Command = ic.CommandPrepare
	prepare.View = 1
	prepare.Client = r.Client
	prepare.Request = r.Request
	prepare.Operation = r.Operation
	prepare.Op = 42
	prepare.Commit = 41
	prepare.Group = 1
	if err := ic.Seal(header.Bytes()); err != nil {
		log.Fatal(err)
	}

	// 4. Coalesce: both halves consumed, no allocation, the body not copied.
	frame, err := header.Coalesce(tail)
	if err != nil {
		log.Fatal(err)
	}
	defer frame.Close()
	fmt.Println("prepare:", frame.Len(), "bytes, body not copied:", &frame.Bytes()[ic.HeaderSize] == bodyAt)

	// 5. Fan out: one Clone (one atomic add) per replica goroutine, which closes it.
	verdicts := make([]error, 4)
	var wg sync.WaitGroup
	for i := range verdicts {
		clone, err := frame.Clone()
		if err != nil {
			log.Fatal(err)
		}
		wg.Go(func() {
			defer clone.Close()
			verdicts[i] = ic.ValidateInbound(clone.Bytes())
		})
	}
	wg.Wait()
	for i, err := range verdicts {
		fmt.Printf("replica %d: %v\n", i+1, ic.StatusOf(err))
	}
	// Output:
	// request: 292 bytes, valid: true
	// split: 256 + 36 bytes, same allocation: true
	// prepare: 292 bytes, body not copied: true
	// replica 1: ok
	// replica 2: ok
	// replica 3: ok
	// replica 4: ok
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}

// commitFrame builds a sealed, header-only Commit in Go memory.
func commitFrame(commit uint64) []byte {
	h := &ic.CommitHeader{Size: ic.HeaderSize, Command: ic.CommandCommit, View: 3, Commit: commit,
		CheckpointOp: commit - 1, Group: 1}
	frame := ic.HeaderBytes(h)
	if err := ic.Seal(frame); err != nil {
		log.Fatal(err)
	}
	return frame
}

// Sealing stamps the checksum the command requires; validation then catches any bit
// that changes afterwards. Here the header is built in Go memory.
func ExampleSeal() {
	var h ic.CommitHeader
	h.Size = ic.HeaderSize
	h.Command = ic.CommandCommit
	h.View = 3
	h.Commit = 41
	h.CheckpointOp = 40
	h.Group = 1
	frame := ic.HeaderBytes(&h) // h's bytes, in place
	if err := ic.Seal(frame); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("checksum: %016x%016x\n", h.Checksum.Hi, h.Checksum.Lo)
	fmt.Println("valid:", ic.ValidateInbound(frame) == nil)

	h.Commit ^= 1 << 4 // one bit changes in flight
	err := ic.ValidateInbound(frame)
	var ve *ic.ValidationError
	fmt.Println("flipped bit caught:", errors.Is(err, ic.ErrFrameChecksumMismatch), errors.As(err, &ve) && ve.Command == ic.CommandCommit)
	// Output:
	// checksum: 0000000000000000b69b8cdb4df124e3
	// valid: true
	// flipped bit caught: true true
}

// ValidateFrames validates many frames in one cgo call; each entry is nil or a
// *ValidationError.
func ExampleValidateFrames() {
	good := commitFrame(41)
	flipped := bytes.Clone(good)
	flipped[200] ^= 1
	errs := ic.ValidateFrames([][]byte{good, flipped, good[:100]})
	for i, err := range errs {
		fmt.Printf("frame %d: %v\n", i, err)
	}
	var ve *ic.ValidationError
	if errors.As(errs[1], &ve) && ve.Status == ic.ErrFrameChecksumMismatch {
		fmt.Printf("frame 1: computed %#x, stored %#x\n", ve.Expected, ve.Found)
	}
	// Output:
	// frame 0: <nil>
	// frame 1: header checksum does not cover the frame (command Commit, expected 2149089741815008010, found 13158265609826411747)
	// frame 2: invalid command: frame is shorter than the 256-byte header (command Commit, expected 256, found 100)
	// frame 1: computed 0x1dd319bbdb51cb0a, stored 0xb69b8cdb4df124e3
}

// ValidateFramesPacked validates frames that already lie in one buffer, such as a
// read from a socket, without copying them.
func ExampleValidateFramesPacked() {
	packed := append(commitFrame(1), commitFrame(2)...)
	packed[ic.HeaderSize+60] = 200 // the second frame's command byte
	errs := ic.ValidateFramesPacked(packed, []int{0, ic.HeaderSize, 500}, []int{ic.HeaderSize, ic.HeaderSize, 100})
	for i, err := range errs {
		fmt.Printf("frame %d: %v\n", i, ic.StatusOf(err))
	}
	// Output:
	// frame 0: ok
	// frame 1: invalid bit pattern in header (enum discriminant out of range)
	// frame 2: index, range or length out of range
}

// Coalesce is refused, with both halves intact, while another share of the tail is
// alive; it succeeds once that share is closed.
func ExamplePrefix_Coalesce() {
	buf := must(ic.CopyFrom([]byte("hello world")))
	head, tail, err := buf.SplitAt(5)
	if err != nil {
		log.Fatal(err)
	}
	clone := must(tail.Clone())
	_, err = head.Coalesce(tail)
	fmt.Println("with a clone alive:", errors.Is(err, ic.ErrCoalesceRefused), string(head.Bytes()), string(tail.Bytes()))

	clone.Close()
	whole := must(head.Coalesce(tail))
	defer whole.Close()
	fmt.Printf("after closing it: %q, halves consumed: %v %v\n", whole.Bytes(), head.IsEmpty(), tail.IsEmpty())
	// Output:
	// with a clone alive: true hello  world
	// after closing it: "hello world", halves consumed: true true
}

// A SendMessages batch: the producer encodes it after a 256-byte header (a Prepare's
// here, as DecodeBatch wants), the replica decodes it, every checksum verified by the
// library, and ranges over its messages without copying them.
func ExampleDecodeBatch() {
	buf := must(ic.NewZeroed(ic.HeaderSize)) // the header, filled once the body is in
	defer buf.Close()
	err := ic.EncodeBatch(buf, 7, 100, 0, 1000, []ic.BatchInput{
		{ID: ic.U128{Lo: 1}, Payload: []byte("hello")},
		{ID: ic.U128{Lo: 2}, OffsetDelta: 1, TimestampDelta: 5, Payload: []byte("world"), UserHeaders: []byte{1, 2, 3}},
	})
	if err != nil {
		log.Fatal(err)
	}
	prepare := must(ic.ViewHeader[ic.PrepareHeader](buf.Bytes())) // after EncodeBatch: it may move the bytes
	prepare.Size = uint32(buf.Len())
	prepare.Command = ic.CommandPrepare
	prepare.Operation = ic.OperationSendMessages

	batch, err := ic.DecodeBatch(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("partition %d: %d messages, a %d-byte blob\n", batch.PartitionID, batch.MessageCount, len(batch.Blob))
	for m := range batch.Messages() {
		fmt.Printf("id %d, offset %d, timestamp %d: %q, user headers [% x]\n", m.ID.Lo, m.Offset, m.Timestamp, m.Payload, m.UserHeaders)
	}

	buf.Bytes()[2*ic.HeaderSize+48] ^= 1 // one bit of the first payload
	_, err = ic.DecodeBatch(buf.Bytes())
	fmt.Println("flipped bit caught:", errors.Is(err, ic.ErrBatchMessageChecksum))
	// Output:
	// partition 7: 2 messages, a 109-byte blob
	// id 1, offset 100, timestamp 1000: "hello", user headers []
	// id 2, offset 101, timestamp 1005: "world", user headers [01 02 03]
	// flipped bit caught: true
}
