#ifndef RACELAB_STRBUF_H
#define RACELAB_STRBUF_H
/*
 * A growable, always NUL-terminated string (after git's strbuf).
 * The struct owns buf; strbuf_release() frees it and leaves an empty
 * strbuf that may be reused. strbuf_detach() hands ownership to the caller.
 */
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
__attribute__((format(printf, 2, 3))) void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append s with JSON string escaping (without the surrounding quotes). */
void strbuf_rtrim(struct strbuf *sb);
/* Append a file's contents; returns bytes read or -1 with errno. */
long strbuf_read_file(struct strbuf *sb, const char *path);

/* A new string formatted like printf; dies when memory runs out. */
__attribute__((format(printf, 1, 2))) char *xstrfmt(const char *fmt, ...);
/* Read a whole file; returns a NUL-terminated buffer (length in *len) or NULL with errno set. */
/* A whole decimal number in [min, max] into *out: 0, or -1 (out untouched). */
int parse_long(const char *s, long min, long max, long *out);
char *read_file(const char *path, size_t *len);

#endif
