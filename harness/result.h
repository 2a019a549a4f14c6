#ifndef RACELAB_RESULT_H
#define RACELAB_RESULT_H
/*
 * The outcome of one program variant under one checker (over --repeat
 * runs): what the reporters print and what decides the exit code.
 * A result owns its strings, diagnostics and match lists.
 */
#include "diag.h"
#include "lab.h"
#include "match.h"
#include "tools.h"
#include "watch.h"
#include <stdint.h>

enum status { STATUS_PASS, STATUS_FAIL, STATUS_ERROR, STATUS_SKIP };

const char *status_name(enum status s);	/* "pass", "fail", "error", "skip" */

/* Which version of a program a result is about. */
enum variant {
	VARIANT_BUGGY,		/* exercises/: must show lab.ini [buggy] */
	VARIANT_FIXED,		/* solutions/: clean and correct */
	VARIANT_SUBMISSION,	/* the student's exercises/, checked by racelab check */
	VARIANT_FILE,		/* racelab run on any program */
};
/* "buggy", "fixed", "submission", "file": the names in JSON. */
const char *variant_name(enum variant v);

/*
 * A result has an identity, set once by whoever plans the task (which
 * exercise, variant and checker, what was expected), and an outcome,
 * which each run of the task produces anew; result_take_outcome() folds
 * a run's outcome into the task's result without touching its identity.
 */
struct result {
	/* identity */
	char *exercise;		/* exercise name, or the file label for `run` */
	char *title;		/* exercise title, may be NULL */
	enum variant variant;
	const struct tool *tool;
	char *kase;		/* lab.ini [case NAME], or NULL: the exercise's own run ("default") */
	int case_hidden;	/* the case is hidden: a student sees its name and verdict only */
	char *expected;		/* the expectation as written, for reports; may be NULL */
	char *srcdir;		/* the program's directory (to show source lines) */

	/* outcome */
	enum status status;
	char *reason;		/* why skip or error; may be NULL */
	int broken;		/* error because a checker or dependency broke (exit 3) */

	int exit_code;		/* -1 when none */
	int signal;		/* 0 when none */
	int timed_out;
	enum hang hang;
	uint64_t hang_after_ms;	/* when the watch named the hang, from the start; 0 when none */
	uint64_t seed;		/* noise: the seed of the run shown (the first failing); 0 otherwise */

	struct diag_list diags;
	struct match_result match;

	/* over every run of the task */
	uint64_t duration_ms;
	int runs, failed_runs;
	int by_probe;		/* failed only on what the native run measured (serialized) */
};

void result_init(struct result *r);
void result_clear(struct result *r);
/* Replace dst's outcome with src's; src's is left empty, identities untouched. */
void result_take_outcome(struct result *dst, struct result *src);

#endif
