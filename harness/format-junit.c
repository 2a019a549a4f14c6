/*
 * JUnit XML as GitLab and Jenkins read it: a testsuite per student, a
 * testcase per exercise. A wrong submission is a <failure>; one that could
 * not be graded (build error, broken lab.ini) an <error>.
 */
#include "grade-format.h"

#include <string.h>

/* XML text: the five entities escaped, and what XML 1.0 cannot hold dropped. */
static void put_xml(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				fputc(c, out);
			else
				fputc('?', out);
		}
	}
}

static void put_xmlstr(FILE *out, const char *s)
{
	put_xml(out, s, strlen(s));
}

static int bad_state(const struct grade_exercise *e)
{
	return e->state == GRADE_BUILD_ERROR || e->state == GRADE_LAB_ERROR;
}

static int junit_write(FILE *out, struct grade *const *g, size_t n)
{
	int tests = 0, failures = 0, errors = 0;

	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; i < g[s]->n; i++) {
			tests++;
			if (bad_state(&g[s]->v[i]))
				errors++;
			else if (!grade_full(&g[s]->v[i]))
				failures++;
		}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"racelab\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n",
		tests, failures, errors);
	for (size_t s = 0; s < n; s++) {
		const struct grade *gr = g[s];
		int f = 0, e = 0;

		for (size_t i = 0; i < gr->n; i++) {
			e += bad_state(&gr->v[i]);
			f += !bad_state(&gr->v[i]) && !grade_full(&gr->v[i]);
		}
		fputs("  <testsuite name=\"", out);
		put_xmlstr(out, gr->student);
		fprintf(out, "\" tests=\"%zu\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n",
			gr->n, f, e, gr->duration_ms / 1000.0);
		for (size_t i = 0; i < gr->n; i++) {
			const struct grade_exercise *x = &gr->v[i];
			struct strbuf sb = STRBUF_INIT;

			grade_exercise_text(x, &sb);
			fputs("    <testcase classname=\"", out);
			put_xmlstr(out, gr->student);
			fputs("\" name=\"", out);
			put_xmlstr(out, x->name);
			fputs("\">\n", out);
			if (!grade_full(x)) {
				const char *tag = bad_state(x) ? "error" : "failure";

				fprintf(out, "      <%s message=\"%g/%d: %s\" type=\"%s\"/>\n", tag,
					x->points, x->max_points, grade_state_name(x->state),
					grade_state_name(x->state));
			}
			fputs("      <system-out>", out);
			put_xml(out, sb.buf, sb.len);
			fputs("</system-out>\n    </testcase>\n", out);
			strbuf_release(&sb);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	return ferror(out) ? -1 : 0;
}

const struct grade_format format_junit = { "junit", "junit.xml", 0, junit_write };
