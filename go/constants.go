package iggyconsensus

/*
#include "iggy_consensus.h"
*/
import "C"

import "strconv"

// Version returns the library's version, "MAJOR.MINOR.PATCH" (iggy_consensus_version),
// as loaded at run time. One cgo call and one string copy.
func Version() string { return C.GoString(C.iggy_consensus_version()) }

// WireRevision returns the full SHA of the Apache Iggy commit whose wire format the
// library implements (iggy_wire_revision). One cgo call and one string copy.
func WireRevision() string { return C.GoString(C.iggy_wire_revision()) }

// enumName is the String method of the generated enum types.
func enumName(names []string, v uint8, typ string) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}
