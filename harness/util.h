#ifndef RACELAB_UTIL_H
#define RACELAB_UTIL_H
/*
 * Allocation that cannot fail silently (x*alloc() die on exhaustion),
 * the clock, files and folders. Error reporting is usage.h's; string
 * formatting strbuf.h's.
 */
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#include "usage.h"

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

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

int write_file(const char *path, const char *data, size_t len);

/* mkdir -p; returns 0 or -1 with errno. rm -rf; returns 0 or -1. */
int mkdir_p(const char *path, unsigned mode);
int remove_tree(const char *path);

/* 1 when an executable `name` is in a folder of $PATH, as execvp would find it. */
int on_path(const char *name);

/* FNV-1a 64-bit, for build-cache keys. */
uint64_t fnv1a(uint64_t h, const void *data, size_t len);
#define FNV1A_INIT 0xcbf29ce484222325ULL

#endif
