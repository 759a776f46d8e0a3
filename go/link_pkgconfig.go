//go:build iggy_pkgconfig

package iggyconsensus

// Links against an installed library (`make install`), located with
// `pkg-config iggy_consensus`; set PKG_CONFIG_PATH for a non-standard PREFIX, and
// make the shared library findable at run time (ldconfig, or LD_LIBRARY_PATH).

/*
#cgo pkg-config: iggy_consensus
#include "iggy_consensus.h"
*/
import "C"
