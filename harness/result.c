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
	free(r->reason);
	free(r->expected);
	free(r->srcdir);
	diag_list_clear(&r->diags);
	match_result_clear(&r->match);
	result_init(r);
}

void result_move(struct result *dst, struct result *src)
{
	result_clear(dst);
	*dst = *src;
	result_init(src);
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
