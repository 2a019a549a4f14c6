/*
 * Gradescope's results.json (its autograder specification): one
 * submission, a test per exercise.
 */
#include "grade-format.h"

#include <jansson.h>

static int gradescope_write(FILE *out, struct grade *const *g, size_t n)
{
	json_t *tests = json_array(), *doc;
	int ret;

	for (size_t i = 0; n && i < g[0]->n; i++) {
		const struct grade_exercise *e = &g[0]->v[i];
		struct strbuf sb = STRBUF_INIT;

		grade_exercise_text(e, &sb);
		json_array_append_new(tests, json_pack("{s:s, s:f, s:i, s:s, s:s%, s:s}",
			"name", e->name,
			"score", e->points,
			"max_score", e->max_points,
			"status", grade_full(e) ? "passed" : "failed",
			"output", sb.buf, sb.len,
			"visibility", "visible"));
		strbuf_release(&sb);
	}
	doc = json_pack("{s:f, s:i, s:f, s:s, s:o}",
		"score", n ? g[0]->points : 0.0,
		"max_score", n ? g[0]->max_points : 0,
		"execution_time", n ? g[0]->duration_ms / 1000.0 : 0.0,
		"output", "Graded by racelab: every checker, every run (racelab check shows the same).",
		"tests", tests);
	ret = json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
	return ret || ferror(out) ? -1 : 0;
}

const struct grade_format format_gradescope = {
	"gradescope", "gradescope.json", 1, gradescope_write,
};
