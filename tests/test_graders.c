/*
 * The online graders' packages (make gradescope, prairielearn, autolab),
 * each unpacked into a directory laid out as its grader lays it out,
 * built there as the grader's setup would, and run on a real submission
 * (the solution of 01) and on the handout as it was.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racelab-child.h"
#include "racelab-json.h"

#define EXERCISE "01-counter-race"

/*
 * What is tested is each package, not the optimizer or the noise budget:
 * racelab is built there unoptimized and noise tries two seeds, through
 * the knobs an instructor has too (CFLAGS, RACELAB_GRADE_FLAGS).
 */
static void quick(void)
{
	setenv("CFLAGS", "-O0 -g", 1);
	setenv("RACELAB_GRADE_FLAGS", "--seeds 2", 1);
}

TestSuite(graders, .timeout = 600, .init = quick);

/* Run a shell command made from fmt; its exit status. */
static int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int st;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		cr_assert_fail("vasprintf");
	va_end(ap);
	st = system(cmd);
	free(cmd);
	return st;
}

/* A fresh directory; the lab's root (the repository) in *repo. */
static char *fresh(char **repo)
{
	char *tmpl = test_tmpl("graders");

	cr_assert_not_null(mkdtemp(tmpl));
	*repo = realpath("..", NULL);
	cr_assert_not_null(*repo);
	return strdup(tmpl);
}

/* make GRADER, the package written to dir/pkg; grading runs once per checker. */
static void pack(const char *repo, const char *dir, const char *grader)
{
	cr_assert_eq(sh("make -s -C %s %s GRADER_DIR=%s/pkg GRADE_FLAGS='--repeat 1' >/dev/null",
			repo, grader, dir), 0, "make %s", grader);
}

/* 01's points, as its lab.ini says. */
static int points_of_01(const char *repo)
{
	char *p, *ini, *line;
	int points = 0;

	if (asprintf(&p, "%s/exercises/" EXERCISE "/lab.ini", repo) < 0)
		cr_assert_fail("asprintf");
	ini = slurp(p);
	line = strstr(ini, "\npoints");
	cr_assert_not_null(line);
	cr_assert_eq(sscanf(strchr(line, '=') + 1, "%d", &points), 1);
	free(ini);
	free(p);
	return points;
}

Test(graders, gradescope_zip_grades_a_real_submission_and_the_handout)
{
	char *repo, *dir = fresh(&repo), *ag;
	int points = points_of_01(repo);
	json_t *doc, *t, *tests;
	double max = 0;
	size_t i;

	pack(repo, dir, "gradescope");
	if (asprintf(&ag, "%s/autograder", dir) < 0)
		cr_assert_fail("asprintf");
	/* Gradescope: the zip in source/, setup.sh once, the student's files in submission/. */
	cr_assert_eq(sh("set -e; mkdir -p %s/source %s/submission %s/results; "
			"cd %s/source && unzip -q %s/pkg/racelab-gradescope.zip && test -x run_autograder",
			ag, ag, ag, ag, dir), 0, "the zip has run_autograder, executable, at its root");
	cr_expect_neq(sh("unzip -l %s/pkg/racelab-gradescope.zip | grep -q solutions/", dir), 0,
		      "the solutions are not in the package");
	cr_assert_eq(sh("AUTOGRADER_ROOT=%s sh %s/source/setup.sh >/dev/null 2>&1", ag, ag), 0,
		     "setup.sh");
	/* Submitted from Git: the handout's repository, exercises/ at its root. */
	cr_assert_eq(sh("mkdir -p %s/submission/exercises/" EXERCISE " && cp %s/solutions/" EXERCISE
			"/counter.c %s/submission/exercises/" EXERCISE "/", ag, repo, ag), 0);
	cr_assert_eq(sh("cd %s && AUTOGRADER_ROOT=%s %s/source/run_autograder >/dev/null 2>&1",
			ag, ag, ag), 0, "run_autograder");

	doc = load_json(ag, "results/results.json");
	tests = json_object_get(doc, "tests");
	cr_expect_eq(json_real_value(json_object_get(doc, "score")), points, "the fix earns 01's points");
	cr_expect(json_is_number(json_object_get(doc, "execution_time")));
	json_array_foreach(tests, i, t)
		max += json_number_value(json_object_get(t, "max_score"));
	cr_expect_eq(json_number_value(json_object_get(doc, "max_score")), max,
		     "max_score is every exercise's points");
	t = member_with(tests, "name", EXERCISE);
	cr_expect_str_eq(json_string_value(json_object_get(t, "status")), "passed");
	cr_expect_str_eq(json_string_value(json_object_get(t, "visibility")), "visible");
	t = member_with(tests, "name", "02-deadlock-abba");
	cr_expect_eq(json_real_value(json_object_get(t, "score")), 0.0, "not submitted");
	json_decref(doc);

	/* The handout as it was: graded, and worth nothing. */
	cr_assert_eq(sh("rm -r %s/submission/exercises %s/results/results.json && cp %s/exercises/" EXERCISE
			"/counter.c %s/submission/ && cd %s && AUTOGRADER_ROOT=%s %s/source/run_autograder "
			">/dev/null 2>&1", ag, ag, repo, ag, ag, ag, ag), 0);
	doc = load_json(ag, "results/results.json");
	cr_expect_eq(json_real_value(json_object_get(doc, "score")), 0.0);
	t = member_with(json_object_get(doc, "tests"), "name", EXERCISE);
	cr_expect_str_eq(json_string_value(json_object_get(t, "status")), "failed");
	cr_expect(strstr(json_string_value(json_object_get(t, "output")), "(unchanged)"));
	json_decref(doc);
	sh("rm -rf %s", dir);
	free(ag);
	free(dir);
	free(repo);
}

Test(graders, prairielearn_question_grades_its_exercise)
{
	char *repo, *dir = fresh(&repo), *g;
	json_t *doc, *tests;

	pack(repo, dir, "prairielearn");
	if (asprintf(&g, "%s/grade", dir) < 0)
		cr_assert_fail("asprintf");
	/* PrairieLearn: serverFilesCourse/, the question's tests/, the upload in student/. */
	cr_assert_eq(sh("set -e; mkdir -p %s/student; cp -r %s/pkg/racelab-prairielearn/serverFilesCourse %s/; "
			"cp -r %s/pkg/racelab-prairielearn/questions/racelab/" EXERCISE "/tests %s/; "
			"cp %s/solutions/" EXERCISE "/counter.c %s/student/",
			g, dir, g, dir, g, repo, g), 0);
	/* The entry point info.json names, under a root of the test's own. */
	cr_assert_eq(sh("grep -q '\"entrypoint\": \"/grade/serverFilesCourse/racelab/tools/graders/"
			"prairielearn/run.sh\"' %s/pkg/racelab-prairielearn/questions/racelab/" EXERCISE
			"/info.json", dir), 0);
	/* The question's title and upload as racelab reads lab.ini: "NN-name: title", its sources. */
	doc = load_json(dir, "pkg/racelab-prairielearn/questions/racelab/" EXERCISE "/info.json");
	cr_expect(!strncmp(json_string_value(json_object_get(doc, "title")), EXERCISE ": ",
			   strlen(EXERCISE) + 2) &&
		  strlen(json_string_value(json_object_get(doc, "title"))) > strlen(EXERCISE) + 2);
	json_decref(doc);
	cr_expect_eq(sh("grep -q 'file-names=\"counter.c\"' %s/pkg/racelab-prairielearn/questions/racelab/"
			EXERCISE "/question.html", dir), 0);
	cr_assert_eq(sh("GRADE_ROOT=%s %s/serverFilesCourse/racelab/tools/graders/prairielearn/run.sh "
			">/dev/null 2>&1", g, g), 0, "run.sh");
	doc = load_json(g, "results/results.json");
	tests = json_object_get(doc, "tests");
	cr_expect(json_is_true(json_object_get(doc, "gradable")));
	cr_expect_eq(json_real_value(json_object_get(doc, "score")), 1.0, "the fix: full marks");
	cr_expect_eq(json_array_size(tests), 1, "the question's exercise only");
	cr_expect_eq(json_number_value(json_object_get(json_array_get(tests, 0), "points")),
		     json_number_value(json_object_get(json_array_get(tests, 0), "max_points")));
	json_decref(doc);

	cr_assert_eq(sh("cp %s/exercises/" EXERCISE "/counter.c %s/student/ && GRADE_ROOT=%s "
			"%s/serverFilesCourse/racelab/tools/graders/prairielearn/run.sh >/dev/null 2>&1",
			repo, g, g, g), 0);
	doc = load_json(g, "results/results.json");
	cr_expect(json_is_true(json_object_get(doc, "gradable")));
	cr_expect_eq(json_real_value(json_object_get(doc, "score")), 0.0, "the handout: nothing");
	json_decref(doc);
	sh("rm -rf %s", dir);
	free(g);
	free(dir);
	free(repo);
}

/* The last line of a job's output: Autolab's autoresult. */
static json_t *autoresult(const char *job)
{
	char *p, *text, *last;
	json_t *doc;

	if (asprintf(&p, "%s/output", job) < 0)
		cr_assert_fail("asprintf");
	text = slurp(p);
	cr_assert(strlen(text) > 1 && text[strlen(text) - 1] == '\n');
	text[strlen(text) - 1] = '\0';
	last = strrchr(text, '\n');
	doc = json_loads(last ? last + 1 : text, 0, NULL);
	cr_assert_not_null(doc, "the last line is not JSON");
	free(text);
	free(p);
	return doc;
}

Test(graders, autolab_makefile_prints_the_autoresult_last)
{
	char *repo, *dir = fresh(&repo), *job;
	int points = points_of_01(repo);
	json_t *doc, *scores;

	pack(repo, dir, "autolab");
	if (asprintf(&job, "%s/job", dir) < 0)
		cr_assert_fail("asprintf");
	/*
	 * Autolab: the Makefile, autograde.tar and the handin in an empty
	 * directory; the handin is the student's racelab/ folder, as the
	 * handout unpacks it.
	 */
	cr_assert_eq(sh("set -e; mkdir -p %s/h/racelab/exercises/" EXERCISE "; cp %s/solutions/" EXERCISE
			"/counter.c %s/h/racelab/exercises/" EXERCISE "/; "
			"mkdir %s; cp %s/pkg/racelab-autolab/autograde-Makefile %s/Makefile; "
			"cp %s/pkg/racelab-autolab/autograde.tar %s/; tar -czf %s/handin.tgz -C %s/h racelab",
			dir, repo, dir, job, dir, job, dir, job, job, dir), 0);
	cr_assert_eq(sh("make -s -C %s >%s/output 2>/dev/null", job, job), 0, "make");
	doc = autoresult(job);
	scores = json_object_get(doc, "scores");
	cr_expect_eq(json_number_value(json_object_get(scores, EXERCISE)), points);
	cr_expect_eq(json_number_value(json_object_get(scores, "02-deadlock-abba")), 0);
	cr_expect_eq(json_number_value(json_array_get(json_object_get(doc, "scoreboard"), 0)), points,
		     "the scoreboard starts with the total");
	json_decref(doc);

	/* The handout's file handed in alone, as an assessment with a one-file handin has it. */
	cr_assert_eq(sh("cp %s/exercises/" EXERCISE "/counter.c %s/ && make -s -C %s HANDIN=counter.c "
			">%s/output 2>/dev/null", repo, job, job, job), 0);
	doc = autoresult(job);
	cr_expect_eq(json_number_value(json_object_get(json_object_get(doc, "scores"), EXERCISE)), 0);
	json_decref(doc);
	sh("rm -rf %s", dir);
	free(job);
	free(dir);
	free(repo);
}
