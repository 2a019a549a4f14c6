/*
 * TAP: a test point per student and exercise, ok when it earned all its
 * points; the feedback follows as comment lines. The document uses nothing
 * TAP 14 added (no subtests, no YAML), so it says version 13: TAP 14
 * consumers read it, and so do the Test::Harness parsers that stop at 13.
 */
#include "grade-format.h"

#include <string.h>

/* A description may not hold '#' (a directive) or a newline. */
static void put_desc(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static void put_comment(FILE *out, const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);

		fprintf(out, "# %.*s\n", (int)l, s);
		s += l + (nl != NULL);
	}
}

static int tap_write(FILE *out, struct grade *const *g, size_t n)
{
	size_t total = 0, k = 0;

	for (size_t s = 0; s < n; s++)
		total += g[s]->n;
	fprintf(out, "TAP version 13\n1..%zu\n", total);
	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; i < g[s]->n; i++) {
			const struct grade_exercise *e = &g[s]->v[i];
			struct strbuf sb = STRBUF_INIT;

			fprintf(out, "%s %zu - ", grade_full(e) ? "ok" : "not ok", ++k);
			put_desc(out, g[s]->student);
			fputc(' ', out);
			put_desc(out, e->name);
			fprintf(out, ": %g/%d (%s)\n", e->points, e->max_points, grade_state_name(e->state));
			grade_exercise_text(e, &sb);
			put_comment(out, sb.buf, sb.len);
			strbuf_release(&sb);
		}
	return ferror(out) ? -1 : 0;
}

const struct grade_format format_tap = { "tap", "results.tap", 0, tap_write };
