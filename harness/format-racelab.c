/*
 * racelab's own grade document (docs/grading.md): every student, every
 * exercise, every checker's verdict. It is what --merge and a resumed
 * class read back (grade_from_json()).
 */
#include "grade-format.h"
#include "util.h"

#include <jansson.h>
#include <string.h>

static json_t *exercise_json(const struct grade_exercise *e)
{
	json_t *checks = json_array(), *files = json_array();

	for (size_t i = 0; i < e->nchecks; i++)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:b}",
			"tool", e->checks[i].tool->name,
			"case", e->checks[i].kase ? e->checks[i].kase : "default",
			"status", status_name(e->checks[i].status),
			"handout_fails", e->checks[i].handout_fails));
	for (size_t i = 0; i < e->files.n; i++)
		json_array_append_new(files, json_string(e->files.v[i]));
	return json_pack("{s:s, s:o, s:f, s:i, s:s, s:o, s:o, s:s%}",
		"name", e->name,
		"title", e->title ? json_string(e->title) : json_null(),
		"score", e->points,
		"max_score", e->max_points,
		"state", grade_state_name(e->state),
		"files", files,
		"checks", checks,
		"feedback", e->feedback.buf ? e->feedback.buf : "", e->feedback.len);
}

json_t *grade_json(const struct grade *g)
{
	json_t *ex = json_array();

	for (size_t i = 0; i < g->n; i++)
		json_array_append_new(ex, exercise_json(&g->v[i]));
	return json_pack("{s:s, s:f, s:i, s:f, s:o}",
		"student", g->student,
		"score", g->points,
		"max_score", g->max_points,
		"execution_time", g->duration_ms / 1000.0,
		"exercises", ex);
}

static int state_from_name(const char *name, enum grade_state *st)
{
	for (int s = GRADE_RAN; s <= GRADE_LAB_ERROR; s++)
		if (!strcmp(grade_state_name((enum grade_state)s), name)) {
			*st = (enum grade_state)s;
			return 0;
		}
	return -1;
}

static int status_from_name(const char *name, enum status *st)
{
	for (int s = STATUS_PASS; s <= STATUS_SKIP; s++)
		if (!strcmp(status_name((enum status)s), name)) {
			*st = (enum status)s;
			return 0;
		}
	return -1;
}

static int exercise_from_json(json_t *o, struct grade *g)
{
	const char *name = NULL, *title = NULL, *state = NULL, *feedback = NULL;
	json_t *files = NULL, *checks = NULL, *v;
	struct grade_exercise *e;
	double score;
	int max;
	size_t i;

	if (json_unpack(o, "{s:s, s?s, s:F, s:i, s:s, s:o, s:o, s:s}", "name", &name, "title", &title,
			"score", &score, "max_score", &max, "state", &state, "files", &files,
			"checks", &checks, "feedback", &feedback) < 0)
		return -1;
	e = grade_add(g, name, NULL);
	e->title = title ? xstrdup(title) : NULL;
	e->points = score;
	e->max_points = max;
	strbuf_addstr(&e->feedback, feedback);
	if (state_from_name(state, &e->state) < 0)
		return -1;
	json_array_foreach(files, i, v)
		if (json_is_string(v))
			strvec_push(&e->files, json_string_value(v));
	json_array_foreach(checks, i, v) {
		const char *tool, *status, *kase = NULL;
		struct grade_check *c;
		int fails;

		if (json_unpack(v, "{s:s, s?s, s:s, s:b}", "tool", &tool, "case", &kase, "status", &status,
				"handout_fails", &fails) < 0)
			return -1;
		c = grade_check_add(e);
		if (!(c->tool = tool_find(tool)) || status_from_name(status, &c->status) < 0)
			return -1;
		c->kase = kase && strcmp(kase, "default") ? xstrdup(kase) : NULL;
		c->handout_fails = fails;
	}
	return 0;
}

int grade_from_json(json_t *o, struct grade *g)
{
	const char *student;
	json_t *ex, *v;
	double score, secs;
	int max;
	size_t i;

	memset(g, 0, sizeof(*g));
	if (json_unpack(o, "{s:s, s:F, s:i, s:F, s:o}", "student", &student, "score", &score,
			"max_score", &max, "execution_time", &secs, "exercises", &ex) < 0 ||
	    !json_is_array(ex))
		return -1;
	g->student = xstrdup(student);
	g->points = score;
	g->max_points = max;
	g->duration_ms = (uint64_t)(secs * 1000);
	json_array_foreach(ex, i, v)
		if (exercise_from_json(v, g) < 0) {
			grade_release(g);
			return -1;
		}
	return 0;
}

static int racelab_write(FILE *out, struct grade *const *g, size_t n)
{
	json_t *students = json_array(), *doc;
	int ret;

	for (size_t s = 0; s < n; s++)
		json_array_append_new(students, grade_json(g[s]));
	doc = json_pack("{s:i, s:o}", "racelab_grade", 1, "students", students);
	ret = json_dumpf(doc, out, JSON_INDENT(2)) < 0 ? -1 : 0;
	fputc('\n', out);
	json_decref(doc);
	return ret || ferror(out) ? -1 : 0;
}

const struct grade_format format_racelab = { "racelab", "racelab.json", 0, racelab_write };
