/*
 * PrairieLearn's external grader results.json: score from 0 to 1, a test
 * per exercise.
 */
#include "grade-format.h"

#include <jansson.h>

static int prairielearn_write(FILE *out, struct grade *const *g, size_t n)
{
	json_t *tests = json_array(), *doc;
	double score = n && g[0]->max_points ? g[0]->points / g[0]->max_points : 0.0;
	int ret;

	for (size_t i = 0; n && i < g[0]->n; i++) {
		const struct grade_exercise *e = &g[0]->v[i];
		struct strbuf sb = STRBUF_INIT;

		grade_exercise_text(e, &sb);
		json_array_append_new(tests, json_pack("{s:s, s:f, s:i, s:s, s:s%}",
			"name", e->name,
			"points", e->points,
			"max_points", e->max_points,
			"message", grade_state_name(e->state),
			"output", sb.buf, sb.len));
		strbuf_release(&sb);
	}
	doc = json_pack("{s:b, s:f, s:s, s:o}",
		"gradable", 1,
		"score", score,
		"message", "Graded by racelab: every checker, every run.",
		"tests", tests);
	ret = json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
	return ret || ferror(out) ? -1 : 0;
}

const struct grade_format format_prairielearn = {
	"prairielearn", "prairielearn.json", 1, prairielearn_write,
};
