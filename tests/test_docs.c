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

/*
 * The reports the student pages quote (the pages of docs/bugs). A page shows
 * racelab's report only in a block
 *
 *     ```console
 *     $ racelab check 26-pipe-no-eof --tool native
 *     exercises/26-pipe-no-eof/lines.c:… (lines of the report)
 *     ```
 *
 * whose first line is the command that printed it: `racelab check EX ...`
 * (run in a lab holding the project's exercise EX; a line
 * "<!-- the student's file: the solution with tests/wrongfix/X.patch -->"
 * right before the block makes the student's file that wrong fix) or
 * `racelab run ...` (run in the project's root). This test runs the command and every other
 * line of the block must be a line of its output, in the same order (lines
 * between may be left out), blanks squeezed; "…" in a quoted line stands
 * for any text (a pid, a time). Any other kind of block that is not C is
 * refused, so no report is quoted unchecked.
 */
#include <criterion/parameterized.h>
#include "racelab-child.h"

#define ELLIPSIS "\xe2\x80\xa6"	/* … */
#define MAX_PAGES 32		/* parameters below; the test fails if the pages outgrow it */

/* s matches pattern (both squeezed): "…" stands for any text. */
static int line_matches(const char *s, const char *pattern)
{
	const char *star = strstr(pattern, ELLIPSIS);
	size_t n = star ? (size_t)(star - pattern) : strlen(pattern);

	if (strncmp(s, pattern, n))
		return 0;
	if (!star)
		return !s[n];
	s += n;
	pattern = star + strlen(ELLIPSIS);
	for (;; s++) {
		if (line_matches(s, pattern))
			return 1;
		if (!*s)
			return 0;
	}
}

/*
 * A lab holding the project's exercise ex and include/; with a patch
 * (tests/wrongfix/, as test_wrongfix.c applies them), the student's file is
 * the solution's with the patch applied. Caller frees.
 */
static char *lab_with(const char *ex, const char *patch)
{
	char *tmpl = test_tmpl("docs");
	char *cwd = getcwd(NULL, 0), *cmd;

	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert(!strchr(ex, '\'') && !strchr(ex, '/'), "not an exercise's name: %s", ex);
	cmd = xstrfmt("set -e; cd %s; mkdir exercises; cp -r '%s/../exercises/%s' exercises/; "
		      "cp -r %s/../include .", tmpl, cwd, ex, cwd);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	free(cmd);
	if (patch) {
		char *path = xstrfmt(ROOT "/%s", patch), *text = read_file(path, NULL), *file;

		cr_assert_not_null(text, "no such patch: %s", patch);
		file = strstr(text, "\n+++ ");
		cr_assert_not_null(file, "%s names no file", patch);
		file += 5;
		if (!strncmp(file, "b/", 2))
			file += 2;
		file = xstrndup(file, strcspn(file, " \t\n"));
		cmd = xstrfmt("set -e; cd %s/exercises/%s; cp %s/../solutions/%s/%s .; "
			      "patch -s %s < %s/%s", tmpl, ex, cwd, ex, file, file, cwd, path);
		cr_assert_eq(system(cmd), 0, "%s", cmd);
		free(cmd);
		free(file);
		free(text);
		free(path);
	}
	free(cwd);
	return xstrdup(tmpl);
}

/* "<!-- the student's file: the solution with tests/wrongfix/X.patch -->": the patch, or NULL. */
static char *patch_of(const char *line)
{
	static const char pre[] = "<!-- the student's file: the solution with ";
	const char *end;

	if (strncmp(line, pre, sizeof(pre) - 1) || !(end = strstr(line, " -->")))
		return NULL;
	return xstrndup(line + sizeof(pre) - 1, end - line - (sizeof(pre) - 1));
}

/*
 * Run the block's command ("racelab check 01 --tool tsan"), with the
 * student's file patched when patch is not NULL; its stdout, caller frees.
 */
static char *run_quoted(const char *page, const char *command, const char *patch)
{
	struct strvec argv = STRVEC_INIT;
	char *copy = xstrdup(command), *save, *w, *lab = NULL, *text;
	struct out r;

	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		strvec_push(&argv, w);
	free(copy);
	cr_assert(argv.n >= 3 && !strcmp(argv.v[0], "racelab") &&
		  (!strcmp(argv.v[1], "check") || !strcmp(argv.v[1], "run")),
		  "%s: a quoted report comes from racelab check or run: %s", page, command);
	if (!strcmp(argv.v[1], "check"))
		for (size_t i = 2; i < argv.n && !lab; i++)
			if (argv.v[i][0] != '-' && strcmp(argv.v[i - 1], "--tool"))
				lab = lab_with(argv.v[i], patch);
	cr_assert(lab || !strcmp(argv.v[1], "run"), "%s: which exercise? %s", page, command);
	{
		const char **v = xcalloc(argv.n + 1, sizeof(*v));

		memcpy(v, argv.v, argv.n * sizeof(*v));
		r = racelab(lab ? lab : ROOT, v);
		free(v);
	}
	/* 1: bugs found; 2: a program that does not compile (build-error.md) */
	cr_assert(r.code >= 0 && r.code <= 2, "%s: %s exited %d: %s", page, command, r.code,
		  r.stderr_text);
	if (lab) {
		char *cmd = xstrfmt("rm -rf %s", lab);

		if (system(cmd)) {
			/* a leftover temporary folder */
		}
		free(cmd);
		free(lab);
	}
	text = r.stdout_text;
	free(r.stderr_text);
	strvec_clear(&argv);
	return text;
}

/* Check the block lines[from..to) against its command's output; 1 when it matches. */
static int check_block(const char *page, char **lines, size_t from, size_t to,
		       struct strbuf *problems)
{
	char *patch = from >= 2 ? patch_of(lines[from - 2]) : NULL;
	char *out = run_quoted(page, lines[from] + 2, patch), *p = out;
	size_t i = from + 1;

	free(patch);
	for (; i < to; i++) {
		char *want = squeeze(lines[i]);
		int found = 0;

		if (!*want) {
			free(want);
			continue;
		}
		while (*p && !found) {
			size_t len = strcspn(p, "\n");
			char *line = xstrndup(p, len), *got = squeeze(line);

			found = line_matches(got, want);
			free(got);
			free(line);
			p += len + (p[len] == '\n');
		}
		free(want);
		if (!found)
			break;
	}
	if (i < to)
		/* The output quotes programs: it is not for Criterion's report. */
		strbuf_addf(problems, "%s:%zu: not in the output of `%s` (in this order), run it "
			    "to see: %s\n", page, i + 1, lines[from] + 2, lines[i]);
	free(out);
	return i == to;
}

ParameterizedTestParameters(docs, quoted_reports_are_racelabs)
{
	static int pages[MAX_PAGES];

	for (int i = 0; i < MAX_PAGES; i++)
		pages[i] = i;
	return cr_make_param_array(int, pages, MAX_PAGES);
}

/* The page of docs/bugs/ at position *n (sorted): each of its report blocks. */
ParameterizedTest(int *n, docs, quoted_reports_are_racelabs, .timeout = 400)
{
	struct strbuf problems = STRBUF_INIT;
	struct strvec lines = STRVEC_INIT;
	char *text, *l, *nl;
	size_t blocks = 0, open = 0;
	int in = 0;
	glob_t g;

	cr_assert_eq(glob(ROOT "/docs/bugs/*.md", 0, NULL, &g), 0);
	cr_assert_leq(g.gl_pathc, MAX_PAGES, "more pages than MAX_PAGES: raise it");
	if ((size_t)*n >= g.gl_pathc) {
		globfree(&g);
		return;
	}
	text = read_file(g.gl_pathv[*n], NULL);
	cr_assert_not_null(text);
	for (l = text; *l; l = nl + 1) {
		nl = l + strcspn(l, "\n");
		strvec_push_nodup(&lines, xstrndup(l, nl - l));
		if (!*nl)
			break;
	}
	for (size_t i = 0; i < lines.n; i++) {
		const char *s = lines.v[i];

		if (strncmp(s, "```", 3))
			continue;
		if (in) {
			if (in == 2)
				blocks += check_block(g.gl_pathv[*n], lines.v, open, i, &problems);
			in = 0;
			continue;
		}
		if (!strcmp(s, "```c")) {
			in = 1;
			continue;
		}
		cr_assert_str_eq(s, "```console", "%s:%zu: a block is C or a report of racelab's",
				 g.gl_pathv[*n], i + 1);
		cr_assert(i + 1 < lines.n && !strncmp(lines.v[i + 1], "$ racelab ", 10),
			  "%s:%zu: a report block starts with the command that printed it",
			  g.gl_pathv[*n], i + 2);
		in = 2;
		open = i + 1;
	}
	cr_expect_eq(problems.len, 0, "%s", problems.buf);
	cr_expect_gt(blocks + problems.len, 0, "%s quotes no report of racelab's", g.gl_pathv[*n]);
	strbuf_release(&problems);
	strvec_clear(&lines);
	free(text);
	globfree(&g);
}
