/*
 * bench_util.h: what benches/bench.c and benches/stream.c both need to report a run:
 * the median of the measured values and the machine's load average.
 */
#ifndef IGGY_BENCH_UTIL_H
#define IGGY_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
