/*
 * racelab grade on a one-exercise lab made here: submissions fixed,
 * unchanged, broken, with an edited lab.ini, as a tarball carrying "../"
 * and a link, as a zip; and the scoring rule itself (grade.h).
 */
#include <criterion/criterion.h>
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade.h"
#include "racelab-child.h"
#include "racelab-json.h"

static const char lab_ini[] =
	"[exercise]\\ntitle = t\\nclass = data-race\\nsources = counter.c\\n"
	"[oracle]\\nstdout = ^counter = 2000$\\nexit = 0\\n"
	"[buggy]\\nnative = wrong-output?\\ntsan = data-race @ counter.c:bump\\n";


/* root/exercises/01-race (the handout: race.c) and submissions under root/subs. */
static char *make_grade_lab(void)
{
	char *tmpl = test_tmpl("grade"), *root, *cwd = getcwd(NULL, 0), *cmd;

	cr_assert_not_null(mkdtemp(tmpl));
	root = strdup(tmpl);
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p exercises/01-race subs/fixed/01-race subs/unchanged "
		     "subs/broken subs/edited; cp %s/run/race.c exercises/01-race/counter.c; "
		     "printf '%s' > exercises/01-race/lab.ini; "
		     "cp %s/run/clean.c subs/fixed/01-race/counter.c; "
		     "cp %s/run/race.c subs/unchanged/counter.c; "
		     "cp %s/run/broken.c subs/broken/counter.c; "
		     "(echo '/* mine */'; cat %s/run/race.c) > subs/edited/counter.c; "
		     "printf '[exercise]\\ntitle = t\\nsources = counter.c\\n[buggy]\\ntsan = clean\\n' "
		     "> subs/edited/lab.ini; mkdir subs/linked; ln -s ../fixed/01-race/counter.c "
		     "subs/linked/counter.c; mkdir -p whole/racelab/exercises/01-race via-link; "
		     "cp %s/run/clean.c whole/racelab/exercises/01-race/counter.c; "
		     "ln -s ../whole/racelab/exercises via-link/exercises; "
		     "head -c 2000000 /dev/zero | tr '\\0' x > big.c",
		     root, cwd, lab_ini, cwd, cwd, cwd, cwd, cwd) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(cwd);
	return root;
}

/* Run a shell command; its exit status. */
static int run(const char *fmt, const char *arg)
{
	char *cmd;
	int st;

	if (asprintf(&cmd, fmt, arg, arg) < 0)
		cr_assert_fail("asprintf");
	st = system(cmd);
	free(cmd);
	return st;
}

static char *slurp_in(const char *dir, const char *file)
{
	char *p, *text;

	if (asprintf(&p, "%s/%s", dir, file) < 0)
		cr_assert_fail("asprintf");
	text = slurp(p);
	free(p);
	return text;
}

static json_t *grade_json(const struct out *r)
{
	json_error_t err;
	json_t *doc = json_loads(r->stdout_text, 0, &err);

	cr_assert_not_null(doc, "racelab grade --format racelab is not JSON: %s", err.text);
	cr_assert_eq(json_integer_value(json_object_get(doc, "racelab_grade")), 1);
	return doc;
}

static json_t *student(json_t *doc, const char *name)
{
	return member_with(json_object_get(doc, "students"), "student", name);
}

static json_t *exercise0(json_t *doc, const char *name)
{
	return json_array_get(json_object_get(student(doc, name), "exercises"), 0);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	cr_assert_not_null(s, "no string %s", key);
	return s;
}

Test(grade, fixed_unchanged_broken_and_edited_lab_ini)
{
	char *root = make_grade_lab();
	const char *argv[] = { "racelab", "grade", "--format", "racelab", "--tool", "tsan", "--tool",
			       "native", "-j", "2", "subs/fixed", "subs/unchanged", "subs/broken",
			       "subs/edited", "subs/linked", NULL };
	struct out r = racelab(root, argv);
	json_t *doc = grade_json(&r), *e;

	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.stderr_text);
	e = exercise0(doc, "fixed");
	cr_expect_eq(json_real_value(json_object_get(e, "score")), 10.0);
	cr_expect_str_eq(str(e, "state"), "graded");
	cr_expect_eq(json_array_size(json_object_get(e, "checks")), 2, "tsan and native ran");

	e = exercise0(doc, "unchanged");
	cr_expect_eq(json_real_value(json_object_get(e, "score")), 0.0);
	cr_expect_str_eq(str(e, "state"), "unchanged");

	e = exercise0(doc, "broken");
	cr_expect_eq(json_real_value(json_object_get(e, "score")), 0.0);
	cr_expect_str_eq(str(e, "state"), "build error");
	cr_expect(strstr(str(e, "feedback"), "does not compile"));

	/* Its lab.ini says tsan = clean: ignored, the lab's expects the race gone. */
	e = exercise0(doc, "edited");
	cr_expect_eq(json_real_value(json_object_get(e, "score")), 0.0);
	cr_expect_str_eq(str(e, "state"), "graded");
	cr_expect(strstr(str(e, "feedback"), "01-race/counter.c:11: data-race in bump()"),
		  "check's words, the student's path (a line was added above)");
	/* A link in a directory is not followed either. */
	e = exercise0(doc, "linked");
	cr_expect_str_eq(str(e, "state"), "not submitted");
	cr_expect(strstr(json_string_value(json_array_get(json_object_get(e, "files"), 0)),
			 "counter.c: refused, not a regular file"));
	cr_expect_eq(json_real_value(json_object_get(student(doc, "fixed"), "score")), 10.0);
	json_decref(doc);
}

/*
 * 24's task is an explanation and its handout is the right program: an
 * unchanged exercise earns nothing, so the lab gives it no points rather
 * than a zero for the right answer. Graded in the project's own lab.
 */
Test(grade, an_exercise_answered_in_words_is_worth_no_points)
{
	const char *argv[] = { "racelab", "grade", "--exercise", "24", "--format", "racelab",
			       "../exercises/24-atomics-false-positive", NULL };
	const char *text_argv[] = { "racelab", "grade", "--exercise", "24",
				    "../exercises/24-atomics-false-positive", NULL };
	struct out r = racelab(NULL, argv), t;
	json_t *doc = grade_json(&r), *e;

	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.stderr_text);
	e = exercise0(doc, "24-atomics-false-positive");
	cr_expect_str_eq(str(e, "state"), "unchanged");
	cr_expect_eq(json_integer_value(json_object_get(e, "max_score")), 0, "24 is worth nothing");
	cr_expect_eq(json_real_value(json_object_get(e, "score")), 0.0);
	json_decref(doc);

	t = racelab(NULL, text_argv);
	cr_expect_eq(t.code, 0, "exit %d: %s", t.code, t.stderr_text);
	cr_expect(strstr(t.stdout_text, "24-atomics-false-positive: 0/0 (unchanged)"), "%s", t.stdout_text);
	cr_expect(strstr(t.stdout_text, "worth no points here (lab.ini: points = 0)"), "%s", t.stdout_text);
}

/* The whole handout handed in: its exercises/ is read, unless it is a link. */
Test(grade, a_whole_handout_is_read_from_its_exercises)
{
	char *root = make_grade_lab();
	const char *argv[] = { "racelab", "grade", "--format", "racelab", "--tool", "tsan", "--repeat",
			       "1", "whole", "via-link", NULL };
	struct out r = racelab(root, argv);
	json_t *doc = grade_json(&r);

	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.stderr_text);
	cr_expect_eq(json_real_value(json_object_get(exercise0(doc, "whole"), "score")), 10.0);
	cr_expect_str_eq(str(exercise0(doc, "via-link"), "state"), "not submitted");
	json_decref(doc);
}

/* Write an archive: entries (name, type, contents or link target), NULL-terminated. */
static void write_archive(const char *path, int zip, const char *const (*entries)[3])
{
	struct archive *a = archive_write_new();

	if (zip) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_add_filter_gzip(a);
		archive_write_set_format_pax_restricted(a);
	}
	cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; entries[i][0]; i++) {
		struct archive_entry *e = archive_entry_new();
		char *data = entries[i][1][0] == 'f' ? slurp(entries[i][2]) : NULL;

		archive_entry_set_pathname(e, entries[i][0]);
		archive_entry_set_perm(e, 0644);
		if (data) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(data));
		} else {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, entries[i][2]);
		}
		cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
		if (data)
			cr_assert_eq(archive_write_data(a, data, strlen(data)), (la_ssize_t)strlen(data));
		archive_entry_free(e);
		free(data);
	}
	cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

Test(grade, archives_give_only_plain_files_by_name)
{
	char *root = make_grade_lab(), *tgz, *zip, *linked, *escaped, *big;
	char *clean = realpath("run/clean.c", NULL);
	const char *const tar_entries[][3] = {
		{ "01-race/counter.c", "f", clean },
		{ "../escaped.c", "f", clean },
		{ "/tmp/absolute-racelab.c", "f", clean },
		{ "counter.c", "l", "/etc/passwd" },
		{ NULL, NULL, NULL },
	};
	const char *const zip_entries[][3] = { { "counter.c", "f", clean }, { NULL, NULL, NULL } };
	const char *link_entries[][3] = {
		{ "counter.c", "l", clean },
		{ "01-race/counter.c", "f", NULL },
		{ NULL, NULL, NULL },
	};
	const char *argv[] = { "racelab", "grade", "--format", "racelab", "--tool", "tsan", "--repeat",
			       "1", "subs/alice.tar.gz", "subs/bob.zip", "subs/carol.tar.gz", NULL };
	struct out r;
	json_t *doc, *e;

	if (asprintf(&tgz, "%s/subs/alice.tar.gz", root) < 0 || asprintf(&zip, "%s/subs/bob.zip", root) < 0 ||
	    asprintf(&linked, "%s/subs/carol.tar.gz", root) < 0 || asprintf(&escaped, "%s/escaped.c", root) < 0 ||
	    asprintf(&big, "%s/big.c", root) < 0)
		cr_assert_fail("asprintf");
	link_entries[1][2] = big;
	write_archive(tgz, 0, tar_entries);
	write_archive(zip, 1, zip_entries);
	write_archive(linked, 0, (const char *const (*)[3])link_entries);
	r = racelab(root, argv);
	doc = grade_json(&r);
	cr_expect_eq(r.code, 0);
	cr_expect_eq(json_real_value(json_object_get(exercise0(doc, "alice"), "score")), 10.0);
	cr_expect_eq(json_real_value(json_object_get(exercise0(doc, "bob"), "score")), 10.0);
	cr_expect(strstr(r.stderr_text, "../escaped.c: absolute path or '..'"));
	cr_expect(strstr(r.stderr_text, "/tmp/absolute-racelab.c: absolute path or '..'"));
	cr_expect(strstr(r.stderr_text, "counter.c: not a regular file"));
	cr_expect(strstr(r.stderr_text, "01-race/counter.c: larger than 1 MiB"));
	cr_expect_neq(access(escaped, F_OK), 0, "an entry with '..' was written outside");
	cr_expect_neq(access("/tmp/absolute-racelab.c", F_OK), 0);
	/* A link is never followed: carol submitted nothing. */
	e = exercise0(doc, "carol");
	cr_expect_str_eq(str(e, "state"), "not submitted");
	cr_expect_eq(json_real_value(json_object_get(e, "score")), 0.0);
	json_decref(doc);
	free(clean);
}

/* The rule, on verdicts made here: what earns points and what never does. */
static struct grade_exercise *exercise(struct grade *g, int partial, const enum status *st,
				       const int *fails, size_t n)
{
	struct grade_exercise *e = grade_add(g, "01-x", NULL);

	e->max_points = 12;
	e->partial_per_checker = partial;
	for (size_t i = 0; i < n; i++) {
		struct grade_check *c = grade_check_add(e);

		c->tool = &tools[i];
		c->status = st[i];
		c->handout_fails = fails[i];
	}
	return e;
}

Test(grade, partial_credit_only_for_what_the_handout_fails)
{
	const enum status pass3[] = { STATUS_PASS, STATUS_PASS, STATUS_SKIP };
	const enum status half[] = { STATUS_PASS, STATUS_FAIL, STATUS_FAIL };
	const enum status broke[] = { STATUS_PASS, STATUS_PASS, STATUS_FAIL };
	const enum status none[] = { STATUS_FAIL, STATUS_PASS, STATUS_FAIL };
	const int fails[] = { 1, 1, 0 };
	struct grade g = { 0 };

	exercise(&g, 0, pass3, fails, 3);
	exercise(&g, 0, half, fails, 3);
	exercise(&g, 1, half, fails, 3);
	exercise(&g, 1, broke, fails, 3);
	exercise(&g, 1, none, (const int[]){ 0, 0, 0 }, 3);
	exercise(&g, 1, pass3, fails, 3)->state = GRADE_UNCHANGED;
	exercise(&g, 1, pass3, fails, 3)->state = GRADE_BUILD_ERROR;
	grade_score(&g);
	cr_expect_eq(g.v[0].points, 12, "every checker clean: all the points");
	cr_expect_eq(g.v[1].points, 0, "all or nothing by default");
	/* tsan fixed, helgrind not, the third broke: 1 of (2 owed + 1 broken). */
	cr_expect_eq(g.v[2].points, 12.0 * 1 / 3);
	cr_expect_eq(g.v[3].points, 12.0 * 2 / 3, "a checker the fix broke costs its share");
	cr_expect_eq(g.v[4].points, 0, "passing what the handout passes earns nothing");
	cr_expect_eq(g.v[5].points, 0, "the handout unchanged");
	cr_expect_eq(g.v[6].points, 0, "a build error");
	cr_expect_eq(g.points, 12 + 4 + 8);
	cr_expect_eq(g.max_points, 7 * 12);
	grade_release(&g);
}

/* Every format from a class of four: fixed, unchanged, broken and a program that crashes. */
Test(grade, every_format_is_valid_for_its_consumer)
{
	char *root = make_grade_lab(), *out, *text, *last;
	const char *argv[] = { "racelab", "grade", "--format", "junit", "--format", "tap", "--format", "csv",
			       "--format", "racelab", "--format", "text", "--out", "out", "--tool", "tsan",
			       "--repeat", "1", "subs/fixed", "subs/unchanged", "subs/broken", "subs/crash",
			       NULL };
	const char *one[] = { "racelab", "grade", "--format", "gradescope", "--format", "prairielearn",
			      "--format", "autolab", "--out", "one", "--tool", "tsan", "--repeat", "1",
			      "subs/crash", NULL };
	struct out r;
	json_t *doc, *t;

	if (asprintf(&out, "%s/out", root) < 0)
		cr_assert_fail("asprintf");
	text = realpath("run/segv.c", NULL);
	cr_assert_eq(run("mkdir %s/subs/crash", root), 0);
	if (asprintf(&last, "cp %s %s/subs/crash/counter.c", text, root) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(last), 0);
	free(last);
	free(text);
	r = racelab(root, argv);
	cr_expect_eq(r.code, 0, "%s", r.stderr_text);

	/* JUnit: the schema GitLab's and Jenkins' readers follow (tests/fixtures/grade/junit.xsd). */
	cr_expect_eq(run("xmllint --noout --schema fixtures/grade/junit.xsd %s/junit.xml 2>/dev/null", out), 0);
	text = slurp_in(out, "junit.xml");
	cr_expect(strstr(text, "tests=\"4\" failures=\"2\" errors=\"1\""), "2 failed, 1 did not build");
	free(text);

	/* TAP: Test::Harness's own parser, no parse errors, 1 of 4 passed. */
	cr_expect_eq(run("perl -MTAP::Parser -e '$p = TAP::Parser->new({ tap => do { local $/; open my $f, "
			 "\"<\", $ARGV[0] or die; <$f> } }); 1 while $p->next; "
			 "exit !(!$p->parse_errors && $p->tests_run == 4 && $p->passed == 1 && $p->failed == 3)' "
			 "%s/results.tap", out), 0);

	/* CSV: the gradebook, exactly. */
	text = slurp_in(out, "grades.csv");
	cr_expect_str_eq(text, "student,01-race,total\r\nfixed,10,10\r\nunchanged,0,0\r\nbroken,0,0\r\n"
			 "crash,0,0\r\n");
	free(text);

	doc = load_json(out, "racelab.json");
	cr_expect_eq(json_array_size(json_object_get(doc, "students")), 4);
	cr_expect_eq(json_real_value(json_object_get(student(doc, "fixed"), "score")), 10.0);
	json_decref(doc);

	/* The per-submission formats, for a program that crashed on every run. */
	r = racelab(root, one);
	cr_expect_eq(r.code, 0, "%s", r.stderr_text);
	free(out);
	if (asprintf(&out, "%s/one", root) < 0)
		cr_assert_fail("asprintf");
	doc = load_json(out, "gradescope.json");
	cr_expect_eq(json_real_value(json_object_get(doc, "score")), 0.0);
	cr_expect_eq(json_integer_value(json_object_get(doc, "max_score")), 10);
	cr_expect(json_is_number(json_object_get(doc, "execution_time")));
	t = json_array_get(json_object_get(doc, "tests"), 0);
	cr_expect_str_eq(str(t, "name"), "01-race");
	cr_expect_str_eq(str(t, "status"), "failed");
	cr_expect_str_eq(str(t, "visibility"), "visible");
	cr_expect(strstr(str(t, "output"), "crash"), "the crash is named in the feedback");
	json_decref(doc);

	doc = load_json(out, "prairielearn.json");
	cr_expect(json_is_true(json_object_get(doc, "gradable")));
	cr_expect_eq(json_real_value(json_object_get(doc, "score")), 0.0);
	cr_expect_eq(json_array_size(json_object_get(doc, "tests")), 1);
	json_decref(doc);

	/* Autolab reads the last line only. */
	text = slurp_in(out, "autolab.txt");
	text[strlen(text) - 1] = '\0';
	last = strrchr(text, '\n');
	doc = json_loads(last ? last + 1 : text, 0, NULL);
	cr_assert_not_null(doc, "the last line of autolab.txt is not JSON");
	cr_expect_eq(json_real_value(json_object_get(json_object_get(doc, "scores"), "01-race")), 0.0);
	cr_expect_eq(json_array_size(json_object_get(doc, "scoreboard")), 2);
	json_decref(doc);
	free(text);
	free(out);
}

Test(grade, a_per_submission_format_refuses_a_class)
{
	char *root = make_grade_lab();
	const char *argv[] = { "racelab", "grade", "--format", "gradescope", "subs/fixed", "subs/broken",
			       NULL };
	struct out r = racelab(root, argv);

	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stderr_text, "describes one submission"));
}

/* A class in shards, merged; then resumed: a kept grade is reused until its input changes. */
Test(grade, a_class_in_shards_merged_and_resumed)
{
	char *root = make_grade_lab();
	const char *s1[] = { "racelab", "grade", "--class", "subs", "--shard", "1/2", "--format", "racelab",
			     "--out", "s1", "--tool", "tsan", "--repeat", "1", NULL };
	const char *s2[] = { "racelab", "grade", "--class", "subs", "--shard", "2/2", "--format", "racelab",
			     "--out", "s2", "--tool", "tsan", "--repeat", "1", NULL };
	const char *mg[] = { "racelab", "grade", "--merge", "--format", "csv", "s1/racelab.json",
			     "s2/racelab.json", NULL };
	struct out r;

	/* subs: broken edited fixed linked unchanged, in name order; shard 1 is 1st, 3rd, 5th. */
	r = racelab(root, s1);
	cr_expect_eq(r.code, 0, "%s", r.stderr_text);
	/* Each submission finished is said on stderr, with how far the shard is. */
	cr_expect(strstr(r.stderr_text, "/3] broken: 0 of 10 points (graded in "), "%s", r.stderr_text);
	cr_expect(strstr(r.stderr_text, "/3] fixed: 10 of 10 points (graded in "), "%s", r.stderr_text);
	cr_expect(strstr(r.stderr_text, "racelab grade: [3/3] "), "%s", r.stderr_text);
	r = racelab(root, s2);
	cr_expect_eq(r.code, 0, "%s", r.stderr_text);
	r = racelab(root, mg);
	cr_expect_eq(r.code, 0, "%s", r.stderr_text);
	cr_expect_str_eq(r.stdout_text, "student,01-race,total\r\nbroken,0,0\r\nfixed,10,10\r\n"
			 "unchanged,0,0\r\nedited,0,0\r\nlinked,0,0\r\n");

	/* A kept grade is read back, not redone: the one written by hand shows. */
	cr_assert_eq(run("cd %s && sed -i 's/\"score\": 10.0/\"score\": 7.0/' s1/students/fixed.json", root), 0);
	r = racelab(root, s1);
	cr_expect(strstr(slurp_in(root, "s1/racelab.json"), "\"score\": 7.0"), "fixed was graded again");
	cr_expect(strstr(r.stderr_text, "fixed: 7 of 10 points (kept: unchanged since it was graded)"),
		  "%s", r.stderr_text);
	/* A changed submission is graded again. */
	cr_assert_eq(run("echo '/* again */' >> %s/subs/fixed/01-race/counter.c", root), 0);
	r = racelab(root, s1);
	cr_expect_eq(r.code, 0);
	cr_expect_null(strstr(slurp_in(root, "s1/racelab.json"), "\"score\": 7.0"), "the kept grade was used");
}

/*
 * The grades without the time they took or the feedback's text, which
 * names the runs' processes; a failure's first words are checked apart.
 */
static json_t *grades_untimed(const char *root, const char *jobs)
{
	const char *argv[] = { "racelab", "grade", "--format", "racelab", "--tool", "tsan", "--repeat",
			       "2", "-j", jobs, "subs/fixed", "subs/fixed2", "subs/edited", "subs/unchanged",
			       NULL };
	struct out r = racelab(root, argv);
	json_t *doc = grade_json(&r), *s, *e;
	size_t i, k;

	cr_expect_eq(r.code, 0, "-j %s: exit %d: %s", jobs, r.code, r.stderr_text);
	cr_expect(strstr(str(exercise0(doc, "edited"), "feedback"), "01-race/counter.c:11: data-race in bump()"));
	json_array_foreach(json_object_get(doc, "students"), i, s) {
		json_object_del(s, "execution_time");
		json_array_foreach(json_object_get(s, "exercises"), k, e)
			json_object_del(e, "feedback");
	}
	return doc;
}

/* Submissions are graded side by side with -j: the grades are -j 1's. */
Test(grade, a_class_in_parallel_grades_as_one_at_a_time)
{
	char *root = make_grade_lab();
	json_t *one, *two;

	/* Two copies of one fix: their builds are the same program, made at once. */
	cr_assert_eq(run("cp -r %s/subs/fixed %s/subs/fixed2", root), 0);
	/* -j 2 first: the build cache is empty, and both copies are compiled at once. */
	two = grades_untimed(root, "2");
	one = grades_untimed(root, "1");
	cr_expect_eq(json_real_value(json_object_get(student(two, "fixed2"), "score")), 10.0);
	cr_expect_eq(json_real_value(json_object_get(student(two, "edited"), "score")), 0.0);
	cr_expect(json_equal(one, two), "-j 2 graded differently:\n%s\n%s",
		  json_dumps(one, JSON_INDENT(1)), json_dumps(two, JSON_INDENT(1)));
	json_decref(one);
	json_decref(two);
}
