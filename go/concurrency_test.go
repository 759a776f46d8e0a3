package iggyconsensus

import (
	"bytes"
	"sync"
	"testing"
)

// Goroutines clone, slice, read and close one shared Frozen concurrently (its
// read-only methods), and close their own handles twice. Afterwards the shared
// allocation's count is exactly back where it was: the prefix and the tail can still
// coalesce (count 2), so no share leaked and none was released twice. With -race, the
// Go side shows no data race.
func TestConcurrentCloneSliceRead(t *testing.T) {
	const goroutines, iterations = 8, 10000
	payload := bytes.Repeat([]byte("shared payload "), 100)
	header := []byte("head")
	p, tail := split(t, string(header)+string(payload), len(header))

	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range iterations {
				c, err := tail.Clone()
				if err != nil {
					t.Error(err)
					return
				}
				start := (g + i) % len(payload)
				s, err := tail.Slice(start, len(payload))
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(c.Bytes(), payload) || !bytes.Equal(s.Bytes(), payload[start:]) ||
					tail.Len() != len(payload) || !p.Aliases(tail) {
					t.Errorf("goroutine %d, iteration %d: wrong contents", g, i)
					return
				}
				if i%2 == 0 { // close in either order, and twice
					c.Close()
					s.Close()
				} else {
					s.Close()
					c.Close()
				}
				c.Close()
				s.Close()
			}
		})
	}
	wg.Wait()
	if !p.CanCoalesce(tail) {
		t.Fatal("the count is not back to 2 after the goroutines closed their handles")
	}
	whole := must[*Frozen](t)(p.Coalesce(tail))
	defer whole.Close()
	if !bytes.Equal(whole.Bytes(), append(header, payload...)) {
		t.Fatal("coalesced frame")
	}
}

// Clones handed to other goroutines are used and closed there, concurrently with
// the original's reads (scenario S15).
func TestConcurrentFanOut(t *testing.T) {
	f := frozenOf(t, "shared payload")
	defer f.Close()
	var wg sync.WaitGroup
	for range 4 {
		c := must[*Frozen](t)(f.Clone())
		wg.Go(func() {
			defer c.Close()
			for range 3 {
				d, err := c.Clone()
				if err != nil {
					t.Error(err)
					return
				}
				if string(d.Bytes()) != "shared payload" {
					t.Error("clone contents")
				}
				d.Close()
			}
		})
	}
	for range 1000 {
		if string(f.Bytes()) != "shared payload" {
			t.Fatal("original contents")
		}
	}
	wg.Wait()
	expect(t, "original", f.Bytes(), "shared payload")
}
