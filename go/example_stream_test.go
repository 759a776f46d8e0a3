package iggyconsensus_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"

	ic "github.com/iggy-consensus/libiggy_consensus/go"
)

// A FrameReader over any io.Reader (here the bytes a socket might deliver: three
// Commits, then half of a fourth): frames in order, each in a 4096-aligned Buf of its
// own, then the end of the stream. A stream that stops inside a frame is an error
// matching ErrTruncated; a clean end is io.EOF.
func ExampleFrameReader() {
	var stream []byte
	for commit := uint64(1); commit <= 4; commit++ {
		stream = append(stream, commitFrame(commit)...)
	}
	stream = stream[:len(stream)-ic.HeaderSize/2]

	r, err := ic.NewFrameReader(bytes.NewReader(stream), ic.ReaderConfig{Validate: ic.ReaderValidateInbound})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close() // does not close the io.Reader
	for {
		frame, err := r.Next()
		if err == io.EOF {
			break // between frames: a clean end
		}
		if err != nil {
			fmt.Println("truncated:", errors.Is(err, ic.ErrTruncated))
			break
		}
		commit := must(ic.ViewHeader[ic.CommitHeader](frame.Bytes())) // aligned: viewed in place
		fmt.Println(commit.Command, commit.Commit, frame.Len())
		frame.Close()
	}
	// Output:
	// Commit 1 256
	// Commit 2 256
	// Commit 3 256
	// truncated: true
}

// A bad frame ends the stream once the good frames before it are taken; its
// *ValidationError says why, and Describe makes a log line of a frame in hand.
func ExampleFrameReader_badFrame() {
	bad := commitFrame(2)
	bad[200] ^= 1 // a bit under the seal changes in flight
	stream := append(append(commitFrame(1), bad...), commitFrame(3)...)

	r := must(ic.NewFrameReader(bytes.NewReader(stream), ic.ReaderConfig{}))
	defer r.Close()
	for {
		frame, err := r.Next()
		var ve *ic.ValidationError
		if errors.As(err, &ve) {
			fmt.Println("rejected:", ve.Status.Name(), ve.Rule, ve.Command)
			fmt.Println("log:", ic.Describe(bad))
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("accepted:", ic.Describe(frame.Bytes()))
		frame.Close()
	}
	_, again := r.Next()
	fmt.Println("sticky:", errors.Is(again, ic.ErrFrameChecksumMismatch))
	// Output:
	// accepted: Commit size=256 view=3 replica=0 commit_checksum=0 timestamp_monotonic=0 commit=1 checkpoint_op=0 group=1: ok
	// rejected: IGGY_ERR_FRAME_CHECKSUM_MISMATCH Seal Commit
	// log: Commit size=256 view=3 replica=0 commit_checksum=0 timestamp_monotonic=0 commit=2 checkpoint_op=1 group=1: IGGY_ERR_FRAME_CHECKSUM_MISMATCH (header checksum does not cover the frame)
	// sticky: true
}

// A FrameWriter queues frozen frames and writes them with one Flush: one writev on a
// *net.TCPConn, one Write per frame on a net.Pipe as here. Push takes the frame (push
// a Clone to keep it); ErrQueueFull leaves it with the caller, to push after a Flush.
func ExampleFrameWriter() {
	client, server := net.Pipe()
	received := make(chan []uint64)
	go func() { // the other side: read until the client closes
		r := must(ic.NewFrameReader(server, ic.ReaderConfig{}))
		defer r.Close()
		var commits []uint64
		for frame, err := r.Next(); err == nil; frame, err = r.Next() {
			commits = append(commits, must(ic.ViewHeader[ic.CommitHeader](frame.Bytes())).Commit)
			frame.Close()
		}
		received <- commits
	}()

	w := must(ic.NewFrameWriter(client, ic.WriterConfig{MaxFrames: 2}))
	defer w.Close() // releases what was not written
	for commit := uint64(1); commit <= 3; commit++ {
		frame := must(must(ic.CopyFrom(commitFrame(commit))).Freeze())
		err := w.Push(frame)
		if errors.Is(err, ic.ErrQueueFull) {
			frames, bytes := w.Pending()
			fmt.Printf("queue full at %d frames (%d bytes): flush\n", frames, bytes)
			if err = w.Flush(); err == nil {
				err = w.Push(frame)
			}
		}
		if err != nil {
			frame.Close() // still ours
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	client.Close()
	fmt.Println("received commits", <-received)
	// Output:
	// queue full at 2 frames (512 bytes): flush
	// received commits [1 2 3]
}
