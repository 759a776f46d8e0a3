/*
 * bench_util.h: what benches/bench.c and benches/stream.c both need: failing with a
 * message, the median of the measured values, the machine's load average. The including
 * file defines BENCH_NAME, its program's name in the messages.
 */
#ifndef IGGY_BENCH_UTIL_H
#define IGGY_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iggy_consensus.h"

/* Exits with "BENCH_NAME: <what>: <why>". */
static void fail(const char *what, const char *why) {
    fprintf(stderr, BENCH_NAME ": %s: %s\n", what, why);
    exit(1);
}

/* Fails with the status's name unless status is IGGY_OK. */
static void check(const char *what, iggy_status status) {
    if (status != IGGY_OK) fail(what, iggy_status_name(status));
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of values[0..n), n > 0; sorts values in place. */
static double median(double *values, int n) {
    qsort(values, (size_t)n, sizeof *values, compare_doubles);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Prints "load average <when>: " and the line of /proc/loadavg ("?" without one). */
static void print_loadavg(const char *when) {
    char line[128] = "?";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f != NULL) {
        if (fgets(line, sizeof line, f) == NULL) strcpy(line, "?\n");
        fclose(f);
    }
    printf("load average %s: %s", when, line);
}

#endif
