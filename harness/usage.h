#ifndef RACELAB_USAGE_H
#define RACELAB_USAGE_H
/*
 * Reporting to the user (after git's usage.c). die() prints "racelab:
 * fatal: ..." and exits 3 (a broken dependency or environment); error()
 * prints "racelab: error: ..." and returns -1 so callers can write
 * `return error("...")`. Messages are formatted into a fixed buffer and
 * written with one write(2): reporting never allocates, so running out of
 * memory can still be reported, and concurrent messages never interleave.
 */
#define RACELAB_EXIT_OK      0
#define RACELAB_EXIT_FAIL    1
#define RACELAB_EXIT_USAGE   2
#define RACELAB_EXIT_BROKEN  3

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) int error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) int error_errno(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);


#endif
