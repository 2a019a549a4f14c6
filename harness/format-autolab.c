/*
 * Autolab reads the last line of the autograder's output:
 * {"scores": {...}, "scoreboard": [...]}. The feedback goes above it.
 */
#include "grade-format.h"

#include <jansson.h>
#include <stdlib.h>

static int autolab_write(FILE *out, struct grade *const *g, size_t n)
{
	json_t *scores = json_object(), *board = json_array(), *doc;
	char *line;

	for (size_t i = 0; n && i < g[0]->n; i++) {
		const struct grade_exercise *e = &g[0]->v[i];
		struct strbuf sb = STRBUF_INIT;

		grade_exercise_text(e, &sb);
		fprintf(out, "%s\n", sb.buf);
		strbuf_release(&sb);
		json_object_set_new(scores, e->name, json_real(e->points));
	}
	/* The scoreboard: the total, then each exercise in order. */
	json_array_append_new(board, json_real(n ? g[0]->points : 0.0));
	for (size_t i = 0; n && i < g[0]->n; i++)
		json_array_append_new(board, json_real(g[0]->v[i].points));
	doc = json_pack("{s:o, s:o}", "scores", scores, "scoreboard", board);
	line = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!line)
		return -1;
	fprintf(out, "%s\n", line);
	free(line);
	return ferror(out) ? -1 : 0;
}

const struct grade_format format_autolab = { "autolab", "autolab.txt", 1, autolab_write };
