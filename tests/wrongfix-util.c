/* Verdicts of racelab on patched solutions (wrongfix-util.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"
#include "wrongfix-util.h"

json_t *wf_check(const char *ex, const char *file, const char *fix, const char *tools)
{
	char tmpl[] = "/tmp/racelab-wrongfix-XXXXXX";
	char *cwd = getcwd(NULL, 0), *cmd, *out;
	json_error_t err;
	json_t *doc;
	int st;

	cr_assert_not_null(cwd);
	cr_assert_not_null(mkdtemp(tmpl));
	cmd = xstrfmt("set -e; cd %s; mkdir -p exercises; cp -r %s/../exercises/%s exercises/; "
		      "cp -r %s/../include .; cp %s/../solutions/%s/%s exercises/%s/%s; "
		      "patch -s exercises/%s/%s < %s/wrongfix/%s; "
		      "%s/../build/racelab check --json %s %s > out.json 2> err.txt || true",
		      tmpl, cwd, ex, cwd, cwd, ex, file, ex, file, ex, file, cwd, fix, cwd, tools, ex);
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", cmd);
	free(cmd);
	cmd = xstrfmt("%s/out.json", tmpl);
	out = read_file(cmd, NULL);
	cr_assert_not_null(out, "%s: no JSON from racelab", fix);
	doc = json_loads(out, 0, &err);
	cr_assert_not_null(doc, "%s: racelab's output is not JSON", fix);
	free(out);
	free(cmd);
	cmd = xstrfmt("rm -rf %s", tmpl);
	if (system(cmd)) {
		/* a leftover temporary folder harms no verdict */
	}
	free(cmd);
	free(cwd);
	return doc;
}

/* The result of `tool` in `doc`, or NULL when it did not run. */
static json_t *result_of(json_t *doc, const char *tool)
{
	json_t *res;
	size_t i;

	json_array_foreach(json_object_get(doc, "results"), i, res) {
		const char *t = json_string_value(json_object_get(res, "tool"));

		if (t && !strcmp(t, tool))
			return res;
	}
	return NULL;
}

int wf_has(json_t *doc, const char *tool, const char *kind)
{
	json_t *res = result_of(doc, tool), *d;
	size_t i;

	json_array_foreach(json_object_get(res, "diagnostics"), i, d) {
		const char *k = json_string_value(json_object_get(d, "kind"));

		if (k && !strcmp(k, kind))
			return 1;
	}
	return 0;
}

void wf_expect(json_t *doc, const char *tool, const char *status, const char *kind, int present)
{
	json_t *res = result_of(doc, tool);
	const char *got;

	cr_expect_not_null(res, "no result for %s", tool);
	if (!res)
		return;
	got = json_string_value(json_object_get(res, "status"));
	cr_expect(got && !strcmp(got, status), "%s: %s, not %s", tool, got ? got : "(none)", status);
	cr_expect(wf_has(doc, tool, kind) == !!present, "%s: %s diagnostic %s", tool, kind,
		  present ? "missing" : "not expected");
}

void wf_expect_rejected(const char *ex, const char *file, const char *fix, const char *tools,
			const char *const *under, const char *kind)
{
	json_t *doc = wf_check(ex, file, fix, tools);

	for (; *under; under++)
		wf_expect(doc, *under, "fail", kind, 1);
	json_decref(doc);
}

void wf_expect_accepted(const char *ex, const char *file, const char *fix, const char *tools,
			const char *const *under, const char *kind)
{
	json_t *doc = wf_check(ex, file, fix, tools);

	for (; *under; under++)
		wf_expect(doc, *under, "pass", kind, 0);
	json_decref(doc);
}
