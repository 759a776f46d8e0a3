package iggyconsensus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"testing"
	"testing/iotest"
)

var _ io.Closer = (*FrameReader)(nil)

// opened returns c, which is closed when the test ends; err fails the test.
func opened[C io.Closer](tb testing.TB, c C, err error) C {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func newReader(tb testing.TB, src io.Reader, cfg ReaderConfig) *FrameReader {
	tb.Helper()
	r, err := NewFrameReader(src, cfg)
	return opened(tb, r, err)
}

// countingReader counts the Read calls that reach the stream.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

// Frames come back whole and in order however the io.Reader splits the stream, then
// io.EOF, itself and on every later call, with no further Read.
func TestFrameReaderChunkings(t *testing.T) {
	commits, commitFrames := commitStream(t, 5)
	requests, requestFrames := mixedStream(HeaderSize, 300, 4096, 70<<10, HeaderSize+1, 5000)
	stream := append(bytes.Clone(commits), requests...)
	want := append(commitFrames, requestFrames...)
	chunkings := map[string]func(io.Reader) io.Reader{
		"whole":              func(r io.Reader) io.Reader { return r },
		"OneByteReader":      iotest.OneByteReader,
		"HalfReader":         iotest.HalfReader,
		"DataErrReader":      iotest.DataErrReader,
		"DataErrReader(one)": func(r io.Reader) io.Reader { return iotest.DataErrReader(iotest.OneByteReader(r)) },
	}
	for name, chunk := range chunkings {
		for _, cfg := range []ReaderConfig{{}, {ReadAhead: HeaderSize}, {ReadAhead: 1000, Validate: ReaderValidateNone}} {
			src := &countingReader{r: chunk(bytes.NewReader(stream))}
			r := newReader(t, src, cfg)
			got, err := readAll(t, r)
			if err != io.EOF {
				t.Fatalf("%s %+v: ended with %v, want io.EOF itself", name, cfg, err)
			}
			sameFrames(t, got, want)
			reads := src.reads
			if _, err := r.Next(); err != io.EOF || src.reads != reads {
				t.Fatalf("%s: after the end: %v and %d more reads", name, err, src.reads-reads)
			}
		}
	}
}

// With the whole stream in one Read, every frame after the first is taken without
// reading; NextBuffered says ErrIncomplete once they are gone, and never reads.
func TestFrameReaderNextBuffered(t *testing.T) {
	stream, want := commitStream(t, 10)
	src := &countingReader{r: bytes.NewReader(stream)}
	r := newReader(t, src, ReaderConfig{})
	if _, err := r.NextBuffered(); !errors.Is(err, ErrIncomplete) || src.reads != 0 {
		t.Fatalf("NextBuffered on a fresh reader: %v after %d reads", err, src.reads)
	}
	var got [][]byte
	f, err := r.Next()
	for ; err == nil; f, err = r.NextBuffered() {
		got = append(got, bytes.Clone(f.Bytes()))
		f.Close()
	}
	if !errors.Is(err, ErrIncomplete) || src.reads != 1 {
		t.Fatalf("NextBuffered: %v after %d reads, want ErrIncomplete after 1", err, src.reads)
	}
	sameFrames(t, got, want)
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("Next: %v, want io.EOF", err)
	}
	if _, err := r.NextBuffered(); err != io.EOF {
		t.Fatalf("NextBuffered after the end: %v, want io.EOF", err)
	}
}

// iotest.TimeoutReader times out on its second Read: Next returns that error (after
// the frames the first Read completed), and the next call reads on from where it was.
func TestFrameReaderTimeoutIsNotTheEnd(t *testing.T) {
	stream, want := commitStream(t, 8)
	r := newReader(t, iotest.TimeoutReader(bytes.NewReader(stream)), ReaderConfig{ReadAhead: HeaderSize})
	got, err := readAll(t, r)
	if !errors.Is(err, iotest.ErrTimeout) || len(got) == 0 || len(got) == len(want) {
		t.Fatalf("%d frames, then %v; want some frames, then iotest.ErrTimeout wrapped", len(got), err)
	}
	rest, err := readAll(t, r)
	if err != io.EOF {
		t.Fatalf("after the timeout: %v", err)
	}
	sameFrames(t, append(got, rest...), want)
}

// errAfter returns its data, the last bytes together with err, then err forever.
type errAfter struct {
	data  []byte
	chunk int
	err   error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n := copy(p[:min(len(p), e.chunk)], e.data)
	e.data = e.data[n:]
	if len(e.data) == 0 {
		return n, e.err
	}
	return n, nil
}

// An io.Reader error other than io.EOF comes after the frames completed before it,
// wrapped; it is not the end of the stream (the next call reads again), and a partly
// read frame is not reported as truncated.
func TestFrameReaderReadErrors(t *testing.T) {
	linkDown := errors.New("link down")
	stream, want := commitStream(t, 4)
	for _, cut := range []int{len(stream), len(stream) - 100} {
		src := &errAfter{data: stream[:cut], chunk: 700, err: linkDown}
		r := newReader(t, src, ReaderConfig{})
		got, err := readAll(t, r)
		if !errors.Is(err, linkDown) || errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d: %v, want link down", cut, err)
		}
		sameFrames(t, got, want[:cut/HeaderSize])
		if _, err := r.Next(); !errors.Is(err, linkDown) {
			t.Fatalf("again: %v", err)
		}
	}
	r := newReader(t, iotest.ErrReader(linkDown), ReaderConfig{})
	if _, err := r.Next(); !errors.Is(err, linkDown) {
		t.Fatalf("ErrReader: %v", err)
	}
}

// emptyReads returns (0, nil) before every read that brings bytes; stuck always does.
type emptyReads struct {
	r    io.Reader
	turn bool
}

func (e *emptyReads) Read(p []byte) (int, error) {
	if e.turn = !e.turn; e.turn {
		return 0, nil
	}
	return e.r.Read(p)
}

type stuck struct{}

func (stuck) Read([]byte) (int, error) { return 0, nil }

type liar struct{}

func (liar) Read(p []byte) (int, error) { return len(p) + 1, nil }

func TestFrameReaderEmptyAndBogusReads(t *testing.T) {
	stream, want := commitStream(t, 3)
	got, err := readAll(t, newReader(t, &emptyReads{r: iotest.HalfReader(bytes.NewReader(stream))}, ReaderConfig{}))
	if err != io.EOF {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	if _, err := newReader(t, stuck{}, ReaderConfig{}).Next(); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("a reader that never makes progress: %v", err)
	}
	if _, err := newReader(t, liar{}, ReaderConfig{}).Next(); err == nil {
		t.Fatal("a Read count beyond the buffer was accepted")
	}
}

// A stream that ends inside a frame (its header or its body) gives the frames before
// it, then an error matching ErrTruncated and io.ErrUnexpectedEOF, on every call; an
// empty stream is io.EOF at once.
func TestFrameReaderTruncated(t *testing.T) {
	stream, want := mixedStream(HeaderSize, 1000, 100<<10)
	ends := []int{HeaderSize + 1, HeaderSize + 255, HeaderSize + 256, HeaderSize + 999, HeaderSize + 1000 + 300,
		len(stream) - 1}
	for _, end := range ends {
		src := &countingReader{r: iotest.HalfReader(bytes.NewReader(stream[:end]))}
		r := newReader(t, src, ReaderConfig{})
		got, err := readAll(t, r)
		if !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			t.Fatalf("cut at %d: %v, want a truncation", end, err)
		}
		complete := 0
		for sum := 0; complete < len(want) && sum+len(want[complete]) <= end; complete++ {
			sum += len(want[complete])
		}
		sameFrames(t, got, want[:complete])
		reads := src.reads
		if _, again := r.Next(); again != err || src.reads != reads {
			t.Fatalf("cut at %d: then %v, %d reads: not sticky", end, again, src.reads-reads)
		}
	}
	if _, err := newReader(t, bytes.NewReader(nil), ReaderConfig{}).Next(); err != io.EOF {
		t.Fatalf("empty stream: %v", err)
	}
}

// A size above MaxFrame is refused on the header, before any body byte arrives: the
// frames before it, then ErrFrameTooLarge with its detail, on every call.
func TestFrameReaderFrameTooLarge(t *testing.T) {
	stream, want := mixedStream(HeaderSize, 4096, 8192)
	headerOnly := stream[:HeaderSize+4096+HeaderSize] // the third frame's body never comes
	r := newReader(t, bytes.NewReader(headerOnly), ReaderConfig{MaxFrame: 4096})
	got, err := readAll(t, r)
	sameFrames(t, got, want[:2])
	var ve *ValidationError
	if !errors.Is(err, ErrFrameTooLarge) || !errors.As(err, &ve) {
		t.Fatalf("got %v, want ErrFrameTooLarge", err)
	}
	if ve.Rule != RuleFrameTooLarge || ve.Command != CommandRequest || ve.Expected != 4096 ||
		ve.Found != 8192 || ve.Reason == "" {
		t.Fatalf("detail %+v", ve)
	}
	if _, again := r.Next(); again != err {
		t.Fatalf("then %v: not sticky", again)
	}
	t.Log(err)
}

// A bad seal fails the stream once the frame is whole: the frames before it, then the
// detail ValidateFrame gives, on every call; the frames after it never come. Without
// validation the frame passes.
func TestFrameReaderBadSeal(t *testing.T) {
	stream, want := commitStream(t, 5)
	stream[3*HeaderSize+200] ^= 1 // a reserved byte of the fourth commit, under its seal
	bad := stream[3*HeaderSize : 4*HeaderSize]
	r := newReader(t, iotest.OneByteReader(bytes.NewReader(stream)), ReaderConfig{})
	got, err := readAll(t, r)
	sameFrames(t, got, want[:3])
	var ve *ValidationError
	if !errors.Is(err, ErrFrameChecksumMismatch) || !errors.As(err, &ve) || ve.Rule != RuleSeal {
		t.Fatalf("got %v, want a checksum mismatch", err)
	}
	if single := ValidateFrame(bad); !reflect.DeepEqual(err, single) {
		t.Fatalf("detail %+v, ValidateFrame's %+v", err, single)
	}
	for range 3 {
		if _, again := r.Next(); again != err {
			t.Fatalf("then %v: not sticky", again)
		}
	}
	got, err = readAll(t, newReader(t, bytes.NewReader(stream), ReaderConfig{Validate: ReaderValidateNone}))
	if err != io.EOF || len(got) != 5 || !bytes.Equal(got[3], bad) {
		t.Fatalf("without validation: %d frames, %v", len(got), err)
	}
}

func TestFrameReaderConfig(t *testing.T) {
	for _, cfg := range []ReaderConfig{
		{MaxFrame: HeaderSize - 1}, {MaxFrame: MaxMessageSize + 1}, {MaxFrame: -1},
		{ReadAhead: 1}, {ReadAhead: MaxMessageSize + 1}, {ReadAhead: -1},
		{Validate: 3}, {Validate: 1 << 31},
	} {
		if r, err := NewFrameReader(bytes.NewReader(nil), cfg); !errors.Is(err, ErrInvalidArgument) || r != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
	}
	if _, err := NewFrameReader(nil, ReaderConfig{}); !errors.Is(err, ErrNullArgument) {
		t.Fatalf("nil io.Reader: %v", err)
	}
	for _, cfg := range []ReaderConfig{
		{MaxFrame: HeaderSize, ReadAhead: HeaderSize, Validate: ReaderValidateInbound},
		{MaxFrame: MaxMessageSize, ReadAhead: MaxMessageSize, Validate: ReaderValidateNone},
	} {
		r, err := NewFrameReader(bytes.NewReader(nil), cfg)
		if err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		r.Close()
	}
}

// Frames outlive their reader; Close is idempotent; an empty reader says so.
func TestFrameReaderClose(t *testing.T) {
	stream, want := commitStream(t, 2)
	r := newReader(t, bytes.NewReader(stream), ReaderConfig{})
	f, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if r.Close() != nil || r.Close() != nil {
		t.Fatal("Close")
	}
	if !bytes.Equal(f.Bytes(), want[0]) {
		t.Fatal("a frame did not outlive its reader")
	}
	var zero FrameReader
	for _, e := range []*FrameReader{r, &zero, nil} {
		if _, err := e.Next(); err != ErrEmptyHandle {
			t.Fatalf("Next on an empty reader: %v", err)
		}
		if _, err := e.NextBuffered(); err != ErrEmptyHandle || e.Close() != nil {
			t.Fatalf("NextBuffered on an empty reader: %v", err)
		}
	}
}

// The runtime cleanup frees a reader dropped without Close, with a frame in it.
func TestFrameReaderCleanup(t *testing.T) {
	stream, _ := commitStream(t, 3)
	h := func() *readerHandle {
		r, err := NewFrameReader(bytes.NewReader(stream), ReaderConfig{})
		if err != nil {
			t.Fatal(err)
		}
		f, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		return r.h
	}()
	waitFor(t, "the cleanup of a dropped reader", h.empty)
}

// expectedRead is what a reader makes of one vector's bytes alone: the frame (when its
// size is within the bytes, the stream is cut there) or the error, and the verdict of
// validate on the bytes the reader decides on.
func expectedRead(data []byte, validate func([]byte) error) (stream []byte, frame bool, err error) {
	if len(data) == 0 {
		return data, false, io.EOF
	}
	if len(data) < HeaderSize {
		return data, false, truncatedError
	}
	size := int(binary.LittleEndian.Uint32(data[48:52]))
	if data[60] > byte(CommandForwardLogoutResult) || size < HeaderSize {
		// Decided on the header alone, as ValidateFrame decides on those 256 bytes.
		return data, false, ValidateFrame(data[:HeaderSize])
	}
	if size > len(data) {
		return data, false, truncatedError
	}
	err = validate(data[:size])
	return data[:size], err == nil, err
}

// checkVectorRead reads one vector's bytes through a reader and checks the outcome.
// It returns which outcome it was.
func checkVectorRead(t *testing.T, v vector, cfg ReaderConfig, validate func([]byte) error, want Status) string {
	t.Helper()
	stream, isFrame, wantErr := expectedRead(v.data, validate)
	if wantErr != io.EOF && !errors.Is(wantErr, ErrTruncated) && StatusOf(wantErr) != want {
		t.Fatalf("%s: the vector says %v, the reader's bytes %v", v.ID, want, wantErr)
	}
	for _, chunk := range []func(io.Reader) io.Reader{iotest.HalfReader, iotest.DataErrReader} {
		got, err := readAll(t, newReader(t, chunk(bytes.NewReader(stream)), cfg))
		if isFrame {
			if err != io.EOF || len(got) != 1 || !bytes.Equal(got[0], stream) {
				t.Fatalf("%s: %d frames, %v; want the frame", v.ID, len(got), err)
			}
			continue
		}
		if len(got) != 0 || !reflect.DeepEqual(err, wantErr) {
			t.Fatalf("%s: %d frames, %v; want %v", v.ID, len(got), err, wantErr)
		}
	}
	switch {
	case isFrame:
		return "frame"
	case errors.Is(wantErr, ErrTruncated) || wantErr == io.EOF:
		return "end"
	case stream[60] > byte(CommandForwardLogoutResult) || binary.LittleEndian.Uint32(stream[48:52]) < HeaderSize:
		return "bad header"
	}
	return "bad frame"
}

// Every typed vector through a reader that validates frames: the frame, or the
// verdict of ValidateFrame (with its detail) on the bytes the reader holds, or a
// truncation when the bytes end before the frame does.
func TestVectorsTypedThroughReader(t *testing.T) {
	vs := loadVectors(t, "typed")
	outcomes := map[string]int{}
	for _, v := range vs {
		outcomes[checkVectorRead(t, v, ReaderConfig{}, ValidateFrame, statusNamed(t, v.FrameValidate))]++
	}
	t.Logf("%d typed vectors: %v", len(vs), outcomes)
}

// Every inbound vector through a reader on the inbound path, likewise.
func TestVectorsInboundThroughReader(t *testing.T) {
	vs := loadVectors(t, "inbound")
	outcomes := map[string]int{}
	for _, v := range vs {
		outcomes[checkVectorRead(t, v, ReaderConfig{Validate: ReaderValidateInbound}, ValidateInbound, statusNamed(t, v.Expect))]++
	}
	t.Logf("%d inbound vectors: %v", len(vs), outcomes)
}

// The valid typed vectors back to back, one byte per Read: each comes back whole.
func TestVectorsStreamOneByte(t *testing.T) {
	var stream []byte
	var want [][]byte
	for _, v := range loadVectors(t, "typed") {
		if v.FrameValidate != "ok" {
			continue
		}
		frame := v.data[:binary.LittleEndian.Uint32(v.data[48:52])]
		stream = append(stream, frame...)
		want = append(want, frame)
	}
	got, err := readAll(t, newReader(t, iotest.OneByteReader(bytes.NewReader(stream)), ReaderConfig{}))
	if err != io.EOF {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	t.Logf("%d valid vectors, %d bytes", len(want), len(stream))
}

// Every typed vector through a reader that checks the framing only: the header-first
// rejections still come (with ValidateFrame's detail on the 256 bytes), every other
// frame whose bytes are all there comes back as it is.
func TestVectorsTypedThroughReaderWithoutValidation(t *testing.T) {
	noValidation := func([]byte) error { return nil }
	outcomes := map[string]int{}
	for _, v := range loadVectors(t, "typed") {
		_, _, wantErr := expectedRead(v.data, noValidation)
		outcomes[checkVectorRead(t, v, ReaderConfig{Validate: ReaderValidateNone}, noValidation, StatusOf(wantErr))]++
	}
	if outcomes["bad frame"] != 0 {
		t.Fatalf("outcomes %v: a frame failed beyond the framing checks", outcomes)
	}
	t.Logf("outcomes: %v", outcomes)
}
