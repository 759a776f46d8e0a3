/*
 * bench.c: ns/op of the C API against plain-C baselines, in one run.
 *
 * Every row times an operation through the C API (the shared library, as a C broker
 * links it) and, interleaved with it in the same process, a plain-C baseline doing
 * the same work by hand. BENCHMARKS.md explains every row and what its ratio means.
 *
 *   build/bench                 the table: median of RUNS runs of ~MS ms each
 *   build/bench --runs 9 --ms 100
 *   build/bench --only ROW      one row (1-based), e.g. under perf record
 *   build/bench --count N       each loop exactly N times, untimed (for callgrind:
 *                               instructions per op = inclusive Ir of the loop / N;
 *                               benches/callgrind.py does this for every row)
 *
 * Method: each loop function below does one operation per iteration and nothing
 * else; results reach a compiler barrier (KEEP) so no work can be dropped, and inputs
 * pass through LAUNDER so nothing is hoisted out of the loop. Each variant is
 * calibrated to ~MS ms per run, then API and baseline runs alternate (ABBA order) so
 * drifts in machine load hit both; the table shows the median and the range.
 */
#define _POSIX_C_SOURCE 200809L

#include <malloc.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xxhash.h>

#include "iggy_consensus.h"
#define BENCH_NAME "bench"
#include "bench_util.h"

#define NOINLINE __attribute__((noinline))
/* The compiler must assume `x` is read and any memory may have changed. */
#define KEEP(x) __asm__ volatile("" : : "r"(x) : "memory")
/* The compiler forgets what it knew about the value of `x`. */
#define LAUNDER(x) __asm__ volatile("" : "+r"(x))

#define MAX_RUNS 51
#define BATCH 1024      /* frames per iggy_frames_validate call */
#define SPLIT_BATCH 128 /* buffers prepared (untimed) per timed split batch */
#define FRAME_LEN 4096  /* the 4 KiB message buffer */
#define SPLIT_LEN 512   /* the split row's frames: header + 256 B body, 4 KiB capacity */

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* --- fixtures ----------------------------------------------------------------------- */

static uint8_t *g_request;           /* a valid, unsealed Request header (256 B) */
static uint8_t *g_commit;            /* a valid, sealed Commit header (256 B) */
static uint8_t *g_seal;              /* a Commit header that the seal rows overwrite */
static uint8_t g_header[256];        /* the header written by the split row */
static iggy_frozen g_frozen;         /* a frozen 4 KiB frame, for clone and slice */
static uint8_t *g_frames;            /* BATCH headers, Requests and Commits alternating */
static const uint8_t *g_frame_ptrs[BATCH];
static size_t g_frame_lens[BATCH];
static iggy_status g_statuses[BATCH];

/* The plain-C model of a frozen buffer: data from posix_memalign, a malloc'd count. */
typedef struct {
    _Atomic size_t count;
} rc_block;

typedef struct {
    uint8_t *ptr;
    size_t len;
    rc_block *rc;
    uint8_t *base;
} view;

static view g_view; /* the baseline's frozen 4 KiB frame (count 1) */

static void view_release(view *v) {
    if (atomic_fetch_sub_explicit(&v->rc->count, 1, memory_order_release) == 1) {
        atomic_thread_fence(memory_order_acquire);
        free(v->base);
        free(v->rc);
    }
}

static void *aligned_alloc_or_die(size_t len) {
    void *p = NULL;
    if (posix_memalign(&p, IGGY_MESSAGE_ALIGN, len) != 0) fail("posix_memalign", "out of memory");
    return p;
}

static void fill_request(uint8_t *h, uint64_t request) {
    memset(h, 0, IGGY_HEADER_SIZE);
    iggy_request_header *r = (iggy_request_header *)h;
    r->size = IGGY_HEADER_SIZE;
    r->command = IGGY_COMMAND_REQUEST;
    r->client.lo = 0xc11e47;
    r->session = 1;
    r->request = request;
    r->operation = IGGY_OPERATION_SEND_MESSAGES;
}

static void fill_commit(uint8_t *h, uint64_t commit) {
    memset(h, 0, IGGY_HEADER_SIZE);
    iggy_commit_header *c = (iggy_commit_header *)h;
    c->size = IGGY_HEADER_SIZE;
    c->command = IGGY_COMMAND_COMMIT;
    c->view = 3;
    c->commit = commit;
    c->checkpoint_op = commit - 1;
    c->group = 1;
    check("iggy_header_seal", iggy_header_seal(h, IGGY_HEADER_SIZE));
}

/* Which operation bytes are defined (wire spec: Operation). */
static bool g_operation_defined[256];

static void setup(void) {
    static const uint8_t defined[] = {0, 1, 2, 3, 64, 65, 66, 67, 68, 160, 161, 162};
    for (size_t i = 0; i < sizeof defined; i++) g_operation_defined[defined[i]] = true;
    for (int op = 128; op <= 149; op++) g_operation_defined[op] = true;

    g_request = aligned_alloc_or_die(IGGY_HEADER_SIZE);
    fill_request(g_request, 7);
    g_commit = aligned_alloc_or_die(IGGY_HEADER_SIZE);
    fill_commit(g_commit, 41);
    g_seal = aligned_alloc_or_die(IGGY_HEADER_SIZE);
    fill_commit(g_seal, 42);
    fill_request(g_header, 8);

    iggy_buf buf;
    check("iggy_buf_with_capacity", iggy_buf_with_capacity(FRAME_LEN, &buf));
    memset(iggy_buf_data(&buf), 0x5a, FRAME_LEN);
    check("iggy_buf_set_len", iggy_buf_set_len(&buf, FRAME_LEN));
    check("iggy_buf_freeze", iggy_buf_freeze(&buf, &g_frozen));

    g_view.base = aligned_alloc_or_die(FRAME_LEN);
    memset(g_view.base, 0x5a, FRAME_LEN);
    g_view.ptr = g_view.base;
    g_view.len = FRAME_LEN;
    g_view.rc = malloc(sizeof *g_view.rc);
    if (g_view.rc == NULL) fail("malloc", "out of memory");
    atomic_init(&g_view.rc->count, 1);

    g_frames = aligned_alloc_or_die((size_t)BATCH * IGGY_HEADER_SIZE);
    for (size_t i = 0; i < BATCH; i++) {
        uint8_t *f = g_frames + i * IGGY_HEADER_SIZE;
        if (i % 2 == 0) fill_request(f, i + 1);
        else fill_commit(f, i + 1);
        g_frame_ptrs[i] = f;
        g_frame_lens[i] = IGGY_HEADER_SIZE;
    }
}

static void teardown(void) {
    iggy_frozen_release(&g_frozen);
    view_release(&g_view);
    free(g_request);
    free(g_commit);
    free(g_seal);
    free(g_frames);
}

/* --- 1. 4 KiB buffer alloc + free ---------------------------------------------------- */

NOINLINE static void api_alloc_free(size_t n) {
    for (size_t i = 0; i < n; i++) {
        iggy_buf b;
        check("iggy_buf_with_capacity", iggy_buf_with_capacity(FRAME_LEN, &b));
        KEEP(&b);
        iggy_buf_free(&b);
    }
}

NOINLINE static void base_alloc_free(size_t n) {
    for (size_t i = 0; i < n; i++) {
        void *p = aligned_alloc_or_die(FRAME_LEN);
        KEEP(p);
        free(p);
    }
}

/* --- 2. alloc + write 256 B + freeze + release --------------------------------------- */

NOINLINE static void api_alloc_freeze_release(size_t n) {
    for (size_t i = 0; i < n; i++) {
        iggy_buf b;
        iggy_frozen f;
        check("iggy_buf_with_capacity", iggy_buf_with_capacity(FRAME_LEN, &b));
        memcpy(iggy_buf_data(&b), g_header, IGGY_HEADER_SIZE);
        check("iggy_buf_set_len", iggy_buf_set_len(&b, IGGY_HEADER_SIZE));
        check("iggy_buf_freeze", iggy_buf_freeze(&b, &f));
        KEEP(&f);
        iggy_frozen_release(&f);
    }
}

/* The baseline of rows 2 and 2b: a `cap`-byte view holding the 256-byte header, then
 * its release. Inlined into each row, so the counts are the row's own. */
static inline void base_header_view_release(size_t n, size_t cap) {
    for (size_t i = 0; i < n; i++) {
        view v;
        v.base = aligned_alloc_or_die(cap);
        v.rc = malloc(sizeof *v.rc);
        if (v.rc == NULL) fail("malloc", "out of memory");
        memcpy(v.base, g_header, IGGY_HEADER_SIZE);
        v.ptr = v.base;
        v.len = IGGY_HEADER_SIZE;
        atomic_store_explicit(&v.rc->count, 1, memory_order_relaxed);
        KEEP(&v);
        view_release(&v);
    }
}

NOINLINE static void base_alloc_freeze_release(size_t n) {
    base_header_view_release(n, FRAME_LEN);
}

/* --- 2b. a frame from 256 bytes (one call) + release ----------------------------------- */

NOINLINE static void api_frame_from_bytes(size_t n) {
    for (size_t i = 0; i < n; i++) {
        iggy_frozen f;
        check("iggy_frozen_copy_from", iggy_frozen_copy_from(g_header, IGGY_HEADER_SIZE, &f));
        KEEP(&f);
        iggy_frozen_release(&f);
    }
}

NOINLINE static void base_frame_from_bytes(size_t n) {
    base_header_view_release(n, IGGY_HEADER_SIZE);
}

/* --- 3. clone + release of a frozen buffer ------------------------------------------- */

NOINLINE static void api_clone_release(size_t n) {
    for (size_t i = 0; i < n; i++) {
        iggy_frozen c;
        check("iggy_frozen_clone", iggy_frozen_clone(&g_frozen, &c));
        KEEP(&c);
        iggy_frozen_release(&c);
    }
}

NOINLINE static void base_clone_release(size_t n) {
    for (size_t i = 0; i < n; i++) {
        view *v = &g_view;
        LAUNDER(v);
        rc_block *rc = v->rc;
        atomic_fetch_add_explicit(&rc->count, 1, memory_order_relaxed);
        KEEP(rc);
        if (atomic_fetch_sub_explicit(&rc->count, 1, memory_order_release) == 1) {
            atomic_thread_fence(memory_order_acquire);
            free(v->base);
            free(rc);
        }
    }
}

/* --- 4. slice + release -------------------------------------------------------------- */

NOINLINE static void api_slice_release(size_t n) {
    for (size_t i = 0; i < n; i++) {
        size_t start = 16, end = 200;
        LAUNDER(start);
        LAUNDER(end);
        iggy_frozen c;
        check("iggy_frozen_slice", iggy_frozen_slice(&g_frozen, start, end, &c));
        KEEP(&c);
        iggy_frozen_release(&c);
    }
}

NOINLINE static void base_slice_release(size_t n) {
    for (size_t i = 0; i < n; i++) {
        size_t start = 16, end = 200;
        LAUNDER(start);
        LAUNDER(end);
        view *src = &g_view;
        LAUNDER(src);
        if (start > end || end > src->len) fail("slice range", "out of range");
        atomic_fetch_add_explicit(&src->rc->count, 1, memory_order_relaxed);
        view v = {src->ptr + start, end - start, src->rc, src->base};
        KEEP(&v);
        view_release(&v);
    }
}

/*
 * --- 5. split + rewrite header + coalesce ---------------------------------------------
 *
 * iggy_buf_split_at consumes an iggy_buf and coalescing yields an iggy_frozen, which
 * cannot become an iggy_buf again: every iteration needs a fresh buffer. So the
 * buffers (4 KiB capacity, SPLIT_LEN bytes written) are prepared untimed, SPLIT_BATCH
 * at a time; the
 * timed loop does split + rewrite + coalesce and nothing else; the frames are released
 * untimed. The baseline runs on buffers prepared the same way (same allocator, same
 * addresses, same cache state) and writes the 256-byte header in place, which is all
 * a C program without the library has to do. The timer's own cost (measured at
 * start-up) is subtracted from every batch.
 */

static iggy_buf g_split_bufs[SPLIT_BATCH];
static iggy_frozen g_split_out[SPLIT_BATCH];
static uint8_t *g_split_ptrs[SPLIT_BATCH];
static double g_timer_ns;

static void split_prepare(size_t n) {
    for (size_t i = 0; i < n; i++) {
        check("iggy_buf_with_capacity", iggy_buf_with_capacity(FRAME_LEN, &g_split_bufs[i]));
        uint8_t *d = iggy_buf_data(&g_split_bufs[i]);
        fill_request(d, 1);
        memset(d + IGGY_HEADER_SIZE, (int)i, SPLIT_LEN - IGGY_HEADER_SIZE);
        check("iggy_buf_set_len", iggy_buf_set_len(&g_split_bufs[i], SPLIT_LEN));
        g_split_ptrs[i] = d;
    }
}

NOINLINE static void api_split_batch(size_t n) {
    for (size_t i = 0; i < n; i++) {
        iggy_prefix p;
        iggy_frozen t;
        check("iggy_buf_split_at", iggy_buf_split_at(&g_split_bufs[i], IGGY_HEADER_SIZE, &p, &t));
        memcpy(iggy_prefix_data(&p), g_header, IGGY_HEADER_SIZE);
        check("iggy_prefix_coalesce", iggy_prefix_coalesce(&p, &t, &g_split_out[i]));
    }
}

NOINLINE static void base_split_batch(size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint8_t *frame = g_split_ptrs[i];
        LAUNDER(frame);
        memcpy(frame, g_header, IGGY_HEADER_SIZE);
        KEEP(frame);
    }
}

static double run_split(bool api, size_t iters) {
    double total = 0;
    for (size_t done = 0; done < iters;) {
        size_t n = iters - done < SPLIT_BATCH ? iters - done : SPLIT_BATCH;
        split_prepare(n);
        double t0 = now_ns();
        if (api) api_split_batch(n);
        else base_split_batch(n);
        total += now_ns() - t0 - g_timer_ns;
        for (size_t i = 0; i < n; i++) {
            if (api) {
                if (iggy_frozen_len(&g_split_out[i]) != SPLIT_LEN) fail("coalesced length", "not SPLIT_LEN");
                iggy_frozen_release(&g_split_out[i]);
            } else {
                iggy_buf_free(&g_split_bufs[i]);
            }
        }
        done += n;
    }
    return total;
}

/* --- 6. validate an unsealed Request frame ------------------------------------------- */

/* What iggy_frame_validate checks for a Request, by hand: generic construction
 * (length, command byte, size bounds), then the typed bit pattern and the rules. */
static inline int hand_validate_request(const uint8_t *f, size_t len) {
    if (len < IGGY_HEADER_SIZE) return 1;
    uint32_t size;
    memcpy(&size, f + 48, sizeof size);
    uint8_t command = f[60];
    if (command > IGGY_COMMAND_FORWARD_LOGOUT_RESULT) return 2;
    if (size < IGGY_HEADER_SIZE || size > len) return 3;
    if (command != IGGY_COMMAND_REQUEST) return 4;
    uint8_t operation = f[176];
    if (!g_operation_defined[operation]) return 5;
    uint64_t client[2], session, request;
    memcpy(client, f + 128, sizeof client);
    memcpy(&request, f + 168, sizeof request);
    memcpy(&session, f + 184, sizeof session);
    if ((client[0] | client[1]) == 0) return 6;
    if (operation == IGGY_OPERATION_RESERVED) return 7;
    if (operation == IGGY_OPERATION_REGISTER) return session != 0 || request != 0 ? 8 : 0;
    if (operation == IGGY_OPERATION_NON_REPLICATED) return 0;
    return session == 0 || request == 0 ? 9 : 0;
}

NOINLINE static void api_validate_request(size_t n) {
    const uint8_t *f = g_request;
    for (size_t i = 0; i < n; i++) {
        LAUNDER(f);
        check("iggy_frame_validate(request)", iggy_frame_validate(f, IGGY_HEADER_SIZE, NULL));
    }
}

NOINLINE static void base_validate_request(size_t n) {
    const uint8_t *f = g_request;
    for (size_t i = 0; i < n; i++) {
        LAUNDER(f);
        if (hand_validate_request(f, IGGY_HEADER_SIZE) != 0) fail("hand validation", "rejected a valid request");
    }
}

/* --- 7. validate a sealed Commit frame ----------------------------------------------- */

NOINLINE static void api_validate_commit(size_t n) {
    const uint8_t *f = g_commit;
    for (size_t i = 0; i < n; i++) {
        LAUNDER(f);
        check("iggy_frame_validate(commit)", iggy_frame_validate(f, IGGY_HEADER_SIZE, NULL));
    }
}

NOINLINE static void base_hash_240(size_t n) {
    const uint8_t *f = g_commit;
    for (size_t i = 0; i < n; i++) {
        LAUNDER(f);
        XXH64_hash_t h = XXH3_64bits(f + 16, IGGY_HEADER_SIZE - 16);
        KEEP(h);
    }
}

/* --- 8. seal a header ---------------------------------------------------------------- */

NOINLINE static void api_seal(size_t n) {
    uint8_t *h = g_seal;
    for (size_t i = 0; i < n; i++) {
        LAUNDER(h);
        check("iggy_header_seal", iggy_header_seal(h, IGGY_HEADER_SIZE));
    }
}

NOINLINE static void base_seal(size_t n) {
    uint8_t *h = g_seal;
    for (size_t i = 0; i < n; i++) {
        LAUNDER(h);
        XXH64_hash_t sum = XXH3_64bits(h + 16, IGGY_HEADER_SIZE - 16);
        memcpy(h, &sum, sizeof sum);
        memset(h + 8, 0, 8);
        KEEP(h);
    }
}

/* --- 9. validate 1024 frames per call ------------------------------------------------- */

NOINLINE static void api_validate_batch(size_t n) {
    for (size_t i = 0; i < n; i++) {
        check("iggy_frames_validate", iggy_frames_validate(g_frame_ptrs, g_frame_lens, BATCH, g_statuses));
        KEEP(g_statuses);
    }
}

NOINLINE static void base_validate_one_by_one(size_t n) {
    for (size_t i = 0; i < n; i++) {
        iggy_status first = IGGY_OK;
        for (size_t j = 0; j < BATCH; j++) {
            iggy_status s = iggy_frame_validate(g_frame_ptrs[j], g_frame_lens[j], NULL);
            g_statuses[j] = s;
            if (first == IGGY_OK) first = s;
        }
        check("iggy_frame_validate(batch)", first);
        KEEP(g_statuses);
    }
}

/* --- the table ------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *api_label;
    const char *base_label;
    void (*api)(size_t);
    void (*base)(size_t);
    double (*run)(bool api, size_t iters); /* NULL: time the loop directly */
    size_t per;                           /* operations per loop iteration */
} op;

static const op OPS[] = {
    {"4 KiB alloc + free", "iggy_buf_with_capacity + iggy_buf_free", "posix_memalign + free",
     api_alloc_free, base_alloc_free, NULL, 1},
    {"alloc + write 256 B + freeze + release",
     "with_capacity, data, memcpy, set_len, freeze, release",
     "posix_memalign + malloc'd atomic count, memcpy, fetch_sub, 2 x free",
     api_alloc_freeze_release, base_alloc_freeze_release, NULL, 1},
    {"frame from 256 B (one call) + release", "iggy_frozen_copy_from + iggy_frozen_release",
     "posix_memalign(256) + malloc'd atomic count, memcpy, fetch_sub, 2 x free",
     api_frame_from_bytes, base_frame_from_bytes, NULL, 1},
    {"clone + release", "iggy_frozen_clone + iggy_frozen_release",
     "atomic fetch_add + fetch_sub", api_clone_release, base_clone_release, NULL, 1},
    {"slice + release", "iggy_frozen_slice + iggy_frozen_release",
     "range check, fetch_add, fill view, fetch_sub", api_slice_release, base_slice_release,
     NULL, 1},
    {"split + rewrite header + coalesce",
     "iggy_buf_split_at, iggy_prefix_data + memcpy, iggy_prefix_coalesce",
     "memcpy 256 B header in place", api_split_batch, base_split_batch, run_split, 1},
    {"validate unsealed Request", "iggy_frame_validate", "hand-written checks",
     api_validate_request, base_validate_request, NULL, 1},
    {"validate sealed Commit", "iggy_frame_validate", "XXH3_64bits(240 B), libxxhash",
     api_validate_commit, base_hash_240, NULL, 1},
    {"seal a header", "iggy_header_seal", "XXH3_64bits(240 B) + store",
     api_seal, base_seal, NULL, 1},
    {"validate 1024 frames, per frame", "iggy_frames_validate (1 call)",
     "1024 x iggy_frame_validate", api_validate_batch, base_validate_one_by_one, NULL, BATCH},
};
#define NOPS (sizeof OPS / sizeof OPS[0])

static double run_op(const op *o, bool api, size_t iters) {
    if (o->run != NULL) return o->run(api, iters);
    double t0 = now_ns();
    (api ? o->api : o->base)(iters);
    return now_ns() - t0;
}

/* Iterations for ~target_ns per run (this also warms caches and the allocator). */
static size_t calibrate(const op *o, bool api, double target_ns) {
    size_t iters = 1;
    double t;
    for (;;) {
        t = run_op(o, api, iters);
        if (t >= target_ns / 10 || iters >= ((size_t)1 << 40)) break;
        iters *= 2;
    }
    double scaled = (double)iters * target_ns / (t > 1 ? t : 1);
    return scaled < 1 ? 1 : (size_t)scaled;
}

static double timer_overhead(void) {
    double v[101];
    for (int i = 0; i < 101; i++) {
        double t0 = now_ns();
        v[i] = now_ns() - t0;
    }
    return median(v, 101);
}

static void self_check(void) {
    check("self-check: request", iggy_frame_validate(g_request, IGGY_HEADER_SIZE, NULL));
    if (hand_validate_request(g_request, IGGY_HEADER_SIZE) != 0) fail("self-check: hand", "rejected a valid request");
    check("self-check: commit", iggy_frame_validate(g_commit, IGGY_HEADER_SIZE, NULL));
    XXH64_hash_t h = XXH3_64bits(g_commit + 16, IGGY_HEADER_SIZE - 16);
    if (memcmp(&h, g_commit, sizeof h) != 0) fail("self-check", "libxxhash and the library's seal differ");
}

int main(int argc, char **argv) {
    int runs = 7;
    double ms = 50;
    long long count = 0;
    size_t only = 0; /* 1-based row, 0 = all */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) ms = atof(argv[++i]);
        else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) count = atoll(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = (size_t)atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--runs R (1..%d)] [--ms MS] [--count N] [--only ROW]\n",
                    argv[0], MAX_RUNS);
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS || ms <= 0) {
        fprintf(stderr, "bench: --runs must be 1..%d and --ms positive\n", MAX_RUNS);
        return 2;
    }
    /* Keep freed memory in the process: without this glibc gives the split row's
     * batches back to the kernel (brk) and faults them in again every batch, which
     * costs seconds of untimed set-up. It changes no timed path: no timed loop calls
     * brk either way (checked with strace). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    setup();
    self_check();
    g_timer_ns = timer_overhead();

    if (count > 0) {
        /* For callgrind: each loop exactly `count` operations, no timing loop. */
        for (size_t i = 0; i < NOPS; i++) {
            if (only != 0 && only != i + 1) continue;
            size_t iters = (size_t)count / OPS[i].per;
            run_op(&OPS[i], true, iters ? iters : 1);
            run_op(&OPS[i], false, iters ? iters : 1);
        }
        printf("ran every loop for %lld operations\n", count);
        teardown();
        return 0;
    }

    printf("libiggy_consensus %s: C API vs plain C, %d runs x ~%.0f ms per variant, "
           "median (min-max) ns/op\n",
           iggy_consensus_version(), runs, ms);
    print_loadavg("before");
    printf("clock_gettime pair: %.1f ns (subtracted per batch in the split row)\n\n",
           g_timer_ns);
    printf("| operation | C API ns/op | baseline ns/op | C API / baseline |\n");
    printf("|---|---:|---:|---:|\n");
    fflush(stdout);

    double target = ms * 1e6;
    for (size_t i = 0; i < NOPS; i++) {
        if (only != 0 && only != i + 1) continue;
        const op *o = &OPS[i];
        size_t n_api = calibrate(o, true, target);
        /* A batched row prepares every buffer untimed: both sides get the same count
         * (sized by the slower API side) so the cheap side's set-up does not dominate
         * the run time. */
        size_t n_base = o->run != NULL ? n_api : calibrate(o, false, target);
        double api[MAX_RUNS], base[MAX_RUNS];
        for (int r = 0; r < runs; r++) {
            bool api_first = r % 2 == 0; /* ABBA: alternate which side runs first */
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == api_first)
                    api[r] = run_op(o, true, n_api) / (double)(n_api * o->per);
                else
                    base[r] = run_op(o, false, n_base) / (double)(n_base * o->per);
            }
        }
        double a = median(api, runs), b = median(base, runs);
        printf("| %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %.2f |\n", o->name, a, api[0],
               api[runs - 1], b, base[0], base[runs - 1], a / b);
        fflush(stdout);
    }
    printf("\n");
    print_loadavg("after");
    printf("\nwhat each side does:\n");
    for (size_t i = 0; i < NOPS; i++)
        if (only == 0 || only == i + 1)
            printf("  %-40s C API: %s\n  %-40s baseline: %s\n", OPS[i].name, OPS[i].api_label, "",
               OPS[i].base_label);
    teardown();
    return 0;
}
