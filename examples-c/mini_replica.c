/*
 * mini_replica.c: a primary and two backups replicating SendMessages requests over
 * loopback TCP, with libiggy_consensus carrying every frame.
 *
 *   client --Request--> primary --Prepare (one frame, shared by clone)--> backup 1, 2
 *   client <--Reply---- primary <--PrepareOk (sealed)------------------- backup 1, 2
 *                       primary --Commit (sealed, shared by clone)-------> backup 1, 2
 *
 * The primary validates each Request as it arrives, turns it into a Prepare in place
 * (split header from body, rewrite and seal the header in the prefix, coalesce into
 * one frozen frame) and queues that one frame for both backups by clone, never by
 * copy. Backups validate it, decode its batch and answer with a sealed PrepareOk. With
 * its own vote and one backup's the primary has a quorum of the three replicas: it
 * commits, replies to the client and tells the backups with a Commit.
 *
 * The library does the framing too; the program owns the sockets and every system call.
 * Each connection has a frame reader and a frame writer (docs/c-api.md):
 *
 *   reading:  iggy_reader_buffer -> recv into it -> iggy_reader_commit, then
 *             iggy_reader_next until IGGY_ERR_INCOMPLETE: one recv brings many frames;
 *   writing:  iggy_writer_push each frozen frame, then iggy_writer_iovecs -> writev ->
 *             iggy_writer_advance by what the socket took: one writev per batch of
 *             frames, and a partial write leaves the rest queued.
 *
 * The primary serves three connections from one thread: its sockets are non-blocking,
 * it waits in poll(), and a socket that takes only part of a writev keeps the rest
 * queued in its writer until poll says it can take more. The backups and the client
 * have one connection each and block in recv and writev (one system call less per
 * wake-up than poll and recv); whoever they wait on never waits on them in turn.
 *
 * Pipelining: --pipeline N (also spelled --frames-per-request N) lets the client keep
 * up to N requests in flight on its connection, so N Prepares, N PrepareOks and the
 * Replies travel together and each system call carries many frames. The primary keeps
 * every Prepare until it is committed and its checksum until both backups have
 * answered, in a window of WINDOW operations; when a backup falls that far behind, the
 * primary leaves the client's next requests in its reader until the window opens.
 *
 * Frames that fail validation, or that break the protocol (a PrepareOk for another
 * Prepare), are logged with iggy_frame_describe and end the program.
 *
 * Usage: mini_replica [--pipeline N] [REQUESTS] [MESSAGES_PER_REQUEST]
 *        (defaults: 1, 1000, 16; N in 1..1024, MESSAGES_PER_REQUEST in 1..256)
 * Exit status 0 when every reply checked out and everything was released.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "iggy_consensus.h"

#define BACKUPS 2
#define CLIENT_ID 0xc11e47
#define GROUP 1             /* a partition group: stream 0, topic 0, partition 1 */
#define PAYLOAD_LEN 100
#define MAX_PIPELINE 1024
#define WINDOW 4096         /* operations the primary tracks: a power of two */
#define MAX_FRAME (1 << 20) /* the largest frame a reader accepts (a request is < 64 KiB) */
#define IOV_CAP 1024        /* Linux's IOV_MAX: iovecs per writev */
#define TIMEOUT_MS 10000

/* iggy_iovec is struct iovec: an array of one is an array of the other. */
_Static_assert(sizeof(iggy_iovec) == sizeof(struct iovec), "iggy_iovec is struct iovec");
_Static_assert(offsetof(iggy_iovec, base) == offsetof(struct iovec, iov_base), "iov_base");
_Static_assert(offsetof(iggy_iovec, len) == offsetof(struct iovec, iov_len), "iov_len");

/* ---- plumbing -------------------------------------------------------------------- */

static void die(const char *what, const char *why) {
    fprintf(stderr, "mini_replica: %s: %s\n", what, why);
    exit(1);
}

static void check(const char *what, iggy_status status) {
    if (status != IGGY_OK) {
        fprintf(stderr, "mini_replica: %s: %s (%s)\n", what, iggy_status_name(status),
                iggy_status_str(status));
        exit(1);
    }
}

static void set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) die("fcntl", strerror(errno));
}

static int listen_loopback(uint16_t *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
        die("listen", strerror(errno));
    *port = ntohs(addr.sin_port);
    return fd;
}

static int connect_loopback(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
        die("connect", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int accept_one(int listener) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) die("accept", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    close(listener);
    return fd;
}

/* ---- a connection: a socket, a frame reader, a frame writer ---------------------- */

typedef struct conn {
    int fd;
    const char *who;     /* for logs: "primary, from the client" */
    iggy_reader reader;
    iggy_writer writer;
    bool eof;            /* recv saw the end of the stream */
    bool done;           /* ... and every frame before it was taken */
    uint64_t recvs;      /* system calls, counted */
    uint64_t writevs;
    uint64_t frames_in;
} conn;

/* The reader checks only the framing (command byte, 256 <= size <= MAX_FRAME, before
 * anything is allocated for the body); the program validates each frame itself, so
 * that a rejected frame is in its hands to be described in the log
 * (IGGY_READER_VALIDATE_INBOUND would validate the same way, but never hands a
 * rejected frame out). */
static void conn_open(conn *c, int fd, const char *who, bool blocking) {
    if (!blocking) set_nonblocking(fd);
    *c = (conn){ .fd = fd, .who = who };
    iggy_reader_config config = { .max_frame = MAX_FRAME,
                                  .validate = IGGY_READER_VALIDATE_NONE };
    check("iggy_reader_init", iggy_reader_init(&config, &c->reader));
    /* Room for a whole window of Prepares and their Commits to one backup. */
    check("iggy_writer_init", iggy_writer_init(2 * WINDOW, 0, &c->writer));
}

static void conn_close(conn *c) {
    iggy_reader_free(&c->reader);
    iggy_writer_free(&c->writer);  /* empty by now: every queued frame was sent */
    close(c->fd);
}

/* One recv into the reader's buffer, committed. The end of the stream sets c->eof;
 * a non-blocking socket with nothing to read (EAGAIN) is left for the next poll. A bad
 * frame the bytes revealed fails the reader: conn_next reports it, after the good
 * frames before it. */
static void conn_recv(conn *c) {
    uint8_t *ptr;
    size_t len;
    iggy_status status = iggy_reader_buffer(&c->reader, &ptr, &len);
    if (status == IGGY_ERR_OUT_OF_MEMORY) check("iggy_reader_buffer", status);
    if (status != IGGY_OK) return;  /* failed: conn_next reports why */
    ssize_t n;
    do {
        n = recv(c->fd, ptr, len, 0);
        c->recvs++;
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        die(c->who, strerror(errno));
    }
    if (n == 0) {
        c->eof = true;
        return;
    }
    (void)iggy_reader_commit(&c->reader, (size_t)n);  /* its status comes back from next */
}

/* The next frame the reader holds: true with *frame, false when it needs more bytes.
 * A broken stream (a header whose command or size fails the framing checks) ends the
 * program with the reader's verdict. */
static bool conn_next(conn *c, iggy_buf *frame) {
    iggy_validation_detail detail;
    iggy_status status = iggy_reader_next(&c->reader, frame, &detail);
    if (status == IGGY_OK) {
        c->frames_in++;
        return true;
    }
    if (status == IGGY_ERR_INCOMPLETE) {
        if (c->eof) {
            check(c->who, iggy_reader_finish(&c->reader));  /* not inside a frame */
            c->done = true;
        }
        return false;
    }
    fprintf(stderr,
            "mini_replica: %s: broken stream: %s: %s (command %s, expected %llu, found %llu)\n",
            c->who, iggy_status_name(status), detail.reason, iggy_command_name(detail.command),
            (unsigned long long)detail.expected, (unsigned long long)detail.found);
    exit(1);
}

/* Logs a frame the program refuses, described by the library, and ends the program. */
static void reject(const conn *c, iggy_buf *frame, const char *why) {
    char line[1024];
    iggy_frame_describe(iggy_buf_data(frame), iggy_buf_len(frame), line, sizeof line);
    fprintf(stderr, "mini_replica: %s: rejected [%s]: %s\n", c->who, line, why);
    exit(1);
}

/* Validates a frame as it arrived (iggy_frame_validate_inbound for the replicas,
 * iggy_frame_validate for the client); a bad one is rejected. Returns the command. */
static uint8_t validate(const conn *c, iggy_buf *frame, bool inbound) {
    iggy_validation_detail detail;
    const uint8_t *bytes = iggy_buf_data(frame);
    size_t len = iggy_buf_len(frame);
    iggy_status status = inbound ? iggy_frame_validate_inbound(bytes, len, &detail)
                                 : iggy_frame_validate(bytes, len, &detail);
    if (status != IGGY_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s: %s", iggy_status_name(status), detail.reason);
        reject(c, frame, why);
    }
    return detail.command;
}

/* Sends what the writer holds as far as the socket takes it: writev of the writer's
 * iovecs (one per queued frame, the first maybe partly sent), then advance by what
 * was sent. Returns when the writer is empty, or when a non-blocking socket is full
 * (poll for POLLOUT). */
static void conn_flush(conn *c) {
    iggy_iovec iov[IOV_CAP];
    while (iggy_writer_pending_bytes(&c->writer) > 0) {
        size_t count = iggy_writer_iovecs(&c->writer, iov, IOV_CAP);
        ssize_t n = writev(c->fd, (const struct iovec *)(const void *)iov, (int)count);
        c->writevs++;
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            die(c->who, strerror(errno));
        }
        check("iggy_writer_advance", iggy_writer_advance(&c->writer, (size_t)n));
    }
}

/* Sends everything the writer holds, waiting for the socket as long as it takes. */
static void conn_drain(conn *c) {
    for (;;) {
        conn_flush(c);
        if (iggy_writer_pending_bytes(&c->writer) == 0) return;
        struct pollfd p = { .fd = c->fd, .events = POLLOUT };
        int ready = poll(&p, 1, TIMEOUT_MS);
        if (ready == 0 || (ready < 0 && errno != EINTR)) die(c->who, "cannot send");
    }
}

/* Queues a frozen frame (consumed); a full queue is sent first. */
static void conn_send(conn *c, iggy_frozen *frame) {
    iggy_status status;
    while ((status = iggy_writer_push(&c->writer, frame)) == IGGY_ERR_QUEUE_FULL) conn_drain(c);
    check("iggy_writer_push", status);
}

/* What poll should wait for on this connection. */
static struct pollfd conn_poll(const conn *c, bool want_read) {
    short events = 0;
    if (want_read && !c->eof) events |= POLLIN;
    if (iggy_writer_pending_bytes(&c->writer) > 0) events |= POLLOUT;
    return (struct pollfd){ .fd = events ? c->fd : -1, .events = events };
}

static void wait_for(struct pollfd *fds, nfds_t n, const char *who) {
    int ready;
    while ((ready = poll(fds, n, TIMEOUT_MS)) < 0 && errno == EINTR) {
    }
    if (ready <= 0) die(who, ready == 0 ? "poll timed out" : strerror(errno));
}

/* A header-only frame in a new buffer: the caller fills the header. */
static uint8_t *new_control_frame(iggy_buf *buf) {
    check("iggy_buf_new_zeroed", iggy_buf_new_zeroed(IGGY_HEADER_SIZE, buf));
    return iggy_buf_data(buf);
}

/* Seals the frame in *buf and freezes it into *out (consumes *buf). */
static void seal_and_freeze(iggy_buf *buf, iggy_frozen *out) {
    check("iggy_header_seal", iggy_header_seal(iggy_buf_data(buf), iggy_buf_len(buf)));
    check("iggy_buf_freeze", iggy_buf_freeze(buf, out));
}

/* ---- backup ---------------------------------------------------------------------- */

typedef struct backup {
    uint8_t replica;
    int listener;
    char who[32];
    uint64_t messages;   /* messages decoded from prepares */
    uint64_t commit;     /* the latest commit heard of */
    uint64_t recvs, writevs, frames_in;
} backup;

static void answer_prepare(backup *self, conn *c, iggy_buf *frame) {
    const uint8_t *bytes = iggy_buf_data(frame);
    const iggy_prepare_header *prepare = (const iggy_prepare_header *)bytes;
    iggy_validation_detail detail;
    iggy_batch batch;
    if (iggy_batch_decode(bytes, iggy_buf_len(frame), &batch, &detail) != IGGY_OK)
        reject(c, frame, detail.reason);
    iggy_batch_iter it;
    iggy_batch_message message;
    uint32_t seen = 0;
    iggy_batch_iter_begin(&batch, &it);
    while (iggy_batch_next(&it, &message)) {
        if (message.payload_len != PAYLOAD_LEN) reject(c, frame, "unexpected payload");
        seen++;
    }
    if (seen != batch.message_count) reject(c, frame, "message count mismatch");
    self->messages += seen;

    iggy_buf ok_buf;
    iggy_prepare_ok_header *ok = (iggy_prepare_ok_header *)new_control_frame(&ok_buf);
    ok->size = IGGY_HEADER_SIZE;
    ok->command = IGGY_COMMAND_PREPARE_OK;
    ok->view = prepare->view;
    ok->replica = self->replica;
    ok->parent = prepare->parent;
    ok->prepare_checksum = prepare->checksum;
    ok->op = prepare->op;
    ok->commit = prepare->commit;
    ok->timestamp = prepare->timestamp;
    ok->request = prepare->request;
    ok->operation = prepare->operation;
    ok->group = prepare->group;
    iggy_frozen sealed;
    seal_and_freeze(&ok_buf, &sealed);
    conn_send(c, &sealed);
}

static void *backup_main(void *arg) {
    backup *self = arg;
    conn c;
    conn_open(&c, accept_one(self->listener), self->who, true);
    while (!c.done) {
        conn_recv(&c);  /* blocks until the primary sends */
        iggy_buf frame;
        while (conn_next(&c, &frame)) {
            uint8_t command = validate(&c, &frame, true);
            if (command == IGGY_COMMAND_COMMIT)
                self->commit = ((const iggy_commit_header *)iggy_buf_data(&frame))->commit;
            else if (command == IGGY_COMMAND_PREPARE)
                answer_prepare(self, &c, &frame);
            else
                reject(&c, &frame, "unexpected command");
            iggy_buf_free(&frame);
        }
        conn_flush(&c);  /* every PrepareOk of this read in one writev */
    }
    conn_drain(&c);
    self->recvs = c.recvs;
    self->writevs = c.writevs;
    self->frames_in = c.frames_in;
    conn_close(&c);
    return NULL;
}

/* ---- primary --------------------------------------------------------------------- */

typedef struct primary {
    int listener;                /* the client connects here */
    uint16_t backup_ports[BACKUPS];
    uint64_t committed;          /* requests committed and replied to */
    uint64_t recvs, writevs, frames_in;
} primary;

/* An operation the primary has sent out and not yet heard back about from everyone. */
typedef struct slot {
    iggy_u128 checksum;          /* the Prepare's, until both backups answered */
    iggy_frozen prepare;         /* the Prepare itself, until committed */
} slot;

/* Turns the Request in *request into a Prepare in place and returns the one frozen
 * frame: split header from body (no copy), rewrite and seal the header in the prefix,
 * coalesce (no copy, no allocation). */
static iggy_frozen request_to_prepare(iggy_buf *request, uint64_t op, uint64_t commit,
                                      iggy_u128 parent) {
    iggy_prefix header;
    iggy_frozen body, frame;
    check("iggy_buf_split_at", iggy_buf_split_at(request, IGGY_HEADER_SIZE, &header, &body));

    uint8_t *bytes = iggy_prefix_data(&header);
    iggy_request_header req;
    memcpy(&req, bytes, sizeof req);
    memset(bytes, 0, IGGY_HEADER_SIZE);
    iggy_prepare_header *prepare = (iggy_prepare_header *)bytes;
    prepare->size = req.size;
    prepare->release = req.release;
    prepare->command = IGGY_COMMAND_PREPARE;
    prepare->view = 1;
    prepare->client = req.client;
    prepare->parent = parent;
    prepare->request_checksum = req.request_checksum;
    prepare->op = op;
    prepare->commit = commit;
    prepare->timestamp = op;  /* the primary's monotonic clock; the op will do here */
    prepare->request = req.request;
    prepare->operation = req.operation;
    prepare->group = GROUP;
    prepare->user_id = req.user_id;
    check("iggy_header_seal", iggy_header_seal(bytes, IGGY_HEADER_SIZE));  /* seal last */

    check("iggy_prefix_coalesce", iggy_prefix_coalesce(&header, &body, &frame));
    return frame;
}

static void send_reply(conn *client, const iggy_prepare_header *prepare) {
    iggy_buf buf;
    iggy_reply_header *reply = (iggy_reply_header *)new_control_frame(&buf);
    reply->size = IGGY_HEADER_SIZE;
    reply->command = IGGY_COMMAND_REPLY;
    reply->view = prepare->view;
    reply->request_checksum = prepare->request_checksum;
    reply->client = prepare->client;
    reply->op = prepare->op;
    reply->commit = prepare->op;
    reply->timestamp = prepare->timestamp;
    reply->request = prepare->request;
    reply->operation = prepare->operation;
    iggy_frozen frame;
    seal_and_freeze(&buf, &frame);  /* a Reply carries no checksum: sealing leaves it */
    conn_send(client, &frame);
}

/* One sealed Commit, shared by both backups' writers. */
static void send_commit(conn *backups, uint64_t commit) {
    iggy_buf buf;
    iggy_commit_header *header = (iggy_commit_header *)new_control_frame(&buf);
    header->size = IGGY_HEADER_SIZE;
    header->command = IGGY_COMMAND_COMMIT;
    header->view = 1;
    header->commit = commit;
    header->group = GROUP;
    iggy_frozen frame;
    seal_and_freeze(&buf, &frame);
    for (int i = 0; i < BACKUPS; i++) {
        iggy_frozen clone;
        check("iggy_frozen_clone", iggy_frozen_clone(&frame, &clone));
        conn_send(&backups[i], &clone);
    }
    iggy_frozen_release(&frame);
}

static void *primary_main(void *arg) {
    primary *self = arg;
    conn backups[BACKUPS], client;
    static const char *const names[BACKUPS] = { "primary, from backup 1",
                                                "primary, from backup 2" };
    for (int i = 0; i < BACKUPS; i++)
        conn_open(&backups[i], connect_loopback(self->backup_ports[i]), names[i], false);
    conn_open(&client, accept_one(self->listener), "primary, from the client", false);

    slot *window = calloc(WINDOW, sizeof *window);  /* op k lives in window[k % WINDOW] */
    if (window == NULL) die("primary", "out of memory");
    uint64_t op = 0, commit = 0;
    uint64_t acked[BACKUPS] = { 0 };          /* the last op each backup answered */
    uint64_t all_acked = 0;                   /* the least of those */
    iggy_u128 prepared = { 0, 0 };            /* the checksum of the latest prepare */

    /* Until the client has gone and every backup has answered every Prepare. */
    while (!client.done || all_acked < op) {
        struct pollfd fds[1 + BACKUPS];
        fds[0] = conn_poll(&client, op - all_acked < WINDOW);
        for (int i = 0; i < BACKUPS; i++) fds[1 + i] = conn_poll(&backups[i], true);
        wait_for(fds, 1 + BACKUPS, "primary");

        /* PrepareOks: each backup answers in op order. */
        for (int i = 0; i < BACKUPS; i++) {
            conn *b = &backups[i];
            if (fds[1 + i].revents & (POLLIN | POLLHUP | POLLERR)) conn_recv(b);
            if (b->eof) die(b->who, "a backup went away");
            iggy_buf frame;
            while (conn_next(b, &frame)) {
                uint8_t command = validate(b, &frame, true);
                const iggy_prepare_ok_header *vote =
                    (const iggy_prepare_ok_header *)iggy_buf_data(&frame);
                const iggy_u128 want = window[(acked[i] + 1) % WINDOW].checksum;
                if (command != IGGY_COMMAND_PREPARE_OK || vote->op != acked[i] + 1 ||
                    vote->op > op || vote->prepare_checksum.lo != want.lo ||
                    vote->prepare_checksum.hi != want.hi)
                    reject(b, &frame, "not the PrepareOk of the next Prepare");
                acked[i]++;
                iggy_buf_free(&frame);
            }
        }
        /* The primary's own vote and one backup's: a quorum of three. */
        uint64_t quorum = 0;
        all_acked = op;
        for (int i = 0; i < BACKUPS; i++) {
            if (acked[i] > quorum) quorum = acked[i];
            if (acked[i] < all_acked) all_acked = acked[i];
        }
        if (quorum > commit) {
            for (uint64_t k = commit + 1; k <= quorum; k++) {
                slot *s = &window[k % WINDOW];
                send_reply(&client, (const iggy_prepare_header *)iggy_frozen_data(&s->prepare));
                iggy_frozen_release(&s->prepare);  /* the last share once both are sent */
                self->committed++;
            }
            commit = quorum;
            send_commit(backups, commit);
        }

        /* Requests, while the window has room; the rest wait in the reader. */
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) conn_recv(&client);
        iggy_buf request;
        while (op - all_acked < WINDOW && conn_next(&client, &request)) {
            if (validate(&client, &request, true) != IGGY_COMMAND_REQUEST)
                reject(&client, &request, "not a Request");
            slot *s = &window[(op + 1) % WINDOW];
            s->prepare = request_to_prepare(&request, ++op, commit, prepared);
            prepared = ((const iggy_prepare_header *)iggy_frozen_data(&s->prepare))->checksum;
            s->checksum = prepared;
            for (int i = 0; i < BACKUPS; i++) {
                iggy_frozen clone;  /* one atomic add: both backups get the same bytes */
                check("iggy_frozen_clone", iggy_frozen_clone(&s->prepare, &clone));
                conn_send(&backups[i], &clone);
            }
        }

        /* Everything this round queued: one writev per connection. */
        conn_flush(&client);
        for (int i = 0; i < BACKUPS; i++) conn_flush(&backups[i]);
    }

    conn_drain(&client);
    for (int i = 0; i < BACKUPS; i++) {
        conn_drain(&backups[i]);
        self->recvs += backups[i].recvs;
        self->writevs += backups[i].writevs;
        self->frames_in += backups[i].frames_in;
        conn_close(&backups[i]);
    }
    self->recvs += client.recvs;
    self->writevs += client.writevs;
    self->frames_in += client.frames_in;
    conn_close(&client);
    free(window);
    return NULL;
}

/* ---- client ---------------------------------------------------------------------- */

/* A Request whose body is a SendMessages batch of `count` messages, frozen. */
static void build_request(iggy_frozen *out, uint64_t number, uint32_t count) {
    static uint8_t payload[PAYLOAD_LEN];
    iggy_batch_input inputs[256];
    for (uint32_t i = 0; i < count; i++) {
        memset(&inputs[i], 0, sizeof inputs[i]);
        inputs[i].id.lo = number << 8 | i;
        inputs[i].offset_delta = i;
        inputs[i].payload = payload;
        inputs[i].payload_len = sizeof payload;
    }
    iggy_buf buf;
    check("iggy_buf_new_zeroed", iggy_buf_new_zeroed(IGGY_HEADER_SIZE, &buf));
    check("iggy_batch_encode", iggy_batch_encode(0, 0, 0, number, inputs, count, &buf));
    iggy_request_header *request = (iggy_request_header *)iggy_buf_data(&buf);
    request->size = (uint32_t)iggy_buf_len(&buf);
    request->command = IGGY_COMMAND_REQUEST;
    request->client.lo = CLIENT_ID;
    request->session = 1;
    request->request = number;
    request->operation = IGGY_OPERATION_SEND_MESSAGES;
    check("iggy_buf_freeze", iggy_buf_freeze(&buf, out));
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t number_arg(const char *text, uint64_t low, uint64_t high) {
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < low || value > high)
        die("usage", "mini_replica [--pipeline 1..1024] [REQUESTS] [MESSAGES_PER_REQUEST 1..256]");
    return value;
}

int main(int argc, char **argv) {
    uint64_t requests = 1000, pipeline = 1;
    uint32_t per_request = 16;
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        bool option = strcmp(argv[i], "--pipeline") == 0 ||
                      strcmp(argv[i], "--frames-per-request") == 0;
        if (option && i + 1 < argc)
            pipeline = number_arg(argv[++i], 1, MAX_PIPELINE);
        else if (!option && positional == 0)
            requests = number_arg(argv[i], 1, UINT64_MAX >> 9);
        else if (!option && positional == 1)
            per_request = (uint32_t)number_arg(argv[i], 1, 256);
        else
            number_arg("", 1, 0);  /* a usage error */
        positional += !option;
    }
    signal(SIGPIPE, SIG_IGN);  /* writev to a closed peer: EPIPE, not a signal */

    backup backups[BACKUPS];
    primary primary = { 0 };
    pthread_t threads[1 + BACKUPS];
    for (int i = 0; i < BACKUPS; i++) {
        backups[i] = (backup){ .replica = (uint8_t)(i + 1) };
        snprintf(backups[i].who, sizeof backups[i].who, "backup %d", i + 1);
        backups[i].listener = listen_loopback(&primary.backup_ports[i]);
        pthread_create(&threads[1 + i], NULL, backup_main, &backups[i]);
    }
    uint16_t primary_port;
    primary.listener = listen_loopback(&primary_port);
    pthread_create(&threads[0], NULL, primary_main, &primary);
    conn c;
    conn_open(&c, connect_loopback(primary_port), "client", true);

    double start = now();
    uint64_t sent = 0, replied = 0;
    while (replied < requests) {
        while (sent < requests && sent - replied < pipeline) {
            iggy_frozen request;
            build_request(&request, ++sent, per_request);
            conn_send(&c, &request);
        }
        conn_flush(&c);
        conn_recv(&c);  /* blocks until the primary replies */
        iggy_buf reply;
        while (conn_next(&c, &reply)) {
            uint64_t n = ++replied;
            const iggy_reply_header *header = (const iggy_reply_header *)iggy_buf_data(&reply);
            if (validate(&c, &reply, false) != IGGY_COMMAND_REPLY || header->request != n ||
                header->op != n || header->commit != n || header->client.lo != CLIENT_ID ||
                header->status != 0)
                reject(&c, &reply, "not the reply to the next request");
            iggy_buf_free(&reply);
        }
        if (c.eof && replied < requests) die("client", "the primary went away");
    }
    double elapsed = now() - start;
    uint64_t client_recvs = c.recvs, client_writevs = c.writevs;
    conn_close(&c);

    for (int i = 0; i < 1 + BACKUPS; i++) pthread_join(threads[i], NULL);
    uint64_t messages = requests * per_request;
    printf("%llu requests of %u messages (%u-byte payloads) replicated to %d backups, "
           "up to %llu in flight\n",
           (unsigned long long)requests, per_request, PAYLOAD_LEN, BACKUPS,
           (unsigned long long)pipeline);
    for (int i = 0; i < BACKUPS; i++) {
        printf("backup %d: decoded %llu messages, commit %llu\n", backups[i].replica,
               (unsigned long long)backups[i].messages, (unsigned long long)backups[i].commit);
        if (backups[i].messages != messages || backups[i].commit != requests)
            die("backup", "missed messages or commits");
    }
    if (primary.committed != requests) die("primary", "missed commits");
    uint64_t frames = primary.frames_in + requests;  /* frames received, replies included */
    uint64_t calls = primary.recvs + primary.writevs + client_recvs + client_writevs;
    for (int i = 0; i < BACKUPS; i++) {
        frames += backups[i].frames_in;
        calls += backups[i].recvs + backups[i].writevs;
    }
    printf("system calls: %llu recv and writev for %llu frames (%.3f per frame; primary: "
           "%llu recv, %llu writev)\n",
           (unsigned long long)calls, (unsigned long long)frames,
           (double)calls / (double)frames, (unsigned long long)primary.recvs,
           (unsigned long long)primary.writevs);
    printf("every reply checked: %.3f s, %.0f requests/s, %.0f messages/s\n", elapsed,
           (double)requests / elapsed, (double)messages / elapsed);
    return 0;
}
