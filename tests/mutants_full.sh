#!/usr/bin/env bash
# make mutants: the full cargo-mutants pass over src/buf, src/wire, src/ffi and src/stream
# (issue 15), in two stages so that most mutants cost one test binary's rebuild instead
# of nine.
#
# 1. Every mutant against the library's unit tests (`cargo test --lib`): one binary to
#    rebuild, about 2 CPU-seconds. Seven mutants in eight that build fail here.
# 2. The mutants the unit tests missed against the integration tests (`cargo test
#    --test '*'`: the library and the eight tests/ binaries, the C layer's ffi_* tests
#    among them), about 5 CPU-seconds each.
#
# A mutant is missed here exactly when one pass with all the tests (`cargo test --lib
# --tests`, as `make mutants-diff` runs) would miss it: that pass builds everything and
# then runs the unit-test binary first, stopping at the first binary that fails; a
# mutant survives it when the unit tests and then the integration tests all build and
# pass, which is surviving stage 1 and then stage 2. (The one difference is in the
# other verdicts: a mutant that the unit tests catch but that breaks an integration
# test's build counts as caught here and as not building there.)
#
# MUTANTS_ARGS (e.g. `--shard 0/4`, `-F src/buf/storage`) choose stage 1's mutants;
# stage 2 takes stage 1's survivors by name. Exit status: 0 when nothing is missed, 2
# when a mutant survives both stages (listed in $OUT/full/mutants.out/missed.txt), and
# cargo-mutants' own status when a stage fails to run.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
JOBS=${MUTANTS_JOBS:-2}
OUT=${MUTANTS_OUT:-build/mutants}
read -r -a args <<< "${MUTANTS_ARGS:-}"

# cargo-mutants' status: 0 all caught, 2 some missed, 3 some timed out (2 wins when
# both); anything else means the stage did not run to the end.
run_stage() {
  local status=0
  "$CARGO" mutants --jobs "$JOBS" "$@" || status=$?
  case $status in
    0 | 2 | 3) ;;
    *) echo "mutants: cargo mutants failed (exit $status)"; exit "$status" ;;
  esac
}

# The number of lines in one of a stage's result lists (0 when it has none).
count() {
  if [ -f "$1" ]; then grep -c . "$1" || true; else echo 0; fi
}

rm -rf "$OUT/unit" "$OUT/full"
mkdir -p "$OUT/unit" "$OUT/full"

echo "mutants: stage 1: every mutant against the unit tests (cargo test --lib)"
# The unit tests take well under a second; 10 s bounds a mutant that loops.
run_stage --cargo-arg=--lib --minimum-test-timeout 10 -o "$OUT/unit" "${args[@]}"
unit=$OUT/unit/mutants.out
survivors=$OUT/survivors.txt
cp "$unit/missed.txt" "$survivors" 2> /dev/null || : > "$survivors"

echo "mutants: stage 1: $(count "$unit/caught.txt") caught," \
  "$(count "$unit/unviable.txt") unviable, $(count "$unit/timeout.txt") timeouts," \
  "$(count "$survivors") survived"

full=$OUT/full/mutants.out
if [ -s "$survivors" ]; then
  echo "mutants: stage 2: the $(count "$survivors") survivors against the integration tests" \
    "(cargo test --test '*')"
  # cargo-mutants --iterate skips the mutants named in previously_caught.txt; naming
  # every mutant but the survivors leaves exactly the survivors. (Not `-F` regexes: they
  # do not filter struct-field deletions.)
  mkdir -p "$full"
  "$CARGO" mutants --list > "$OUT/all.txt"
  grep -vxF -f "$survivors" "$OUT/all.txt" > "$full/previously_caught.txt" || true
  run_stage '--cargo-arg=--test=*' -o "$OUT/full" --iterate
fi

caught=$(( $(count "$unit/caught.txt") + $(count "$full/caught.txt") ))
missed=$(count "$full/missed.txt")
timeouts=$(( $(count "$unit/timeout.txt") + $(count "$full/timeout.txt") ))
unviable=$(( $(count "$unit/unviable.txt") + $(count "$full/unviable.txt") ))
echo "mutants: in all: $caught caught, $missed missed, $timeouts timeouts, $unviable unviable" \
  "(stage 1: $OUT/unit/mutants.out, stage 2: $OUT/full/mutants.out)"
if [ "$missed" -ne 0 ]; then
  echo "mutants: MISSED, listed in $full/missed.txt: add a test that fails for each, or (if it" \
    "cannot change behaviour) an exclude_re entry with its reason in .cargo/mutants.toml"
  exit 2
fi
