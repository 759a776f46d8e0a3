#!/usr/bin/env python3
"""make bench-stream: the frame reader and writer against hand-written framing, in one run.

1. build/bench_stream (benches/stream.c): reading frames of 256 B and 64 KiB, and
   writing batches of 1024 frames, over a socketpair and loopback TCP, each row against
   the hand-written loop it replaces.
2. The mini replica before issue 11 (examples-c/mini_replica.c as of BEFORE_COMMIT, its
   hand-written read_frame/write_all framing, rebuilt here from git) and after it (the
   reader and writer), with one request in flight and pipelined, alternating in one
   run: messages per second, the median of RUNS runs, and the ratio to "before" (the
   median of the runs' ratios, each between runs next to each other).

Usage: python3 benches/stream_bench.py [--runs N] [--stream-runs N] [--requests N]
Needs build/bench_stream and build/examples/mini_replica (make bench-stream builds them)
and git (for the program before; without it that part is skipped with a notice).
The load average is printed at the start and end of each part.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

# The last commit whose mini_replica.c framed by hand (the start of branch cmini).
BEFORE_COMMIT = "734e9d1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, os.environ.get("BUILD", "build"))
LAST_LINE = re.compile(r"([\d.]+) requests/s, ([\d.]+) messages/s")
CALLS_LINE = re.compile(r"system calls: .*\(([\d.]+) per frame")


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def build_before():
    """The mini replica as of BEFORE_COMMIT, built as make examples builds it."""
    source = os.path.join(BUILD, "mini_replica_before.c")
    binary = os.path.join(BUILD, "mini_replica_before")
    try:
        text = subprocess.run(
            ["git", "-C", ROOT, "show", f"{BEFORE_COMMIT}:examples-c/mini_replica.c"],
            check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"mini replica before: no git history of {BEFORE_COMMIT} here ({e}): skipped")
        return None
    with open(source, "w") as f:
        f.write(text)
    release = os.path.join(ROOT, "target", "release")
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-g",
                    f"-I{ROOT}/include", "-pthread", source, "-o", binary, f"-L{release}",
                    "-liggy_consensus", f"-Wl,-rpath,{release}"], check=True)
    return binary


def run_replica(argv):
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    match = LAST_LINE.search(out.strip().splitlines()[-1])
    if match is None:
        sys.exit(f"stream_bench: no messages/s in the output of {argv}:\n{out}")
    calls = CALLS_LINE.search(out)
    return float(match.group(2)), float(calls.group(1)) if calls else None


def mini_replica(runs, requests, per_request):
    before = build_before()
    after = os.path.join(BUILD, "examples", "mini_replica")
    variants = []
    if before is not None:
        variants.append(("before: hand-written framing, 1 in flight",
                         [before, str(requests), str(per_request)]))
    for depth in (1, 8, 64):
        variants.append((f"after: reader and writer, --pipeline {depth}",
                         [after, "--pipeline", str(depth), str(requests), str(per_request)]))
    print(f"\nmini replica: {requests} requests of {per_request} messages, {runs} runs; "
          f"load average at start: {load()}")
    rates = [[] for _ in variants]
    calls = [None for _ in variants]
    for run in range(runs):
        order = range(len(variants)) if run % 2 == 0 else reversed(range(len(variants)))
        for i in order:
            rate, calls[i] = run_replica(variants[i][1])
            rates[i].append(rate)
    print(f"{'variant':44}  {'messages/s':>10}  {'range':>19}  {'calls/frame':>11}  "
          f"ratio to the first (range)")
    for i, (label, _) in enumerate(variants):
        line = (f"{label:44}  {statistics.median(rates[i]):10.0f}  "
                f"{min(rates[i]):8.0f}-{max(rates[i]):<9.0f}  "
                f"{calls[i] if calls[i] is not None else '-':>11}")
        if i > 0 and before is not None:
            ratios = sorted(r / b for r, b in zip(rates[i], rates[0]))
            line += f"  {statistics.median(ratios):5.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"
        print(line)
    print(f"load average at end: {load()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="mini replica runs")
    parser.add_argument("--stream-runs", type=int, default=7, help="build/bench_stream runs")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--messages", type=int, default=16, help="messages per request")
    args = parser.parse_args()
    print(f"build/bench_stream --runs {args.stream_runs}", flush=True)
    subprocess.run([os.path.join(BUILD, "bench_stream"), "--runs", str(args.stream_runs)],
                   check=True)
    mini_replica(args.runs, args.requests, args.messages)


if __name__ == "__main__":
    main()
