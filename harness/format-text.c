/*
 * The grade as a person reads it: per student the total, per exercise the
 * points, the files taken, and what is still wrong.
 */
#include "grade-format.h"

static int text_write(FILE *out, struct grade *const *g, size_t n)
{
	for (size_t s = 0; s < n; s++) {
		fprintf(out, "%s: %g/%d\n", g[s]->student, g[s]->points, g[s]->max_points);
		for (size_t i = 0; i < g[s]->n; i++) {
			struct strbuf sb = STRBUF_INIT;

			grade_exercise_text(&g[s]->v[i], &sb);
			fprintf(out, "\n== %s", sb.buf);
			strbuf_release(&sb);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

const struct grade_format format_text = { "text", "grades.txt", 0, text_write };
