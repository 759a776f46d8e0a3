package iggyconsensus

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"unsafe"
)

const headerPath = "../include/iggy_consensus.h"

// goFieldName is the generator's C → Go field name rule.
func goFieldName(c string) string {
	var b strings.Builder
	for _, part := range strings.Split(c, "_") {
		if part == "id" {
			b.WriteString("ID")
		} else if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// Every header view is 256 bytes and every field sits at the C compiler's offset,
// with the C field's size (cgo builds the C struct types from the compiler's debug
// information, so their offsets are offsetof).
func TestHeaderLayout(t *testing.T) {
	types := cHeaderTypes()
	if len(types) != 24 { // U128 and the 23 views
		t.Fatalf("%d types, want 24", len(types))
	}
	for cName, pair := range types {
		goType, cType := pair[0], pair[1]
		if goType.Size() != cType.Size() || goType.Align() != cType.Align() {
			t.Fatalf("%s: Go %s is %d bytes (align %d), C is %d (align %d)", cName, goType,
				goType.Size(), goType.Align(), cType.Size(), cType.Align())
		}
		if cName != "iggy_u128" && goType.Size() != HeaderSize {
			t.Fatalf("%s is %d bytes", goType, goType.Size())
		}
		if goType.NumField() != cType.NumField() {
			t.Fatalf("%s: %d fields, C has %d", goType, goType.NumField(), cType.NumField())
		}
		for i := range cType.NumField() {
			cf := cType.Field(i)
			gf, ok := goType.FieldByName(goFieldName(cf.Name))
			if !ok {
				t.Fatalf("%s has no field for %s.%s", goType, cName, cf.Name)
			}
			if gf.Offset != cf.Offset || gf.Type.Size() != cf.Type.Size() {
				t.Fatalf("%s.%s at %d (%d bytes), C %s.%s at %d (%d bytes)", goType, gf.Name, gf.Offset,
					gf.Type.Size(), cName, cf.Name, cf.Offset, cf.Type.Size())
			}
		}
	}
	// Spot checks by hand against docs/protocol.md.
	var p PrepareHeader
	if unsafe.Sizeof(p) != 256 || unsafe.Offsetof(p.Command) != 60 || unsafe.Offsetof(p.Op) != 176 ||
		unsafe.Offsetof(p.UserID) != 224 {
		t.Fatal("PrepareHeader spot checks")
	}
	var r ForwardLogoutResultHeader
	if unsafe.Offsetof(r.Outcome) != 255 {
		t.Fatal("ForwardLogoutResultHeader.Outcome")
	}
}

// Every generated constant equals its C macro.
func TestConstantsMatchC(t *testing.T) {
	for name, pair := range cConstants() {
		if pair[0] != pair[1] {
			t.Errorf("%s: Go %d, C %d", name, pair[0], pair[1])
		}
	}
}

// The generated files cover every mirrored macro and header view of the header in
// this repository (else run make gen).
func TestGeneratedFilesCurrent(t *testing.T) {
	src, err := os.ReadFile(headerPath)
	if os.IsNotExist(err) {
		t.Skipf("%s not here (an installed library): nothing to compare", headerPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	constants, types := cConstants(), cHeaderTypes()
	mirrored := regexp.MustCompile(`(?m)^#define (IGGY_(?:COMMAND|OPERATION|EVICTION_REASON|` +
		`FORWARD_REGISTER_OUTCOME|FORWARD_LOGOUT_OUTCOME|RULE|ERR)_\w+|IGGY_HEADER_SIZE|IGGY_MESSAGE_ALIGN|` +
		`IGGY_MAX_MESSAGE_SIZE) \d+$`)
	macros := mirrored.FindAllStringSubmatch(string(src), -1)
	for _, m := range macros {
		if _, ok := constants[m[1]]; !ok {
			t.Errorf("%s has no Go constant: run make gen", m[1])
		}
	}
	structs := regexp.MustCompile(`(?m)^typedef struct (iggy_\w+_header) \{$`).FindAllStringSubmatch(string(src), -1)
	for _, m := range structs {
		if _, ok := types[m[1]]; !ok {
			t.Errorf("%s has no Go view: run make gen", m[1])
		}
	}
	if len(macros) != len(constants) || len(structs)+1 != len(types) {
		t.Errorf("header: %d macros, %d views; generated: %d, %d", len(macros), len(structs), len(constants), len(types)-1)
	}
}

func TestViewHeader(t *testing.T) {
	b := must[*Buf](t)(NewZeroed(HeaderSize + 8))
	defer b.Close()
	h, err := ViewHeader[PrepareOkHeader](b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	h.Command = CommandPrepareOk
	h.Op = 0x0102030405060708
	h.Operation = OperationSendMessages
	h.Parent = U128{Lo: 1, Hi: 2}
	raw := b.Bytes()
	if raw[60] != 7 || raw[160] != 0x08 || raw[167] != 0x01 || raw[192] != 160 || raw[128] != 1 || raw[136] != 2 {
		t.Fatalf("fields written at the wrong offsets: %x", raw)
	}
	if _, err := ViewHeader[CommitHeader](make([]byte, HeaderSize-1)); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("short: %v", err)
	}
	if _, err := ViewHeader[CommitHeader](raw[1:]); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("misaligned: %v", err)
	}
	var commit CommitHeader
	raw = HeaderBytes(&commit)
	if g, err := ViewHeader[GenericHeader](raw); err != nil || len(raw) != HeaderSize ||
		unsafe.Pointer(g) != unsafe.Pointer(&commit) {
		t.Fatalf("HeaderBytes: %v", err)
	}
	raw[60] = byte(CommandCommit)
	if commit.Command != CommandCommit {
		t.Fatal("HeaderBytes is not in place")
	}
}

func TestEnumNames(t *testing.T) {
	cases := map[string]string{
		CommandPrepareOk.String():                                 "PrepareOk",
		Command(200).String():                                     "Command(200)",
		OperationSendMessages.String():                            "SendMessages",
		Operation(4).String():                                     "Operation(4)",
		EvictionReasonMalformedLogin.String():                     "MalformedLogin",
		ForwardRegisterOutcomeClientIdOwnedByAnotherUser.String(): "ClientIdOwnedByAnotherUser",
		ForwardLogoutOutcomeCanceled.String():                     "Canceled",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
