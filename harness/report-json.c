/*
 * The JSON reporter (docs/design.md, "JSON output"): one document on
 * stdout at the end. Built with jansson, so any text a program or checker
 * printed is escaped.
 */
#include "report.h"
#include "excerpt.h"
#include "strbuf.h"
#include "util.h"

#include <jansson.h>
#include <stdlib.h>

struct jrep {
	struct report_opts o;
	json_t *results;
};

static void *json_begin(const struct report_opts *o)
{
	struct jrep *j = xcalloc(1, sizeof(*j));

	j->o = *o;
	j->results = json_array();
	return j;
}

/*
 * A string of text from a program or a checker, as JSON: bytes that are
 * not UTF-8 (a process named "x\xff") are written \xFF rather than the
 * whole diagnostic lost (jansson refuses such strings).
 */
static json_t *str_or_null(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	excerpt_utf8(&sb, s);
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j ? j : json_string("?");
}

static json_t *strvec_json(const struct strvec *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, str_or_null(sv->v[i]));
	return a;
}

static json_t *frames_json(const struct frame *v, size_t n)
{
	json_t *frames = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct frame *f = &v[i];
		json_array_append_new(frames, json_pack("{s:o, s:o, s:o, s:b, s:o}",
			"function", str_or_null(f->function),
			"file", str_or_null(f->file),
			"line", f->line > 0 ? json_integer(f->line) : json_null(),
			"user", f->user,
			"module", str_or_null(f->module)));
	}
	return frames;
}

static json_t *diag_json(const struct diag *d)
{
	json_t *related = json_array();
	json_t *o;

	for (size_t i = 0; i < d->nrelated; i++)
		json_array_append_new(related, json_pack("{s:o, s:o}",
			"what", str_or_null(d->related[i].what),
			"frames", frames_json(d->related[i].frames, d->related[i].nframes)));
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}",
		      "kind", d->kind,
		      "tool_kind", str_or_null(d->tool_kind),
		      "message", str_or_null(d->message),
		      "frames_what", str_or_null(d->frames_what),
		      "frames", frames_json(d->frames, d->nframes),
		      "related", related);
	json_object_set_new(o, "caused_by", d->cause >= 0 ? json_integer(d->cause) : json_null());
	if (d->detail)
		json_object_set_new(o, "detail", str_or_null(d->detail));
	return o;
}

static void json_result(void *ctx, const struct result *r)
{
	struct jrep *j = ctx;
	json_t *diags = json_array(), *o, *exit;

	for (size_t i = 0; i < r->diags.n; i++)
		json_array_append_new(diags, diag_json(&r->diags.v[i]));
	exit = json_pack("{s:o, s:o, s:b, s:o, s:o}",
			 "code", r->exit_code >= 0 ? json_integer(r->exit_code) : json_null(),
			 "signal", r->signal ? json_integer(r->signal) : json_null(),
			 "timed_out", r->timed_out,
			 "hang", str_or_null(hang_name(r->hang)),
			 "hang_after_ms", r->hang ? json_integer((json_int_t)r->hang_after_ms) : json_null());
	o = json_pack("{s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:I, s:i, s:i, s:o, s:o}",
		      "exercise", str_or_null(r->exercise),
		      "variant", variant_name(r->variant),
		      "tool", str_or_null(r->tool ? r->tool->name : NULL),
		      "status", status_name(r->status),
		      "exit", exit,
		      "diagnostics", diags,
		      "unmet", strvec_json(&r->match.unmet),
		      "unexpected", strvec_json(&r->match.unexpected),
		      "duration_ms", (json_int_t)r->duration_ms,
		      "runs", r->runs,
		      "failed_runs", r->failed_runs,
		      "reason", str_or_null(r->reason),
		      "expected", str_or_null(r->expected));
	/* lab.ini [case NAME]: "default" is the exercise's own run */
	json_object_set_new(o, "case", json_string(r->kase ? r->kase : "default"));
	json_object_set_new(o, "hidden", json_boolean(r->case_hidden));
	/* noise: the seed of the run shown (the first that failed, else the first) */
	json_object_set_new(o, "seed", r->seed ? json_integer((json_int_t)r->seed) : json_null());
	json_array_append_new(j->results, o);
}

static void json_end(void *ctx, const struct summary *s)
{
	struct jrep *j = ctx;
	json_t *unfixed = json_array();
	json_t *doc;

	for (size_t i = 0; i < s->unfixed.n; i++)
		json_array_append_new(unfixed, str_or_null(s->unfixed.v[i]));
	doc = json_pack("{s:i, s:s, s:o, s:{s:i, s:i, s:i, s:i, s:I, s:i, s:i, s:o}}",
			"racelab", 1,
			"command", j->o.command,
			"results", j->results,
			"summary", "pass", s->pass, "fail", s->fail, "error", s->error,
			"skip", s->skip, "duration_ms", (json_int_t)s->duration_ms,
			"exercises", s->exercises, "exercises_ok", s->exercises_ok,
			"unfixed", unfixed);

	if (!doc || json_dumpf(doc, j->o.out, JSON_INDENT(2)) < 0)
		error("cannot write the JSON report");
	fputc('\n', j->o.out);
	json_decref(doc);
	free(j);
}

const struct reporter report_json = {
	"json", json_begin, json_result, NULL, json_end,
};
