// Command gen writes the generated files of package iggyconsensus from the C header
// include/iggy_consensus.h, so that the Go constants and header views cannot drift
// from the C ABI:
//
//   - zconstants.go: the enum types (Command, Operation, EvictionReason,
//     ForwardRegisterOutcome, ForwardLogoutOutcome) with their constants and names,
//     the Status codes (ErrNullArgument ...), and HeaderSize, MessageAlign,
//     MaxMessageSize;
//   - zheaders.go: U128 and the header views, produced by `go tool cgo -godefs` from
//     the C structs, with Go field names (checksum_body → ChecksumBody, user_id →
//     UserID) and the enum bytes typed (command → Command);
//   - zcabi.go: a cgo file for the tests only (the linker drops it from programs),
//     pairing every generated constant with its C macro and every header view with
//     its C struct, so that the tests compare values, sizes and offsets with C.
//
// Run it from the package directory (go/): `go generate` (see headers.go) or
// `go run ./internal/gen`. It uses only the standard library and the go command.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The C macro prefixes that become typed Go constants, with their Go type.
var enumPrefixes = []struct{ macro, goType string }{
	{"IGGY_COMMAND_", "Command"},
	{"IGGY_OPERATION_", "Operation"},
	{"IGGY_EVICTION_REASON_", "EvictionReason"},
	{"IGGY_FORWARD_REGISTER_OUTCOME_", "ForwardRegisterOutcome"},
	{"IGGY_FORWARD_LOGOUT_OUTCOME_", "ForwardLogoutOutcome"},
}

// Untyped size constants.
var sizeMacros = map[string]string{
	"IGGY_HEADER_SIZE":      "HeaderSize",
	"IGGY_MESSAGE_ALIGN":    "MessageAlign",
	"IGGY_MAX_MESSAGE_SIZE": "MaxMessageSize",
}

// Numeric macros deliberately not mirrored: IGGY_OK is not an error, and the version
// numbers are available as Version().
var skippedMacros = regexp.MustCompile(`^IGGY_(OK|CONSENSUS_VERSION_\w+)$`)

type macro struct {
	name  string   // C name
	value uint64   // value
	doc   []string // the comment lines above it
}

type field struct {
	name     string // C name
	enumType string // from a "// `Command` byte." comment, else ""
}

type view struct {
	cName  string   // iggy_prepare_header
	goName string   // PrepareHeader
	doc    []string // comment lines above the typedef
	fields map[string]field
}

var (
	reDefine  = regexp.MustCompile(`^#define (IGGY_\w+) (\d+)$`)
	reComment = regexp.MustCompile(`^\s*// ?(.*)$`)
	reStruct  = regexp.MustCompile(`^typedef struct (iggy_\w+_header) \{$`)
	reField   = regexp.MustCompile(`^\s+(?:struct )?\w+ (\w+)(?:\[\d+\])?;$`)
	reViewDoc = regexp.MustCompile("^C view of `(\\w+)`")
	reEnumDoc = regexp.MustCompile("^`(\\w+)` byte\\.$")
	reVariant = regexp.MustCompile("^`(\\w+)::(\\w+)`\\.$")
)

func main() {
	header := flag.String("header", "../include/iggy_consensus.h", "the C header")
	out := flag.String("out", ".", "the package directory to write into")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	macros, views, err := parseHeader(*header)
	if err != nil {
		log.Fatal(err)
	}
	godefs, err := runGodefs(*header, views)
	if err != nil {
		log.Fatal(err)
	}
	files := map[string][]byte{
		"zconstants.go": constantsFile(macros),
		"zheaders.go":   headersFile(views, godefs),
		"zcabi.go":      cabiFile(macros, views),
	}
	for name, src := range files {
		formatted, err := format.Source(src)
		if err != nil {
			log.Fatalf("%s: %v\n%s", name, err, src)
		}
		if err := os.WriteFile(filepath.Join(*out, name), formatted, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// parseHeader reads the documented numeric macros and the header view structs.
func parseHeader(path string) ([]macro, []view, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var (
		macros  []macro
		views   []view
		comment []string
		cur     *view
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := reComment.FindStringSubmatch(line); m != nil {
			comment = append(comment, m[1])
			continue
		}
		switch {
		case cur != nil && strings.HasPrefix(line, "}"):
			views = append(views, *cur)
			cur = nil
		case cur != nil:
			if m := reField.FindStringSubmatch(line); m != nil {
				fd := field{name: m[1]}
				if len(comment) == 1 {
					if e := reEnumDoc.FindStringSubmatch(comment[0]); e != nil {
						fd.enumType = e[1]
					}
				}
				cur.fields[fd.name] = fd
			}
		default:
			if m := reDefine.FindStringSubmatch(line); m != nil && len(comment) > 0 {
				v, err := strconv.ParseUint(m[2], 10, 64)
				if err != nil {
					return nil, nil, err
				}
				macros = append(macros, macro{m[1], v, comment})
			} else if m := reStruct.FindStringSubmatch(line); m != nil {
				goName := ""
				if len(comment) > 0 {
					if d := reViewDoc.FindStringSubmatch(comment[0]); d != nil {
						goName = d[1]
					}
				}
				if goName == "" {
					return nil, nil, fmt.Errorf("%s: no \"C view of `Name`\" comment", m[1])
				}
				cur = &view{cName: m[1], goName: goName, doc: comment, fields: map[string]field{}}
			}
		}
		comment = nil
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(views) == 0 || len(macros) == 0 {
		return nil, nil, fmt.Errorf("%s: found %d macros and %d header views", path, len(macros), len(views))
	}
	return macros, views, nil
}

// runGodefs returns `go tool cgo -godefs` output for U128 and every view.
func runGodefs(header string, views []view) ([]byte, error) {
	dir, err := os.MkdirTemp("", "iggy-godefs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var in bytes.Buffer
	in.WriteString("package iggyconsensus\n\n/*\n#include \"iggy_consensus.h\"\n*/\nimport \"C\"\n\n")
	in.WriteString("type U128 C.iggy_u128\n")
	for _, v := range views {
		fmt.Fprintf(&in, "type %s C.%s\n", v.goName, v.cName)
	}
	input := filepath.Join(dir, "types.go")
	if err := os.WriteFile(input, in.Bytes(), 0o644); err != nil {
		return nil, err
	}
	includeDir, err := filepath.Abs(filepath.Dir(header))
	if err != nil {
		return nil, err
	}
	goBin := "go"
	if root := os.Getenv("GOROOT"); root != "" {
		goBin = filepath.Join(root, "bin", "go")
	}
	cmd := exec.Command(goBin, "tool", "cgo", "-godefs", "-objdir", dir, "--", "-I"+includeDir, input)
	cmd.Stderr = os.Stderr
	return cmd.Output()
}

// goName turns a C snake_case or SCREAMING_SNAKE_CASE name into a Go one.
func goName(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.ToLower(s), "_") {
		if part == "id" {
			b.WriteString("ID")
		} else if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// lowerFirst lowers the first letter of a sentence unless its first word is a name
// (ConsensusError::..., B2:, NULL).
func lowerFirst(s string) string {
	w := strings.Fields(s + " ")[0]
	if w == "" || len(w) > 1 && (strings.Contains(w, "::") || w[1] < 'a' || w[1] > 'z') {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func writeDoc(b *bytes.Buffer, lines []string) {
	for _, l := range lines {
		fmt.Fprintf(b, "// %s\n", l)
	}
}

const generatedBy = "// Code generated by go run ./internal/gen from include/iggy_consensus.h; DO NOT EDIT.\n" +
	"// Regenerate after the header changes: cd go && go generate (needs make lib's header only).\n\n"

func constantsFile(macros []macro) []byte {
	var b bytes.Buffer
	b.WriteString(generatedBy)
	b.WriteString("package iggyconsensus\n\n")

	b.WriteString("// Sizes of the wire format and the buffers.\nconst (\n")
	for _, m := range macros {
		if name, ok := sizeMacros[m.name]; ok {
			fmt.Fprintf(&b, "// %s is %s: %s\n%s = %d\n", name, m.name, lowerFirst(strings.Join(m.doc, " ")), name, m.value)
		}
	}
	b.WriteString(")\n\n")

	for _, e := range enumPrefixes {
		fmt.Fprintf(&b, "// %s is the wire enum `%s`: one byte of a header. Values outside the\n", e.goType, e.goType)
		fmt.Fprintf(&b, "// constants below are invalid on the wire (ErrInvalidBitPattern).\ntype %s uint8\n\n", e.goType)
		fmt.Fprintf(&b, "// %s values (%s*).\nconst (\n", e.goType, e.macro)
		var names bytes.Buffer
		for _, m := range macros {
			if !strings.HasPrefix(m.name, e.macro) {
				continue
			}
			variant := goName(strings.TrimPrefix(m.name, e.macro))
			if d := reVariant.FindStringSubmatch(strings.Join(m.doc, " ")); d != nil && d[1] == e.goType {
				variant = d[2]
			}
			fmt.Fprintf(&b, "// %s%s is `%s::%s` (%s).\n%s%s %s = %d\n",
				e.goType, variant, e.goType, variant, m.name, e.goType, variant, e.goType, m.value)
			fmt.Fprintf(&names, "%d: %q,\n", m.value, variant)
		}
		b.WriteString(")\n\n")
		lower := strings.ToLower(e.goType[:1]) + e.goType[1:]
		fmt.Fprintf(&b, "var %sNames = [...]string{\n%s}\n\n", lower, names.String())
		fmt.Fprintf(&b, "// String returns the variant name (\"%s(n)\" for an undefined value).\n", e.goType)
		fmt.Fprintf(&b, "func (v %s) String() string { return enumName(%sNames[:], uint8(v), %q) }\n\n", e.goType, lower, e.goType)
	}

	b.WriteString("// The status codes. Each is its own sentinel error: test with errors.Is.\nconst (\n")
	for _, m := range macros {
		if strings.HasPrefix(m.name, "IGGY_ERR_") {
			name := "Err" + goName(strings.TrimPrefix(m.name, "IGGY_ERR_"))
			fmt.Fprintf(&b, "// %s is %s (%d): %s\n%s Status = %d\n", name, m.name, m.value, lowerFirst(strings.Join(m.doc, " ")), name, m.value)
		}
	}
	b.WriteString(")\n")
	return b.Bytes()
}

var (
	reGoType  = regexp.MustCompile(`^type (\w+) struct \{$`)
	reGoField = regexp.MustCompile(`^\s+(\w+)\s+(\S+)$`)
)

func headersFile(views []view, godefs []byte) []byte {
	byGo := map[string]view{}
	for _, v := range views {
		byGo[v.goName] = v
	}
	var b bytes.Buffer
	b.WriteString(generatedBy)
	b.WriteString("package iggyconsensus\n\n")
	var cur *view
	for _, line := range strings.Split(string(godefs), "\n") {
		if m := reGoType.FindStringSubmatch(line); m != nil {
			if v, ok := byGo[m[1]]; ok {
				cur = &v
				first := reViewDoc.ReplaceAllString(v.doc[0], fmt.Sprintf("%s mirrors the C view %s of `$1`", v.goName, v.cName))
				writeDoc(&b, append([]string{first}, v.doc[1:]...))
				b.WriteString("//\n// Its fields are the C fields in Go case (checksum_body is ChecksumBody,\n" +
					"// user_id UserID), enum bytes typed; it is 256 bytes. Use it in place with ViewHeader.\n")
			} else if m[1] == "U128" {
				cur = nil
				b.WriteString("// U128 is a wire u128 (C iggy_u128): the two little-endian halves,\n// least significant first.\n")
			} else {
				log.Fatalf("godefs: unexpected type %s", m[1])
			}
			b.WriteString(line + "\n")
			continue
		}
		if m := reGoField.FindStringSubmatch(line); m != nil {
			name, typ := m[1], m[2]
			if name != "_" {
				cName := strings.ToLower(name[:1]) + name[1:]
				name = goName(cName)
				if cur != nil {
					fd, ok := cur.fields[cName]
					if !ok {
						log.Fatalf("godefs: %s has no field %s in the header", cur.cName, cName)
					}
					if fd.enumType != "" {
						typ = fd.enumType
					}
				}
			}
			fmt.Fprintf(&b, "\t%s %s\n", name, typ)
			continue
		}
		if line == "}" {
			b.WriteString("}\n\n")
		}
	}
	b.WriteString("// Header is any of the header views: the type parameter of ViewHeader.\ntype Header interface {\n\t")
	names := make([]string, len(views))
	for i, v := range views {
		names[i] = v.goName
	}
	b.WriteString(strings.Join(names, " | "))
	b.WriteString("\n}\n")
	return b.Bytes()
}

func cabiFile(macros []macro, views []view) []byte {
	var b bytes.Buffer
	b.WriteString(generatedBy)
	b.WriteString("package iggyconsensus\n\n")
	b.WriteString("// For the tests only: the generated Go declarations beside the C ones they mirror.\n")
	b.WriteString("// Nothing here is called by the package, so the linker drops it from programs.\n\n")
	b.WriteString("/*\n#include \"iggy_consensus.h\"\n*/\nimport \"C\"\n\nimport \"reflect\"\n\n")
	b.WriteString("// cConstants maps each mirrored C macro to {the Go constant, the C value}.\n")
	b.WriteString("func cConstants() map[string][2]uint64 {\n\treturn map[string][2]uint64{\n")
	sorted := append([]macro(nil), macros...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, m := range sorted {
		goConst := ""
		if name, ok := sizeMacros[m.name]; ok {
			goConst = name
		} else if strings.HasPrefix(m.name, "IGGY_ERR_") {
			goConst = "Err" + goName(strings.TrimPrefix(m.name, "IGGY_ERR_"))
		} else {
			for _, e := range enumPrefixes {
				if strings.HasPrefix(m.name, e.macro) {
					variant := goName(strings.TrimPrefix(m.name, e.macro))
					if d := reVariant.FindStringSubmatch(strings.Join(m.doc, " ")); d != nil && d[1] == e.goType {
						variant = d[2]
					}
					goConst = e.goType + variant
				}
			}
		}
		if goConst == "" {
			if !skippedMacros.MatchString(m.name) {
				fmt.Fprintf(os.Stderr, "gen: warning: %s has no Go mirror (add it to the generator)\n", m.name)
			}
			continue
		}
		fmt.Fprintf(&b, "\t\t%q: {uint64(%s), C.%s},\n", m.name, goConst, m.name)
	}
	b.WriteString("\t}\n}\n\n")
	b.WriteString("// cHeaderTypes maps each header view to {its Go type, the cgo type of its C struct}.\n")
	b.WriteString("func cHeaderTypes() map[string][2]reflect.Type {\n\treturn map[string][2]reflect.Type{\n")
	fmt.Fprintf(&b, "\t\t\"iggy_u128\": {reflect.TypeFor[U128](), reflect.TypeFor[C.iggy_u128]()},\n")
	for _, v := range views {
		fmt.Fprintf(&b, "\t\t%q: {reflect.TypeFor[%s](), reflect.TypeFor[C.%s]()},\n", v.cName, v.goName, v.cName)
	}
	b.WriteString("\t}\n}\n")
	return b.Bytes()
}
