#ifndef RACELAB_REPORT_H
#define RACELAB_REPORT_H
/*
 * Reporters: one file per output format behind this small table (like
 * Criterion's loggers). begin() once, result() for each result in order,
 * progress() while waiting (may be NULL), end() once with the totals.
 */
#include "result.h"
#include "strvec.h"
#include <stdio.h>

struct summary {
	int pass, fail, error, skip;
	int broken;		/* a checker or dependency broke */
	int input_error;	/* bad lab.ini, program did not compile, bad arguments */
	uint64_t duration_ms;
	/* One verdict per exercise: fixed when none of its results failed. */
	int exercises;		/* exercises with a result that was not skipped */
	int exercises_ok;
	struct strvec unfixed;	/* the others, in order */
	const char *cur_exercise; /* the group being counted (borrowed) */
	int cur_ok, cur_ran;
};
#define SUMMARY_INIT { .unfixed = STRVEC_INIT }

/* Count r towards the summary: its status and its exercise's verdict. */
void summary_add(struct summary *s, const struct result *r);
/* Close the last exercise's verdict; call once, after the last summary_add(). */
void summary_finish(struct summary *s);
void summary_clear(struct summary *s);

struct report_opts {
	FILE *out;
	int color;
	int verbose;
	const char *command;	/* "check", "verify", "run" */
	const char *docs;	/* path of docs/ for "see docs/bugs/KIND.md" */
};

struct reporter {
	const char *name;
	void *(*begin)(const struct report_opts *o);
	void (*result)(void *ctx, const struct result *r);
	void (*progress)(void *ctx, int done, int total, const char *what);
	void (*end)(void *ctx, const struct summary *s);
};

extern const struct reporter report_terminal;
extern const struct reporter report_json;

/* A line of a source file (1-based), without its newline; NULL if absent. Caller frees. */
char *source_line(const char *srcdir, const char *file, int line);

/*
 * file (relative to srcdir, or absolute) as a path from the current
 * directory, the way a compiler names it in "path:line:" so that editors
 * find it: "exercises/01-counter-race/counter.c", "../lib/x.c", or the
 * absolute path when the two share nothing but "/". srcdir may be NULL
 * (file is then taken as it is). Caller frees.
 */
char *path_from_cwd(const char *srcdir, const char *file);

#endif
