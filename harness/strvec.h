#ifndef RACELAB_STRVEC_H
#define RACELAB_STRVEC_H
/*
 * A NULL-terminated, owned vector of strings (argv, envp, lists).
 * strvec_clear() frees every string and the array.
 */
#include <stddef.h>

struct strvec {
	char **v;
	size_t n, alloc;
};

#define STRVEC_INIT { NULL, 0, 0 }

void strvec_push(struct strvec *sv, const char *s);
__attribute__((format(printf, 2, 3))) void strvec_pushf(struct strvec *sv, const char *fmt, ...);
void strvec_push_nodup(struct strvec *sv, char *s);
/* Split on blanks and push every word. */
void strvec_split(struct strvec *sv, const char *s);
void strvec_clear(struct strvec *sv);
/* v with a terminating NULL, valid until the next push or clear. */
char *const *strvec_argv(struct strvec *sv);
int strvec_has(const struct strvec *sv, const char *s);
/* The index of the first string equal to s, or -1. */
int strvec_find(const struct strvec *sv, const char *s);

#endif
