// Command consumer is a program in a module of its own that uses the Go binding the
// way any other module does: required in go.mod, and linked against an installed
// libiggy_consensus that cgo finds with pkg-config. Built as go/README.md says:
//
//	make install PREFIX=$HOME/.local
//	PKG_CONFIG_PATH=$HOME/.local/lib/pkgconfig go build -o consumer .
//	./consumer
//
// make go-install-test does exactly that against a temporary prefix and runs the
// program with an empty environment: the rpath from the .pc file finds the library.
package main

import (
	"errors"
	"fmt"
	"os"

	ic "github.com/iggy-consensus/libiggy_consensus/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		os.Exit(1)
	}
}

// run seals a Commit in a library buffer, shares it by Clone, validates the clone as
// a replica would, and checks that a flipped bit is caught.
func run() error {
	buf, err := ic.NewZeroed(ic.HeaderSize)
	if err != nil {
		return err
	}
	defer buf.Close()
	commit, err := ic.ViewHeader[ic.CommitHeader](buf.Bytes())
	if err != nil {
		return err
	}
	commit.Size = ic.HeaderSize
	commit.Command = ic.CommandCommit
	commit.Commit = 7
	if err := ic.Seal(buf.Bytes()); err != nil {
		return err
	}
	frame, err := buf.Freeze()
	if err != nil {
		return err
	}
	defer frame.Close()
	clone, err := frame.Clone()
	if err != nil {
		return err
	}
	defer clone.Close()
	if err := ic.ValidateInbound(clone.Bytes()); err != nil {
		return fmt.Errorf("a sealed Commit was rejected: %w", err)
	}
	corrupt := append([]byte(nil), clone.Bytes()...)
	corrupt[100] ^= 1
	if err := ic.ValidateInbound(corrupt); !errors.Is(err, ic.ErrFrameChecksumMismatch) {
		return fmt.Errorf("a flipped bit gave %v, want ErrFrameChecksumMismatch", err)
	}
	fmt.Printf("libiggy_consensus %s (ABI %s): a sealed Commit validated, a flipped bit rejected\n",
		ic.Version(), ic.ABIVersion())
	return nil
}
