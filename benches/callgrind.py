#!/usr/bin/env python3
"""Instructions per operation for every benchmark row, counted by callgrind.

Timings on a shared 2-core machine are noisy; instruction counts are exact and
repeatable. This runs build/bench (--count N) and the cargo bench binary
(IGGY_BENCH_COUNT=N) under `valgrind --tool=callgrind`, takes the inclusive
instruction count (Ir) of every loop function, divides it by N and prints a Markdown
table: C API (from C, through the shared library) against the plain-C baseline, and
the Rust core against the same extern "C" functions called from Rust.

    make lib && cc ... -o build/bench    (see BENCHMARKS.md), then
    python3 benches/callgrind.py [N]     (N a multiple of 1024; default 102400)

The regression guard (`make bench-guard`, part of `make test`):

    python3 benches/callgrind.py --guard     fail when any count rises > 5% over
                                             benches/callgrind-counts.json
    python3 benches/callgrind.py --update    rewrite benches/callgrind-counts.json

Both use the N recorded in the JSON file (8192 by default: ~1 min); commit the
updated counts in the same commit as the change that moved them.

Instructions are not time: an atomic read-modify-write is one instruction but costs
~20 cycles, a cache miss costs hundreds. Use them for what is executed, not for what
it costs.
"""

import argparse
import json
import os
import re
import subprocess
import sys

OUT = "build/callgrind"
COUNTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callgrind-counts.json")
GUARD_N = 8192
TOLERANCE = 0.05  # a count may rise by at most 5% over the committed one
COLUMNS = ("c_api", "c_baseline", "rust_core", "rust_capi")

# (row, C-API loop, plain-C loop, Rust core loop, Rust capi loop)
ROWS = [
    ("4 KiB alloc + free", "api_alloc_free", "base_alloc_free",
     "count_core_alloc_free", "count_capi_alloc_free"),
    ("alloc + write 256 B + freeze + release", "api_alloc_freeze_release",
     "base_alloc_freeze_release", "count_core_alloc_freeze_release",
     "count_capi_alloc_freeze_release"),
    ("frame from 256 B (one call) + release", "api_frame_from_bytes",
     "base_frame_from_bytes", "count_core_frame_from_bytes", "count_capi_frame_from_bytes"),
    ("clone + release", "api_clone_release", "base_clone_release",
     "count_core_clone_release", "count_capi_clone_release"),
    ("slice + release", "api_slice_release", "base_slice_release",
     "count_core_slice_release", "count_capi_slice_release"),
    ("split + rewrite header + coalesce", "api_split_batch", "base_split_batch",
     "count_core_split_coalesce", "count_capi_split_coalesce"),
    ("validate unsealed Request", "api_validate_request", "base_validate_request",
     "count_core_validate_request", "count_capi_validate_request"),
    ("validate sealed Commit", "api_validate_commit", "base_hash_240",
     "count_core_validate_commit", "count_capi_validate_commit"),
    ("seal a header", "api_seal", "base_seal", "count_core_seal", "count_capi_seal"),
    ("validate 1024 frames, per frame", "api_validate_batch", "base_validate_one_by_one",
     "count_core_validate_batch", "count_capi_validate_batch"),
]
EXTRA_RUST = [("XXH3-64 of 240 B (twox-hash, Rust)", "count_xxh3_240"),
              ("twox-hash oneshot of a &[u8; 240] (the reference's seal hash)",
               "count_twox_240_array"),
              ("the library's seal hash (frame_seal)", "count_seal_hash"),
              ("1024 x iggy_frame_validate from Rust, per frame",
               "count_capi_validate_one_by_one")]


def callgrind(cmd, name, env=None):
    out = os.path.join(OUT, name + ".out")
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd,
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                          check=True, capture_output=True, text=True).stdout
    costs = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+\S*?([A-Za-z_][\w]*) \[", line)
        if m:
            costs.setdefault(m.group(2), int(m.group(1).replace(",", "")))
    return costs


def rust_bench_binary():
    msgs = subprocess.run(["cargo", "bench", "--bench", "core_vs_capi", "--no-run",
                           "--message-format=json"], check=True, capture_output=True,
                          text=True).stdout
    for line in msgs.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") and \
                msg["target"]["name"] == "core_vs_capi":
            return msg["executable"]
    sys.exit("callgrind.py: no core_vs_capi executable from cargo")


def measure(n):
    """{row: {column: instructions per op}} for every row, counted with N = n."""
    os.makedirs(OUT, exist_ok=True)
    c = callgrind(["build/bench", "--count", str(n)], "c")
    env = dict(os.environ, IGGY_BENCH_COUNT=str(n))
    r = callgrind([rust_bench_binary()], "rust", env)

    def per_op(costs, fn):
        return round(costs[fn] / n, 1) if fn in costs else None

    rows = {}
    for name, api, base, core, capi in ROWS:
        rows[name] = dict(zip(COLUMNS, (per_op(c, api), per_op(c, base), per_op(r, core),
                                        per_op(r, capi))))
    for name, fn in EXTRA_RUST:
        rows[name] = {"rust_core": per_op(r, fn)}
    return rows


def table(n, rows):
    def f(x):
        return "" if x is None else f"{x:.1f}"

    def ratio(a, b):
        return "" if a is None or b is None or b == 0 else f"{a / b:.2f}"

    print(f"instructions per operation (callgrind, N = {n}; exact, repeatable)\n")
    print("| operation | C API (C, .so) | plain-C baseline | C API / baseline "
          "| Rust core | C API from Rust | C API / core |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, v in rows.items():
        a, b = v.get("c_api"), v.get("c_baseline")
        co, ca = v.get("rust_core"), v.get("rust_capi")
        print(f"| {name} | {f(a)} | {f(b)} | {ratio(a, b)} | {f(co)} | {f(ca)} "
              f"| {ratio(ca, co)} |")


def guard(rows, committed):
    """Every committed count against today's; True when none rose more than TOLERANCE."""
    ok = True
    print(f"\nregression guard: each count against {os.path.relpath(COUNTS)} "
          f"(fails above +{TOLERANCE:.0%})")
    for name, cols in committed["rows"].items():
        for col, old in cols.items():
            new = rows.get(name, {}).get(col)
            if old is None:
                continue
            if new is None:
                print(f"  MISSING  {name} / {col}: committed {old}, not measured")
                ok = False
                continue
            change = (new - old) / old if old else 0.0
            verdict = "ok"
            if change > TOLERANCE:
                verdict, ok = "REGRESSED", False
            elif change < -TOLERANCE:
                verdict = "improved (run --update and commit the counts)"
            if verdict != "ok" or abs(change) > 0.005:
                print(f"  {verdict:9} {name} / {col}: {old} -> {new} ({change:+.1%})")
    print("bench-guard: " + ("passed" if ok else "FAILED: a count rose more than "
                             f"{TOLERANCE:.0%}; if deliberate, run "
                             "`python3 benches/callgrind.py --update` and commit it"))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, help="operations per loop (multiple of 1024)")
    ap.add_argument("--guard", action="store_true",
                    help="fail when a count rises > 5%% over benches/callgrind-counts.json")
    ap.add_argument("--update", action="store_true",
                    help="write today's counts to benches/callgrind-counts.json")
    args = ap.parse_args()
    committed = None
    if args.guard or args.update:
        if os.path.exists(COUNTS):
            with open(COUNTS) as fh:
                committed = json.load(fh)
        n = args.n or (committed or {}).get("n", GUARD_N)
    else:
        n = args.n or 102400
    if n % 1024:
        sys.exit("callgrind.py: N must be a multiple of 1024")
    rows = measure(n)
    table(n, rows)
    if args.update:
        with open(COUNTS, "w") as fh:
            json.dump({"n": n, "tolerance": TOLERANCE, "rows": rows}, fh, indent=1)
            fh.write("\n")
        print(f"\nwrote {os.path.relpath(COUNTS)}")
    if args.guard:
        if committed is None:
            sys.exit(f"callgrind.py: no {COUNTS}: run --update first")
        if not guard(rows, committed):
            sys.exit(1)


if __name__ == "__main__":
    main()
