/*
 * Scoring (grade.h): checker verdicts in, points out.
 */
#include "grade.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *grade_state_name(enum grade_state s)
{
	switch (s) {
	case GRADE_RAN: return "graded";
	case GRADE_UNCHANGED: return "unchanged";
	case GRADE_NOT_SUBMITTED: return "not submitted";
	case GRADE_BUILD_ERROR: return "build error";
	case GRADE_LAB_ERROR: return "lab error";
	}
	return "?";
}

int grade_full(const struct grade_exercise *e)
{
	return e->max_points && e->points >= e->max_points;
}

void grade_exercise_text(const struct grade_exercise *e, struct strbuf *out)
{
	strbuf_addf(out, "%s: %g/%d (%s)\n", e->name, e->points, e->max_points,
		    grade_state_name(e->state));
	for (size_t k = 0; k < e->files.n; k++)
		strbuf_addf(out, "   %s\n", e->files.v[k]);
	if (!e->max_points)
		strbuf_addstr(out, "   worth no points here (lab.ini: points = 0): it is graded another way\n");
	if (e->feedback.len)
		strbuf_add(out, e->feedback.buf, e->feedback.len);
}

struct grade_exercise *grade_add(struct grade *g, const char *name, const struct lab *lab)
{
	struct grade_exercise *ge;

	if (g->n == g->alloc) {
		g->alloc = g->alloc ? 2 * g->alloc : 16;
		g->v = xrealloc(g->v, g->alloc * sizeof(*g->v));
	}
	ge = &g->v[g->n++];
	memset(ge, 0, sizeof(*ge));
	ge->name = xstrdup(name);
	strbuf_init(&ge->feedback, 0);
	if (lab) {
		ge->title = lab->title ? xstrdup(lab->title) : NULL;
		ge->max_points = lab->points;
		ge->partial_per_checker = lab->partial_per_checker;
	}
	return ge;
}

struct grade_exercise *grade_find(struct grade *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].name, name))
			return &g->v[i];
	return NULL;
}

/* The handout fails under a checker when [buggy] requires some kind there. */
static int handout_fails(const struct expectation *ex)
{
	if (ex->type != EXPECT_KINDS)
		return 0;
	for (size_t i = 0; i < ex->n; i++)
		if (!ex->items[i].optional)
			return 1;
	return 0;
}

struct grade_check *grade_check_add(struct grade_exercise *ge)
{
	ALLOC_GROW(ge->checks, ge->nchecks + 1, ge->alloc_checks);
	memset(&ge->checks[ge->nchecks], 0, sizeof(*ge->checks));
	return &ge->checks[ge->nchecks++];
}

void grade_record(struct grade_exercise *ge, const struct lab *lab, const struct result *r)
{
	struct grade_check *c;

	for (size_t i = 0; i < r->diags.n; i++)
		if (!strcmp(r->diags.v[i].kind, "build-error"))
			ge->state = GRADE_BUILD_ERROR;
	if (!r->tool)
		return;
	c = grade_check_add(ge);
	c->tool = r->tool;
	c->kase = r->kase ? xstrdup(r->kase) : NULL;
	c->status = r->status;
	/* A case is what the fix must meet beyond the handout's run: never owed by the handout. */
	c->handout_fails = lab && !r->kase && handout_fails(&lab->buggy[r->tool - tools]);
}

static double exercise_points(const struct grade_exercise *ge)
{
	size_t graded = 0, passed = 0, owed = 0, fixed = 0, broke = 0;

	if (ge->state != GRADE_RAN)
		return 0;
	for (size_t i = 0; i < ge->nchecks; i++) {
		const struct grade_check *c = &ge->checks[i];

		if (c->status == STATUS_SKIP)
			continue;
		graded++;
		passed += c->status == STATUS_PASS;
		owed += c->handout_fails;
		fixed += c->handout_fails && c->status == STATUS_PASS;
		broke += !c->handout_fails && c->status != STATUS_PASS;
	}
	if (!graded)
		return 0;	/* nothing ran: nothing shown to be fixed */
	if (passed == graded)
		return ge->max_points;
	/*
	 * Credit only for what the handout got wrong, so the handout itself
	 * earns nothing; a checker the fix broke counts against it.
	 */
	if (!ge->partial_per_checker || !owed)
		return 0;
	return (double)ge->max_points * (double)fixed / (double)(owed + broke);
}

void grade_score(struct grade *g)
{
	g->points = 0;
	g->max_points = 0;
	for (size_t i = 0; i < g->n; i++) {
		g->v[i].points = exercise_points(&g->v[i]);
		g->points += g->v[i].points;
		g->max_points += g->v[i].max_points;
	}
}

void grade_release(struct grade *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].name);
		free(g->v[i].title);
		strvec_clear(&g->v[i].files);
		for (size_t k = 0; k < g->v[i].nchecks; k++)
			free(g->v[i].checks[k].kase);
		free(g->v[i].checks);
		strbuf_release(&g->v[i].feedback);
	}
	free(g->v);
	free(g->student);
	memset(g, 0, sizeof(*g));
}
