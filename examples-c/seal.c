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

int main(void) {
    iggy_buf commit_buf = IGGY_BUF_EMPTY;
    iggy_buf ok_buf = IGGY_BUF_EMPTY;
    iggy_status status;

    /* A Commit: header-only, size 256. The buffer is 4096-aligned, so the header view
     * can be used in place. */
    if ((status = iggy_buf_new_zeroed(IGGY_HEADER_SIZE, &commit_buf)) != IGGY_OK)
        return fail("iggy_buf_new_zeroed", status);
    iggy_commit_header *commit = (iggy_commit_header *)iggy_buf_data(&commit_buf);
    commit->size = IGGY_HEADER_SIZE;
    commit->command = IGGY_COMMAND_COMMIT;
    commit->view = 3;
    commit->replica = 0;
    commit->commit = 41;
    commit->checkpoint_op = 40;
    commit->group = 1;
    if ((status = iggy_header_seal((uint8_t *)commit, IGGY_HEADER_SIZE)) != IGGY_OK)
        return fail("iggy_header_seal(commit)", status);
    print_checksum("Commit", &commit->checksum);

    /* A PrepareOk from replica 2 acknowledging op 42. */
    if ((status = iggy_buf_new_zeroed(IGGY_HEADER_SIZE, &ok_buf)) != IGGY_OK)
        return fail("iggy_buf_new_zeroed", status);
    iggy_prepare_ok_header *ok = (iggy_prepare_ok_header *)iggy_buf_data(&ok_buf);
    ok->size = IGGY_HEADER_SIZE;
    ok->command = IGGY_COMMAND_PREPARE_OK;
    ok->view = 3;
    ok->replica = 2;
    ok->op = 42;
    ok->commit = 41;
    ok->operation = IGGY_OPERATION_SEND_MESSAGES;
    ok->group = 1;
    if ((status = iggy_header_seal((uint8_t *)ok, IGGY_HEADER_SIZE)) != IGGY_OK)
        return fail("iggy_header_seal(prepare_ok)", status);
    print_checksum("PrepareOk", &ok->checksum);

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
