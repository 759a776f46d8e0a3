/*
 * buffers.c: the primary's message path, without copying the body.
 *
 *   1. A Request arrives: build it in a new 4096-aligned buffer.
 *   2. Split the 256-byte header from the body (zero-copy: one shared allocation).
 *   3. Rewrite the header into a Prepare in the prefix, and seal it there.
 *   4. Coalesce prefix and body back into one frozen frame (no allocation).
 *   5. Fan the frame out to N replica threads by clone: each validates and releases.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "iggy_consensus.h"

#define REPLICAS 4

static const char BODY[] = "one SendMessages batch would go here";

static int fail(const char *what, iggy_status status) {
    fprintf(stderr, "%s: %s\n", what, iggy_status_str(status));
    return 1;
}

/* Step 1: a client's Request, header then body, in one buffer. */
static iggy_status build_request(iggy_buf *out) {
    size_t size = IGGY_HEADER_SIZE + sizeof BODY;
    iggy_status status = iggy_buf_with_capacity(size, out);
    if (status != IGGY_OK) return status;
    uint8_t *data = iggy_buf_data(out);
    memset(data, 0, IGGY_HEADER_SIZE);
    iggy_request_header *request = (iggy_request_header *)data;
    request->size = (uint32_t)size;
    request->command = IGGY_COMMAND_REQUEST;
    request->client.lo = 0xc11e47;
    request->session = 1;
    request->request = 7;
    request->operation = IGGY_OPERATION_SEND_MESSAGES;
    memcpy(data + IGGY_HEADER_SIZE, BODY, sizeof BODY);
    return iggy_buf_set_len(out, size);
}

/* Step 3: the Prepare header, written over the Request header in place. */
static void rewrite_as_prepare(uint8_t *header, uint64_t op) {
    iggy_request_header request;
    memcpy(&request, header, sizeof request);
    memset(header, 0, IGGY_HEADER_SIZE);
    iggy_prepare_header *prepare = (iggy_prepare_header *)header;
    prepare->size = request.size;
    prepare->release = request.release;
    prepare->command = IGGY_COMMAND_PREPARE;
    prepare->view = 1;
    prepare->client = request.client;
    prepare->request_checksum = request.request_checksum;
    prepare->request = request.request;
    prepare->operation = request.operation;
    prepare->user_id = request.user_id;
    prepare->op = op;
    prepare->commit = op - 1;
    prepare->group = 1;
}

/* Step 5: what each replica connection does with its clone. */
static void *replica(void *arg) {
    iggy_frozen *frame = arg;
    iggy_validation_detail detail;
    iggy_status status =
        iggy_frame_validate_inbound(iggy_frozen_data(frame), iggy_frozen_len(frame), &detail);
    iggy_frozen_release(frame);
    return (void *)(uintptr_t)status;
}

int main(void) {
    iggy_buf request = IGGY_BUF_EMPTY;
    iggy_prefix header = IGGY_PREFIX_EMPTY;
    iggy_frozen body = IGGY_FROZEN_EMPTY, frame = IGGY_FROZEN_EMPTY;
    iggy_status status;

    if ((status = build_request(&request)) != IGGY_OK) return fail("build_request", status);
    if ((status = iggy_frame_validate_inbound(iggy_buf_data(&request), iggy_buf_len(&request),
                                              NULL)) != IGGY_OK)
        return fail("the request is not valid", status);
    const uint8_t *body_bytes = iggy_buf_data(&request) + IGGY_HEADER_SIZE;
    printf("request: %zu bytes at %p (4096-aligned: %s)\n", iggy_buf_len(&request),
           (void *)iggy_buf_data(&request),
           (uintptr_t)iggy_buf_data(&request) % IGGY_MESSAGE_ALIGN == 0 ? "yes" : "no");

    /* Step 2: `request` is consumed (zeroed); header and body share one allocation. */
    if ((status = iggy_buf_split_at(&request, IGGY_HEADER_SIZE, &header, &body)) != IGGY_OK)
        return fail("iggy_buf_split_at", status);
    printf("split: header %zu bytes, body %zu bytes, same allocation: %s\n",
           iggy_prefix_len(&header), iggy_frozen_len(&body),
           iggy_prefix_aliases(&header, &body) ? "yes" : "no");

    /* Step 3: rewrite and seal in the prefix; seal last. */
    rewrite_as_prepare(iggy_prefix_data(&header), 42);
    if ((status = iggy_header_seal(iggy_prefix_data(&header), IGGY_HEADER_SIZE)) != IGGY_OK)
        return fail("iggy_header_seal", status);

    /* Step 4: both consumed; `frame` is the whole Prepare, body not copied. */
    if ((status = iggy_prefix_coalesce(&header, &body, &frame)) != IGGY_OK)
        return fail("iggy_prefix_coalesce", status);
    printf("prepare: %zu bytes, body still at %p: %s\n", iggy_frozen_len(&frame),
           (const void *)(iggy_frozen_data(&frame) + IGGY_HEADER_SIZE),
           iggy_frozen_data(&frame) + IGGY_HEADER_SIZE == body_bytes ? "zero-copy" : "copied");

    /* Step 5: one clone (one atomic add) per replica connection. */
    pthread_t threads[REPLICAS];
    iggy_frozen clones[REPLICAS];
    for (int i = 0; i < REPLICAS; i++) {
        if ((status = iggy_frozen_clone(&frame, &clones[i])) != IGGY_OK)
            return fail("iggy_frozen_clone", status);
        if (pthread_create(&threads[i], NULL, replica, &clones[i]) != 0)
            return fail("pthread_create", IGGY_ERR_INVALID_ARGUMENT);
    }
    int valid = 0;
    for (int i = 0; i < REPLICAS; i++) {
        void *result;
        pthread_join(threads[i], &result);
        iggy_status verdict = (iggy_status)(uintptr_t)result;
        printf("replica %d: %s\n", i + 1, iggy_status_str(verdict));
        valid += verdict == IGGY_OK;
    }
    iggy_frozen_release(&frame); /* the last share: frees the allocation */
    printf("%d of %d replicas accepted the prepare\n", valid, REPLICAS);
    return valid == REPLICAS ? 0 : 1;
}
