#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets from the public golden vectors.

Every vector's input bytes become one file (named by the vector id) in
corpus/frame_validate/ and corpus/buffer_ops/. corpus/stream/ gets streams in the
stream target's layout (fuzz/src/stream_check.rs: two reader configuration bytes, two
writer limit bytes, a script length, the script, the stream): three valid frames back to
back, every other one followed by a frame that fails validation, under varied
configurations and chunk scripts, and each also cut short. Standard library only; the
corpus is generated at run time and not committed (fuzz/corpus/ is git-ignored).

Usage: python3 fuzz/gen_corpus.py [VECTORS.jsonl] [CORPUS_DIR]
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    vectors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        HERE, "..", "tests", "vectors", "wire-public.jsonl")
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "corpus")
    targets = ["frame_validate", "buffer_ops"]
    for target in targets:
        os.makedirs(os.path.join(corpus, target), exist_ok=True)
    count = 0
    with open(vectors, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line:
                continue
            vector = json.loads(line)
            data = bytes.fromhex(vector["hex"])
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in vector["id"])
            for target in targets:
                with open(os.path.join(corpus, target, name), "wb") as out:
                    out.write(data)
            count += 1
    streams = stream_seeds(vectors, os.path.join(corpus, "stream"))
    print(f"{count} seed inputs in {corpus}/{{{','.join(targets)}}}, "
          f"{streams} in {corpus}/stream")
    return 0


# (validation and read_ahead byte, max_frame byte) and chunk scripts for stream seeds.
STREAM_CONFIGS = [(0, 0), (1, 0), (2, 0), (3, 0), (4, 3), (14, 0), (15, 4), (17, 7)]
STREAM_SCRIPTS = [b"", b"\x3f", b"\x40\x81\x42\xc7\x6a\x2b", b"\x45\xc0\x2a\x6d\x30\xb8"]


def is_good(vector) -> bool:
    """Whether the vector's bytes pass the whole-frame check."""
    if vector["kind"] == "typed":
        return vector.get("frame_validate") == "ok"
    return vector.get("expect") == "ok" and vector["kind"] in ("inbound", "seal", "batch")


def stream_seeds(vectors: str, out: str) -> int:
    os.makedirs(out, exist_ok=True)
    good, bad = [], []
    with open(vectors, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                vector = json.loads(line)
                data = bytes.fromhex(vector["hex"])
                if len(data) >= 256:
                    (good if is_good(vector) else bad).append(data)
    count = 0
    for i in range((len(good) + 2) // 3):
        stream = b"".join(good[(3 * i + k) % len(good)] for k in range(3))
        if i % 2 == 1 and bad:
            stream += bad[i % len(bad)]
        config = STREAM_CONFIGS[i % len(STREAM_CONFIGS)]
        script = STREAM_SCRIPTS[i % len(STREAM_SCRIPTS)]
        for cut, name in ((len(stream), "whole"), (len(stream) - 100, "cut")):
            head = bytes([config[0], config[1], i % 9, (i * 7) % 256, len(script)])
            with open(os.path.join(out, f"stream-{i:03}-{name}"), "wb") as seed:
                seed.write(head + script + stream[:cut])
            count += 1
    return count


if __name__ == "__main__":
    sys.exit(main())
