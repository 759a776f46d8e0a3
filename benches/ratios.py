#!/usr/bin/env python3
"""Every row of `cargo bench --bench core_vs_capi` (divan) and of the Go benchmarks with
its ratio, as Markdown tables (`make bench` pipes both through this).

    cargo bench --bench core_vs_capi | python3 benches/ratios.py divan
    go test -bench . -benchmem | python3 benches/ratios.py go

The input is echoed first, then the table. Medians are divan's; for Go, the median of
the -count runs of each benchmark.
"""

import re
import statistics
import sys

UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}

# divan group -> (what the row is, the candidate, the baseline, per-call divisor)
DIVAN = [
    ("alloc_free", "4 KiB alloc + free", "capi", "core", 1),
    ("alloc_write_freeze_release", "alloc + write 256 B + freeze + release", "capi", "core", 1),
    ("frame_from_bytes_release", "frame from 256 B (one call) + release", "capi", "core", 1),
    ("clone_release", "clone + release", "capi", "core", 1),
    ("slice_release", "slice + release", "capi", "core", 1),
    ("split_rewrite_coalesce", "split + rewrite header + coalesce", "capi", "core", 1),
    ("validate_request", "validate unsealed Request", "capi", "core", 1),
    ("validate_commit", "validate sealed Commit", "capi", "core", 1),
    ("seal_header", "seal a header", "capi", "core", 1),
    ("validate_1024", "validate 1024 frames, per frame", "capi", "core", 1024),
]
# Ratios other than C API / core: (group, label, candidate, baseline, divisor).
DIVAN_EXTRA = [
    ("validate_commit", "seal hash (frame_seal) / twox oneshot of a &[u8; 240]",
     "seal_hash", "twox_oneshot_240_array", 1),
    ("validate_commit", "seal hash (frame_seal) / xxh3_64 of a 240-byte slice",
     "seal_hash", "xxh3_240", 1),
    ("validate_1024", "1024 frames in one call / 1024 calls (C API), per frame",
     "capi", "capi_one_by_one", 1024),
]


def ns(text):
    m = re.match(r"\s*([\d.]+)\s*(ps|ns|µs|us|ms|s)\s*$", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def divan(lines):
    """{group: {bench: median ns}} from divan's tree output."""
    medians, group = {}, None
    for line in lines:
        m = re.match(r"^[├╰]─ (\w+)\s", line)
        if m:
            group = m.group(1)
            continue
        m = re.match(r"^[│ ]  [├╰]─ (\w+)\s+(.*)$", line)
        if m and group:
            cols = m.group(2).split("│")
            if len(cols) >= 3 and ns(cols[2]) is not None:
                medians.setdefault(group, {})[m.group(1)] = ns(cols[2])
    return medians


def divan_table(medians):
    def row(label, group, cand, base, div):
        g = medians.get(group, {})
        a, b = g.get(cand), g.get(base)
        if a is None or b is None:
            return f"| {label} | | | |"
        return f"| {label} | {a / div:.2f} | {b / div:.2f} | {a / b:.2f} |"

    print("\n| operation | C API ns | Rust core ns | C API / core |")
    print("|---|---:|---:|---:|")
    for group, label, cand, base, div in DIVAN:
        print(row(label, group, cand, base, div))
    print("\n| ratio | candidate ns | baseline ns | candidate / baseline |")
    print("|---|---:|---:|---:|")
    for group, label, cand, base, div in DIVAN_EXTRA:
        print(row(label, group, cand, base, div))


def go(lines):
    """{benchmark: ([ns/op], [allocs/op], {metric: [values]})} from go test -bench."""
    runs = {}
    for line in lines:
        m = re.match(r"^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$", line)
        if not m:
            continue
        fields = dict((unit, float(v)) for v, unit in re.findall(r"([\d.]+) (\S+)", m.group(2)))
        r = runs.setdefault(m.group(1), {})
        for unit, v in fields.items():
            r.setdefault(unit, []).append(v)
    return runs


def go_table(runs):
    def med(name, unit="ns/op"):
        v = runs.get(name, {}).get(unit)
        return statistics.median(v) if v else None

    def f(x):
        return "" if x is None else f"{x:.2f}"

    print("\n| benchmark | ns/op (median) | allocs/op |")
    print("|---|---:|---:|")
    for name in runs:
        print(f"| {name} | {f(med(name))} | {f(med(name, 'allocs/op'))} |")
    pairs = [(n, n + "/bare-cgo") for n in runs if n + "/bare-cgo" in runs]
    pairs += [("ValidateFramesPacked1024/go", "ValidateFramesPacked1024/c")]
    print("\n| ratio | candidate ns | baseline ns | candidate / baseline |")
    print("|---|---:|---:|---:|")
    for cand, base in pairs:
        a, b = med(cand), med(base)
        if a is not None and b is not None:
            print(f"| {cand} / {base} | {a:.2f} | {b:.2f} | {a / b:.2f} |")


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("divan", "go"):
        sys.exit(__doc__)
    lines = []
    for line in sys.stdin:
        sys.stdout.write(line)
        lines.append(line.rstrip("\n"))
    sys.stdout.flush()
    if sys.argv[1] == "divan":
        divan_table(divan(lines))
    else:
        go_table(go(lines))


if __name__ == "__main__":
    main()
