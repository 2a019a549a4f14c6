#ifndef RACELAB_MATCH_H
#define RACELAB_MATCH_H
/*
 * Comparing what a checker reported with what lab.ini expects.
 *
 * A required item is met when some diagnostic of its kind has a user frame
 * (diag.h) at the given place ("file:function" matches a frame's file and
 * function, "file:line" a frame's file and line; no place: any). An
 * optional item ("kind?") is never unmet. A diagnostic is unexpected when
 * no item of its kind is listed. "clean" expects no diagnostic at all.
 */
#include "diag.h"
#include "lab.h"
#include "strvec.h"

struct match_result {
	struct strvec unmet;		/* the items not met, formatted as in lab.ini */
	struct strvec unexpected;	/* "kind @ file:line" of each unexpected diagnostic */
};

#define MATCH_RESULT_INIT { STRVEC_INIT, STRVEC_INIT }

/* Returns 1 when everything expected was seen and nothing unexpected was, else 0. */
int match_expectation(const struct expectation *e, const struct diag_list *diags,
		      struct match_result *r);
void match_result_clear(struct match_result *r);

#endif
