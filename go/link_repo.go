//go:build iggy_repo

package iggyconsensus

// For work on this repository (make go-test, make bench-go): links against the
// library built here (make lib), the header from ../include and the shared library
// from ../target/release, found at run time through the rpath. Without the tag the
// package links an installed library through pkg-config (link_pkgconfig.go).

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#cgo LDFLAGS: -L${SRCDIR}/../target/release -liggy_consensus -Wl,-rpath,${SRCDIR}/../target/release
#include "iggy_consensus.h"
*/
import "C"
