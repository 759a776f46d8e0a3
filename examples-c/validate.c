/*
 * validate.c: read frames and print, for each, the line iggy_frame_describe writes
 * (command, size, fields, whole-frame verdict), then its verdict on the replica's
 * inbound path with the detail.
 *
 * Usage: validate [--whole] [FILE]   (reads standard input without FILE)
 *
 * The input has one frame per line, in hexadecimal; lines starting with '#' are
 * comments. By default each frame's verdict is the inbound path's
 * (iggy_frame_validate_inbound); --whole uses the whole-frame check
 * (iggy_frame_validate) instead. Exit status: 0 when every line was read, whatever the
 * verdicts; 1 on a malformed line or I/O error.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iggy_consensus.h"

static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decodes the hex digits of `line` into `out` (room for strlen(line) / 2 bytes).
 * Returns the byte count, or -1 on an odd number of digits or another character. */
static long decode_hex(const char *line, uint8_t *out) {
    long n = 0;
    const char *p = line;
    while (hex_value(p[0]) >= 0) {
        if (hex_value(p[1]) < 0) return -1;
        out[n++] = (uint8_t)(hex_value(p[0]) << 4 | hex_value(p[1]));
        p += 2;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    return *p ? -1 : n;
}

/* Reads one line of any length into *buf (grown as needed). Returns its length, or
 * -1 at end of input. */
static long read_line(FILE *in, char **buf, size_t *cap) {
    size_t len = 0;
    int c;
    while ((c = fgetc(in)) != EOF && c != '\n') {
        if (len + 1 >= *cap) {
            size_t grown = *cap ? *cap * 2 : 4096;
            char *p = realloc(*buf, grown);
            if (!p) return -1;
            *buf = p;
            *cap = grown;
        }
        (*buf)[len++] = (char)c;
    }
    if (c == EOF && len == 0) return -1;
    if (!*buf) {
        *buf = malloc(1);
        if (!*buf) return -1;
        *cap = 1;
    }
    (*buf)[len] = '\0';
    return (long)len;
}

int main(int argc, char **argv) {
    int whole = argc > 1 && strcmp(argv[1], "--whole") == 0;
    const char *path = argc > 1 + whole ? argv[1 + whole] : NULL;
    FILE *in = path ? fopen(path, "r") : stdin;
    if (!in) {
        perror(path);
        return 1;
    }

    char *line = NULL;
    size_t cap = 0;
    uint8_t *frame = NULL;
    long len;
    int number = 0, valid = 0, status_code = 0;
    while ((len = read_line(in, &line, &cap)) >= 0) {
        if (len == 0 || line[0] == '#') continue;
        uint8_t *grown = realloc(frame, (size_t)len / 2 + 1);
        if (!grown) {
            fprintf(stderr, "out of memory\n");
            status_code = 1;
            break;
        }
        frame = grown;
        long n = decode_hex(line, frame);
        if (n < 0) {
            fprintf(stderr, "line %d: not a frame in hex\n", number + 1);
            status_code = 1;
            break;
        }

        /* The description, whatever its length: a first try on the stack, then the
         * exact size (snprintf's rules). */
        char text[512];
        size_t need = iggy_frame_describe(frame, (size_t)n, text, sizeof text);
        char *description = need < sizeof text ? text : malloc(need + 1);
        if (description != text && description != NULL)
            iggy_frame_describe(frame, (size_t)n, description, need + 1);
        number++;
        printf("frame %d (%ld bytes): %s\n", number, n, description ? description : "?");
        if (description != text) free(description);

        iggy_validation_detail detail;
        iggy_status status = whole ? iggy_frame_validate(frame, (size_t)n, &detail)
                                   : iggy_frame_validate_inbound(frame, (size_t)n, &detail);
        printf("  %s: ", whole ? "whole frame" : "inbound");
        if (status == IGGY_OK) {
            valid++;
            printf("valid\n");
        } else {
            printf("%s [%u]: %s", iggy_status_name(status), status, detail.reason);
            if (detail.expected || detail.found)
                printf(" (expected %llu, found %llu)", (unsigned long long)detail.expected,
                       (unsigned long long)detail.found);
            printf("\n");
        }
    }
    if (ferror(in)) {
        perror("read");
        status_code = 1;
    }
    printf("%d frames, %d valid, %d rejected\n", number, valid, number - valid);
    free(line);
    free(frame);
    if (in != stdin) fclose(in);
    return status_code;
}
