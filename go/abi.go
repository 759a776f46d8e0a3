package iggyconsensus

/*
#include "iggy_consensus.h"
*/
import "C"

import "fmt"

// ABIVersion returns the ABI version of the library loaded at run time
// (iggy_consensus_abi_version): "0.MINOR" before 1.0, "MAJOR" from 1.0 on. Releases
// with the same ABI version are compatible. One cgo call and one string copy.
func ABIVersion() string { return C.GoString(C.iggy_consensus_abi_version()) }

// headerABIVersion is IGGY_CONSENSUS_ABI_VERSION of the header this package was
// compiled with.
const headerABIVersion = C.IGGY_CONSENSUS_ABI_VERSION

// The package refuses to run against a library of another ABI: the handles' layout,
// the status codes and the functions' contracts may differ, so any call could corrupt
// memory. The SONAME (libiggy_consensus.so.<ABI>) already keeps the loader from
// picking such a library; this catches what it cannot see (a renamed or copied file,
// a static archive linked with another release's header).
func init() {
	mustMatchABI(ABIVersion(), headerABIVersion)
}

// mustMatchABI panics unless the loaded library's ABI version is the header's.
func mustMatchABI(library, header string) {
	if library != header {
		panic(fmt.Sprintf("iggyconsensus: the loaded libiggy_consensus has ABI version %s, "+
			"but this package was compiled with iggy_consensus.h of ABI version %s: "+
			"rebuild the program against the library it runs with (go clean -cache), "+
			"or install the library release it was built for", library, header))
	}
}
