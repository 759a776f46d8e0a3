//go:build !iggy_pkgconfig

package iggyconsensus

// Links against the library built in this repository (`make lib`): the header from
// ../include, the shared library from ../target/release, found at run time through
// the rpath. Build with -tags iggy_pkgconfig to use an installed library instead.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#cgo LDFLAGS: -L${SRCDIR}/../target/release -liggy_consensus -Wl,-rpath,${SRCDIR}/../target/release
#include "iggy_consensus.h"
*/
import "C"
