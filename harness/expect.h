#ifndef RACELAB_EXPECT_H
#define RACELAB_EXPECT_H
/*
 * One expectation of lab.ini (what a checker must report for one program
 * variant) parsed into items. A struct expectation owns its strings;
 * expect_release() frees them. Matching one against diagnostics is
 * match.h's.
 */
#include "strbuf.h"

struct expect_item {
	char *kind;		/* vocabulary kind */
	int optional;		/* written "kind?" */
	char *file;		/* "@ file:function" or "@ file:line"; NULL when absent */
	char *function;		/* NULL when a line was given */
	int line;		/* 0 when a function was given */
};

enum expect_type {
	EXPECT_UNSET = 0,	/* not written in lab.ini */
	EXPECT_CLEAN,		/* no diagnostics */
	EXPECT_SKIP,		/* do not run this checker */
	EXPECT_KINDS,		/* the listed kinds */
};

struct expectation {
	enum expect_type type;
	struct expect_item *items;
	size_t n, alloc;
	char *reason;		/* text after "skip", may be NULL */
};

/*
 * Parse one expectation value ("clean", "skip [reason]", or
 * "kind[?] [@ file:function|file:line], ..."; items are separated by
 * commas or blanks). Returns 0 or -1 with a message in err.
 */
int expect_parse(const char *value, struct expectation *e, struct strbuf *err);
void expect_release(struct expectation *e);
/* Render back, e.g. "data-race @ counter.c:worker, wrong-output?". */
void expect_format(const struct expectation *e, struct strbuf *out);

#endif
