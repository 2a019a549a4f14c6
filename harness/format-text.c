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
			const struct grade_exercise *e = &g[s]->v[i];

			fprintf(out, "\n== %s: %g/%d (%s)\n", e->name, e->points, e->max_points,
				grade_state_name(e->state));
			for (size_t k = 0; k < e->files.n; k++)
				fprintf(out, "   %s\n", e->files.v[k]);
			if (e->feedback.len)
				fputs(e->feedback.buf, out);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

const struct grade_format format_text = { "text", "grades.txt", text_write };
