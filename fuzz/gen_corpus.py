#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets from the public golden vectors.

Every vector's input bytes become one file (named by the vector id) in
corpus/frame_validate/ and corpus/buffer_ops/. Standard library only; the corpus is
generated at run time and not committed (fuzz/corpus/ is git-ignored).

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
    print(f"{count} seed inputs in {corpus}/{{{','.join(targets)}}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
