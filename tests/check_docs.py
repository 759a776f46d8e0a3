#!/usr/bin/env python3
"""check-docs: the user documentation holds together on its own.

A user clones this repository alone, so its documents must neither point at files
that are not in it nor cite a specification only the developers have. This script
checks, and exits non-zero on any problem:

1. Links. Every relative link in README.md, docs/*.md, go/README.md and
   tests/vectors/README.md resolves to a file or folder of the repository, and every
   `#anchor` to a heading of the target Markdown file (GitHub's anchor rules:
   lowercase, punctuation dropped, spaces to hyphens, `-1`, `-2` for repeats).
2. No pointer outside the repository in the documents, the header's comments, the Go
   sources or the C examples: no `../shared`, no section sign (a section of a
   specification), no "wire spec", no `wire-format.md`, `iobuf.md` or bare
   `c-api.md` (the one in the repository is docs/c-api.md).
3. The C in the documentation compiles. In docs/recipes.md (and any other page but
   docs/c-api.md) every ```c block is a complete translation unit, compiled with
   `$CC -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -c`, unless the line before
   its fence is `<!-- fragment -->`. In docs/c-api.md every ```c block of prototypes is
   compiled after `#include "iggy_consensus.h"`, so each documented signature must
   match the header's; a block that restates a struct or macros has its field names,
   macro names and literal values compared with the header instead.
4. The Go in the documentation builds: with Go available (`$GO`, else `go` on PATH),
   every ```go block of docs/ is a gofmt-ed file of its own package, and `go vet`
   passes on it against the binding in go/. Without Go this step is skipped with a
   notice.
5. Coverage of docs/c-api.md: a `### name` heading for every function the header
   declares, and a table row for every status code and every rule code.

Python 3 standard library only. Usage: tests/check_docs.py [--no-compile]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "include" / "iggy_consensus.h"
C_API = ROOT / "docs" / "c-api.md"

LINKED_DOCS = ["README.md", "docs/*.md", "go/README.md", "tests/vectors/README.md"]
# tests/vectors/README.md is a verbatim copy of the shared vectors' README (check-vectors
# keeps it so) and describes where the vectors came from: its links are checked, but
# its references to the specification they were generated from are provenance.
SELF_CONTAINED = [
    "README.md",
    "docs/*.md",
    "go/README.md",
    "go/**/*.go",
    "include/iggy_consensus.h",
    "examples-c/*",
]

OUTSIDE = [
    (re.compile(r"\.\./shared\b"), "the shared folder beside the repository"),
    (re.compile(r"\bshared/(?:spec|vectors)\b"), "the shared specification folder"),
    (re.compile("\u00a7"), "a section sign: a section of a specification users do not have"),
    (re.compile(r"\bwire[ -]spec(?:ification)?\b", re.I), "the wire specification, not in the repository"),
    (re.compile(r"\bwire-format\.md\b"), "the wire specification, not in the repository"),
    (re.compile(r"\biobuf\.md\b"), "the buffer specification, not in the repository"),
]
# Outside docs/, a bare `c-api.md` names the specification; the reference is docs/c-api.md.
BARE_C_API = (re.compile(r"(?<![\w/.-])c-api\.md"), "c-api.md without docs/: the specification, not docs/c-api.md")

CWARN = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"]

problems: list[str] = []


def problem(path: Path, line: int | None, text: str) -> None:
    where = str(path.relative_to(ROOT)) + (f":{line}" if line else "")
    problems.append(f"{where}: {text}")


def expand(patterns: list[str]) -> list[Path]:
    files: list[Path] = []
    for pattern in patterns:
        files.extend(p for p in sorted(ROOT.glob(pattern)) if p.is_file())
    return list(dict.fromkeys(files))


# --- Markdown -----------------------------------------------------------------------

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)")


def split_fences(lines: list[str]):
    """Yields (line number, line, None) for prose and, once per fenced block,
    (line number of the opening fence, info word, [block lines])."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            yield i + 1, lines[i], None
            i += 1
            continue
        marker, info, start = m.group(1), m.group(2), i
        i += 1
        body = []
        while i < len(lines) and not lines[i].lstrip().startswith(marker):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        yield start + 1, info, body


def strip_inline_code(text: str) -> str:
    return re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"<[^>]+>", "", text)  # HTML tags
    text = text.replace("`", "").strip().lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in " -" or cat[0] in "LMN" or cat == "Pc":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors_of(path: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    prose_prev = ""
    for _, line, block in split_fences(lines):
        if block is not None:
            prose_prev = ""
            continue
        heading = None
        m = re.match(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            heading = m.group(2)
        elif re.match(r"^\s{0,3}(=+|-+)\s*$", line) and prose_prev.strip() and not re.match(
            r"^\s*([|>*+-]|\d+\.)", prose_prev
        ):
            heading = prose_prev.strip()  # a setext heading
        if heading is not None:
            base = slug(heading)
            n = seen.get(base, 0)
            seen[base] = n + 1
            anchors.add(base if n == 0 else f"{base}-{n}")
        for m in re.finditer(r"<a\s+(?:id|name)=\"([^\"]+)\"", line):
            anchors.add(m.group(1))
        prose_prev = line
    return anchors


LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")


def check_links(path: Path, anchor_cache: dict[Path, set[str]]) -> int:
    count = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line, block in split_fences(lines):
        if block is not None:
            continue
        prose = strip_inline_code(line)
        targets = [m.group(1) for m in LINK.finditer(prose)]
        m = REFDEF.match(prose)
        if m:
            targets.append(m.group(1))
        for target in targets:
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                continue  # a URL (https:, mailto:)
            count += 1
            check_target(path, number, target, anchor_cache)
    return count


def check_target(path: Path, number: int, target: str, anchor_cache: dict[Path, set[str]]) -> None:
    file_part, _, anchor = target.partition("#")
    file_part = unquote(file_part)
    if file_part.startswith("/"):
        problem(path, number, f"link {target!r}: an absolute path; use a path relative to the file")
        return
    dest = (path.parent / file_part).resolve() if file_part else path
    try:
        dest.relative_to(ROOT)
    except ValueError:
        problem(path, number, f"link {target!r} points outside the repository")
        return
    if not dest.exists():
        problem(path, number, f"link {target!r}: no such file in the repository")
        return
    if not anchor:
        return
    anchor = unquote(anchor)
    if dest.is_dir():
        problem(path, number, f"link {target!r}: an anchor on a folder")
    elif dest.suffix.lower() == ".md":
        if dest not in anchor_cache:
            anchor_cache[dest] = anchors_of(dest)
        if anchor not in anchor_cache[dest]:
            problem(path, number, f"link {target!r}: no heading with the anchor #{anchor} in {dest.relative_to(ROOT)}")
    else:
        m = re.fullmatch(r"L(\d+)(?:-L(\d+))?", anchor)
        lines = len(dest.read_text(encoding="utf-8", errors="replace").splitlines())
        if not m or any(int(n) > lines for n in m.groups() if n):
            problem(path, number, f"link {target!r}: not a line (#L<n>) of {dest.relative_to(ROOT)}")


# --- pointers outside the repository ------------------------------------------------------


def check_self_contained(path: Path) -> None:
    in_docs = path.parent == ROOT / "docs"
    rules = OUTSIDE if in_docs else OUTSIDE + [BARE_C_API]
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, why in rules:
            if pattern.search(line):
                problem(path, number, f"points outside the repository ({why}): {line.strip()}")
                break


# --- the header --------------------------------------------------------------------


def strip_c_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def header_facts():
    text = strip_c_comments(HEADER.read_text(encoding="utf-8"))
    functions = re.findall(r"^[A-Za-z_][\w \t*]*?\b(iggy_\w+)\s*\(", text, flags=re.M)
    structs = {
        name: struct_fields(body)
        for name, body in re.findall(r"typedef struct (\w+) \{(.*?)\} \1;", text, flags=re.S)
    }
    macros = dict(re.findall(r"^#define (\w+)(?:[ \t]+(.*))?$", text, flags=re.M))
    macros = {k: (v or "").strip() for k, v in macros.items()}
    return list(dict.fromkeys(functions)), structs, macros


def struct_fields(body: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\b(\w+)\s*(?:\[[^\]]*\])?\s*;", body)]


# --- the C blocks ---------------------------------------------------------------------


def compile_c(source: str, tmp: Path, name: str) -> str | None:
    cc = os.environ.get("CC") or "cc"
    src = tmp / f"{name}.c"
    src.write_text(source, encoding="utf-8")
    cmd = [cc, *CWARN, f"-I{ROOT / 'include'}", "-c", str(src), "-o", str(tmp / f"{name}.o")]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        return (result.stderr or result.stdout).strip()
    return None


def check_restatement(path: Path, number: int, block: str, structs, macros) -> None:
    text = strip_c_comments(block)
    for name, body in re.findall(r"typedef struct (\w+) \{(.*?)\} \1;", text, flags=re.S):
        if name not in structs:
            problem(path, number, f"struct {name} is not in the header")
        elif struct_fields(body) != structs[name]:
            problem(path, number, f"struct {name}: fields {struct_fields(body)} differ from the header's {structs[name]}")
    for name, value in re.findall(r"^#define (\w+)(?:[ \t]+(.*))?$", text, flags=re.M):
        if name not in macros:
            problem(path, number, f"macro {name} is not in the header")
            continue
        ours, theirs = " ".join(value.split()), " ".join(macros[name].split())
        literal = re.fullmatch(r"-?\d+|\"[^\"]*\"|\{[{} 0]*\}", theirs)
        if literal and not name.startswith("IGGY_CONSENSUS_VERSION") and ours != theirs:
            problem(path, number, f"macro {name} is {theirs} in the header, {ours} here")


def check_c_blocks(path: Path, tmp: Path, structs, macros) -> int:
    compiled = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    reference = path == C_API
    for number, info, block in split_fences(lines):
        if block is None or info.lower() != "c":
            continue
        before = number - 2
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before >= 0 and lines[before].strip() == "<!-- fragment -->":
            continue
        source = "\n".join(block) + "\n"
        if reference and re.search(r"typedef struct|#define", source):
            check_restatement(path, number, source, structs, macros)
            continue
        if reference:
            source = '#include "iggy_consensus.h"\n' + source
        name = f"{path.stem}_{number}"
        error = compile_c(source, tmp, name)
        compiled += 1
        if error:
            problem(path, number, "the C block does not compile:\n    " + error.replace("\n", "\n    "))
    return compiled


# --- the Go blocks --------------------------------------------------------------------


def go_blocks() -> list[tuple[Path, int, str]]:
    found = []
    for path in expand(["docs/*.md"]):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, info, block in split_fences(lines):
            if block is not None and info.lower() == "go":
                found.append((path, number, "\n".join(block) + "\n"))
    return found


def check_go_blocks(tmp: Path) -> int | None:
    """Builds every Go block as a package of its own; None when there is no Go."""
    blocks = go_blocks()
    go = os.environ.get("GO") or shutil.which("go")
    if go and os.sep in go:
        go = str(Path(go).resolve())  # make passes .venv-go/bin/go, relative to the repository
    if not blocks:
        return 0
    if not go:
        print("check-docs: no Go (GO or go on PATH): the Go blocks were not built")
        return None
    module = "github.com/iggy-consensus/libiggy_consensus/go"
    version = re.search(r"^go (\S+)", (ROOT / "go" / "go.mod").read_text(), flags=re.M)
    (tmp / "go.mod").write_text(
        f"module example.com/docs\n\ngo {version.group(1) if version else '1.24'}\n\n"
        f"require {module} v0.0.0\n\nreplace {module} => {ROOT / 'go'}\n"
    )
    where = {}
    for i, (path, number, source) in enumerate(blocks):
        folder = tmp / f"block{i}"
        folder.mkdir()
        (folder / "block.go").write_text(source, encoding="utf-8")
        where[f"block{i}"] = (path, number)
    # -tags iggy_repo: the package links the library built in this repository, not an
    # installed one (go/link_repo.go).
    env = dict(os.environ, GOTOOLCHAIN="local", GOFLAGS="-mod=mod -tags=iggy_repo")
    gofmt = Path(subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, env=env).stdout.strip()) / "bin" / "gofmt"
    if gofmt.exists():
        result = subprocess.run([str(gofmt), "-l", "."], cwd=tmp, capture_output=True, text=True)
        for name in result.stdout.split():
            path, number = where[Path(name).parent.name]
            problem(path, number, "the Go block is not gofmt-ed")
    result = subprocess.run([go, "vet", "./..."], cwd=tmp, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        output = result.stderr + result.stdout
        blamed = False
        for name, (path, number) in where.items():
            mine = [line for line in output.splitlines() if f"{name}/" in line or f"/{name}" in line]
            if mine:
                blamed = True
                problem(path, number, "the Go block does not build:\n    " + "\n    ".join(mine))
        if not blamed:
            problem(ROOT / "docs", None, "go vet of the Go blocks failed:\n    " + output.strip().replace("\n", "\n    "))
    return len(blocks)


# --- coverage of the reference ----------------------------------------------------------


def check_coverage(functions: list[str], macros: dict[str, str]) -> None:
    text = C_API.read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\w+)\s*$", text, flags=re.M))
    for function in functions:
        if function not in headings:
            problem(C_API, None, f"no `### {function}` entry for a function of the header")
    rows = set(re.findall(r"^\|[^|]*\|\s*`(IGGY_\w+)`", text, flags=re.M))
    for name in macros:
        if (name == "IGGY_OK" or name.startswith(("IGGY_ERR_", "IGGY_RULE_"))) and name not in rows:
            problem(C_API, None, f"no table row for {name}")


def main() -> int:
    compile_blocks = "--no-compile" not in sys.argv[1:]
    anchor_cache: dict[Path, set[str]] = {}
    links = sum(check_links(path, anchor_cache) for path in expand(LINKED_DOCS))
    scanned = expand(SELF_CONTAINED)
    for path in scanned:
        check_self_contained(path)
    functions, structs, macros = header_facts()
    check_coverage(functions, macros)
    compiled, built = 0, None
    if compile_blocks:
        with tempfile.TemporaryDirectory(prefix="check_docs.") as tmp:
            for path in expand(["docs/*.md"]):
                compiled += check_c_blocks(path, Path(tmp), structs, macros)
        with tempfile.TemporaryDirectory(prefix="check_docs_go.") as tmp:
            built = check_go_blocks(Path(tmp))
    for line in problems:
        print(line)
    summary = (
        f"check-docs: {links} relative links, {len(scanned)} files scanned for pointers "
        f"outside the repository, {len(functions)} header functions, {compiled} C blocks compiled, "
        + ("Go blocks not built" if built is None else f"{built} Go blocks built")
    )
    if problems:
        print(f"{summary}: {len(problems)} problems")
        return 1
    print(f"{summary}: all good")
    return 0


if __name__ == "__main__":
    sys.exit(main())
