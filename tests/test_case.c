/*
 * lab.ini [case NAME] sections at work on a lab made here: a fix runs
 * every case (other arguments, environment, a file on stdin); a printed
 * answer fails the cases it was not printed for; the buggy program runs
 * its own case only; grading names a hidden case and its verdict, never
 * its input or expected output.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "racelab-child.h"

static const char lab_ini[] =
	"[exercise]\\ntitle = t\\nclass = wrong-output\\nsources = sum.c\\nargs = 1 2 3\\n"
	"[oracle]\\nstdout = ^sum = 6$\\nexit = 0\\n"
	"[case input]\\nstdin = numbers.txt\\nstdout = ^sum = 66$\\n"
	"[case secret]\\nargs = 5 5\\nenv = SUM_SCALE=2\\nstdout = ^sum = 20$\\nhidden = yes\\n"
	"[buggy]\\nnative = clean\\n";

/* exercises/01-sum: the printed answer; solutions/01-sum and subs/fixed: the sum; subs/printed. */
static char *make_case_lab(void)
{
	char *tmpl = test_tmpl("case"), *root, *cwd = getcwd(NULL, 0), *cmd;

	cr_assert_not_null(mkdtemp(tmpl));
	root = strdup(tmpl);
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p exercises/01-sum solutions/01-sum subs/fixed "
		     "subs/printed; cp %s/run/sum-printed.c exercises/01-sum/sum.c; "
		     "printf '%s' > exercises/01-sum/lab.ini; echo '10 20 30' > exercises/01-sum/numbers.txt; "
		     "cp %s/run/sum.c solutions/01-sum/sum.c; cp %s/run/sum.c subs/fixed/sum.c; "
		     "(echo '/* mine */'; cat %s/run/sum-printed.c) > subs/printed/sum.c",
		     root, cwd, lab_ini, cwd, cwd, cwd) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(cwd);
	return root;
}

static json_t *parse(const struct out *r)
{
	json_error_t err;
	json_t *doc = json_loads(r->stdout_text, 0, &err);

	cr_assert_not_null(doc, "not JSON (%s): %s %s", err.text, r->stdout_text, r->stderr_text);
	return doc;
}

/* The status of the result for (variant, case), or "missing". */
static const char *status_of(json_t *doc, const char *variant, const char *kase)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(doc, "results"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "variant")), variant) &&
		    !strcmp(json_string_value(json_object_get(r, "case")), kase))
			return json_string_value(json_object_get(r, "status"));
	return "missing";
}

Test(cases, a_solution_meets_every_case_and_the_buggy_program_runs_its_own)
{
	char *root = make_case_lab();
	const char *argv[] = { "racelab", "verify", "--json", "--tool", "native", "1", NULL };
	struct out r = racelab(root, argv);
	json_t *doc = parse(&r);

	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	cr_expect_str_eq(status_of(doc, "fixed", "default"), "pass");
	cr_expect_str_eq(status_of(doc, "fixed", "input"), "pass", "numbers.txt was read on stdin");
	cr_expect_str_eq(status_of(doc, "fixed", "secret"), "pass", "args and env were the case's");
	cr_expect_str_eq(status_of(doc, "buggy", "default"), "pass");
	cr_expect_str_eq(status_of(doc, "buggy", "input"), "missing", "[buggy] is about the own run");
	json_decref(doc);
	free(root);
}

Test(cases, a_printed_answer_fails_the_other_cases)
{
	char *root = make_case_lab();
	const char *argv[] = { "racelab", "check", "--tool", "native", "1", NULL };
	const char *jargv[] = { "racelab", "check", "--json", "--tool", "native", "1", NULL };
	struct out r = racelab(root, jargv);
	json_t *doc = parse(&r);

	cr_expect_eq(r.code, 1);
	cr_expect_str_eq(status_of(doc, "submission", "default"), "pass");
	cr_expect_str_eq(status_of(doc, "submission", "input"), "fail");
	cr_expect_str_eq(status_of(doc, "submission", "secret"), "fail");
	json_decref(doc);

	r = racelab(root, argv);
	cr_expect(strstr(r.stdout_text, "native    BUG    [case input]"), "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "no line of the output matches /^sum = 66$/"), "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "0 of 1 exercise fixed"), "%s", r.stdout_text);
	free(root);
}

Test(cases, grading_shows_a_hidden_case_by_name_and_verdict_only)
{
	char *root = make_case_lab();
	const char *argv[] = { "racelab", "grade", "--format", "racelab", "--tool", "native",
			       "subs/fixed", "subs/printed", NULL };
	struct out r = racelab(root, argv);
	json_t *doc, *s, *e;
	const char *fb;
	size_t i;

	cr_assert_eq(r.code, 0, "%s", r.stderr_text);
	doc = parse(&r);
	json_array_foreach(json_object_get(doc, "students"), i, s) {
		const char *who = json_string_value(json_object_get(s, "student"));

		e = json_array_get(json_object_get(s, "exercises"), 0);
		fb = json_string_value(json_object_get(e, "feedback"));
		cr_assert_not_null(fb);
		if (!strcmp(who, "fixed")) {
			cr_expect_eq(json_real_value(json_object_get(e, "score")), 10.0, "%s", fb);
			cr_expect_eq(json_array_size(json_object_get(e, "checks")), 3, "three cases ran");
			continue;
		}
		cr_expect_eq(json_real_value(json_object_get(e, "score")), 0.0);
		cr_expect(strstr(fb, "[case input]"), "%s", fb);
		cr_expect(strstr(fb, "/^sum = 66$/"), "a visible case says what it expected: %s", fb);
		cr_expect(strstr(fb, "[case secret, hidden: its input and output are not shown]"), "%s", fb);
		cr_expect_null(strstr(fb, "sum = 20"), "the hidden oracle leaked: %s", fb);
		cr_expect_null(strstr(fb, "SUM_SCALE"), "the hidden env leaked: %s", fb);
	}
	json_decref(doc);
	free(root);
}

/* --case NAME runs that case alone; a noise failure in a case replays it exactly. */
Test(cases, one_case_runs_alone_and_is_replayed_by_name)
{
	char *root = make_case_lab();
	const char *one[] = { "racelab", "check", "--json", "--tool", "native", "--case", "input", "1", NULL };
	const char *own[] = { "racelab", "check", "--json", "--tool", "native", "--case", "default", "1",
			      NULL };
	const char *none[] = { "racelab", "check", "--case", "nosuch", "1", NULL };
	const char *run[] = { "racelab", "run", "--case", "input", "x.c", NULL };
	const char *noise[] = { "racelab", "check", "--tool", "noise", "--seeds", "1", "1", NULL };
	struct out r = racelab(root, one);
	json_t *doc = parse(&r);

	cr_expect_eq(json_array_size(json_object_get(doc, "results")), 1, "%s", r.stdout_text);
	cr_expect_str_eq(status_of(doc, "submission", "input"), "fail");
	json_decref(doc);
	r = racelab(root, own);
	doc = parse(&r);
	cr_expect_eq(json_array_size(json_object_get(doc, "results")), 1, "%s", r.stdout_text);
	cr_expect_str_eq(status_of(doc, "submission", "default"), "pass");
	json_decref(doc);
	r = racelab(root, none);
	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stderr_text, "01-sum has no [case nosuch]"), "%s", r.stderr_text);
	r = racelab(root, run);
	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stderr_text, "only racelab check and verify"), "%s", r.stderr_text);
	r = racelab(root, noise);
	cr_expect(strstr(r.stdout_text, "replay: racelab check 01-sum --tool noise --seed 1 --case input\n"),
		  "%s", r.stdout_text);
	free(root);
}
