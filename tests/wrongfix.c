/*
 * Checking a fix from tests/wrongfix/ (wrongfix.h): shared by the tests
 * of every exercise's wrong and right fixes.
 */
#include "wrongfix.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"
#include "racelab-child.h"

/*
 * A lab holding exercise `ex` (from the project's exercises/ and
 * include/) whose student file `file` is the solution's with
 * tests/wrongfix/`fix` applied; then `racelab check ARGS` on it.
 * Returns what racelab printed on stdout.
 */
static char *check_printed(const char *ex, const char *file, const char *fix, const char *args)
{
	char *tmpl = test_tmpl("wrongfix");
	char *cwd = getcwd(NULL, 0), *cmd, *out;
	int st;

	cr_assert_not_null(mkdtemp(tmpl));
	cmd = xstrfmt("set -e; cd %s; mkdir -p exercises; cp -r %s/../exercises/%s exercises/; "
		      "cp -r %s/../include .; cp %s/../solutions/%s/%s exercises/%s/%s; "
		      "patch -s exercises/%s/%s < %s/wrongfix/%s; "
		      "%s/../build/racelab check %s %s > out.txt 2> err.txt || true",
		      tmpl, cwd, ex, cwd, cwd, ex, file, ex, file, ex, file, cwd, fix, cwd, args, ex);
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", cmd);
	free(cmd);
	cmd = xstrfmt("%s/out.txt", tmpl);
	out = read_file(cmd, NULL);
	cr_assert_not_null(out);
	free(cmd);
	cmd = xstrfmt("rm -rf %s", tmpl);
	if (system(cmd)) {
		/* a leftover temporary folder */
	}
	free(cmd);
	free(cwd);
	return out;
}

/*
 * check_printed with `--json --tool T...`: the JSON document. Noise
 * tries 3 seeds a case unless `tools` says otherwise (a later --seeds
 * wins): its verdicts here are the ones the tests name, and the 20 seeds
 * of a student's run are proved on every solution by `make check-full`.
 */
json_t *check_with(const char *ex, const char *file, const char *fix, const char *tools)
{
	char *args = xstrfmt("--json --seeds 3 %s", tools);
	char *out = check_printed(ex, file, fix, args);
	json_error_t err;
	json_t *doc = json_loads(out, 0, &err);

	cr_assert_not_null(doc, "not JSON: %s", out);
	free(out);
	free(args);
	return doc;
}

char *check_text(const char *ex, const char *file, const char *fix, const char *tools)
{
	char *args = xstrfmt("--no-color --seeds 3 %s", tools);
	char *out = check_printed(ex, file, fix, args);

	free(args);
	return out;
}

const char *case_verdict(json_t *doc, const char *tool, const char *kase, const char *kind,
			 int *has)
{
	json_t *res, *d;
	size_t i, k;

	*has = 0;
	json_array_foreach(json_object_get(doc, "results"), i, res) {
		if (strcmp(json_string_value(json_object_get(res, "tool")), tool) ||
		    strcmp(json_string_value(json_object_get(res, "case")), kase))
			continue;
		json_array_foreach(json_object_get(res, "diagnostics"), k, d)
			*has |= !strcmp(json_string_value(json_object_get(d, "kind")), kind);
		return json_string_value(json_object_get(res, "status"));
	}
	return "missing";
}

const char *verdict(json_t *doc, const char *tool, const char *kind, int *has)
{
	return case_verdict(doc, tool, "default", kind, has);
}

void expect_pass(json_t *doc, const char *tool, const char *kind)
{
	int has;

	cr_expect_str_eq(verdict(doc, tool, kind, &has), "pass", "%s", tool);
	cr_expect(!has, "%s: %s", tool, kind);
}

void expect_status(json_t *doc, const char *tool, const char *status, const char *kind, int present)
{
	int has;

	cr_expect_str_eq(verdict(doc, tool, kind, &has), status, "%s", tool);
	cr_expect(has == !!present, "%s: %s diagnostic %s", tool, kind, present ? "missing" : "not expected");
}

int has_kind(json_t *doc, const char *tool, const char *kind)
{
	int has;

	verdict(doc, tool, kind, &has);
	return has;
}

void expect_fail(json_t *doc, const char *tool, const char *kind)
{
	int has;

	cr_expect_str_eq(verdict(doc, tool, kind, &has), "fail", "%s", tool);
	cr_expect(has, "no %s diagnostic under %s", kind, tool);
}

void expect_rejected(const char *ex, const char *file, const char *fix, const char *tools,
		     const char *const *under, const char *kind)
{
	json_t *doc = check_with(ex, file, fix, tools);

	for (; *under; under++)
		expect_fail(doc, *under, kind);
	json_decref(doc);
}

void expect_serialized(const char *ex, const char *file, const char *fix, const char *tools,
		       const char *const *under)
{
	expect_rejected(ex, file, fix, tools, under, "serialized");
}

void expect_accepted_by(const char *ex, const char *file, const char *fix, const char *tools,
			const char *const *under, const char *kind)
{
	json_t *doc = check_with(ex, file, fix, tools);
	json_t *res;
	size_t k;

	for (; *under; under++)
		expect_pass(doc, *under, kind);
	/* and every lab.ini [case] of the exercise */
	json_array_foreach(json_object_get(doc, "results"), k, res)
		cr_expect_str_eq(json_string_value(json_object_get(res, "status")), "pass", "%s [case %s]",
				 json_string_value(json_object_get(res, "tool")),
				 json_string_value(json_object_get(res, "case")));
	json_decref(doc);
}

void expect_accepted(const char *ex, const char *file, const char *fix, const char *kind)
{
	static const char *const all[] = { "native", "tsan", "asan", "helgrind", "drd", "memcheck",
					   "noise", NULL };

	expect_accepted_by(ex, file, fix, "--tool all", all, kind);
}
