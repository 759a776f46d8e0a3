package iggyconsensus

import (
	"errors"
	"fmt"
)

// Status is a status code of the C library (iggy_status). A non-zero Status is itself
// an error, and each code has one sentinel constant (ErrNullArgument, ErrEmptyHandle,
// ..., ErrClientBoundCommand, ErrBatchShortFrame, ...): compare with
// errors.Is(err, ErrOutOfRange). Codes 1–7 are argument and resource errors, 100–114
// the wire format's ConsensusError variants, 200 and up the batch rules, numbered as
// in the C header. Status values are plain integers: safe to copy and to use from any
// goroutine.
type Status uint32

// String returns the library's text for s, as iggy_status_str does ("unknown status"
// for an undefined value). No cgo call, no allocation.
func (s Status) String() string {
	if _, text, ok := statusNameText(s); ok {
		return text
	}
	return "unknown status"
}

// Name returns the C macro name of s, as iggy_status_name does ("IGGY_OK",
// "IGGY_ERR_FRAME_CHECKSUM_MISMATCH"; "unknown" for an undefined value). No cgo call,
// no allocation.
func (s Status) Name() string {
	if name, _, ok := statusNameText(s); ok {
		return name
	}
	return "unknown"
}

// Error returns the library's text for s, as String does.
func (s Status) Error() string { return s.String() }

// statusErr turns a C status into nil (IGGY_OK) or its Status.
func statusErr[S ~uint32](s S) error {
	if s == 0 {
		return nil
	}
	return Status(s)
}

// ValidationError is the detail of a failed validation (iggy_validation_detail). It
// matches its Status's sentinel: errors.Is(err, ErrFrameChecksumMismatch) holds for a
// *ValidationError with that Status, and errors.As(err, &ve) gives the detail.
type ValidationError struct {
	// Status is the verdict, never 0.
	Status Status
	// Command is the frame's byte 60, or 0 for a frame of 60 bytes or fewer.
	Command Command
	// Rule is the rule that failed (RuleShortBuffer and RuleSizeExceedsBuffer: the
	// bytes end early, read more; the others: the frame is malformed); RuleNone for
	// an error that is not the frame's.
	Rule Rule
	// Reason says which rule failed (the library's static text).
	Reason string
	// Expected is rule-specific: a size, a length, or the low 64 bits of the computed
	// checksum; else 0.
	Expected uint64
	// Found is what was found instead; else 0.
	Found uint64
}

// Error describes the failure: the status, the reason, the command and, when set,
// the expected and found values.
func (e *ValidationError) Error() string {
	msg := e.Status.String()
	if e.Reason != "" && e.Reason != e.Status.String() {
		msg += ": " + e.Reason
	}
	msg += fmt.Sprintf(" (command %s", e.Command)
	if e.Expected != 0 || e.Found != 0 {
		msg += fmt.Sprintf(", expected %d, found %d", e.Expected, e.Found)
	}
	return msg + ")"
}

// Is reports whether target is e's Status, so that errors.Is matches the sentinel.
func (e *ValidationError) Is(target error) bool {
	s, ok := target.(Status)
	return ok && s == e.Status
}

// StatusOf returns the Status carried by err (a Status or a *ValidationError, possibly
// wrapped), or 0 when err is nil or not from this package.
func StatusOf(err error) Status {
	var s Status
	var ve *ValidationError
	switch {
	case errors.As(err, &ve):
		return ve.Status
	case errors.As(err, &s):
		return s
	}
	return 0
}
