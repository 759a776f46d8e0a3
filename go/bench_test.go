package iggyconsensus

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"testing"
)

// Per-call costs: go test -bench . -run '^$'

const batchSize = 1024

func BenchmarkCloneClose(b *testing.B) {
	f := frozenOf(b, "shared payload")
	defer f.Close()
	for b.Loop() {
		c, err := f.Clone()
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// A frame from 256 bytes and its release: CopyFrozen (one cgo call, one library
// allocation and the Go handle) + Close.
func BenchmarkCopyFrozenClose256(b *testing.B) {
	src := make([]byte, 256)
	for b.Loop() {
		f, err := CopyFrozen(src)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

func BenchmarkFrozenBytes(b *testing.B) {
	f := frozenOf(b, "shared payload")
	defer f.Close()
	for b.Loop() {
		if len(f.Bytes()) != 14 {
			b.Fatal("length")
		}
	}
}

// unsealedRequest is a valid Request frame (requests carry no seal) with a 36-byte body.
func unsealedRequest(tb testing.TB) []byte {
	var h RequestHeader
	h.Size = HeaderSize + 36
	h.Command = CommandRequest
	h.Client = U128{Lo: 0xc11e47}
	h.Session = 1
	h.Request = 7
	h.Operation = OperationSendMessages
	frame := append(bytes.Clone(HeaderBytes(&h)), make([]byte, 36)...)
	if err := ValidateFrame(frame); err != nil {
		tb.Fatal(err)
	}
	return frame
}

func BenchmarkValidateFrame(b *testing.B) {
	for name, frame := range map[string][]byte{
		"commit-sealed":    sealedCommit(b, 41),
		"request-unsealed": unsealedRequest(b),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if ValidateFrame(frame) != nil {
					b.Fatal("invalid")
				}
			}
		})
		// The baseline in the same run: the bare cgo call ValidateFrame makes.
		b.Run(name+"/bare-cgo", func(b *testing.B) {
			for b.Loop() {
				if frameStatus(frame) != 0 {
					b.Fatal("invalid")
				}
			}
		})
	}
}

// commitBatch returns batchSize sealed Commits, as separate slices and packed.
func commitBatch(tb testing.TB) (frames [][]byte, packed []byte, offsets, lens []int) {
	for i := range batchSize {
		f := sealedCommit(tb, uint64(i+1))
		frames = append(frames, f)
		offsets, lens = append(offsets, len(packed)), append(lens, len(f))
		packed = append(packed, f...)
	}
	return frames, packed, offsets, lens
}

func reportPerFrame(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batchSize, "ns/frame")
}

// The baseline: batchSize ValidateFrame calls.
func BenchmarkValidateFrameLoop1024(b *testing.B) {
	frames, _, _, _ := commitBatch(b)
	for b.Loop() {
		for _, f := range frames {
			if ValidateFrame(f) != nil {
				b.Fatal("invalid")
			}
		}
	}
	reportPerFrame(b)
}

func BenchmarkValidateFrames1024(b *testing.B) {
	frames, _, _, _ := commitBatch(b)
	for b.Loop() {
		for _, err := range ValidateFrames(frames) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPerFrame(b)
}

// BenchmarkValidateFramesPacked1024 runs the same frames through the Go function
// ("go") and through its bare C call ("c": one iggy_frames_validate_packed, no []error),
// so the Go binding's cost per frame reads as go / c, measured in one run.
func BenchmarkValidateFramesPacked1024(b *testing.B) {
	_, packed, offsets, lens := commitBatch(b)
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			for _, err := range ValidateFramesPacked(packed, offsets, lens) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		reportPerFrame(b)
	})
	b.Run("c", func(b *testing.B) {
		bt := new(batch)
		for b.Loop() {
			if _, ret := bt.statusesPacked(packed, offsets, lens); ret != 0 {
				b.Fatal(Status(ret))
			}
		}
		reportPerFrame(b)
	})
}

// ---- streams: FrameReader and FrameWriter over loopback TCP ----------------------------
//
// go test -run '^$' -bench 'ReadTCP256|Write1024' -benchmem

// streamTCP returns the reading end of a loopback TCP connection whose other end a
// goroutine keeps writing sealed 256-byte Commits to, until the benchmark ends.
func streamTCP(b *testing.B) net.Conn {
	client, server := tcpPair(b)
	chunk, _ := commitStream(b, 1024)
	go func() {
		for {
			if _, err := client.Write(chunk); err != nil {
				return // closed by tcpPair's cleanup
			}
		}
	}()
	return server
}

// BenchmarkReadTCP256 reads 256-byte frames (one frame per op) from loopback TCP: with a
// FrameReader (framing only, and validating every seal), and with the hand loop it
// replaces: io.ReadFull of the header, then the frame into a fresh CopyFrom buffer
// (the body would go into a NewZeroed one), on the bare connection and over bufio.
func BenchmarkReadTCP256(b *testing.B) {
	benchmarkRead256(b, func(b *testing.B) io.Reader { return streamTCP(b) })
}

// BenchmarkReadMemory256 is BenchmarkReadTCP256 from memory (no system call, no
// sender goroutine): the CPU cost per frame of each way of reading.
func BenchmarkReadMemory256(b *testing.B) {
	benchmarkRead256(b, func(b *testing.B) io.Reader {
		chunk, _ := commitStream(b, 1024)
		return &repeatReader{chunk: chunk}
	})
}

// repeatReader reads its chunk over and over.
type repeatReader struct {
	chunk []byte
	at    int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.chunk[r.at:])
	r.at = (r.at + n) % len(r.chunk)
	return n, nil
}

func benchmarkRead256(b *testing.B, source func(*testing.B) io.Reader) {
	for _, c := range []struct {
		name     string
		validate ReaderValidation
	}{{"frame-reader", ReaderValidateNone}, {"frame-reader-validate", ReaderValidateFrame}} {
		b.Run(c.name, func(b *testing.B) {
			r, err := NewFrameReader(source(b), ReaderConfig{Validate: c.validate})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			b.SetBytes(HeaderSize)
			for b.Loop() {
				f, err := r.Next()
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
	hand := func(b *testing.B, src io.Reader) {
		b.SetBytes(HeaderSize)
		var header [HeaderSize]byte
		for b.Loop() {
			if _, err := io.ReadFull(src, header[:]); err != nil {
				b.Fatal(err)
			}
			size := int(binary.LittleEndian.Uint32(header[48:52]))
			if size != HeaderSize { // the stream holds header-only frames
				b.Fatalf("size %d", size)
			}
			f, err := CopyFrom(header[:])
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	}
	b.Run("hand-loop", func(b *testing.B) { hand(b, source(b)) })
	b.Run("hand-loop-bufio", func(b *testing.B) { hand(b, bufio.NewReaderSize(source(b), 64<<10)) })
}

// drainTCP returns the writing end of a loopback TCP connection whose other end a
// goroutine reads and discards.
func drainTCP(b *testing.B) *net.TCPConn {
	client, server := tcpPair(b)
	go io.Copy(io.Discard, server)
	return client
}

// BenchmarkWrite1024 writes 1024 frames per op to loopback TCP, frames of 256 bytes
// (sealed Commits) and of 16 KiB (Requests): Push (of a Clone: the writer takes a
// share) and one Flush, which is one writev; one conn.Write per frame; and, for
// scale, copying them through a 64 KiB bufio.Writer.
func BenchmarkWrite1024(b *testing.B) {
	for _, size := range []int{HeaderSize, 16 << 10} {
		frames := make([]*Frozen, batchSize)
		for i := range frames {
			frames[i] = frozenCopy(b, requestFrame(uint64(i+1), size))
			if size == HeaderSize {
				frames[i].Close()
				frames[i] = frozenCopy(b, sealedCommit(b, uint64(i+1)))
			}
			defer frames[i].Close()
		}
		prefix := fmt.Sprintf("%dB/", size)
		b.Run(prefix+"push-flush-writev", func(b *testing.B) {
			w, err := NewFrameWriter(drainTCP(b), WriterConfig{})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			b.SetBytes(int64(batchSize * size))
			for b.Loop() {
				for _, f := range frames {
					c, err := f.Clone()
					if err != nil {
						b.Fatal(err)
					}
					if err := w.Push(c); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			reportPerFrame(b)
		})
		b.Run(prefix+"write-per-frame", func(b *testing.B) {
			conn := drainTCP(b)
			b.SetBytes(int64(batchSize * size))
			for b.Loop() {
				for _, f := range frames {
					if _, err := conn.Write(f.Bytes()); err != nil {
						b.Fatal(err)
					}
				}
			}
			reportPerFrame(b)
		})
		b.Run(prefix+"bufio-copy", func(b *testing.B) {
			bw := bufio.NewWriterSize(drainTCP(b), 64<<10)
			b.SetBytes(int64(batchSize * size))
			for b.Loop() {
				for _, f := range frames {
					if _, err := bw.Write(f.Bytes()); err != nil {
						b.Fatal(err)
					}
				}
				if err := bw.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			reportPerFrame(b)
		})
	}
}
