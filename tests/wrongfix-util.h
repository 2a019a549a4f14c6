/*
 * wrongfix-util: apply a fix from tests/wrongfix/ to a copy of an exercise
 * and read racelab's verdict on it, for the wrong-fix tests.
 *
 * The lab is made in a temporary folder: the exercise from exercises/ and
 * include/, its student file replaced by the solution's with the patch
 * applied; `racelab check --json` runs on it from tests/ (Criterion's
 * working directory), and the folder is removed before returning.
 */
#ifndef WRONGFIX_UTIL_H
#define WRONGFIX_UTIL_H

#include <jansson.h>

/*
 * `racelab check --json TOOLS ex` on exercise `ex` whose file `file` is
 * solutions/ex/file with tests/wrongfix/`fix` applied. TOOLS is a string
 * of options ("--tool native --tool tsan"). The caller owns the document.
 */
json_t *wf_check(const char *ex, const char *file, const char *fix, const char *tools);

/*
 * Criterion expectations on `doc`: the result of `tool` has `status`
 * ("pass", "fail"), and a diagnostic of `kind` is there (present) or not.
 */
void wf_expect(json_t *doc, const char *tool, const char *status, const char *kind, int present);

/* Whether the result of `tool` in `doc` has a diagnostic of `kind`. */
int wf_has(json_t *doc, const char *tool, const char *kind);

/*
 * A wrong fix: under each tool of `under` (NULL-terminated), which TOOLS
 * must include, the result fails with a diagnostic of `kind`.
 */
void wf_expect_rejected(const char *ex, const char *file, const char *fix, const char *tools,
			const char *const *under, const char *kind);

/* A right fix: each tool of `under` passes, with no diagnostic of `kind`. */
void wf_expect_accepted(const char *ex, const char *file, const char *fix, const char *tools,
			const char *const *under, const char *kind);

#endif
