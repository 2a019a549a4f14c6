#ifndef RACELAB_UTIL_H
#define RACELAB_UTIL_H
/*
 * Error reporting and allocation that cannot fail silently.
 *
 * die() prints "racelab: fatal: ..." and exits 3 (a broken dependency or
 * environment); error() prints "racelab: error: ..." and returns -1 so
 * callers can write `return error("...")`. x*alloc() die on exhaustion.
 */
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#define RACELAB_EXIT_OK      0
#define RACELAB_EXIT_FAIL    1
#define RACELAB_EXIT_USAGE   2
#define RACELAB_EXIT_BROKEN  3

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) int error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) int error_errno(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((format(printf, 1, 2))) char *xstrfmt(const char *fmt, ...);

/* Grow an array to hold at least `need` elements (git's ALLOC_GROW). */
#define ALLOC_GROW(arr, need, alloc) do { \
	if ((need) > (alloc)) { \
		size_t alloc_grow_n_ = (alloc) ? (alloc) * 2 : 8; \
		if (alloc_grow_n_ < (need)) alloc_grow_n_ = (need); \
		(arr) = xrealloc((arr), alloc_grow_n_ * sizeof(*(arr))); \
		(alloc) = alloc_grow_n_; \
	} \
} while (0)

/* Monotonic clock in milliseconds. */
uint64_t now_ms(void);

/* Read a whole file; returns a NUL-terminated buffer (length in *len) or NULL with errno set. */
/* A whole decimal number in [min, max] into *out: 0, or -1 (out untouched). */
int parse_long(const char *s, long min, long max, long *out);
char *read_file(const char *path, size_t *len);
int write_file(const char *path, const char *data, size_t len);

/* mkdir -p; returns 0 or -1 with errno. rm -rf; returns 0 or -1. */
int mkdir_p(const char *path, unsigned mode);
int remove_tree(const char *path);

/* FNV-1a 64-bit, for build-cache keys. */
uint64_t fnv1a(uint64_t h, const void *data, size_t len);
#define FNV1A_INIT 0xcbf29ce484222325ULL

#endif
