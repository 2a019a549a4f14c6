#include "result.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *status_name(enum status s)
{
	static const char *names[] = { "pass", "fail", "error", "skip" };

	return s <= STATUS_SKIP ? names[s] : "?";
}

void result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->exit_code = -1;
	r->match = (struct match_result)MATCH_RESULT_INIT;
}

void result_clear(struct result *r)
{
	free(r->exercise);
	free(r->title);
	free(r->kase);
	free(r->reason);
	free(r->expected);
	free(r->srcdir);
	diag_list_clear(&r->diags);
	match_result_clear(&r->match);
	result_init(r);
}

void result_take_outcome(struct result *dst, struct result *src)
{
	free(dst->reason);
	diag_list_clear(&dst->diags);
	match_result_clear(&dst->match);
	dst->status = src->status;
	dst->reason = src->reason;
	dst->broken = src->broken;
	dst->exit_code = src->exit_code;
	dst->signal = src->signal;
	dst->timed_out = src->timed_out;
	dst->hang = src->hang;
	dst->hang_after_ms = src->hang_after_ms;
	dst->seed = src->seed;
	dst->diags = src->diags;
	dst->match = src->match;
	src->reason = NULL;
	src->diags = (struct diag_list){ 0 };
	src->match = (struct match_result)MATCH_RESULT_INIT;
}

const char *variant_name(enum variant v)
{
	switch (v) {
	case VARIANT_BUGGY: return "buggy";
	case VARIANT_FIXED: return "fixed";
	case VARIANT_SUBMISSION: return "submission";
	case VARIANT_FILE: return "file";
	}
	return "?";
}
