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

Instructions are not time: an atomic read-modify-write is one instruction but costs
~20 cycles, a cache miss costs hundreds. Use them for what is executed, not for what
it costs.
"""

import json
import os
import re
import subprocess
import sys

OUT = "build/callgrind"

# (row, C-API loop, plain-C loop, Rust core loop, Rust capi loop)
ROWS = [
    ("4 KiB alloc + free", "api_alloc_free", "base_alloc_free",
     "count_core_alloc_free", "count_capi_alloc_free"),
    ("alloc + write 256 B + freeze + release", "api_alloc_freeze_release",
     "base_alloc_freeze_release", "count_core_alloc_freeze_release",
     "count_capi_alloc_freeze_release"),
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


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 102400
    if n % 1024:
        sys.exit("callgrind.py: N must be a multiple of 1024")
    os.makedirs(OUT, exist_ok=True)
    c = callgrind(["build/bench", "--count", str(n)], "c")
    env = dict(os.environ, IGGY_BENCH_COUNT=str(n))
    r = callgrind([rust_bench_binary()], "rust", env)

    def per_op(costs, fn):
        return costs[fn] / n if fn in costs else float("nan")

    print(f"instructions per operation (callgrind, N = {n}; exact, repeatable)\n")
    print("| operation | C API (C, .so) | plain-C baseline | C API / baseline "
          "| Rust core | C API from Rust | C API / core |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, api, base, core, capi in ROWS:
        a, b = per_op(c, api), per_op(c, base)
        co, ca = per_op(r, core), per_op(r, capi)
        print(f"| {name} | {a:.1f} | {b:.1f} | {a / b:.2f} | {co:.1f} | {ca:.1f} "
              f"| {ca / co:.2f} |")
    for name, fn in EXTRA_RUST:
        print(f"| {name} | | | | {per_op(r, fn):.1f} | | |")


if __name__ == "__main__":
    main()
