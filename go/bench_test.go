package iggyconsensus

import (
	"bytes"
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
