/*
 * Comparing a checker's diagnostics with a lab.ini expectation (match.h).
 *
 * Places are matched against user frames only: a frame inside libc or a
 * sanitizer runtime says nothing about where the student's bug is.
 */
#include "match.h"
#include "strbuf.h"

#include <string.h>

static int frame_at(const struct frame *f, const struct expect_item *it)
{
	if (!f->user || !f->file || strcmp(f->file, it->file))
		return 0;
	if (it->function)
		return f->function && !strcmp(f->function, it->function);
	return f->line == it->line;
}

static int diag_meets(const struct diag *d, const struct expect_item *it)
{
	if (strcmp(d->kind, it->kind))
		return 0;
	if (!it->file)
		return 1;
	for (size_t i = 0; i < d->nframes; i++)
		if (frame_at(&d->frames[i], it))
			return 1;
	return 0;
}

static int item_met(const struct expect_item *it, const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->n; i++)
		if (diag_meets(&diags->v[i], it))
			return 1;
	return 0;
}

static int kind_listed(const struct expectation *e, const char *kind)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].kind, kind))
			return 1;
	return 0;
}

/* The item as lab.ini spells it, through the one formatter there is. */
static char *format_item(const struct expect_item *it)
{
	struct expectation one = { EXPECT_KINDS, (struct expect_item *)it, 1, 1, NULL };
	struct strbuf sb = STRBUF_INIT;

	expect_format(&one, &sb);
	return strbuf_detach(&sb, NULL);
}

/* "kind @ file:line" at the first user frame: where a student would look. */
static char *format_diag(const struct diag *d)
{
	const struct frame *f = diag_user_frame(d);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, d->kind);
	if (f && f->file) {
		if (f->line > 0)
			strbuf_addf(&sb, " @ %s:%d", f->file, f->line);
		else if (f->function)
			strbuf_addf(&sb, " @ %s:%s", f->file, f->function);
		else
			strbuf_addf(&sb, " @ %s", f->file);
	}
	return strbuf_detach(&sb, NULL);
}

int match_expectation(const struct expectation *e, const struct diag_list *diags,
		      struct match_result *r)
{
	size_t unmet = 0, unexpected = 0;

	if (e->type == EXPECT_SKIP || e->type == EXPECT_UNSET)
		return 1;

	if (e->type == EXPECT_KINDS) {
		for (size_t i = 0; i < e->n; i++) {
			const struct expect_item *it = &e->items[i];

			if (it->optional || item_met(it, diags))
				continue;
			strvec_push_nodup(&r->unmet, format_item(it));
			unmet++;
		}
	}
	for (size_t i = 0; i < diags->n; i++) {
		const struct diag *d = &diags->v[i];

		/* "clean" lists nothing, so every diagnostic is unexpected */
		if (kind_listed(e, d->kind))
			continue;
		strvec_push_nodup(&r->unexpected, format_diag(d));
		unexpected++;
	}
	return !unmet && !unexpected;
}

void match_result_clear(struct match_result *r)
{
	strvec_clear(&r->unmet);
	strvec_clear(&r->unexpected);
}
