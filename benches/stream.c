/*
 * stream.c: the frame reader and writer (c-api.md §10) on real sockets, against the
 * hand-written framing they replace, in one run (BENCHMARKS.md, "Frame reader and
 * writer (issue 11)").
 *
 * Over a socketpair (AF_UNIX) and over loopback TCP, each row measures a baseline and
 * one or more candidates, alternating within every run:
 *
 *   read-256   frames of 256 B, received: the hand loop of the old mini replica's
 *              read_frame (recv the 256-byte header into a fresh 4096-aligned buffer,
 *              iggy_buf_reserve the body, recv the body) against an iggy_reader (recv
 *              into iggy_reader_buffer, commit, next until IGGY_ERR_INCOMPLETE) with
 *              the default configuration, validating each frame, and with read_ahead
 *              8 KiB;
 *   read-64k   the same with frames of 64 KiB, the reader with its default read_ahead
 *              (65536: a 64 KiB frame's body is not longer, so it is read into the
 *              read-ahead buffer and copied out) and with read_ahead 16, 8 and 4 KiB
 *              (its body is read in place, after the bytes that came with the header);
 *   write-256  1024 frozen frames of 256 B sent per batch: one send per frame against
 *              iggy_writer_push of each (a clone) and writev of the writer's iovecs.
 *
 * A second thread is the other end: for the read rows it sends the frames in chunks of
 * 256 KiB (send), for the write rows it receives and discards them (recv of 1 MiB).
 * Sockets are blocking. Each timing runs from handing the peer its job to the last
 * frame received (read rows) or the last byte drained by the peer (write rows). Every
 * recv, send and writev the measured side makes is counted, exactly.
 *
 *   build/bench_stream                  the table: the median of RUNS runs
 *   build/bench_stream --runs 9 --scale 2
 *   build/bench_stream --only read-64k --transport tcp --variant 1
 *                                       one variant of one row (perf record, callgrind;
 *                                       variant 0 is the baseline)
 *
 * Columns: frames per second (wall clock, the median of the runs); the measured
 * thread's CPU time per frame (CLOCK_THREAD_CPUTIME_ID: user and kernel time of its
 * system calls, not the time it sat preempted, so it holds up on a busy machine); its
 * system calls per frame (recv for the read rows, send or writev for the write rows);
 * then the baseline's time over the candidate's (above 1: the candidate is faster), on
 * the wall clock and in CPU time, each the median of the runs' ratios (each ratio from
 * measurements next to each other in one run) with the range.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "iggy_consensus.h"
#define BENCH_NAME "bench_stream"
#include "bench_util.h"

#define MAX_RUNS 51
#define MAX_VARIANTS 5
#define CHUNK (256 * 1024)   /* the peer's send size */
#define DRAIN (1024 * 1024)  /* the peer's recv size */
#define BATCH 1024           /* frames per batch in the write rows (Linux's IOV_MAX) */
#define BLOCK (1024 * 1024)  /* the bytes of frames the peer sends, repeated */

_Static_assert(sizeof(iggy_iovec) == sizeof(struct iovec), "iggy_iovec is struct iovec");
_Static_assert(offsetof(iggy_iovec, base) == offsetof(struct iovec, iov_base), "iov_base");
_Static_assert(offsetof(iggy_iovec, len) == offsetof(struct iovec, iov_len), "iov_len");

static double clock_seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall-clock time, and the CPU time of the calling thread (user and system: the
 * kernel's work in its recv, send and writev included, time spent preempted not). */
static double now(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

/* ---- sockets ----------------------------------------------------------------------- */

/* fds[0] is the peer's end, fds[1] the measured side's. */
static void open_socketpair(int fds[2]) {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) fail("socketpair", strerror(errno));
}

static void open_tcp(int fds[2]) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0)
        fail("listen", strerror(errno));
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&addr, sizeof addr) != 0)
        fail("connect", strerror(errno));
    fds[1] = accept(listener, NULL, NULL);
    if (fds[1] < 0) fail("accept", strerror(errno));
    close(listener);
    int one = 1;
    setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* ---- the peer thread ----------------------------------------------------------------- */

typedef enum { JOB_NONE, JOB_SEND, JOB_DRAIN, JOB_QUIT } job_kind;

typedef struct peer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    job_kind job;        /* JOB_NONE once the job is done */
    int fd;
    const uint8_t *block; /* JOB_SEND: bytes repeated until `bytes` are sent */
    size_t block_len;
    size_t bytes;        /* JOB_SEND: to send; JOB_DRAIN: to receive */
    uint8_t *scratch;    /* JOB_DRAIN */
} peer;

static void peer_send(peer *p) {
    size_t sent = 0;
    while (sent < p->bytes) {
        size_t at = sent % p->block_len;
        size_t len = p->block_len - at;
        if (len > CHUNK) len = CHUNK;
        if (len > p->bytes - sent) len = p->bytes - sent;
        ssize_t n = send(p->fd, p->block + at, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("peer: send", strerror(errno));
        sent += (size_t)n;
    }
}

static void peer_drain(peer *p) {
    size_t got = 0;
    while (got < p->bytes) {
        ssize_t n = recv(p->fd, p->scratch, DRAIN, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("peer: recv", n == 0 ? "end of stream" : strerror(errno));
        got += (size_t)n;
    }
}

static void *peer_main(void *arg) {
    peer *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->job == JOB_NONE) pthread_cond_wait(&p->cond, &p->lock);
        job_kind job = p->job;
        if (job == JOB_QUIT) break;
        pthread_mutex_unlock(&p->lock);
        if (job == JOB_SEND) peer_send(p);
        else peer_drain(p);
        pthread_mutex_lock(&p->lock);
        p->job = JOB_NONE;
        pthread_cond_broadcast(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void peer_start(peer *p, job_kind job, size_t bytes) {
    pthread_mutex_lock(&p->lock);
    p->job = job;
    p->bytes = bytes;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void peer_wait(peer *p) {
    pthread_mutex_lock(&p->lock);
    while (p->job != JOB_NONE) pthread_cond_wait(&p->cond, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

/* ---- frames ------------------------------------------------------------------------ */

/* Frame i of a stream of `size`-byte frames: a sealed Commit for 256 bytes, a Ping
 * with a body otherwise (framing is all the read rows look at). */
static void build_frame(uint8_t *bytes, size_t size, uint64_t i) {
    memset(bytes, 0, size);
    if (size == IGGY_HEADER_SIZE) {
        iggy_commit_header *commit = (iggy_commit_header *)(void *)bytes;
        commit->size = IGGY_HEADER_SIZE;
        commit->command = IGGY_COMMAND_COMMIT;
        commit->view = 1;
        commit->commit = i;
        commit->group = 1;
        check("iggy_header_seal", iggy_header_seal(bytes, size));
    } else {
        iggy_generic_header *ping = (iggy_generic_header *)(void *)bytes;
        ping->size = (uint32_t)size;
        ping->command = IGGY_COMMAND_PING;
        for (size_t k = IGGY_HEADER_SIZE; k < size; k++) bytes[k] = (uint8_t)(k * 31 + i);
    }
}

/* A BLOCK of frames of `size` bytes, back to back: what the peer sends, repeated. */
static uint8_t *build_block(size_t size) {
    uint8_t *block = aligned_alloc(4096, BLOCK);
    if (block == NULL) fail("aligned_alloc", "out of memory");
    for (size_t at = 0; at + size <= BLOCK; at += size) build_frame(block + at, size, at / size);
    return block;
}

static void check_frame(iggy_buf *frame, size_t size) {
    const uint8_t *bytes = iggy_buf_data(frame);
    uint8_t want = size == IGGY_HEADER_SIZE ? IGGY_COMMAND_COMMIT : IGGY_COMMAND_PING;
    if (iggy_buf_len(frame) != size || bytes[60] != want) fail("receive", "a wrong frame");
}

/* ---- receiving: the hand loop and the reader ------------------------------------------ */

/* Reads exactly `len` bytes: 1 on success, 0 on a clean end of stream, -1 on error. */
static int read_all(int fd, uint8_t *bytes, size_t len, uint64_t *calls) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = recv(fd, bytes + done, len - done, 0);
        ++*calls;
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 && done == 0) return 0;
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return 1;
}

/* The old mini replica's read_frame, as it was: 256 bytes into a fresh 4096-aligned
 * buffer, then `size`, then the body read in place. */
static int read_frame(int fd, iggy_buf *out, uint64_t *calls) {
    iggy_buf buf = IGGY_BUF_EMPTY;
    check("iggy_buf_with_capacity", iggy_buf_with_capacity(IGGY_HEADER_SIZE, &buf));
    int got = read_all(fd, iggy_buf_data(&buf), IGGY_HEADER_SIZE, calls);
    if (got <= 0) {
        iggy_buf_free(&buf);
        return got;
    }
    const iggy_generic_header *header = (const iggy_generic_header *)(void *)iggy_buf_data(&buf);
    uint32_t size = header->size;
    if (size < IGGY_HEADER_SIZE || size > IGGY_MAX_MESSAGE_SIZE) {
        iggy_buf_free(&buf);
        return -1;
    }
    check("iggy_buf_set_len", iggy_buf_set_len(&buf, IGGY_HEADER_SIZE));
    check("iggy_buf_reserve", iggy_buf_reserve(&buf, size - IGGY_HEADER_SIZE));
    if (read_all(fd, iggy_buf_data(&buf) + IGGY_HEADER_SIZE, size - IGGY_HEADER_SIZE, calls) != 1 &&
        size > IGGY_HEADER_SIZE) {
        iggy_buf_free(&buf);
        return -1;
    }
    check("iggy_buf_set_len", iggy_buf_set_len(&buf, size));
    *out = buf;
    return 1;
}

static void receive_by_hand(int fd, size_t frames, size_t size, uint64_t *calls) {
    for (size_t i = 0; i < frames; i++) {
        iggy_buf frame;
        if (read_frame(fd, &frame, calls) != 1) fail("hand loop", "bad frame or end of stream");
        check_frame(&frame, size);
        iggy_buf_free(&frame);
    }
}

static void receive_by_reader(int fd, size_t frames, size_t size, const iggy_reader_config *config,
                              uint64_t *calls) {
    iggy_reader reader;
    check("iggy_reader_init", iggy_reader_init(config, &reader));
    size_t got = 0;
    while (got < frames) {
        uint8_t *ptr;
        size_t len;
        check("iggy_reader_buffer", iggy_reader_buffer(&reader, &ptr, &len));
        ssize_t n = recv(fd, ptr, len, 0);
        ++*calls;
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("reader: recv", n == 0 ? "end of stream" : strerror(errno));
        check("iggy_reader_commit", iggy_reader_commit(&reader, (size_t)n));
        iggy_buf frame;
        iggy_status status;
        while ((status = iggy_reader_next(&reader, &frame, NULL)) == IGGY_OK) {
            check_frame(&frame, size);
            iggy_buf_free(&frame);
            got++;
        }
        if (status != IGGY_ERR_INCOMPLETE) check("iggy_reader_next", status);
    }
    if (got != frames) fail("reader", "more frames than were sent");
    check("iggy_reader_finish", iggy_reader_finish(&reader));
    iggy_reader_free(&reader);
}

/* ---- sending: one send per frame and the writer --------------------------------------- */

static void send_each(int fd, iggy_frozen *frames, size_t batches, uint64_t *calls) {
    for (size_t b = 0; b < batches; b++) {
        for (size_t i = 0; i < BATCH; i++) {
            const uint8_t *bytes = iggy_frozen_data(&frames[i]);
            size_t len = iggy_frozen_len(&frames[i]), done = 0;
            while (done < len) {
                ssize_t n = send(fd, bytes + done, len - done, MSG_NOSIGNAL);
                ++*calls;
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) fail("send", strerror(errno));
                done += (size_t)n;
            }
        }
    }
}

/* Each batch: a clone of every frame pushed (a broker's queue holds its own share),
 * then writev of the iovecs and advance until the writer is empty. */
static void send_by_writer(int fd, iggy_frozen *frames, size_t batches, uint64_t *calls) {
    static iggy_iovec iov[BATCH];
    iggy_writer writer;
    check("iggy_writer_init", iggy_writer_init(BATCH, 0, &writer));
    for (size_t b = 0; b < batches; b++) {
        for (size_t i = 0; i < BATCH; i++) {
            iggy_frozen clone;
            check("iggy_frozen_clone", iggy_frozen_clone(&frames[i], &clone));
            check("iggy_writer_push", iggy_writer_push(&writer, &clone));
        }
        while (iggy_writer_pending_bytes(&writer) > 0) {
            size_t count = iggy_writer_iovecs(&writer, iov, BATCH);
            ssize_t n = writev(fd, (const struct iovec *)(const void *)iov, (int)count);
            ++*calls;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("writev", strerror(errno));
            check("iggy_writer_advance", iggy_writer_advance(&writer, (size_t)n));
        }
    }
    iggy_writer_free(&writer);
}

/* ---- rows -------------------------------------------------------------------------- */

typedef enum { HAND, READER, SEND_EACH, WRITER } method;

typedef struct variant {
    const char *label;
    method how;
    size_t read_ahead;   /* READER: 0 = the default, 65536 */
    uint32_t validate;   /* READER */
} variant;

typedef struct row {
    const char *key;     /* for --only */
    const char *what;
    size_t size;         /* frame size */
    size_t frames;       /* per measurement, before --scale */
    variant v[MAX_VARIANTS]; /* v[0] the baseline */
    int count;
} row;

static const row ROWS[] = {
    { "read-256", "read frames of 256 B", 256, 200000,
      { { "hand loop: recv header, reserve, recv body", HAND, 0, 0 },
        { "iggy_reader (framing checks only)", READER, 0, IGGY_READER_VALIDATE_NONE },
        { "iggy_reader, validating each frame", READER, 0, IGGY_READER_VALIDATE_FRAME },
        { "iggy_reader, read_ahead 8 KiB", READER, 8192, IGGY_READER_VALIDATE_NONE } },
      4 },
    { "read-64k", "read frames of 64 KiB", 65536, 2000,
      { { "hand loop: recv header, reserve, recv body", HAND, 0, 0 },
        { "iggy_reader, read_ahead 64 KiB (default)", READER, 0, IGGY_READER_VALIDATE_NONE },
        { "iggy_reader, read_ahead 16 KiB", READER, 16384, IGGY_READER_VALIDATE_NONE },
        { "iggy_reader, read_ahead 8 KiB", READER, 8192, IGGY_READER_VALIDATE_NONE },
        { "iggy_reader, read_ahead 4 KiB", READER, 4096, IGGY_READER_VALIDATE_NONE } },
      5 },
    { "write-256", "send 1024 frames of 256 B per batch", 256, 200 * BATCH,
      { { "one send per frame", SEND_EACH, 0, 0 },
        { "iggy_writer: push (clone) + writev + advance", WRITER, 0, 0 } },
      2 },
};
#define NROWS (sizeof ROWS / sizeof ROWS[0])

typedef struct transport {
    const char *name;
    void (*open)(int fds[2]);
} transport;

static const transport TRANSPORTS[] = { { "socketpair", open_socketpair }, { "tcp", open_tcp } };

/* One measurement: wall-clock seconds; the measured thread's CPU seconds in *cpu and
 * its system calls in *calls. */
static double measure(const row *r, const variant *v, size_t frames, peer *p, int fd,
                      iggy_frozen *batch, double *cpu, uint64_t *calls) {
    *calls = 0;
    double start = now(), cpu_start = cpu_now();
    if (v->how == HAND || v->how == READER) {
        peer_start(p, JOB_SEND, frames * r->size);
        if (v->how == HAND) {
            receive_by_hand(fd, frames, r->size, calls);
        } else {
            iggy_reader_config config = { .read_ahead = v->read_ahead, .validate = v->validate };
            receive_by_reader(fd, frames, r->size, &config, calls);
        }
    } else {
        size_t batches = frames / BATCH;
        peer_start(p, JOB_DRAIN, batches * BATCH * r->size);
        if (v->how == SEND_EACH) send_each(fd, batch, batches, calls);
        else send_by_writer(fd, batch, batches, calls);
    }
    *cpu = cpu_now() - cpu_start;
    peer_wait(p);
    return now() - start;
}

/* Measures every variant of row r (or only variant `only`, when >= 0) over transport t. */
static void run_row(const row *r, const transport *t, int runs, double scale, int only) {
    int fds[2];
    t->open(fds);
    peer p = { .fd = fds[0], .job = JOB_NONE };
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.cond, NULL);
    p.block = build_block(r->size);
    p.block_len = BLOCK - BLOCK % r->size;
    p.scratch = malloc(DRAIN);
    if (p.scratch == NULL) fail("malloc", "out of memory");
    if (pthread_create(&p.thread, NULL, peer_main, &p) != 0) fail("pthread_create", "failed");

    /* The write rows' frames: BATCH frozen frames, built once. */
    iggy_frozen batch[BATCH];
    for (size_t i = 0; i < BATCH; i++) {
        iggy_buf buf;
        check("iggy_buf_with_capacity", iggy_buf_with_capacity(r->size, &buf));
        build_frame(iggy_buf_data(&buf), r->size, i);
        check("iggy_buf_set_len", iggy_buf_set_len(&buf, r->size));
        check("iggy_buf_freeze", iggy_buf_freeze(&buf, &batch[i]));
    }

    size_t frames = (size_t)((double)r->frames * scale);
    if (r->v[0].how == SEND_EACH) frames -= frames % BATCH;
    if (frames < BATCH) frames = BATCH;
    double wall[MAX_VARIANTS][MAX_RUNS], cpu[MAX_VARIANTS][MAX_RUNS];
    double wall_ratio[MAX_VARIANTS][MAX_RUNS], cpu_ratio[MAX_VARIANTS][MAX_RUNS];
    uint64_t calls[MAX_VARIANTS] = { 0 };
    uint64_t dummy;
    double dummy_cpu;
    measure(r, &r->v[0], frames / 10 + BATCH, &p, fds[1], batch, &dummy_cpu, &dummy); /* warm-up */
    for (int run = 0; run < runs; run++) {
        /* Alternate the order, so that a drift in load hits every variant. */
        for (int k = 0; k < r->count; k++) {
            int i = run % 2 ? r->count - 1 - k : k;
            if (only >= 0 && i != only) continue;
            wall[i][run] = measure(r, &r->v[i], frames, &p, fds[1], batch, &cpu[i][run], &calls[i]);
        }
        for (int i = 1; i < r->count && only < 0; i++) {
            wall_ratio[i][run] = wall[0][run] / wall[i][run];
            cpu_ratio[i][run] = cpu[0][run] / cpu[i][run];
        }
    }
    for (int i = 0; i < r->count; i++) {
        if (only >= 0 && i != only) continue;
        double fps = (double)frames / median(wall[i], runs);
        double ns = median(cpu[i], runs) * 1e9 / (double)frames;
        printf("%-10s  %-9s  %-44s  %9.0f  %8.0f  %8.4f", i == 0 ? t->name : "",
               i == 0 ? r->key : "", r->v[i].label, fps, ns, (double)calls[i] / (double)frames);
        if (i > 0 && only < 0) {
            double w = median(wall_ratio[i], runs), c = median(cpu_ratio[i], runs);
            printf("  %5.2f (%.2f-%.2f)  %5.2f (%.2f-%.2f)", w, wall_ratio[i][0],
                   wall_ratio[i][runs - 1], c, cpu_ratio[i][0], cpu_ratio[i][runs - 1]);
        }
        printf("\n");
    }
    fflush(stdout);

    for (size_t i = 0; i < BATCH; i++) iggy_frozen_release(&batch[i]);
    peer_start(&p, JOB_QUIT, 0);
    pthread_join(p.thread, NULL);
    pthread_cond_destroy(&p.cond);
    pthread_mutex_destroy(&p.lock);
    free(p.scratch);
    free((void *)p.block);
    close(fds[0]);
    close(fds[1]);
}

int main(int argc, char **argv) {
    int runs = 7;
    double scale = 1.0;
    const char *only = NULL, *only_transport = NULL;
    int variant = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) scale = atof(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        else if (strcmp(argv[i], "--transport") == 0 && i + 1 < argc) only_transport = argv[++i];
        else if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc) variant = atoi(argv[++i]);
        else fail("usage", "bench_stream [--runs N] [--scale X] "
                           "[--only read-256|read-64k|write-256] "
                           "[--transport socketpair|tcp] [--variant 0..4]");
    }
    if (runs < 1 || runs > MAX_RUNS || !(scale > 0) || variant >= MAX_VARIANTS)
        fail("usage", "--runs 1..51, --scale > 0, --variant 0..4");

    print_loadavg("at start");
    printf("%d runs; frames per measurement: read-256 %.0f, read-64k %.0f, write-256 %.0f\n\n",
           runs, 200000 * scale, 2000 * scale, 200 * BATCH * scale);
    printf("%-10s  %-9s  %-44s  %9s  %8s  %8s  %s\n", "transport", "row", "variant", "frames/s",
           "cpu ns/f", "calls/f", "wall ratio (range)  cpu ratio (range)");
    for (size_t t = 0; t < sizeof TRANSPORTS / sizeof TRANSPORTS[0]; t++) {
        if (only_transport != NULL && strcmp(only_transport, TRANSPORTS[t].name) != 0) continue;
        for (size_t r = 0; r < NROWS; r++) {
            if (only != NULL && strcmp(only, ROWS[r].key) != 0) continue;
            if (variant < ROWS[r].count) run_row(&ROWS[r], &TRANSPORTS[t], runs, scale, variant);
        }
    }
    printf("\n");
    print_loadavg("at end");
    return 0;
}
