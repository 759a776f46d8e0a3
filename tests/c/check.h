/*
 * check.h: a tiny test framework for the C tests.
 *
 *   CHECK(cond)             the condition holds
 *   CHECK_EQ_U(a, b)        two unsigned integers are equal (printed in decimal and hex)
 *   CHECK_EQ_MEM(a, b, n)   two byte ranges are equal (the first difference is printed)
 *   CHECK_EQ_STR(a, b)      two C strings are equal (NULL is printed as such)
 *   RUN_TEST(fn)            runs `static void fn(void)` and prints its result
 *   check_summary()         prints "N checks, M failures"; returns the exit code
 *
 * A failing check prints file:line, the expression and the values, and the run goes
 * on. Checks run on the main thread only: worker threads count their own mismatches
 * and the main thread checks the counts.
 */

#ifndef IGGY_TEST_CHECK_H
#define IGGY_TEST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The only global state of the tests: how many checks ran and how many failed. */
static unsigned long check_count;
static unsigned long check_failures;

static inline bool check_true_(bool ok, const char *expr, const char *file, int line)
{
    check_count++;
    if (!ok) {
        check_failures++;
        fflush(stdout);
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
    }
    return ok;
}

static inline bool check_eq_u_(uintmax_t a, uintmax_t b, const char *expr_a,
                               const char *expr_b, const char *file, int line)
{
    check_count++;
    if (a != b) {
        check_failures++;
        fflush(stdout);
        fprintf(stderr, "%s:%d: CHECK_EQ_U failed: %s == %s\n"
                        "    left:  %ju (0x%jx)\n    right: %ju (0x%jx)\n",
                file, line, expr_a, expr_b, a, a, b, b);
    }
    return a == b;
}

static inline bool check_eq_mem_(const void *a, const void *b, size_t n, const char *expr_a,
                                 const char *expr_b, const char *file, int line)
{
    check_count++;
    if (n == 0) {
        return true;
    }
    if (a == NULL || b == NULL || memcmp(a, b, n) != 0) {
        check_failures++;
        fflush(stdout);
        fprintf(stderr, "%s:%d: CHECK_EQ_MEM failed: %s == %s (%zu bytes)\n",
                file, line, expr_a, expr_b, n);
        if (a == NULL || b == NULL) {
            fprintf(stderr, "    left: %p, right: %p\n", a, b);
        } else {
            const unsigned char *pa = a, *pb = b;
            size_t i = 0;
            while (pa[i] == pb[i]) {
                i++;
            }
            fprintf(stderr, "    first difference at byte %zu: 0x%02x != 0x%02x\n",
                    i, pa[i], pb[i]);
        }
        return false;
    }
    return true;
}

static inline bool check_eq_str_(const char *a, const char *b, const char *expr_a,
                                 const char *expr_b, const char *file, int line)
{
    bool ok = a != NULL && b != NULL && strcmp(a, b) == 0;
    check_count++;
    if (!ok) {
        check_failures++;
        fflush(stdout);
        fprintf(stderr, "%s:%d: CHECK_EQ_STR failed: %s == %s\n"
                        "    left:  %s%s%s\n    right: %s%s%s\n",
                file, line, expr_a, expr_b,
                a ? "\"" : "", a ? a : "NULL", a ? "\"" : "",
                b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
    }
    return ok;
}

#define CHECK(cond) check_true_((cond) ? true : false, #cond, __FILE__, __LINE__)
#define CHECK_EQ_U(a, b) \
    check_eq_u_((uintmax_t)(a), (uintmax_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_MEM(a, b, n) check_eq_mem_((a), (b), (n), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_STR(a, b) check_eq_str_((a), (b), #a, #b, __FILE__, __LINE__)

static inline void run_test_(void (*fn)(void), const char *name)
{
    unsigned long checks = check_count, failures = check_failures;
    printf("-- %s\n", name);
    fflush(stdout);
    fn();
    checks = check_count - checks;
    failures = check_failures - failures;
    printf("%s %s: %lu checks, %lu failures\n", failures ? "FAIL" : "ok  ", name,
           checks, failures);
    fflush(stdout);
}

#define RUN_TEST(fn) run_test_(fn, #fn)

/* Prints the summary line and returns the process exit code (1 on any failure). */
static inline int check_summary(void)
{
    printf("%lu checks, %lu failures\n", check_count, check_failures);
    return check_failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* IGGY_TEST_CHECK_H */
