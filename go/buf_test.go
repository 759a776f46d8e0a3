package iggyconsensus

import (
	"errors"
	"io"
	"math"
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// The buffer scenarios that apply through the C API (numbered S1-S19 as in the Rust
// core's tests, src/buf/tests.rs), and the C contract's error rules.

var (
	_ io.Closer = (*Buf)(nil)
	_ io.Closer = (*Prefix)(nil)
	_ io.Closer = (*Frozen)(nil)
)

func must[T any](tb testing.TB) func(T, error) T {
	return func(v T, err error) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

func frozenOf(tb testing.TB, s string) *Frozen {
	tb.Helper()
	return must[*Frozen](tb)(must[*Buf](tb)(CopyFrom([]byte(s))).Freeze())
}

func split(tb testing.TB, s string, at int) (*Prefix, *Frozen) {
	tb.Helper()
	p, f, err := must[*Buf](tb)(CopyFrom([]byte(s))).SplitAt(at)
	if err != nil {
		tb.Fatal(err)
	}
	return p, f
}

func expect(tb testing.TB, what string, got []byte, want string) {
	tb.Helper()
	if string(got) != want {
		tb.Fatalf("%s reads %q, want %q", what, got, want)
	}
}

func aligned(b []byte) bool { return uintptr(unsafe.Pointer(unsafe.SliceData(b)))%MessageAlign == 0 }

// S1
func TestPrefixCopyFromReadsBack(t *testing.T) {
	p := must[*Prefix](t)(PrefixCopyFrom([]byte("abc")))
	defer p.Close()
	expect(t, "prefix", p.Bytes(), "abc")
	if p.Len() != 3 || !aligned(p.Bytes()) {
		t.Fatalf("len %d, aligned %v", p.Len(), aligned(p.Bytes()))
	}
}

// S2
func TestSplitShares(t *testing.T) {
	p, tail := split(t, "abcdefgh", 4)
	defer p.Close()
	defer tail.Close()
	if !p.Aliases(tail) {
		t.Fatal("a split's prefix and tail do not alias")
	}
	other := frozenOf(t, "abcdefgh")
	defer other.Close()
	if p.Aliases(other) {
		t.Fatal("a prefix aliases an unrelated frozen")
	}
}

// S3
func TestDropPrefixFirst(t *testing.T) {
	p, tail := split(t, "hello world", 5)
	p.Close()
	expect(t, "tail", tail.Bytes(), " world")
	tail.Close()
}

// S4
func TestDropTailFirst(t *testing.T) {
	p, tail := split(t, "hello world", 5)
	tail.Close()
	expect(t, "prefix", p.Bytes(), "hello")
	p.Bytes()[0] = 'H'
	expect(t, "prefix", p.Bytes(), "Hello")
	p.Close()
}

// S5
func TestWritePrefixKeepsTail(t *testing.T) {
	p, tail := split(t, "abcdefgh", 4)
	defer p.Close()
	defer tail.Close()
	copy(p.Bytes(), "WXYZ")
	expect(t, "prefix", p.Bytes(), "WXYZ")
	expect(t, "tail", tail.Bytes(), "efgh")
}

// S6
func TestClonesDropIndependently(t *testing.T) {
	clones := []*Frozen{frozenOf(t, "hello")}
	for range 2 {
		clones = append(clones, must[*Frozen](t)(clones[0].Clone()))
	}
	for i, c := range clones {
		c.Close()
		for _, survivor := range clones[i+1:] {
			expect(t, "survivor", survivor.Bytes(), "hello")
		}
	}
}

// S7 and S8
func TestSlicesOutliveParents(t *testing.T) {
	f := frozenOf(t, "abcdefgh")
	s := must[*Frozen](t)(f.Slice(2, 6))
	f.Close()
	expect(t, "slice", s.Bytes(), "cdef")
	s.Close()

	f = frozenOf(t, "abcdefgh")
	s1 := must[*Frozen](t)(f.Slice(2, 7))
	expect(t, "s1", s1.Bytes(), "cdefg")
	s2 := must[*Frozen](t)(s1.Slice(1, 4))
	f.Close()
	s1.Close()
	expect(t, "s2", s2.Bytes(), "def")
	s2.Close()
}

// S9
func TestCoalesceSharedBlock(t *testing.T) {
	p, tail := split(t, "hello world", 5)
	if !p.CanCoalesce(tail) {
		t.Fatal("CanCoalesce is false")
	}
	whole := must[*Frozen](t)(p.Coalesce(tail))
	defer whole.Close()
	expect(t, "coalesced", whole.Bytes(), "hello world")
	if !p.IsEmpty() || !tail.IsEmpty() || !aligned(whole.Bytes()) {
		t.Fatal("coalesce did not consume its inputs, or the frame is not aligned")
	}
	p.Close() // no-ops: consumed handles are empty
	tail.Close()
}

// S10: refused with both inputs still usable; a retry succeeds once the clone is gone.
func TestCoalesceRefusedByClone(t *testing.T) {
	p, tail := split(t, "hello world", 5)
	clone := must[*Frozen](t)(tail.Clone())
	if p.CanCoalesce(tail) {
		t.Fatal("CanCoalesce with an extra clone")
	}
	if _, err := p.Coalesce(tail); !errors.Is(err, ErrCoalesceRefused) {
		t.Fatalf("coalesce with an extra clone: %v", err)
	}
	expect(t, "prefix after refusal", p.Bytes(), "hello")
	expect(t, "tail after refusal", tail.Bytes(), " world")
	clone.Close()
	whole := must[*Frozen](t)(p.Coalesce(tail))
	expect(t, "retry", whole.Bytes(), "hello world")
	whole.Close()
}

// diffBlock is S11's setup: freeze "abcdefgh", then Frozen.SplitAt(3), which copies
// the prefix into its own allocation.
func diffBlock(t *testing.T) (*Prefix, *Frozen) {
	f := frozenOf(t, "abcdefgh")
	p, tail, err := f.SplitAt(3)
	if err != nil {
		t.Fatal(err)
	}
	if !f.IsEmpty() || p.Aliases(tail) {
		t.Fatal("Frozen.SplitAt did not consume, or its prefix is not a copy")
	}
	return p, tail
}

// S11
func TestCoalesceDifferentBlock(t *testing.T) {
	p, tail := diffBlock(t)
	copy(p.Bytes(), "XYZ")
	if !p.CanCoalesce(tail) {
		t.Fatal("CanCoalesce is false")
	}
	whole := must[*Frozen](t)(p.Coalesce(tail))
	expect(t, "coalesced", whole.Bytes(), "XYZdefgh")
	whole.Close()
}

// S12
func TestCoalesceDifferentBlockRefusedByClone(t *testing.T) {
	p, tail := diffBlock(t)
	clone := must[*Frozen](t)(tail.Clone())
	if _, err := p.Coalesce(tail); !errors.Is(err, ErrCoalesceRefused) {
		t.Fatalf("got %v", err)
	}
	expect(t, "prefix", p.Bytes(), "abc")
	expect(t, "tail", tail.Bytes(), "defgh")
	for _, c := range []io.Closer{p, tail, clone} {
		c.Close()
	}
}

// S13
func TestCoalesceOffsetMismatch(t *testing.T) {
	p, tail := diffBlock(t)
	narrowed := must[*Frozen](t)(tail.Slice(2, tail.Len())) // offset 5
	tail.Close()
	if p.CanCoalesce(narrowed) {
		t.Fatal("CanCoalesce with an offset mismatch")
	}
	if _, err := p.Coalesce(narrowed); !errors.Is(err, ErrCoalesceRefused) {
		t.Fatalf("got %v", err)
	}
	expect(t, "narrowed", narrowed.Bytes(), "fgh")
	p.Close()
	narrowed.Close()
}

// S14
func TestSetLenAfterSpareWrites(t *testing.T) {
	b := must[*Buf](t)(WithCapacity(64))
	defer b.Close()
	if b.Capacity() < 64 || b.Len() != 0 || b.Bytes() != nil || !aligned(b.SpareCapacity()) {
		t.Fatalf("capacity %d, len %d", b.Capacity(), b.Len())
	}
	spare := b.SpareCapacity()
	for i := range 8 {
		spare[i] = byte(i)
	}
	if err := b.SetLen(8); err != nil {
		t.Fatal(err)
	}
	expect(t, "buf", b.Bytes(), "\x00\x01\x02\x03\x04\x05\x06\x07")
	if len(b.SpareCapacity()) != b.Capacity()-8 {
		t.Fatal("spare capacity after SetLen")
	}
	if err := b.SetLen(b.Capacity() + 1); !errors.Is(err, ErrOutOfRange) || b.Len() != 8 {
		t.Fatalf("SetLen past capacity: %v, len %d", err, b.Len())
	}
	if err := b.SetLen(2); err != nil || b.Len() != 2 {
		t.Fatalf("shrink: %v", err)
	}
}

// splitClosingAClone splits "hello world" at 5 and closes a clone of the tail on
// another goroutine, which closes done when it has.
func splitClosingAClone(t *testing.T) (*Prefix, *Frozen, chan struct{}) {
	p, tail := split(t, "hello world", 5)
	clone := must[*Frozen](t)(tail.Clone())
	done := make(chan struct{})
	go func() { clone.Close(); close(done) }()
	return p, tail, done
}

// S16: a coalesce racing the release of a tail clone on another goroutine either
// succeeds or is refused with both halves intact; a retry after the join succeeds.
func TestCoalesceRacingRelease(t *testing.T) {
	for range 200 {
		p, tail, done := splitClosingAClone(t)
		whole, err := p.Coalesce(tail)
		if err != nil {
			if !errors.Is(err, ErrCoalesceRefused) {
				t.Fatal(err)
			}
			expect(t, "prefix", p.Bytes(), "hello")
			expect(t, "tail", tail.Bytes(), " world")
			<-done
			whole = must[*Frozen](t)(p.Coalesce(tail))
		}
		<-done
		expect(t, "coalesced", whole.Bytes(), "hello world")
		whole.Close()
	}
}

// S18 and S19, and Frozen.SplitAt(len) with the copied prefix.
func TestSplitRoundTrips(t *testing.T) {
	for _, at := range []int{0, 5} {
		p, tail := split(t, "hello", at)
		if p.Len() != at || tail.Len() != 5-at {
			t.Fatalf("split at %d: %d + %d", at, p.Len(), tail.Len())
		}
		whole := must[*Frozen](t)(p.Coalesce(tail))
		expect(t, "round trip", whole.Bytes(), "hello")
		whole.Close()
	}
	p, tail, err := frozenOf(t, "hello").SplitAt(5)
	if err != nil {
		t.Fatal(err)
	}
	whole := must[*Frozen](t)(p.Coalesce(tail))
	expect(t, "frozen split at len", whole.Bytes(), "hello")
	whole.Close()
}

// The coalesce quirk: the result spans the whole original allocation.
func TestCoalesceQuirk(t *testing.T) {
	// Different blocks: "abcdefgh" → freeze → SplitAt(3) → tail.Slice(0, 2) = "de".
	p, tail := diffBlock(t)
	de := must[*Frozen](t)(tail.Slice(0, 2))
	expect(t, "slice", de.Bytes(), "de")
	tail.Close()
	whole := must[*Frozen](t)(p.Coalesce(de))
	expect(t, "quirk (different blocks)", whole.Bytes(), "abcdefgh")
	whole.Close()

	// Same block: "hello world" split at 5 → tail.Slice(2, 4), tail dropped.
	p, tail = split(t, "hello world", 5)
	narrow := must[*Frozen](t)(tail.Slice(2, 4))
	tail.Close()
	whole = must[*Frozen](t)(p.Coalesce(narrow))
	expect(t, "quirk (same block)", whole.Bytes(), "hello world")
	whole.Close()

	// An empty prefix coalesces with any fresh Frozen; a non-empty one never does.
	empty := must[*Prefix](t)(PrefixCopyFrom(nil))
	fresh := frozenOf(t, "fresh")
	whole = must[*Frozen](t)(empty.Coalesce(fresh))
	expect(t, "empty prefix + fresh", whole.Bytes(), "fresh")
	whole.Close()
	one := must[*Prefix](t)(PrefixCopyFrom([]byte("x")))
	fresh = frozenOf(t, "fresh")
	if _, err := one.Coalesce(fresh); !errors.Is(err, ErrCoalesceRefused) {
		t.Fatalf("non-empty prefix + fresh frozen: %v", err)
	}
	one.Close()
	fresh.Close()
}

func TestAlignmentAndReserve(t *testing.T) {
	b := must[*Buf](t)(NewZeroed(300))
	defer b.Close()
	if b.Len() != 300 || !aligned(b.Bytes()) {
		t.Fatal("NewZeroed")
	}
	for _, x := range b.Bytes() {
		if x != 0 {
			t.Fatal("NewZeroed is not zeroed")
		}
	}
	copy(b.Bytes(), "keep")
	if err := b.Reserve(1 << 20); err != nil {
		t.Fatal(err)
	}
	if b.Capacity() < 300+1<<20 || !aligned(b.Bytes()) {
		t.Fatalf("after Reserve: capacity %d", b.Capacity())
	}
	expect(t, "after Reserve", b.Bytes()[:4], "keep")
	if err := b.Reserve(math.MaxInt); !errors.Is(err, ErrOutOfMemory) || b.Len() != 300 {
		t.Fatalf("Reserve(MaxInt): %v", err)
	}
	expect(t, "after a failed Reserve", b.Bytes()[:4], "keep")
}

func TestOutOfMemory(t *testing.T) {
	for name, fn := range map[string]func(int) (*Buf, error){"WithCapacity": WithCapacity, "NewZeroed": NewZeroed} {
		for _, n := range []int{math.MaxInt, math.MaxInt - 4095, math.MaxInt / 2} {
			if b, err := fn(n); !errors.Is(err, ErrOutOfMemory) || b != nil {
				t.Fatalf("%s(%d): %v", name, n, err)
			}
		}
	}
}

// Out-of-range arguments fail with ErrOutOfRange and change nothing.
func TestOutOfRange(t *testing.T) {
	b := must[*Buf](t)(CopyFrom([]byte("abcdef")))
	for _, at := range []int{7, -1, math.MaxInt} {
		if p, f, err := b.SplitAt(at); !errors.Is(err, ErrOutOfRange) || p != nil || f != nil {
			t.Fatalf("SplitAt(%d): %v", at, err)
		}
	}
	for _, n := range []int{-1} {
		if _, err := NewZeroed(n); !errors.Is(err, ErrOutOfRange) {
			t.Fatal("NewZeroed(-1)")
		}
		if _, err := WithCapacity(n); !errors.Is(err, ErrOutOfRange) {
			t.Fatal("WithCapacity(-1)")
		}
		if err := b.Reserve(n); !errors.Is(err, ErrOutOfRange) {
			t.Fatal("Reserve(-1)")
		}
		if err := b.SetLen(n); !errors.Is(err, ErrOutOfRange) {
			t.Fatal("SetLen(-1)")
		}
	}
	expect(t, "buf", b.Bytes(), "abcdef")
	f := must[*Frozen](t)(b.Freeze())
	defer f.Close()
	for _, r := range [][2]int{{7, 7}, {3, 2}, {0, 7}, {-1, 2}, {2, -1}} {
		if s, err := f.Slice(r[0], r[1]); !errors.Is(err, ErrOutOfRange) || s != nil {
			t.Fatalf("Slice(%d, %d): %v", r[0], r[1], err)
		}
	}
	empty := must[*Frozen](t)(f.Slice(6, 6))
	if empty.Len() != 0 || empty.Bytes() != nil || empty.IsEmpty() {
		t.Fatal("Slice(6, 6) is a live view of length 0")
	}
	empty.Close()
	if _, _, err := f.SplitAt(7); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("Frozen.SplitAt(7): %v", err)
	}
	expect(t, "frozen", f.Bytes(), "abcdef")
}

// Close is idempotent; a closed or consumed handle is empty, and every method then
// reports ErrEmptyHandle (accessors nil, 0, false); so do zero values and nil pointers.
func TestClosedAndConsumedHandles(t *testing.T) {
	b := must[*Buf](t)(CopyFrom([]byte("abc")))
	b.Close()
	b.Close()
	checkEmptyBuf(t, b)
	checkEmptyBuf(t, new(Buf))
	checkEmptyBuf(t, nil)

	b = must[*Buf](t)(CopyFrom([]byte("abc")))
	f := must[*Frozen](t)(b.Freeze())
	checkEmptyBuf(t, b)
	f.Close()
	f.Close()
	checkEmptyFrozen(t, f)
	checkEmptyFrozen(t, new(Frozen))
	checkEmptyFrozen(t, nil)

	p := must[*Prefix](t)(PrefixCopyFrom([]byte("abc")))
	f = must[*Frozen](t)(p.Freeze())
	checkEmptyPrefix(t, p, f)
	checkEmptyPrefix(t, new(Prefix), f)
	checkEmptyPrefix(t, nil, f)
	live := must[*Prefix](t)(PrefixCopyFrom(nil))
	if live.IsEmpty() || live.Len() != 0 || live.CanCoalesce(nil) || live.Aliases(new(Frozen)) {
		t.Fatal("live prefix of length 0 against empty tails")
	}
	if _, err := live.Coalesce(nil); !errors.Is(err, ErrEmptyHandle) || live.IsEmpty() {
		t.Fatalf("coalesce with a nil tail: %v", err)
	}
	live.Close()
	f.Close()
}

func checkEmptyBuf(t *testing.T, b *Buf) {
	t.Helper()
	if !b.IsEmpty() || b.Len() != 0 || b.Capacity() != 0 || b.Bytes() != nil || b.SpareCapacity() != nil {
		t.Fatal("an empty Buf has contents")
	}
	errs := []error{b.SetLen(0), b.Reserve(1)}
	_, _, err := b.SplitAt(0)
	errs = append(errs, err)
	_, err = b.Freeze()
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, ErrEmptyHandle) {
			t.Fatalf("empty Buf, call %d: %v", i, err)
		}
	}
	if b.Close() != nil {
		t.Fatal("Close")
	}
}

func checkEmptyFrozen(t *testing.T, f *Frozen) {
	t.Helper()
	if !f.IsEmpty() || f.Len() != 0 || f.Bytes() != nil {
		t.Fatal("an empty Frozen has contents")
	}
	_, err1 := f.Clone()
	_, err2 := f.Slice(0, 0)
	_, _, err3 := f.SplitAt(0)
	for i, err := range []error{err1, err2, err3} {
		if !errors.Is(err, ErrEmptyHandle) {
			t.Fatalf("empty Frozen, call %d: %v", i, err)
		}
	}
	if f.Close() != nil {
		t.Fatal("Close")
	}
}

func checkEmptyPrefix(t *testing.T, p *Prefix, tail *Frozen) {
	t.Helper()
	if !p.IsEmpty() || p.Len() != 0 || p.Bytes() != nil || p.Aliases(tail) || p.CanCoalesce(tail) {
		t.Fatal("an empty Prefix has contents")
	}
	_, err1 := p.Freeze()
	_, err2 := p.Coalesce(tail)
	for i, err := range []error{err1, err2} {
		if !errors.Is(err, ErrEmptyHandle) {
			t.Fatalf("empty Prefix, call %d: %v", i, err)
		}
	}
	if tail.IsEmpty() || p.Close() != nil {
		t.Fatal("a failed coalesce changed the tail, or Close failed")
	}
}

func TestZeroLengthBuffers(t *testing.T) {
	for name, b := range map[string]*Buf{
		"NewZeroed(0)":    must[*Buf](t)(NewZeroed(0)),
		"WithCapacity(0)": must[*Buf](t)(WithCapacity(0)),
		"CopyFrom(nil)":   must[*Buf](t)(CopyFrom(nil)),
	} {
		if b.IsEmpty() || b.Len() != 0 || b.Bytes() != nil || b.SpareCapacity() != nil {
			t.Fatalf("%s is not a live buffer of length 0", name)
		}
		p, tail, err := b.SplitAt(0)
		if err != nil {
			t.Fatalf("%s: SplitAt(0): %v", name, err)
		}
		whole := must[*Frozen](t)(p.Coalesce(tail))
		if whole.Len() != 0 || whole.IsEmpty() {
			t.Fatalf("%s: round trip", name)
		}
		whole.Close()
	}
}

// waitFor runs the garbage collector until cond holds (cleanups run on their own
// goroutine), or fails after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// The runtime cleanup releases a library handle whose Frozens were all dropped
// without Close, and never releases a handle that was closed or consumed. The tail's
// count shows it: CanCoalesce on one split needs it at exactly 2.
func TestCleanupSafetyNet(t *testing.T) {
	p, tail := split(t, "hello world", 5)
	defer p.Close()
	defer func() { tail.Close() }()

	func() {
		s := must[*Frozen](t)(tail.Slice(0, 3)) // a library handle of its own: count 3
		_ = must[*Frozen](t)(s.Clone())         // sharing s's handle
	}() // both leaked
	waitFor(t, "the cleanup of a leaked slice and its clone", func() bool { return p.CanCoalesce(tail) })

	// A leaked Clone shares tail's handle: it holds no share of its own, and tail is
	// shared (not coalescable) until it is closed; closing tail leaves the share to
	// the clone, whose cleanup releases it.
	func() { _ = must[*Frozen](t)(tail.Clone()) }()
	runtime.GC()
	if p.CanCoalesce(tail) {
		t.Fatal("CanCoalesce while a clone shares the tail's handle")
	}
	q, r, err := tail.SplitAt(0) // consuming a shared Frozen: its own library handle
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	tail = r
	waitFor(t, "the cleanup of a leaked clone", func() bool { return p.CanCoalesce(tail) })

	for range 100 { // closed: a cleanup that released again would drop the count to 1
		c := must[*Frozen](t)(tail.Clone())
		c.Close()
		s := must[*Frozen](t)(tail.Slice(1, 3))
		q, r, err := s.SplitAt(1) // consumed
		if err != nil {
			t.Fatal(err)
		}
		q.Close()
		r.Close()
	}
	for range 3 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if !p.CanCoalesce(tail) {
		t.Fatal("the count changed after closed and consumed handles were collected")
	}
	expect(t, "tail", tail.Bytes(), " world")
}

// CopyFrozen: a frame from bytes in one call, a Frozen like any other.
func TestCopyFrozen(t *testing.T) {
	src := []byte("a frame from bytes")
	f := must[*Frozen](t)(CopyFrozen(src))
	defer f.Close()
	expect(t, "copy", f.Bytes(), string(src))
	if !aligned(f.Bytes()) || &f.Bytes()[0] == &src[0] {
		t.Fatal("not an aligned copy")
	}
	c := must[*Frozen](t)(f.Clone())
	c.Close()
	empty := must[*Frozen](t)(CopyFrozen(nil))
	if empty.IsEmpty() || empty.Len() != 0 {
		t.Fatal("CopyFrozen(nil) is not a live Frozen of length 0")
	}
	empty.Close()
}

// A consuming call on a Frozen that shares its library handle (Frozen.own) racing the
// Close of the last other clone: whichever gives back the last reference releases the
// shared share, so the allocation's count ends at exactly prefix + tail.
func TestOwnRacingClose(t *testing.T) {
	for range 200 {
		p, tail, done := splitClosingAClone(t)
		q, r, err := tail.SplitAt(0)
		<-done
		if err != nil {
			t.Fatal(err)
		}
		q.Close()
		if !p.CanCoalesce(r) {
			t.Fatal("a share of the tail leaked")
		}
		r.Close()
		p.Close()
	}
}
