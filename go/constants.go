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

// QuietPanics keeps the messages of panics raised inside the library off standard
// error (iggy_quiet_panics): a caught panic is still reported as ErrPanic. It replaces
// the process's Rust panic hook, passing panics of other Rust code to the one installed
// before; call it once at start-up if a library panic must not print. One cgo call.
func QuietPanics() { C.iggy_quiet_panics() }
