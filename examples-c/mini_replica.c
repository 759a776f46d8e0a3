/*
 * mini_replica.c: a primary and two backups replicating SendMessages requests over
 * loopback TCP, with libiggy_consensus carrying every frame.
 *
 *   client --Request--> primary --Prepare (one frame, shared by clone)--> backup 1, 2
 *   client <--Reply---- primary <--PrepareOk (sealed)------------------- backup 1, 2
 *                       primary --Commit (sealed)--------------------------> backup 1, 2
 *
 * The primary validates each Request as it arrives, turns it into a Prepare in place
 * (split header from body, rewrite and seal the header in the prefix, coalesce into
 * one frozen frame) and sends that one frame to both backups by clone, never by copy.
 * Backups validate it, decode its batch and answer with a sealed PrepareOk. With its
 * own vote and one backup's the primary has a quorum of the three replicas: it commits,
 * replies to the client and tells the backups with a Commit.
 *
 * Usage: mini_replica [REQUESTS] [MESSAGES_PER_REQUEST]   (defaults: 1000, 16)
 * Exit status 0 when every reply checked out and everything was released.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "iggy_consensus.h"

#define BACKUPS 2
#define CLIENT_ID 0xc11e47
#define GROUP 1            /* a partition group: stream 0, topic 0, partition 1 */
#define PAYLOAD_LEN 100

/* ---- plumbing -------------------------------------------------------------------- */

static void die(const char *what, const char *why) {
    fprintf(stderr, "mini_replica: %s: %s\n", what, why);
    exit(1);
}

static void check(const char *what, iggy_status status) {
    if (status != IGGY_OK) die(what, iggy_status_str(status));
}

static int write_all(int fd, const uint8_t *bytes, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, bytes, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        bytes += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads exactly `len` bytes: 1 on success, 0 on a clean end of stream, -1 on error. */
static int read_all(int fd, uint8_t *bytes, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = recv(fd, bytes + done, len - done, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 && done == 0) return 0;
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return 1;
}

/* Reads one frame the way the wire spec frames TCP (§i): 256 bytes into a fresh
 * 4096-aligned buffer, then `size`, then the body read in place. Returns 1 with *out
 * holding the frame, 0 at the end of the stream, -1 on a bad frame or I/O error. */
static int read_frame(int fd, iggy_buf *out) {
    iggy_buf buf = IGGY_BUF_EMPTY;
    check("iggy_buf_with_capacity", iggy_buf_with_capacity(IGGY_HEADER_SIZE, &buf));
    int got = read_all(fd, iggy_buf_data(&buf), IGGY_HEADER_SIZE);
    if (got <= 0) {
        iggy_buf_free(&buf);
        return got;
    }
    const iggy_generic_header *header = (const iggy_generic_header *)iggy_buf_data(&buf);
    uint32_t size = header->size;
    if (size < IGGY_HEADER_SIZE || size > IGGY_MAX_MESSAGE_SIZE) {
        iggy_buf_free(&buf);
        return -1;
    }
    check("iggy_buf_set_len", iggy_buf_set_len(&buf, IGGY_HEADER_SIZE));
    check("iggy_buf_reserve", iggy_buf_reserve(&buf, size - IGGY_HEADER_SIZE));
    if (read_all(fd, iggy_buf_data(&buf) + IGGY_HEADER_SIZE, size - IGGY_HEADER_SIZE) != 1 &&
        size > IGGY_HEADER_SIZE) {
        iggy_buf_free(&buf);
        return -1;
    }
    check("iggy_buf_set_len", iggy_buf_set_len(&buf, size));
    *out = buf;
    return 1;
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

/* A sealed, header-only frame in a new buffer: the caller fills the header. */
static uint8_t *new_control_frame(iggy_buf *buf) {
    check("iggy_buf_new_zeroed", iggy_buf_new_zeroed(IGGY_HEADER_SIZE, buf));
    return iggy_buf_data(buf);
}

static void send_sealed(int fd, iggy_buf *buf) {
    check("iggy_header_seal", iggy_header_seal(iggy_buf_data(buf), iggy_buf_len(buf)));
    if (write_all(fd, iggy_buf_data(buf), iggy_buf_len(buf)) != 0) die("send", strerror(errno));
    iggy_buf_free(buf);
}

/* ---- backup ---------------------------------------------------------------------- */

typedef struct backup {
    uint8_t replica;
    int listener;
    uint64_t messages;   /* messages decoded from prepares */
    uint64_t commit;     /* the latest commit heard of */
} backup;

static void *backup_main(void *arg) {
    backup *self = arg;
    int fd = accept_one(self->listener);
    iggy_buf frame;
    int got;
    while ((got = read_frame(fd, &frame)) == 1) {
        const uint8_t *bytes = iggy_buf_data(&frame);
        size_t len = iggy_buf_len(&frame);
        iggy_validation_detail detail;
        if (iggy_frame_validate_inbound(bytes, len, &detail) != IGGY_OK)
            die("backup: inbound frame rejected", detail.reason);

        if (detail.command == IGGY_COMMAND_COMMIT) {
            self->commit = ((const iggy_commit_header *)bytes)->commit;
        } else if (detail.command == IGGY_COMMAND_PREPARE) {
            const iggy_prepare_header *prepare = (const iggy_prepare_header *)bytes;
            iggy_batch batch;
            check("backup: iggy_batch_decode", iggy_batch_decode(bytes, len, &batch, &detail));
            iggy_batch_iter it;
            iggy_batch_message message;
            uint32_t seen = 0;
            iggy_batch_iter_begin(&batch, &it);
            while (iggy_batch_next(&it, &message)) {
                if (message.payload_len != PAYLOAD_LEN) die("backup", "unexpected payload");
                seen++;
            }
            if (seen != batch.message_count) die("backup", "message count mismatch");
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
            send_sealed(fd, &ok_buf);
        } else {
            die("backup", "unexpected command");
        }
        iggy_buf_free(&frame);
    }
    if (got < 0) die("backup", "bad frame or I/O error");
    close(fd);
    return NULL;
}

/* ---- primary --------------------------------------------------------------------- */

typedef struct primary {
    int listener;                /* the client connects here */
    uint16_t backup_ports[BACKUPS];
    uint64_t committed;          /* requests committed and replied to */
} primary;

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

static void send_reply(int client, const iggy_prepare_header *prepare) {
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
    send_sealed(client, &buf);  /* a Reply carries no checksum: sealing leaves it as is */
}

static void send_commit(int fd, uint64_t commit) {
    iggy_buf buf;
    iggy_commit_header *header = (iggy_commit_header *)new_control_frame(&buf);
    header->size = IGGY_HEADER_SIZE;
    header->command = IGGY_COMMAND_COMMIT;
    header->view = 1;
    header->commit = commit;
    header->group = GROUP;
    send_sealed(fd, &buf);
}

static void *primary_main(void *arg) {
    primary *self = arg;
    int backups[BACKUPS];
    for (int i = 0; i < BACKUPS; i++) backups[i] = connect_loopback(self->backup_ports[i]);
    int client = accept_one(self->listener);

    uint64_t op = 0, commit = 0;
    iggy_u128 prepared = { 0, 0 };            /* the checksum of the latest prepare */
    iggy_frozen pending = IGGY_FROZEN_EMPTY;  /* that prepare, until its quorum */
    int outstanding = 0;                      /* its PrepareOks still to come */
    int client_open = 1;

    /* One request in flight: the next is read once every backup has answered. */
    while (client_open || outstanding > 0) {
        struct pollfd fds[1 + BACKUPS];
        fds[0] = (struct pollfd){ .fd = outstanding == 0 ? client : -1, .events = POLLIN };
        for (int i = 0; i < BACKUPS; i++)
            fds[1 + i] = (struct pollfd){ .fd = backups[i], .events = POLLIN };
        if (poll(fds, 1 + BACKUPS, 10000) <= 0) die("primary", "poll timed out");

        if (fds[0].revents) {
            iggy_buf request;
            int got = read_frame(client, &request);
            if (got == 0) {
                client_open = 0;
                continue;
            }
            iggy_validation_detail detail;
            if (got < 0) die("primary", "bad frame from the client");
            if (iggy_frame_validate_inbound(iggy_buf_data(&request), iggy_buf_len(&request),
                                            &detail) != IGGY_OK)
                die("primary: request rejected", detail.reason);
            pending = request_to_prepare(&request, ++op, commit, prepared);
            prepared = ((const iggy_prepare_header *)iggy_frozen_data(&pending))->checksum;
            for (int i = 0; i < BACKUPS; i++) {
                iggy_frozen clone;  /* one atomic add: both backups get the same bytes */
                check("iggy_frozen_clone", iggy_frozen_clone(&pending, &clone));
                if (write_all(backups[i], iggy_frozen_data(&clone), iggy_frozen_len(&clone)) != 0)
                    die("primary: send", strerror(errno));
                iggy_frozen_release(&clone);
            }
            outstanding = BACKUPS;
        }
        for (int i = 0; i < BACKUPS; i++) {
            if (!fds[1 + i].revents) continue;
            iggy_buf ok;
            if (read_frame(backups[i], &ok) != 1) die("primary", "a backup went away");
            iggy_validation_detail detail;
            if (iggy_frame_validate_inbound(iggy_buf_data(&ok), iggy_buf_len(&ok), &detail) != IGGY_OK)
                die("primary: PrepareOk rejected", detail.reason);
            const iggy_prepare_ok_header *vote = (const iggy_prepare_ok_header *)iggy_buf_data(&ok);
            if (detail.command != IGGY_COMMAND_PREPARE_OK || vote->op != op ||
                vote->prepare_checksum.lo != prepared.lo || vote->prepare_checksum.hi != prepared.hi)
                die("primary", "a PrepareOk for another prepare");
            iggy_buf_free(&ok);
            outstanding--;
            if (!iggy_frozen_is_empty(&pending)) {
                /* The primary's own vote and this backup's: a quorum of three. */
                commit = op;
                send_reply(client, (const iggy_prepare_header *)iggy_frozen_data(&pending));
                for (int b = 0; b < BACKUPS; b++) send_commit(backups[b], commit);
                iggy_frozen_release(&pending);  /* the last share: frees the frame */
                self->committed++;
            }
        }
    }
    for (int i = 0; i < BACKUPS; i++) close(backups[i]);
    close(client);
    return NULL;
}

/* ---- client ---------------------------------------------------------------------- */

/* A Request whose body is a SendMessages batch of `count` messages. */
static void build_request(iggy_buf *out, uint64_t number, uint32_t count) {
    static uint8_t payload[PAYLOAD_LEN];
    iggy_batch_input inputs[256];
    for (uint32_t i = 0; i < count; i++) {
        memset(&inputs[i], 0, sizeof inputs[i]);
        inputs[i].id.lo = number << 8 | i;
        inputs[i].offset_delta = i;
        inputs[i].payload = payload;
        inputs[i].payload_len = sizeof payload;
    }
    check("iggy_buf_new_zeroed", iggy_buf_new_zeroed(IGGY_HEADER_SIZE, out));
    check("iggy_batch_encode", iggy_batch_encode(0, 0, 0, number, inputs, count, out));
    iggy_request_header *request = (iggy_request_header *)iggy_buf_data(out);
    request->size = (uint32_t)iggy_buf_len(out);
    request->command = IGGY_COMMAND_REQUEST;
    request->client.lo = CLIENT_ID;
    request->session = 1;
    request->request = number;
    request->operation = IGGY_OPERATION_SEND_MESSAGES;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    uint64_t requests = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
    uint32_t per_request = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 16;
    if (requests == 0 || per_request == 0 || per_request > 256) die("usage", "mini_replica [REQUESTS] [1..256]");

    backup backups[BACKUPS];
    primary primary = { 0 };
    pthread_t threads[1 + BACKUPS];
    for (int i = 0; i < BACKUPS; i++) {
        backups[i] = (backup){ .replica = (uint8_t)(i + 1) };
        backups[i].listener = listen_loopback(&primary.backup_ports[i]);
        pthread_create(&threads[1 + i], NULL, backup_main, &backups[i]);
    }
    uint16_t primary_port;
    primary.listener = listen_loopback(&primary_port);
    pthread_create(&threads[0], NULL, primary_main, &primary);
    int fd = connect_loopback(primary_port);

    double start = now();
    for (uint64_t n = 1; n <= requests; n++) {
        iggy_buf request, reply;
        build_request(&request, n, per_request);
        if (write_all(fd, iggy_buf_data(&request), iggy_buf_len(&request)) != 0) die("client: send", strerror(errno));
        iggy_buf_free(&request);

        if (read_frame(fd, &reply) != 1) die("client", "no reply");
        iggy_validation_detail detail;
        if (iggy_frame_validate(iggy_buf_data(&reply), iggy_buf_len(&reply), &detail) != IGGY_OK)
            die("client: reply rejected", detail.reason);
        const iggy_reply_header *header = (const iggy_reply_header *)iggy_buf_data(&reply);
        if (detail.command != IGGY_COMMAND_REPLY || header->request != n || header->op != n ||
            header->commit != n || header->client.lo != CLIENT_ID || header->status != 0)
            die("client", "unexpected reply");
        iggy_buf_free(&reply);
    }
    double elapsed = now() - start;
    close(fd);

    for (int i = 0; i < 1 + BACKUPS; i++) pthread_join(threads[i], NULL);
    uint64_t messages = requests * per_request;
    printf("%llu requests of %u messages (%u-byte payloads) replicated to %d backups\n",
           (unsigned long long)requests, per_request, PAYLOAD_LEN, BACKUPS);
    for (int i = 0; i < BACKUPS; i++) {
        printf("backup %d: decoded %llu messages, commit %llu\n", backups[i].replica,
               (unsigned long long)backups[i].messages, (unsigned long long)backups[i].commit);
        if (backups[i].messages != messages || backups[i].commit != requests)
            die("backup", "missed messages or commits");
    }
    if (primary.committed != requests) die("primary", "missed commits");
    printf("every reply checked: %.3f s, %.0f requests/s, %.0f messages/s\n", elapsed,
           (double)requests / elapsed, (double)messages / elapsed);
    return 0;
}
