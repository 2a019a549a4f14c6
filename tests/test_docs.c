/*
 * The documentation quotes the exercises: "counter.c:52" and, below it,
 * "52 | counter++;". Every such quote in README.md, docs/, the exercises'
 * READMEs and the solutions' NOTES must still name a line that exists
 * and, where the line's text is quoted, the same text: an edited exercise
 * fails this test until its pages are updated.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <libgen.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#define ROOT ".."

/* Line n (1-based) of path, or NULL; caller frees. */
static char *line_of(const char *path, long n)
{
	char *text = read_file(path, NULL), *p, *ret = NULL;

	if (!text)
		return NULL;
	p = text;
	for (long i = 1; i < n && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (p && *p)
		ret = xstrndup(p, strcspn(p, "\n"));
	free(text);
	return ret;
}

/* Blanks collapsed and trimmed: a page may show tabs as spaces. */
static char *squeeze(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	int blank = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = sb.len > 0;
			continue;
		}
		if (blank)
			strbuf_addch(&sb, ' ');
		blank = 0;
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

/* Where a quoted file may be: by path from the root, beside the page, or any exercise's. */
static void candidates(const char *page, const char *file, struct strvec *out)
{
	char *dir = xstrdup(page), *p;
	glob_t g;

	strvec_pushf(out, "%s/%s", ROOT, file);
	p = dirname(dir);
	strvec_pushf(out, "%s/%s", p, file);
	if (strstr(page, "/solutions/")) {
		char *ex = xstrfmt("%s/%s", p, file);
		char *at = strstr(ex, "/solutions/");
		memcpy(at, "/exercises/", 11);
		strvec_push(out, ex);
		free(ex);
	}
	free(dir);
	if (!strchr(file, '/')) {
		char *pat = xstrfmt("%s/{exercises,solutions}/*/%s", ROOT, file);
		if (glob(pat, GLOB_BRACE, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				strvec_push(out, g.gl_pathv[i]);
			globfree(&g);
		}
		free(pat);
	}
}

/* The text a page quotes for line n within the next few lines ("  52 | text"), or NULL. */
static char *quoted_text(char **lines, size_t i, size_t n, long line)
{
	for (size_t k = i + 1; k < n && k <= i + 3; k++) {
		char *s = lines[k], *end;
		long v;

		while (*s == ' ')
			s++;
		v = strtol(s, &end, 10);
		if (end != s && v == line && !strncmp(end, " | ", 3))
			return end + 3;
	}
	return NULL;
}

static int check_page(const char *page, struct strbuf *problems)
{
	char *text = read_file(page, NULL), *l, *nl;
	struct strvec lines = STRVEC_INIT;
	regex_t re;
	int checked = 0;

	cr_assert_not_null(text, "cannot read %s", page);
	cr_assert_eq(regcomp(&re, "([A-Za-z0-9_./-]+\\.[ch]):([0-9]+)", REG_EXTENDED), 0);
	/* Every line, empty ones included, so that problems name the right one. */
	for (l = text; *l; l = nl + 1) {
		nl = l + strcspn(l, "\n");
		strvec_push_nodup(&lines, xstrndup(l, nl - l));
		if (!*nl)
			break;
	}
	for (size_t i = 0; i < lines.n; i++) {
		const char *s = lines.v[i];
		regmatch_t m[3];

		while (!regexec(&re, s, 3, m, 0)) {
			char *file = xstrndup(s + m[1].rm_so, m[1].rm_eo - m[1].rm_so);
			long n = strtol(s + m[2].rm_so, NULL, 10);
			const char *want = quoted_text(lines.v, i, lines.n, n);
			struct strvec cand = STRVEC_INIT;
			int found = 0, ok = 0;

			candidates(page, file, &cand);
			for (size_t c = 0; c < cand.n && !ok; c++) {
				char *got = access(cand.v[c], R_OK) ? NULL : line_of(cand.v[c], 1);

				if (!got)
					continue;
				free(got);
				found = 1;
				got = line_of(cand.v[c], n);
				if (got && want) {
					/* A page may annotate a quote: "52 | x++;    <- that line". */
					char *note = strstr(want, "  <- ");
					char *bare = note ? xstrndup(want, note - want) : xstrdup(want);
					char *a = squeeze(got), *b = squeeze(bare);

					free(bare);
					ok = !strcmp(a, b);
					free(a);
					free(b);
				} else {
					ok = got != NULL;
				}
				free(got);
			}
			/* A file no exercise has is an example of the page's own. */
			if (found) {
				checked++;
				if (!ok)
					strbuf_addf(problems, "%s:%zu: %s:%ld %s\n", page, i + 1, file, n,
						    want ? "no longer shows the quoted line" : "no such line");
			}
			strvec_clear(&cand);
			free(file);
			s += m[0].rm_eo;
		}
	}
	regfree(&re);
	strvec_clear(&lines);
	free(text);
	return checked;
}

Test(docs, quoted_source_lines_still_match)
{
	static const char *const patterns[] = {
		ROOT "/README.md", ROOT "/docs/*.md", ROOT "/docs/*/*.md",
		ROOT "/exercises/*/README.md", ROOT "/solutions/*/NOTES.md",
	};
	struct strbuf problems = STRBUF_INIT;
	int checked = 0;

	for (size_t p = 0; p < sizeof(patterns) / sizeof(*patterns); p++) {
		glob_t g;

		if (glob(patterns[p], 0, NULL, &g))
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++)
			checked += check_page(g.gl_pathv[i], &problems);
		globfree(&g);
	}
	cr_expect_gt(checked, 50, "the pages quote the exercises: only %d quotes found", checked);
	cr_expect_eq(problems.len, 0, "%s", problems.buf);
	strbuf_release(&problems);
}
