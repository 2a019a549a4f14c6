/*
 * The gradebook (RFC 4180 CSV): a row per student, a column per exercise,
 * then the total. Exercises are the columns of the first student's grade
 * (every student is graded on the same lab).
 */
#include "grade-format.h"

#include <string.h>

static void put_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int csv_write(FILE *out, struct grade *const *g, size_t n)
{
	fputs("student", out);
	for (size_t i = 0; n && i < g[0]->n; i++) {
		fputc(',', out);
		put_field(out, g[0]->v[i].name);
	}
	fputs(",total\r\n", out);
	for (size_t s = 0; s < n; s++) {
		put_field(out, g[s]->student);
		for (size_t i = 0; i < g[s]->n; i++)
			fprintf(out, ",%g", g[s]->v[i].points);
		fprintf(out, ",%g\r\n", g[s]->points);
	}
	return ferror(out) ? -1 : 0;
}

const struct grade_format format_csv = { "csv", "grades.csv", 0, csv_write };
