#!/usr/bin/env bash
# make mutants-diff: cargo-mutants over the lines of src/ that a change touched, so a
# change that adds untested logic fails `make test` (issue 15). `make mutants` is the
# full pass.
#
# The change is the working tree against MUTANTS_BASE when it is set; otherwise against
# the merge base with origin/main (or main, in a clone without a remote), or, where
# that is HEAD itself (CI's fresh clone of
# main, or a branch with nothing of its own), against HEAD's first parent: the last
# commit. A repository of one commit, or a change that touches no Rust source in
# scope, has no mutants: the pass says so and succeeds.
#
# Bounded: past MUTANTS_DIFF_MAX mutants (a large merge), it tests one deterministic
# slice of them (cargo-mutants --shard), says which, and counts only those.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
MAX=${MUTANTS_DIFF_MAX:-24}
OUT=${MUTANTS_DIFF_OUT:-build/mutants-diff}

base=${MUTANTS_BASE:-}
if [ -z "$base" ]; then
  head=$(git rev-parse HEAD)
  for main in origin/main main; do
    if git rev-parse -q --verify "$main" > /dev/null; then
      base=$(git merge-base HEAD "$main" || true)
      break
    fi
  done
  if [ -z "$base" ] || [ "$base" = "$head" ]; then
    base=$(git rev-parse -q --verify 'HEAD^1' || true)
  fi
fi
if [ -z "$base" ]; then
  echo "mutants-diff: HEAD has no parent and no merge base: no change to test"
  exit 0
fi

mkdir -p "$OUT"
diff="$OUT/change.diff"
git diff "$base" -- 'src/*.rs' > "$diff"
if [ ! -s "$diff" ]; then
  echo "mutants-diff: no Rust source in src/ changed since $(git rev-parse --short "$base"): no mutants"
  exit 0
fi

count=$("$CARGO" mutants --in-diff "$diff" --list | grep -c . || true)
echo "mutants-diff: $count mutants in the change since $(git rev-parse --short "$base")"
if [ "$count" -eq 0 ]; then
  exit 0
fi
shard=()
if [ "$count" -gt "$MAX" ]; then
  shards=$(( (count + MAX - 1) / MAX ))
  echo "mutants-diff: more than $MAX: testing slice 0/$shards (round-robin), about $MAX of them"
  shard=(--shard "0/$shards" --sharding round-robin)
fi

status=0
"$CARGO" mutants --in-diff "$diff" "${shard[@]}" --cargo-arg=--lib --cargo-arg=--tests \
  --jobs "${MUTANTS_JOBS:-2}" -o "$OUT" || status=$?
case $status in
  0) echo "mutants-diff: every mutant of the change was caught (or does not build)" ;;
  2) echo "mutants-diff: MISSED mutants, listed in $OUT/mutants.out/missed.txt: add a test" \
       "that fails for each, or (if it cannot change behaviour) an exclude_re entry with its" \
       "reason in .cargo/mutants.toml"; exit 1 ;;
  3) echo "mutants-diff: some mutants timed out ($OUT/mutants.out/timeout.txt): a mutant that" \
       "hangs the tests is counted as caught" ;;
  *) echo "mutants-diff: cargo mutants failed (exit $status)"; exit "$status" ;;
esac
