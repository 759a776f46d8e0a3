package iggyconsensus

import (
	"errors"
	"sync"
	"testing"
)

// sealedCommit returns a valid, sealed, header-only Commit frame in Go memory.
func sealedCommit(tb testing.TB, commit uint64) []byte {
	tb.Helper()
	h := &CommitHeader{Size: HeaderSize, Command: CommandCommit, View: 3, Commit: commit,
		CheckpointOp: commit - 1, Group: 1}
	frame := HeaderBytes(h)
	if err := Seal(frame); err != nil {
		tb.Fatal(err)
	}
	return frame
}

func TestValidationErrorDetail(t *testing.T) {
	frame := sealedCommit(t, 41)
	if err := ValidateFrame(frame); err != nil {
		t.Fatalf("sealed commit: %v", err)
	}
	if err := ValidateInbound(frame); err != nil {
		t.Fatalf("sealed commit inbound: %v", err)
	}
	frame[200] ^= 1 // a reserved byte, covered by the seal
	err := ValidateFrame(frame)
	if !errors.Is(err, ErrFrameChecksumMismatch) || errors.Is(err, ErrInvalidField) {
		t.Fatalf("flipped bit: %v", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%T is not a *ValidationError", err)
	}
	if ve.Status != ErrFrameChecksumMismatch || ve.Command != CommandCommit || ve.Reason == "" ||
		ve.Expected == ve.Found {
		t.Fatalf("detail %+v", ve)
	}
	if StatusOf(err) != ErrFrameChecksumMismatch || StatusOf(nil) != 0 || StatusOf(errors.New("x")) != 0 {
		t.Fatal("StatusOf")
	}
	if wrapped := errors.Join(errors.New("context"), err); !errors.Is(wrapped, ErrFrameChecksumMismatch) ||
		StatusOf(wrapped) != ErrFrameChecksumMismatch {
		t.Fatal("a wrapped *ValidationError does not match its sentinel")
	}
	t.Log(err)
}

func TestValidateShortAndEmpty(t *testing.T) {
	for _, frame := range [][]byte{nil, {}, make([]byte, 60), make([]byte, 255)} {
		err := ValidateFrame(frame)
		var ve *ValidationError
		if !errors.Is(err, ErrInvalidCommand) || !errors.As(err, &ve) ||
			ve.Expected != HeaderSize || ve.Found != uint64(len(frame)) {
			t.Fatalf("%d bytes: %v", len(frame), err)
		}
	}
	if errs := ValidateFrames(nil); len(errs) != 0 {
		t.Fatalf("no frames: %v", errs)
	}
	if errs := ValidateFramesPacked(nil, nil, nil); len(errs) != 0 {
		t.Fatalf("no packed frames: %v", errs)
	}
	errs := ValidateFrames([][]byte{nil, sealedCommit(t, 5), {}})
	if !errors.Is(errs[0], ErrInvalidCommand) || errs[1] != nil || !errors.Is(errs[2], ErrInvalidCommand) {
		t.Fatalf("empty frames in a batch: %v", errs)
	}
}

func TestValidateFramesPackedMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for 2 offsets and 1 length")
		}
	}()
	ValidateFramesPacked(make([]byte, 512), []int{0, 256}, []int{256})
}

func TestSealErrors(t *testing.T) {
	short := make([]byte, HeaderSize-1)
	if err := Seal(short); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("short header: %v", err)
	}
	bad := make([]byte, HeaderSize)
	bad[60] = 200
	bad[100] = 7
	if err := Seal(bad); !errors.Is(err, ErrInvalidBitPattern) {
		t.Fatalf("command 200: %v", err)
	}
	if bad[0] != 0 || bad[100] != 7 {
		t.Fatal("a failed Seal changed the header")
	}
	ping := make([]byte, HeaderSize)
	ping[60] = byte(CommandPing)
	if err := Seal(ping); err != nil || ping[0] != 0 {
		t.Fatalf("a command without a checksum: %v, %x", err, ping[:16])
	}
}

// TestValidateConcurrent runs batches from many goroutines (the scratch pool is shared).
func TestValidateConcurrent(t *testing.T) {
	good, bad := sealedCommit(t, 9), sealedCommit(t, 9)
	bad[255] ^= 0x80
	frames := [][]byte{good, bad, good[:100]}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 500; i++ {
				errs := ValidateFrames(frames)
				if errs[0] != nil || !errors.Is(errs[1], ErrFrameChecksumMismatch) ||
					!errors.Is(errs[2], ErrInvalidCommand) {
					t.Errorf("batch %d: %v", i, errs)
					return
				}
			}
		})
	}
	wg.Wait()
}
