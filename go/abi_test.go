package iggyconsensus

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestABIVersionIsTheHeaders(t *testing.T) {
	if ABIVersion() != headerABIVersion {
		t.Fatalf("ABIVersion() = %q, the header says %q", ABIVersion(), headerABIVersion)
	}
	// 0.0.PATCH before 0.1, 0.MINOR before 1.0, MAJOR from 1.0 on.
	v := regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)`).FindStringSubmatch(Version())
	if v == nil {
		t.Fatalf("Version() = %q", Version())
	}
	want := v[1]
	switch {
	case v[1] == "0" && v[2] == "0":
		want = "0.0." + v[3]
	case v[1] == "0":
		want = "0." + v[2]
	}
	if ABIVersion() != want {
		t.Fatalf("ABIVersion() = %q for version %s, want %q", ABIVersion(), Version(), want)
	}
}

func TestMismatchedABIPanicsWithBothVersions(t *testing.T) {
	defer func() {
		message, _ := recover().(string)
		for _, want := range []string{"ABI version 0.2,", "ABI version 0.1:", "rebuild"} {
			if !strings.Contains(message, want) {
				t.Fatalf("panic message %q lacks %q", message, want)
			}
		}
	}()
	mustMatchABI("0.2", "0.1")
	t.Fatal("no panic for a library of ABI 0.2 under a header of ABI 0.1")
}

// End to end: the test binary itself, started with a preloaded library whose
// iggy_consensus_abi_version says "99", must refuse to start.
func TestInitRefusesALibraryOfAnotherABI(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("LD_PRELOAD interposition is tested on Linux")
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	dir := t.TempDir()
	source := filepath.Join(dir, "abi99.c")
	shim := filepath.Join(dir, "libabi99.so")
	code := "const char *iggy_consensus_abi_version(void) { return \"99\"; }\n"
	if err := os.WriteFile(source, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-shared", "-fPIC", "-o", shim, source).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cc, err, out)
	}
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "LD_PRELOAD="+shim)
	out, err := child.CombinedOutput()
	if exit := (*exec.ExitError)(nil); !errors.As(err, &exit) {
		t.Fatalf("started against a library of ABI 99 (%v):\n%s", err, out)
	}
	want := "the loaded libiggy_consensus has ABI version 99, but this package was compiled " +
		"with iggy_consensus.h of ABI version " + headerABIVersion
	if !strings.Contains(string(out), want) {
		t.Fatalf("the output lacks %q:\n%s", want, out)
	}
}
