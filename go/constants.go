package iggyconsensus

/*
#include "iggy_consensus.h"
*/
import "C"

// Version returns the library's version, "MAJOR.MINOR.PATCH" (iggy_consensus_version),
// as loaded at run time. One cgo call and one string copy.
func Version() string { return C.GoString(C.iggy_consensus_version()) }

// WireRevision returns the full SHA of the Apache Iggy commit whose wire format the
// library implements (iggy_wire_revision). One cgo call and one string copy.
func WireRevision() string { return C.GoString(C.iggy_wire_revision()) }

// CommandName returns the reference's name of a command byte ("Prepare", "PrepareOk",
// ...), as iggy_command_name does: "unknown" for an undefined value. No cgo call.
func CommandName(c Command) string {
	if name, ok := commandName(c); ok {
		return name
	}
	return "unknown"
}

// OperationName returns the reference's name of an operation byte ("SendMessages",
// ...), as iggy_operation_name does: "unknown" for an undefined value. No cgo call.
func OperationName(o Operation) string {
	if name, ok := operationName(o); ok {
		return name
	}
	return "unknown"
}
