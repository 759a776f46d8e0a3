/*
 * seal.c: seal a Commit and a PrepareOk, show their checksums, and show a flipped bit
 * being caught.
 *
 * A sealed header carries XXH3-64 of its bytes [16, 256) in `checksum`. Build the
 * header, seal it last, and every replica that validates the frame will catch any bit
 * that changes afterwards.
 */
#include <stdio.h>
#include <string.h>

#include "iggy_consensus.h"

static int fail(const char *what, iggy_status status) {
    fprintf(stderr, "%s: %s\n", what, iggy_status_str(status));
    return 1;
}

static void print_checksum(const char *name, const iggy_u128 *checksum) {
    printf("%-10s checksum = 0x%016llx%016llx\n", name, (unsigned long long)checksum->hi,
           (unsigned long long)checksum->lo);
}

/* A new header-only frame in *buf with its preamble set: size 256, `command`, `view`,
 * `replica`; the rest zero. The buffer is 4096-aligned, so the caller can use the
 * header view of its type in place. NULL (after saying why) if allocation fails. */
static void *new_header(iggy_buf *buf, uint8_t command, uint32_t view, uint8_t replica) {
    iggy_status status = iggy_buf_new_zeroed(IGGY_HEADER_SIZE, buf);
    if (status != IGGY_OK) {
        fail("iggy_buf_new_zeroed", status);
        return NULL;
    }
    iggy_generic_header *header = (iggy_generic_header *)iggy_buf_data(buf);
    header->size = IGGY_HEADER_SIZE;
    header->command = command;
    header->view = view;
    header->replica = replica;
    return header;
}

/* Seals the header (last, after every other write) and prints its checksum. */
static iggy_status seal_and_print(const char *name, void *header) {
    iggy_status status = iggy_header_seal(header, IGGY_HEADER_SIZE);
    if (status == IGGY_OK)
        print_checksum(name, &((const iggy_generic_header *)header)->checksum);
    return status;
}

int main(void) {
    iggy_buf commit_buf = IGGY_BUF_EMPTY;
    iggy_buf ok_buf = IGGY_BUF_EMPTY;
    iggy_status status;

    /* A Commit from replica 0: header-only, size 256. */
    iggy_commit_header *commit = new_header(&commit_buf, IGGY_COMMAND_COMMIT, 3, 0);
    if (commit == NULL)
        return 1;
    commit->commit = 41;
    commit->checkpoint_op = 40;
    commit->group = 1;
    if ((status = seal_and_print("Commit", commit)) != IGGY_OK)
        return fail("iggy_header_seal(commit)", status);

    /* A PrepareOk from replica 2 acknowledging op 42. */
    iggy_prepare_ok_header *ok = new_header(&ok_buf, IGGY_COMMAND_PREPARE_OK, 3, 2);
    if (ok == NULL)
        return 1;
    ok->op = 42;
    ok->commit = 41;
    ok->operation = IGGY_OPERATION_SEND_MESSAGES;
    ok->group = 1;
    if ((status = seal_and_print("PrepareOk", ok)) != IGGY_OK)
        return fail("iggy_header_seal(prepare_ok)", status);

    /* Both validate as a replica receives them. */
    const uint8_t *frames[2] = { iggy_buf_data(&commit_buf), iggy_buf_data(&ok_buf) };
    for (int i = 0; i < 2; i++) {
        status = iggy_frame_validate_inbound(frames[i], IGGY_HEADER_SIZE, NULL);
        printf("%-10s inbound: %s\n", i == 0 ? "Commit" : "PrepareOk", iggy_status_str(status));
        if (status != IGGY_OK)
            return fail("a freshly sealed frame did not validate", status);
    }

    /* One bit of `commit` changes in flight: the seal no longer covers the header. */
    commit->commit ^= 1u << 4;
    iggy_validation_detail detail;
    status = iggy_frame_validate_inbound((const uint8_t *)commit, IGGY_HEADER_SIZE, &detail);
    printf("flipped bit: %s: %s (expected 0x%016llx, found 0x%016llx)\n",
           iggy_status_str(status), detail.reason, (unsigned long long)detail.expected,
           (unsigned long long)detail.found);
    int caught = status == IGGY_ERR_FRAME_CHECKSUM_MISMATCH;

    iggy_buf_free(&commit_buf);
    iggy_buf_free(&ok_buf);
    if (!caught)
        return fail("the flipped bit was not caught", status);
    printf("caught\n");
    return 0;
}
