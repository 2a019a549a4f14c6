/*
 * racelab's own grade document (docs/grading.md): every student, every
 * exercise, every checker's verdict. It is what --merge reads back.
 */
#include "grade-format.h"
#include "util.h"

#include <jansson.h>

static json_t *exercise_json(const struct grade_exercise *e)
{
	json_t *checks = json_array(), *files = json_array();

	for (size_t i = 0; i < e->nchecks; i++)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:b}",
			"tool", e->checks[i].tool->name,
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

static int racelab_write(FILE *out, struct grade *const *g, size_t n)
{
	json_t *students = json_array(), *doc;
	int ret;

	for (size_t s = 0; s < n; s++) {
		json_t *ex = json_array();

		for (size_t i = 0; i < g[s]->n; i++)
			json_array_append_new(ex, exercise_json(&g[s]->v[i]));
		json_array_append_new(students, json_pack("{s:s, s:f, s:i, s:f, s:o}",
			"student", g[s]->student,
			"score", g[s]->points,
			"max_score", g[s]->max_points,
			"execution_time", g[s]->duration_ms / 1000.0,
			"exercises", ex));
	}
	doc = json_pack("{s:i, s:o}", "racelab_grade", 1, "students", students);
	ret = json_dumpf(doc, out, JSON_INDENT(2)) < 0 ? -1 : 0;
	fputc('\n', out);
	json_decref(doc);
	return ret || ferror(out) ? -1 : 0;
}

const struct grade_format format_racelab = { "racelab", "racelab.json", 0, racelab_write };
