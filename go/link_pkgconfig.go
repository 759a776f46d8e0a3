//go:build !iggy_repo

package iggyconsensus

// Links against an installed library (make install PREFIX=...), found with
// `pkg-config iggy_consensus`: for a prefix pkg-config does not search, set
// PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig when building. The .pc file puts the library's
// directory in the program's rpath, so the program runs with no environment variable.
// In this repository, build with -tags iggy_repo (link_repo.go) instead.

/*
#cgo pkg-config: iggy_consensus
#include "iggy_consensus.h"
*/
import "C"
