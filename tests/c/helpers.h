/*
 * helpers.h: the checks that test_api.c and test_stream.c share, on top of check.h.
 *
 *   FILL, fill(p, n)         output handles and values are pre-filled with FILL, so
 *   IS_FILLED(x), IS_ZERO(x) that a test can tell whether a call wrote them
 *   SNAPSHOT(name, handle)   a byte copy of a handle, for CHECK_UNCHANGED(handle, name)
 *   is_aligned(p)            p is IGGY_MESSAGE_ALIGN-aligned
 *   no_word_filled(w, n)     no word of a handle still holds the fill pattern
 *   CHECK_STATUS(call, want) the call returns `want` (prints both names otherwise)
 *   build_commit, build_prepare_ok  valid sealed frames, at any alignment
 *   check_sanitizer_present() an ASan build (-DEXPECT_ASAN) really has AddressSanitizer
 *
 * Include it after iggy_consensus.h and check.h.
 */

#ifndef IGGY_TEST_HELPERS_H
#define IGGY_TEST_HELPERS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "iggy_consensus.h"

#include "check.h"

/* Output handles and values are pre-filled with this byte, so that a test can tell
 * whether a call wrote them. */
#define FILL 0xA5

static inline void fill(void *p, size_t n)
{
    memset(p, FILL, n);
}

static inline bool all_bytes_are(const void *p, size_t n, unsigned char value)
{
    const unsigned char *bytes = p;
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] != value) {
            return false;
        }
    }
    return true;
}

/* Whether a handle (or any object) still holds the fill pattern / is all zero. */
#define IS_FILLED(x) all_bytes_are(&(x), sizeof(x), FILL)
#define IS_ZERO(x) all_bytes_are(&(x), sizeof(x), 0)

/* A byte copy of a handle, to check later that a call left it exactly as it was.
 * Only the bytes are compared: the copy is never used as a handle (copying a live
 * handle by value and using both copies is forbidden). */
#define SNAPSHOT(name, handle)               \
    unsigned char name[sizeof(handle)];      \
    memcpy(name, &(handle), sizeof(handle))
#define CHECK_UNCHANGED(handle, snap) CHECK_EQ_MEM(&(handle), (snap), sizeof(handle))

static inline bool is_aligned(const void *p)
{
    return (uintptr_t)p % IGGY_MESSAGE_ALIGN == 0;
}

/* No word of a handle still holds the fill pattern: the call wrote all of it. */
static inline bool no_word_filled(const uintptr_t *words, size_t count)
{
    uintptr_t filled;
    memset(&filled, FILL, sizeof filled);
    for (size_t i = 0; i < count; i++) {
        if (words[i] == filled) {
            return false;
        }
    }
    return true;
}

/* CHECK_STATUS(call, want): the call returns `want`; prints both names otherwise. */
static inline bool check_status_(iggy_status got, iggy_status want, const char *expr,
                                 const char *file, int line)
{
    check_count++;
    if (got != want) {
        check_failures++;
        fflush(stdout);
        fprintf(stderr, "%s:%d: %s\n    returned %" PRIu32 " (%s)\n    expected %" PRIu32
                        " (%s)\n",
                file, line, expr, got, iggy_status_name(got), want, iggy_status_name(want));
        return false;
    }
    return true;
}

#define CHECK_STATUS(call, want) check_status_((call), (want), #call, __FILE__, __LINE__)

/* The body byte `i` of the frame with op `op`: every frame's body differs. */
static inline uint8_t body_byte(uint64_t op, size_t i)
{
    return (uint8_t)(op * 131 + i * 7 + (i >> 8));
}

/* Writes a valid, sealed PrepareOk of `size` (>= 256) bytes at `frame` (any
 * alignment): op `op`, commit `commit`, the body from body_byte. PrepareOk's rules are
 * its command and its seal, which covers the header only, so any body is valid.
 * Returns the seal's status (no check: worker threads build frames too). */
static inline iggy_status build_prepare_ok(uint8_t *frame, size_t size, uint64_t op,
                                           uint64_t commit)
{
    iggy_prepare_ok_header h;
    memset(&h, 0, sizeof h);
    h.size = (uint32_t)size;
    h.command = IGGY_COMMAND_PREPARE_OK;
    h.view = 3;
    h.replica = 2;
    h.parent.lo = UINT64_C(0xfeedface);
    h.prepare_checksum.lo = UINT64_C(0xcafebabe);
    h.op = op;
    h.commit = commit;
    h.timestamp = UINT64_C(1700000000000000000);
    h.request = 7;
    h.operation = IGGY_OPERATION_SEND_MESSAGES;
    h.group = (UINT64_C(1) << 32) | (UINT64_C(1) << 20) | 1; /* stream 1, topic 1, partition 1 */
    memcpy(frame, &h, sizeof h);
    for (size_t i = IGGY_HEADER_SIZE; i < size; i++) {
        frame[i] = body_byte(op, i);
    }
    return iggy_header_seal(frame, IGGY_HEADER_SIZE);
}

/* Writes a valid, sealed Commit (256 bytes, header only) at `frame` (any alignment).
 * Returns the seal's status. */
static inline iggy_status build_commit(uint8_t *frame, uint64_t commit_number)
{
    iggy_commit_header h;
    memset(&h, 0, sizeof h);
    h.size = IGGY_HEADER_SIZE;
    h.command = IGGY_COMMAND_COMMIT;
    h.view = 3;
    h.replica = 1;
    h.commit_checksum.lo = UINT64_C(0x0123456789abcdef);
    h.timestamp_monotonic = UINT64_C(1700000000000000000);
    h.commit = commit_number;
    h.checkpoint_op = commit_number / 2;
    h.group = UINT64_C(1) << 63; /* the metadata group */
    memcpy(frame, &h, sizeof h);
    return iggy_header_seal(frame, IGGY_HEADER_SIZE);
}

#ifdef EXPECT_ASAN
/* Defined by the ASan runtime; NULL (weak) when the runtime is not linked in. */
extern void __asan_init(void) __attribute__((weak));

#if defined(__SANITIZE_ADDRESS__)
#define ASAN_COMPILED_IN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_COMPILED_IN 1
#endif
#endif
#ifndef ASAN_COMPILED_IN
#define ASAN_COMPILED_IN 0
#endif
#endif

/* A build that promises AddressSanitizer (-DEXPECT_ASAN) must really have it, so that a
 * clean run means "no error found", not "nothing was checked". A plain build says that
 * valgrind does that checking. */
static inline void check_sanitizer_present(void)
{
#ifdef EXPECT_ASAN
    CHECK(ASAN_COMPILED_IN);
    void (*asan_init)(void) = __asan_init;
    CHECK(asan_init != NULL);
#else
    printf("   plain build: leaks and memory errors are checked by valgrind\n");
    CHECK(true);
#endif
}

#endif /* IGGY_TEST_HELPERS_H */
