#ifndef RACELAB_TESTS_WRONGFIX_H
#define RACELAB_TESTS_WRONGFIX_H
/*
 * Checking a fix from tests/wrongfix/: a copy of exercise `ex` (from the
 * project's exercises/ and include/) whose student file `file` is the
 * solution's with the patch `fix` applied, checked by `racelab check
 * --json TOOLS`. The verdicts are Criterion expectations of the caller's
 * test. Lists of checkers are NULL-terminated.
 */
#include <jansson.h>

/* The JSON document of the check; the caller owns it (json_decref). */
json_t *check_with(const char *ex, const char *file, const char *fix, const char *tools);
/* The same check, as a student reads it on a terminal (--no-color): what it printed. */
char *check_text(const char *ex, const char *file, const char *fix, const char *tools);
/*
 * The status of `tool` on lab.ini's case `kase` ("default": the
 * exercise's own run) in doc, "missing" without one; *has: a diagnostic
 * of `kind` is there.
 */
const char *case_verdict(json_t *doc, const char *tool, const char *kase, const char *kind,
			 int *has);
/* The same on the default case. */
const char *verdict(json_t *doc, const char *tool, const char *kind, int *has);

/* `tool`'s result in doc passes, with no diagnostic of `kind`. */
void expect_pass(json_t *doc, const char *tool, const char *kind);
/* `tool`'s result in doc fails, with a diagnostic of `kind`. */
void expect_fail(json_t *doc, const char *tool, const char *kind);
/* `tool`'s result in doc has `status` ("pass", "fail"), and a `kind` diagnostic or not (present). */
void expect_status(json_t *doc, const char *tool, const char *status, const char *kind, int present);
/* `tool`'s result in doc has a diagnostic of `kind`. */
int has_kind(json_t *doc, const char *tool, const char *kind);

/* A wrong fix: each checker of `under` fails it with a diagnostic of `kind`. */
void expect_rejected(const char *ex, const char *file, const char *fix, const char *tools,
		     const char *const *under, const char *kind);
/* The same, with the kind `serialized`. */
void expect_serialized(const char *ex, const char *file, const char *fix, const char *tools,
		       const char *const *under);
/*
 * A right fix: every checker (--tool all) passes it with no diagnostic of
 * `kind`, and every lab.ini [case] it ran passes too.
 */
void expect_accepted(const char *ex, const char *file, const char *fix, const char *kind);
/* The same under the checkers `under` only, run by `racelab check TOOLS`. */
void expect_accepted_by(const char *ex, const char *file, const char *fix, const char *tools,
			const char *const *under, const char *kind);

#endif
