/*
 * racelab as its users run it: `racelab run` on programs written for these
 * tests (never seen by the exercises), and check/verify on a small lab
 * made here, with a malformed lab.ini and a program that does not compile.
 * racelab runs as a child process; its --json output is read with jansson.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "racelab-child.h"
#include "racelab-json.h"

/*
 * 1 when result r has a diagnostic of `kind` with a related stack whose
 * `what` starts with what_prefix and that has a frame at file:line.
 */
static int has_related(json_t *r, const char *kind, const char *what_prefix, const char *file,
		       int line)
{
	json_t *diags = json_object_get(r, "diagnostics"), *d, *rel, *f;
	size_t i, k, j;

	json_array_foreach(diags, i, d) {
		if (strcmp(json_string_value(json_object_get(d, "kind")), kind))
			continue;
		json_array_foreach(json_object_get(d, "related"), k, rel) {
			const char *what = json_string_value(json_object_get(rel, "what"));

			if (strncmp(what, what_prefix, strlen(what_prefix)))
				continue;
			json_array_foreach(json_object_get(rel, "frames"), j, f) {
				const char *ff = json_string_value(json_object_get(f, "file"));
				if (ff && !strcmp(ff, file) &&
				    json_integer_value(json_object_get(f, "line")) == line)
					return 1;
			}
		}
	}
	return 0;
}

TestSuite(cli, .timeout = 240);

Test(cli, run_finds_the_race_with_every_race_checker)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "all", "run/race.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect_eq(r.code, 1, "exit %d, stderr: %s", r.code, r.stderr_text);
	cr_expect(has_diag(result_for(doc, "file", "tsan"), "data-race", "race.c", 10), "%s", r.stdout_text);
	cr_expect(has_diag(result_for(doc, "file", "helgrind"), "data-race", "race.c", 10));
	cr_expect(has_diag(result_for(doc, "file", "drd"), "data-race", "race.c", 10));
	/* Both accesses and both threads' creations, from each checker that gives them. */
	cr_expect(has_related(result_for(doc, "file", "tsan"), "data-race", "previous ",
			      "race.c", 10));
	cr_expect(has_related(result_for(doc, "file", "tsan"), "data-race", "thread T1 created by main thread at",
			      "race.c", 18));
	cr_expect(has_related(result_for(doc, "file", "tsan"), "data-race", "thread T2 created by main thread at",
			      "race.c", 19));
	cr_expect(has_related(result_for(doc, "file", "helgrind"), "data-race", "previous ", "race.c", 10));
	cr_expect(has_related(result_for(doc, "file", "helgrind"), "data-race", "thread #2 created at",
			      "race.c", 18));
	cr_expect(has_related(result_for(doc, "file", "helgrind"), "data-race", "thread #3 created at",
			      "race.c", 19));
	cr_expect_eq(ndiags(result_for(doc, "file", "asan")), 0);
	cr_expect_eq(ndiags(result_for(doc, "file", "memcheck")), 0);
	cr_expect_str_eq(status_of(result_for(doc, "file", "asan")), "pass", "%s", r.stdout_text);
	json_decref(doc);
}

Test(cli, run_is_quiet_on_a_correct_program)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "all", "run/clean.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);
	json_t *results = json_object_get(doc, "results"), *res;
	size_t i;

	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.stdout_text);
	cr_expect_eq(json_array_size(results), 7);	/* every checker, noise included */
	json_array_foreach(results, i, res) {
		cr_expect_str_eq(status_of(res), "pass", "%s", json_string_value(json_object_get(res, "tool")));
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(res, "exit"), "code")), 0,
			     "%s", r.stdout_text);
	}
	json_decref(doc);
}

Test(cli, a_program_starts_with_no_signal_blocked)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/sigmask.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);
	json_t *res = json_array_get(json_object_get(doc, "results"), 0);

	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.stdout_text);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(res, "exit"), "code")), 0,
		     "%s", r.stdout_text);
	json_decref(doc);
}

Test(cli, run_names_a_real_deadlock_and_stops_it)
{
	const char *argv[] = { "racelab", "run", "--json", "--timeout", "60", "--tool", "native",
			       "--tool", "tsan", "--tool", "helgrind", "run/hang.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);
	const char *tools[] = { "native", "tsan", "helgrind" };

	cr_expect_eq(r.code, 1);
	for (int i = 0; i < 3; i++) {
		json_t *res = result_for(doc, "file", tools[i]);
		json_t *exit = json_object_get(res, "exit");

		cr_expect(has_diag(res, "deadlock", NULL, 0), "%s: no deadlock", tools[i]);
		cr_expect_str_eq(json_string_value(json_object_get(exit, "hang")), "deadlock", "%s", tools[i]);
		cr_expect(!json_is_true(json_object_get(exit, "timed_out")), "%s", tools[i]);
		/* Named long before the 60 s timeout. */
		cr_expect_lt(json_integer_value(json_object_get(res, "duration_ms")), 30000, "%s", tools[i]);
		/*
		 * The dump shows each of the program's threads where it waits,
		 * numbered from its own first frame (Valgrind's guest threads
		 * through vgdb), and none of the checker's own threads.
		 */
		json_t *d;
		size_t k;
		json_array_foreach(json_object_get(res, "diagnostics"), k, d) {
			const char *detail = json_string_value(json_object_get(d, "detail"));

			if (strcmp(json_string_value(json_object_get(d, "kind")), "deadlock"))
				continue;
			cr_expect(detail && strstr(detail, "    #0 one (hang.c:17)\n") &&
				  strstr(detail, "    #0 two (hang.c:26)\n") &&
				  strstr(detail, "    #0 main (hang.c:38)\n"), "%s: %s", tools[i], detail);
			cr_expect(detail && !strstr(detail, "(with a timeout)"),
				  "%s shows a thread of its own: %s", tools[i], detail);
		}
	}
	json_decref(doc);
}

/*
 * TSan starts llvm-symbolizer for its first report (02's lock-order
 * inversion) and keeps it, blocked in a read, until the program ends: the
 * hang's dump shows the program's threads, not the checker's helper.
 */
Test(cli, a_hang_dump_leaves_the_checkers_helpers_out, .timeout = 120)
{
	const char *argv[] = { "racelab", "run", "--json", "--timeout", "60", "--tool", "tsan",
			       "../exercises/02-deadlock-abba/bank.c", "--", "25", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r), *res = result_for(doc, "file", "tsan"), *d;
	const char *detail = NULL;
	size_t k;

	cr_assert(has_diag(res, "lock-order-inversion", NULL, 0), "%s", r.stdout_text);
	json_array_foreach(json_object_get(res, "diagnostics"), k, d)
		if (!strcmp(json_string_value(json_object_get(d, "kind")), "deadlock"))
			detail = json_string_value(json_object_get(d, "detail"));
	cr_assert(detail && strstr(detail, "    #0 transfer (bank.c:72)\n"), "%s", r.stdout_text);
	cr_expect(!strstr(detail, "symbolizer"), "a checker's helper in the dump: %s", detail);
	json_decref(doc);
}

/* A live program is never called hung: each of these ends by itself within seconds. */
static void assert_alive(const char *prog, const char *tool)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", tool, prog, NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r), *res = result_for(doc, "file", tool);

	cr_expect_eq(ndiags(res), 0, "%s under %s: %s", prog, tool, r.stdout_text);
	cr_expect_str_eq(status_of(res), "pass", "%s under %s: %s", prog, tool, r.stdout_text);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(res, "exit"), "code")), 0,
		     "%s under %s: %s", prog, tool, r.stdout_text);
	json_decref(doc);
}

Test(cli, a_thread_between_two_sleeps_is_not_deadlocked)
{
	assert_alive("run/sleepy-join.c", "helgrind");
	assert_alive("run/sleepy-join.c", "native");
}

Test(cli, a_wait_for_a_pending_alarm_is_not_deadlocked)
{
	assert_alive("run/alarm-pause.c", "tsan");
	assert_alive("run/alarm-pause.c", "native");
}

static char *xstrfmt_test(const char *fmt, const char *arg);
static int ends_with(const char *text, const char *suffix);

static long exit_code_of_run(const char *dir)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "prog/prog.c", NULL };
	struct out r = racelab(dir, argv);
	json_t *doc = parse_json(&r), *res = result_for(doc, "file", "native");
	long code = (long)json_integer_value(json_object_get(json_object_get(res, "exit"), "code"));

	json_decref(doc);
	return code;
}

/* The build cache is keyed by every file the compiler read, wherever it is. */
Test(cli, an_edited_header_anywhere_rebuilds_the_program)
{
	char *tmpl = test_tmpl("deps");
	char *cmd;

	cr_assert_not_null(mkdtemp(tmpl));
	cmd = xstrfmt_test("set -e; cd %s; mkdir prog; echo '#define A 3' > h.h; "
			   "echo 'B + 4' > prog/common.inc; "
			   "printf '#include \"../h.h\"\\n#define B A\\nint main(void) { return\\n"
			   "#include \"common.inc\"\\n; }\\n' > prog/prog.c", tmpl);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_expect_eq(exit_code_of_run(tmpl), 7);
	cmd = xstrfmt_test("echo '#define A 10' > %s/h.h", tmpl);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_expect_eq(exit_code_of_run(tmpl), 14, "a parent folder's header was edited");
	cmd = xstrfmt_test("echo 'B + 20' > %s/prog/common.inc", tmpl);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_expect_eq(exit_code_of_run(tmpl), 30, "an included .inc file was edited");
	cr_expect_eq(exit_code_of_run(tmpl), 30, "and nothing changed since");
}

/*
 * A cached binary racelab uses is not pruned as unused by a build of another
 * program beside it, however old the file is: its use marks it.
 */
Test(cli, a_cached_binary_in_use_is_not_pruned)
{
	char *tmpl = test_tmpl("prune");
	const char *run_a[] = { "racelab", "run", "--json", "--tool", "native", "prog/a.c", NULL };
	const char *run_b[] = { "racelab", "run", "--json", "--tool", "native", "prog/b.c", NULL };
	char *cmd, *listed, *before;
	struct out r;

	cr_assert_not_null(mkdtemp(tmpl));
	cmd = xstrfmt_test("set -e; cd %s; mkdir exercises prog; "
			   "echo 'int main(void) { return 3; }' > prog/a.c; "
			   "echo 'int main(void) { return 4; }' > prog/b.c", tmpl);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	r = racelab(tmpl, run_a);
	cr_assert_eq(r.code, 0, "%s", r.stderr_text);
	/* the build of a.c, made and last used two hours ago as far as the file system knows */
	cmd = xstrfmt_test("cd %s && find build/bin -name 'prog-*' > listed && "
			   "xargs touch -d '2 hours ago' < listed", tmpl);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cmd = xstrfmt_test("%s/listed", tmpl);
	before = slurp(cmd);
	free(cmd);
	cr_assert(strlen(before) > 0);
	r = racelab(tmpl, run_a);
	cr_assert_eq(r.code, 0, "%s", r.stderr_text);
	r = racelab(tmpl, run_b);
	cr_assert_eq(r.code, 0, "%s", r.stderr_text);
	cmd = xstrfmt_test("cd %s && xargs ls < listed > still", tmpl);
	cr_expect_eq(system(cmd), 0, "a.c's binary was pruned: %s", before);
	free(cmd);
	cmd = xstrfmt_test("%s/still", tmpl);
	listed = slurp(cmd);
	free(cmd);
	cr_expect_str_eq(listed, before);
	cmd = xstrfmt_test("rm -rf %s", tmpl);
	cr_expect_eq(system(cmd), 0);
	free(cmd);
}

/* A sanitizer's symbolizer still ending when the program has ended is the checker's, not an orphan. */
Test(cli, a_sanitizers_symbolizer_is_no_orphan)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "tsan",
			       "run/symbolizer-left.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect(has_diag(result_for(doc, "file", "native"), "orphan", NULL, 0),
		  "natively it is the program's own: %s", r.stdout_text);
	cr_expect_not(has_diag(result_for(doc, "file", "tsan"), "orphan", NULL, 0), "%s", r.stdout_text);
	cr_expect_str_eq(json_string_value(json_object_get(result_for(doc, "file", "tsan"), "status")),
			 "pass", "%s", r.stdout_text);
	json_decref(doc);
}

/* A FIFO planted among the logs never blocks racelab: it reads regular files only. */
Test(cli, a_fifo_among_the_logs_does_not_hang_racelab, .timeout = 120)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "tsan",
			       "--tool", "memcheck", "run/fifo-plant.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect_eq(json_array_size(json_object_get(doc, "results")), 3, "%s", r.stdout_text);
	json_decref(doc);
}

/* A name chosen by the program reaches neither the terminal raw nor breaks the JSON. */
Test(cli, a_hostile_process_name_is_escaped)
{
	const char *text[] = { "racelab", "run", "--tool", "native", "run/evil-name.c", NULL };
	const char *json[] = { "racelab", "run", "--json", "--tool", "native", "run/evil-name.c", NULL };
	struct out r = racelab(NULL, text);
	json_t *doc;

	cr_expect(strstr(r.stdout_text, "zombie"), "%s", r.stdout_text);
	cr_expect_null(memchr(r.stdout_text, '\033', strlen(r.stdout_text)), "an escape reached the terminal");
	cr_expect_null(strstr(r.stdout_text, "\xff"), "a byte that is not UTF-8 reached the terminal");
	cr_expect(strstr(r.stdout_text, "(x\\xff\\x1b[2J)"), "%s", r.stdout_text);
	r = racelab(NULL, json);
	doc = parse_json(&r);
	cr_expect(has_diag(result_for(doc, "file", "native"), "zombie", NULL, 0), "%s", r.stdout_text);
	json_decref(doc);
}

/*
 * A flood of output: the first megabyte is kept, the rest counted and
 * dropped, and the count shown: a resource-limit, not a crash.
 */
Test(cli, a_flood_of_output_is_a_resource_limit)
{
	const char *argv[] = { "racelab", "run", "--json", "--timeout", "2", "--tool", "native",
			       "run/flood.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r), *res = result_for(doc, "file", "native"), *d;
	size_t i;
	int counted = 0;

	cr_expect(has_diag(res, "resource-limit", NULL, 0), "%s", r.stdout_text);
	cr_expect(!has_diag(res, "crash", NULL, 0), "%s", r.stdout_text);
	json_array_foreach(json_object_get(res, "diagnostics"), i, d) {
		const char *msg = json_string_value(json_object_get(d, "message"));
		unsigned long long written, kept, dropped;

		if (msg && sscanf(msg, "stdout: %llu bytes written, the first %llu kept, %llu dropped",
				  &written, &kept, &dropped) == 3) {
			counted = 1;
			cr_expect_eq(kept, 1 << 20);
			cr_expect_eq(written, kept + dropped);
			cr_expect_gt(dropped, 0);
		}
	}
	cr_expect(counted, "no count of the dropped output: %s", r.stdout_text);
	json_decref(doc);
}

Test(cli, run_finds_the_leak)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "asan", "--tool", "memcheck",
			       "run/leak.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect_eq(r.code, 1);
	cr_expect(has_diag(result_for(doc, "file", "asan"), "memory-leak", "leak.c", 8), "%s", r.stdout_text);
	cr_expect(has_diag(result_for(doc, "file", "memcheck"), "memory-leak", "leak.c", 8));
	json_decref(doc);
}

Test(cli, run_finds_a_heap_overflow_and_its_allocation)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "all",
			       "fixtures/src/heap_overflow.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect_eq(r.code, 1);
	cr_expect(has_diag(result_for(doc, "file", "asan"), "heap-buffer-overflow",
			   "heap_overflow.c", 12));
	cr_expect(has_related(result_for(doc, "file", "asan"), "heap-buffer-overflow",
			      "allocated by thread T0 here", "heap_overflow.c", 18));
	cr_expect(has_diag(result_for(doc, "file", "memcheck"), "heap-buffer-overflow",
			   "heap_overflow.c", 12));
	cr_expect(has_related(result_for(doc, "file", "memcheck"), "heap-buffer-overflow",
			      "address is 0 bytes after a block of size 40 alloc'd", "heap_overflow.c", 18));
	/* The thread checkers look at ordering, not bounds. */
	cr_expect_str_eq(status_of(result_for(doc, "file", "tsan")), "pass");
	cr_expect_str_eq(status_of(result_for(doc, "file", "helgrind")), "pass");
	cr_expect_str_eq(status_of(result_for(doc, "file", "drd")), "pass");
	/* Natively the write lands on the allocator's header of the next
	 * block, and glibc aborts at free(): a crash far from the bug. */
	cr_expect(has_diag(result_for(doc, "file", "native"), "crash", NULL, 0));
	json_decref(doc);
}

Test(cli, run_reports_a_crash)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/segv.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);
	json_t *res = result_for(doc, "file", "native");

	cr_expect_eq(r.code, 1);
	cr_expect(has_diag(res, "crash", NULL, 0));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(res, "exit"), "signal")), 11);
	json_decref(doc);
}

Test(cli, run_passes_program_arguments)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/args.c", "--",
			       "one", "two words", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect_eq(r.code, 0, "stdout: %s", r.stdout_text);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(
		result_for(doc, "file", "native"), "exit"), "code")), 0);
	json_decref(doc);
}

Test(cli, run_says_when_the_program_does_not_compile)
{
	const char *argv[] = { "racelab", "run", "--tool", "tsan", "run/broken.c", NULL };
	struct out r = racelab(NULL, argv);

	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stdout_text, "build-error"), "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "undefined_name"), "%s", r.stdout_text);
}

Test(cli, usage_errors_exit_2)
{
	const char *a1[] = { "racelab", "frobnicate", NULL };
	const char *a2[] = { "racelab", "run", "--tool", "nosuch", "run/race.c", NULL };
	const char *a3[] = { "racelab", "run", "no-such-file.c", NULL };
	const char *a4[] = { "racelab", "verify", "-j", "zero", NULL };
	struct out r;

	r = racelab(NULL, a1);
	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stderr_text, "frobnicate"));
	r = racelab(NULL, a2);
	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stderr_text, "nosuch"));
	r = racelab(NULL, a3);
	cr_expect_eq(r.code, 2);
	cr_expect(strstr(r.stderr_text, "no-such-file.c"));
	r = racelab(NULL, a4);
	cr_expect_eq(r.code, 2);
}

Test(cli, help_is_there)
{
	const char *a1[] = { "racelab", "--help", NULL };
	const char *a2[] = { "racelab", "run", "--help", NULL };
	struct out r;

	r = racelab(NULL, a1);
	cr_expect_eq(r.code, 0);
	cr_expect(strstr(r.stdout_text, "verify"));
	r = racelab(NULL, a2);
	cr_expect_eq(r.code, 0);
	cr_expect(strstr(r.stdout_text, "--repeat"));
}

/* A two-exercise lab: 01 is sound, 02 has a malformed lab.ini, 03 does not compile. */
static char *make_lab(void)
{
	char *root = test_tmpl("lab");
	char cmd[8192];

	cr_assert_not_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; mkdir -p exercises/01-race solutions/01-race exercises/02-bad "
		 "solutions/02-bad exercises/03-broken solutions/03-broken; "
		 "cp %s/run/race.c exercises/01-race/counter.c; cp %s/run/clean.c solutions/01-race/counter.c; "
		 "printf '[exercise]\\ntitle = t\\nclass = data-race\\nsources = counter.c\\n"
		 "[oracle]\\nstdout = ^counter = 2000$\\nexit = 0\\nthreads = 2\\n"
		 "[buggy]\\nnative = wrong-output?\\ntsan = data-race @ counter.c:bump\\n"
		 "asan = clean\\nhelgrind = data-race @ counter.c:10\\n' > exercises/01-race/lab.ini; "
		 "printf '[exercise]\\ntitle = t\\nclass = no-such-kind\\nsources = x.c\\n"
		 "[buggy]\\ntsan = data-race @ x.c:\\n' > exercises/02-bad/lab.ini; "
		 "cp %s/run/broken.c exercises/03-broken/p.c; cp %s/run/broken.c solutions/03-broken/p.c; "
		 "printf '[exercise]\\ntitle = t\\nclass = data-race\\nsources = p.c\\n"
		 "[buggy]\\ntsan = data-race\\n' > exercises/03-broken/lab.ini",
		 root, getcwd(NULL, 0), getcwd(NULL, 0), getcwd(NULL, 0), getcwd(NULL, 0));
	cr_assert_eq(system(cmd), 0);
	return root;
}

Test(cli, verify_on_a_small_lab)
{
	char *root = make_lab();
	const char *argv[] = { "racelab", "verify", "--json", "--tool", "tsan", "--tool", "helgrind",
			       "--tool", "native", NULL };
	struct out r = racelab(root, argv);
	json_t *doc = parse_json(&r);
	json_t *results = json_object_get(doc, "results"), *res;
	size_t i;
	int saw_bad = 0, saw_broken = 0, passes = 0;

	/* A bad lab.ini and a build error are input errors: exit 2, the rest still ran. */
	cr_expect_eq(r.code, 2, "exit %d\n%s", r.code, r.stdout_text);
	cr_expect(strstr(r.stdout_text, "02-bad/lab.ini:3:"), "%s", r.stdout_text);
	json_array_foreach(results, i, res) {
		const char *ex = json_string_value(json_object_get(res, "exercise"));
		if (!strcmp(ex, "01-race")) {
			char *why = json_dumps(res, JSON_COMPACT);

			cr_expect_str_eq(status_of(res), "pass", "01-race %s %s: %s",
					 json_string_value(json_object_get(res, "variant")),
					 json_string_value(json_object_get(res, "tool")), why);
			free(why);
			passes++;
		} else if (!strcmp(ex, "02-bad")) {
			cr_expect_str_eq(status_of(res), "error");
			saw_bad = 1;
		} else if (!strcmp(ex, "03-broken")) {
			/* [buggy] names only tsan: the other checkers skip the buggy
			 * version unbuilt, but a solution must build for every one. */
			const char *want = strcmp(json_string_value(json_object_get(res, "tool")), "tsan") &&
				!strcmp(json_string_value(json_object_get(res, "variant")), "buggy") ?
				"skip" : "error";
			cr_expect_str_eq(status_of(res), want);
			saw_broken |= has_diag(res, "build-error", NULL, 0);
		}
	}
	cr_expect_eq(passes, 6, "01-race: 3 checkers x 2 variants");
	cr_expect(saw_bad);
	cr_expect(saw_broken);
	json_decref(doc);
}

Test(cli, check_says_the_bug_is_still_there)
{
	char *root = make_lab();
	const char *argv[] = { "racelab", "check", "--tool", "tsan", "1", NULL };
	struct out r = racelab(root, argv);

	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "data-race"));
	cr_expect(strstr(r.stdout_text, "counter.c:10"));
	cr_expect(strstr(r.stdout_text, "counter++;"), "the source line is shown: %s", r.stdout_text);
}

/* One verdict per exercise, under the checkers lab.ini names, remembered for list. */
Test(cli, check_gives_one_verdict_per_exercise_and_list_remembers_it)
{
	char *root = make_lab();
	const char *check[] = { "racelab", "check", "--json", "1", NULL };
	const char *check_text[] = { "racelab", "check", "--tool", "tsan", "1", NULL };
	const char *list[] = { "racelab", "list", "--json", NULL };
	struct out r = racelab(root, check);
	json_t *doc = parse_json(&r), *results = json_object_get(doc, "results"), *res, *sum, *ex;
	size_t i;
	int tools = 0;

	/* 01-race's [buggy] names native, tsan, asan and helgrind: those four, no more. */
	json_array_foreach(results, i, res) {
		const char *tool = json_string_value(json_object_get(res, "tool"));
		cr_expect(!strcmp(tool, "native") || !strcmp(tool, "tsan") || !strcmp(tool, "asan") ||
			  !strcmp(tool, "helgrind"), "unexpected checker %s", tool);
		tools++;
	}
	cr_expect_eq(tools, 4, "%s", r.stdout_text);
	sum = json_object_get(doc, "summary");
	cr_expect_eq(json_integer_value(json_object_get(sum, "exercises")), 1);
	cr_expect_eq(json_integer_value(json_object_get(sum, "exercises_ok")), 0);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(sum, "unfixed"), 0)), "01-race");
	json_decref(doc);

	r = racelab(root, check_text);
	/* the verdict is the last line, the exercises not yet fixed right above it */
	cr_expect(ends_with(r.stdout_text, "\n  01-race\n0 of 1 exercise fixed\n"), "%s", r.stdout_text);

	r = racelab(root, list);
	doc = parse_json(&r);
	json_array_foreach(json_object_get(doc, "exercises"), i, ex)
		if (!strcmp(json_string_value(json_object_get(ex, "exercise")), "01-race")) {
			json_t *sources = json_object_get(ex, "sources");

			cr_expect(!strncmp(json_string_value(json_object_get(ex, "status")), "bugs left (", 11),
				  "%s", r.stdout_text);
			/* what a student hands in, and what it is worth (no points line: 10) */
			cr_expect_eq(json_array_size(sources), 1, "%s", r.stdout_text);
			cr_expect_str_eq(json_string_value(json_array_get(sources, 0)), "counter.c");
			cr_expect_eq(json_integer_value(json_object_get(ex, "points")), 10);
		}
	json_decref(doc);
}

/*
 * The project's own lab: 34's given client is not a file the student
 * hands in, and 24 (an explanation) is worth no points.
 */
Test(cli, list_names_the_files_a_student_hands_in)
{
	const char *argv[] = { "racelab", "list", "--json", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r), *ex;
	size_t i;
	int seen = 0;

	json_array_foreach(json_object_get(doc, "exercises"), i, ex) {
		const char *name = json_string_value(json_object_get(ex, "exercise"));
		json_t *sources = json_object_get(ex, "sources");

		if (!strcmp(name, "34-tcp-echo-server")) {
			cr_expect_eq(json_array_size(sources), 1, "%s", r.stdout_text);
			cr_expect_str_eq(json_string_value(json_array_get(sources, 0)), "thread_serv.c");
			seen++;
		} else if (!strcmp(name, "24-atomics-false-positive")) {
			cr_expect_eq(json_integer_value(json_object_get(ex, "points")), 0);
			seen++;
		}
	}
	cr_expect_eq(seen, 2, "%s", r.stdout_text);
	json_decref(doc);
}

/* 1 when text ends with suffix. */
static int ends_with(const char *text, const char *suffix)
{
	size_t n = strlen(text), m = strlen(suffix);

	return n >= m && !strcmp(text + n - m, suffix);
}

/* A one-exercise lab in a fresh directory: exercises/01-NAME/SOURCE from run/, and lab.ini. */
static char *make_small_lab(const char *name, const char *source, const char *ini)
{
	char *tmpl = test_tmpl("lab");
	char *root, *cmd, *cwd = getcwd(NULL, 0);

	cr_assert_not_null(mkdtemp(tmpl));
	root = strdup(tmpl);
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p exercises/01-%s solutions/01-%s; "
		     "cp %s/run/%s exercises/01-%s/; cp %s/run/%s solutions/01-%s/; "
		     "printf '%s' > exercises/01-%s/lab.ini",
		     root, name, name, cwd, source, name, cwd, source, name, ini, name) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(cwd);
	return root;
}

Test(cli, a_fixed_exercise_is_fixed_under_every_checker_lab_ini_names)
{
	char *root = make_small_lab("clean", "clean.c",
		"[exercise]\\ntitle = t\\nclass = data-race\\nsources = clean.c\\n"
		"[oracle]\\nstdout = ^counter = 2000$\\n"
		"[buggy]\\nnative = clean\\ntsan = data-race\\n");
	const char *tsan[] = { "racelab", "check", "--tool", "tsan", "1", NULL };
	const char *all[] = { "racelab", "check", "1", NULL };
	const char *list[] = { "racelab", "list", NULL };
	struct out r = racelab(root, tsan);

	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	cr_expect(ends_with(r.stdout_text, "\n1 of 1 exercise fixed\n"), "%s", r.stdout_text);
	r = racelab(root, list);
	cr_expect(strstr(r.stdout_text, "clean so far, not checked under native\n"), "%s", r.stdout_text);
	r = racelab(root, all);
	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	r = racelab(root, list);
	cr_expect(strstr(r.stdout_text, " fixed\n"), "%s", r.stdout_text);
}

/* verify: a solution gets every seed of every repeat, a buggy program one seed a repeat. */
Test(cli, verify_gives_a_buggy_program_one_noise_seed_a_repeat)
{
	char *root = make_small_lab("clean", "clean.c",
		"[exercise]\\ntitle = t\\nclass = data-race\\nsources = clean.c\\n"
		"[oracle]\\nstdout = ^counter = 2000$\\n"
		"[buggy]\\nnoise = clean\\n");
	const char *argv[] = { "racelab", "verify", "--json", "--tool", "noise", "--seeds", "3",
			       "--repeat", "2", NULL };
	struct out r = racelab(root, argv);
	json_t *doc = parse_json(&r), *res;
	size_t i;
	int seen = 0;

	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	json_array_foreach(json_object_get(doc, "results"), i, res) {
		int buggy = !strcmp(json_string_value(json_object_get(res, "variant")), "buggy");

		cr_expect_str_eq(status_of(res), "pass");
		cr_expect_eq(json_integer_value(json_object_get(res, "runs")), buggy ? 2 : 6,
			     "%s", buggy ? "buggy: seeds 1 and 2" : "fixed: 3 seeds x 2 repeats");
		seen |= buggy ? 1 : 2;
	}
	cr_expect_eq(seen, 3, "a buggy and a fixed result");
	json_decref(doc);
}

Test(cli, wrong_output_shows_what_the_program_printed_escaped)
{
	char *root = make_small_lab("garbled", "garbled.c",
		"[exercise]\\ntitle = t\\nclass = data-race\\nsources = garbled.c\\n"
		"[oracle]\\nstdout = ^counter = 2000$\\nexit = 0\\n"
		"[buggy]\\nnative = wrong-output\\n");
	const char *argv[] = { "racelab", "check", "--tool", "native", "1", NULL };
	const char *jargv[] = { "racelab", "check", "--json", "--tool", "native", "1", NULL };
	struct out r = racelab(root, argv);
	json_t *doc, *d;

	cr_expect_eq(r.code, 1);
	/* The message lab.ini matching depends on is unchanged. */
	cr_expect(strstr(r.stdout_text, "no line of the output matches /^counter = 2000$/"));
	cr_expect(strstr(r.stdout_text,
			 "        expected a line matching /^counter = 2000$/, exit status 0\n"
			 "        got      4 lines, 0 matching, exit status 0:\n"
			 "            1 | \\x1b[2J\\x1b[H\\x1b]0;owned\\x07counter = 2000\n"
			 "            2 | \\xff\\xfe\\x00 half\n"),
		  "the excerpt is missing or not escaped");
	cr_expect(strstr(r.stdout_text, "            4 | counter = 1\n"));
	/* 300 "wide " cut at 100 columns, the rest counted. */
	cr_expect(strstr(r.stdout_text, " ... (1400 more characters)\n"));
	/* Nothing the program printed reaches the terminal raw (NO_COLOR is set). */
	cr_expect_null(memchr(r.stdout_text, '\033', strlen(r.stdout_text)));
	cr_expect_null(strstr(r.stdout_text, "\xff"));

	r = racelab(root, jargv);
	doc = parse_json(&r);
	d = json_array_get(json_object_get(result_for(doc, NULL, "native"), "diagnostics"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(d, "kind")), "wrong-output");
	cr_expect(strstr(json_string_value(json_object_get(d, "detail")), "got      4 lines, 0 matching"));
	json_decref(doc);
}

/* The "path:line: data-race" line of text (at column 0): path and line. */
static int finding(const char *text, char **path, int *line)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *end = strchr(p, '\n'), *colon = strstr(p, ": data-race");
		const char *lc;

		if (!colon || (end && colon > end))
			continue;
		for (lc = colon - 1; lc > p && *lc >= '0' && *lc <= '9'; lc--)
			;
		if (*lc != ':' || lc == p)
			continue;
		*path = strndup(p, (size_t)(lc - p));
		*line = atoi(lc + 1);
		return 1;
	}
	return 0;
}

/* The printed path, taken from dir (or absolute), is the file want; its line has `code`. */
static void assert_jumps_to(const char *dir, const char *text, const char *want, const char *code)
{
	char *path, *from_dir, *real, *real_want = realpath(want, NULL), *src;
	int line, n = 0;
	FILE *f;
	char buf[512];

	cr_assert(finding(text, &path, &line), "no path:line: finding in:\n%s", text);
	if (path[0] == '/')
		from_dir = strdup(path);
	else if (asprintf(&from_dir, "%s/%s", dir, path) < 0)
		cr_assert_fail("asprintf");
	real = realpath(from_dir, NULL);
	cr_assert_not_null(real, "%s does not resolve from %s", path, dir);
	cr_assert_not_null(real_want);
	cr_assert_str_eq(real, real_want);
	f = fopen(real, "r");
	cr_assert_not_null(f);
	while (fgets(buf, sizeof(buf), f) && ++n < line)
		;
	fclose(f);
	src = strstr(buf, code);
	cr_assert_not_null(src, "line %d of %s is not the finding", line, path);
	free(path);
	free(from_dir);
	free(real);
	free(real_want);
}

Test(cli, findings_are_path_line_from_the_current_directory)
{
	char *root = make_small_lab("race", "race.c",
		"[exercise]\\ntitle = t\\nclass = data-race\\nsources = race.c\\n"
		"[oracle]\\nstdout = ^counter = 2000$\\n[buggy]\\ntsan = data-race\\n");
	const char *argv[] = { "racelab", "check", "--tool", "tsan", "1", NULL };
	char *ex = NULL, *sol = NULL, *file = NULL, *tests = getcwd(NULL, 0), *run_file;
	const char *rargv[] = { "racelab", "run", "--tool", "tsan", NULL, NULL };
	struct out r;

	if (asprintf(&ex, "%s/exercises/01-race", root) < 0 ||
	    asprintf(&sol, "%s/solutions", root) < 0 ||
	    asprintf(&file, "%s/exercises/01-race/race.c", root) < 0 ||
	    asprintf(&run_file, "%s/run/race.c", tests) < 0)
		cr_assert_fail("asprintf");
	/* From the lab's root, from inside the exercise and from a sibling. */
	r = racelab(root, argv);
	assert_jumps_to(root, r.stdout_text, file, "counter++");
	cr_expect(strstr(r.stdout_text, "\nexercises/01-race/race.c:10: data-race in bump()\n"),
		  "%s", r.stdout_text);
	r = racelab(ex, argv);
	assert_jumps_to(ex, r.stdout_text, file, "counter++");
	cr_expect(strstr(r.stdout_text, "\nrace.c:10: data-race in bump()\n"));
	r = racelab(sol, argv);
	assert_jumps_to(sol, r.stdout_text, file, "counter++");
	cr_expect(strstr(r.stdout_text, "\n../exercises/01-race/race.c:10: data-race"));
	/* racelab run on a file named by its absolute path, from elsewhere
	 * (relative when the two directories share more than the root). */
	rargv[4] = run_file;
	r = racelab(root, rargv);
	cr_expect_eq(r.code, 1);
	assert_jumps_to(root, r.stdout_text, run_file, "counter++");
	free(file);
	free(ex);
	free(sol);
	free(tests);
	free(run_file);
}

Test(cli, run_sees_zombies_orphans_and_open_descriptors)
{
	const char *a1[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "memcheck",
			     "run/zombie.c", NULL };
	const char *a2[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "helgrind",
			     "run/orphan.c", NULL };
	const char *a3[] = { "racelab", "run", "--json", "--tool", "memcheck", "run/fdleak.c", NULL };
	const char *msg;
	struct out r;
	json_t *doc;

	r = racelab(NULL, a1);
	doc = parse_json(&r);
	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	cr_expect(has_diag(result_for(doc, "file", "native"), "zombie", NULL, 0), "%s", r.stdout_text);
	cr_expect(has_diag(result_for(doc, "file", "memcheck"), "zombie", NULL, 0), "%s", r.stdout_text);
	/* Valgrind's processes carry the tool's name ("memcheck-amd64-"): the student's is shown. */
	msg = message_of(result_for(doc, "file", "memcheck"), "zombie");
	cr_expect(strstr(msg, "(zombie) ended, and its parent") && strstr(msg, " (zombie) went on"), "%s", msg);
	json_decref(doc);

	r = racelab(NULL, a2);
	doc = parse_json(&r);
	cr_expect_eq(r.code, 1);
	/* The child that outlived its parent is named and killed; no error. */
	cr_expect(has_diag(result_for(doc, "file", "native"), "orphan", NULL, 0), "%s", r.stdout_text);
	cr_expect(has_diag(result_for(doc, "file", "helgrind"), "orphan", NULL, 0), "%s", r.stdout_text);
	cr_expect_str_eq(status_of(result_for(doc, "file", "helgrind")), "fail");
	msg = message_of(result_for(doc, "file", "helgrind"), "orphan");
	cr_expect(strstr(msg, " (orphan) was still running"), "%s", msg);
	json_decref(doc);

	r = racelab(NULL, a3);
	doc = parse_json(&r);
	cr_expect(has_diag(result_for(doc, "file", "memcheck"), "fd-leak", NULL, 0), "%s", r.stdout_text);
	json_decref(doc);
}

/*
 * While racelab waits on gdb to describe one run's hang, its other runs
 * are still watched. A stand-in gdb first on PATH cues zombie-on-cue.c
 * (which leaves a zombie for 400 ms, then ends) and returns only once
 * that program has ended (a zombie itself, until racelab reaps it): without the watch going on during the wait,
 * the zombie is never seen.
 */
/*
 * A reader that goes away (racelab check | head) stops racelab as ^C
 * does: its runs are stopped and its work directory removed, instead of
 * racelab dying of SIGPIPE with the folder left in TMPDIR. The report is
 * long enough (-v, TSan on 34's races) to be written while runs remain.
 */
Test(cli, a_reader_that_goes_away_leaves_nothing_behind)
{
	char *root = test_tmpl("pipe"), *work = test_tmpl("pipe-tmp"), *cmd;
	DIR *d;
	struct dirent *de;
	int left = 0, st;

	cr_assert_not_null(mkdtemp(root));
	cr_assert_not_null(mkdtemp(work));
	cr_assert_geq(asprintf(&cmd, "set -e; mkdir %s/exercises; cp -r ../include %s; "
			       "cp -r ../exercises/02-deadlock-abba ../exercises/03-livelock-polite "
			       "../exercises/22-dining-philosophers ../exercises/34-tcp-echo-server "
			       "%s/exercises", root, root, root), 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_assert_geq(asprintf(&cmd, "bash -c 'cd %s && TMPDIR=%s %s/../build/racelab check -v "
			       "--no-color --tool native --tool tsan --tool helgrind 2>/dev/null | "
			       "head -c 1 >/dev/null; exit ${PIPESTATUS[0]}'", root, work,
			       getcwd(NULL, 0)), 0);
	st = system(cmd);
	cr_assert(WIFEXITED(st));
	cr_expect_neq(WEXITSTATUS(st), 128 + SIGPIPE, "racelab died of SIGPIPE");
	cr_expect_eq(WEXITSTATUS(st), 3, "stopped as when interrupted: exit %d", WEXITSTATUS(st));
	d = opendir(work);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		left += de->d_name[0] != '.';
	closedir(d);
	cr_expect_eq(left, 0, "racelab left its work directory in %s", work);
	free(cmd);
}

/* The names in dir that start with prefix, counted. */
static int entries_with(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d, "cannot read %s", dir);
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/*
 * A run's directory (its output, its logs) goes as soon as its result is
 * in, except where a broken result points: there racelab keeps the
 * evidence. Helgrind's report, rewritten by the program, is one racelab
 * cannot read; the native run beside it leaves nothing.
 */
Test(cli, only_a_broken_runs_directory_outlives_it)
{
	char *work = test_tmpl("runs"), *cmd, *kept = NULL;
	DIR *d;
	struct dirent *de;
	int st;

	cr_assert_not_null(mkdtemp(work));
	cr_assert_geq(asprintf(&cmd, "TMPDIR=%s ../build/racelab run --tool helgrind --tool native "
			       "hostile/valgrind-log-rewind.c >/dev/null 2>&1", work), 0);
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %d", st);
	d = opendir(work);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "racelab.", 8))
			cr_assert_geq(asprintf(&kept, "%s/%s", work, de->d_name), 0);
	closedir(d);
	cr_assert_not_null(kept, "the evidence of the broken run was not kept");
	cr_expect_eq(entries_with(kept, "run-"), 1, "only the broken run's directory stays");
	free(kept);
	free(cmd);
}

/* racelab in lab `tmpl` with the stand-ins in tmpl/bin (a gdb) first on PATH. */
static struct out racelab_with_stand_ins(const char *tmpl, const char **argv)
{
	char *old = strdup(getenv("PATH")), *path;
	struct out r;

	if (!old || asprintf(&path, "%s/bin:%s", tmpl, old) < 0)
		cr_assert_fail("out of memory");
	setenv("PATH", path, 1);
	r = racelab(tmpl, argv);
	setenv("PATH", old, 1);
	free(path);
	free(old);
	return r;
}

Test(cli, a_run_is_watched_while_another_hang_is_described)
{
	char *tmpl = test_tmpl("lab"), *cmd, *cwd = getcwd(NULL, 0);
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "-j", "2", "1", "2",
			       NULL };
	struct out r;
	json_t *doc, *cue;

	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p bin exercises/01-hang exercises/02-cue; "
		     "cp %s/run/hang.c exercises/01-hang/; cp %s/run/zombie-on-cue.c exercises/02-cue/; "
		     "printf '[exercise]\\ntitle = t\\nclass = deadlock\\nsources = hang.c\\n"
		     "[buggy]\\nnative = deadlock\\n' > exercises/01-hang/lab.ini; "
		     "printf '[exercise]\\ntitle = t\\nclass = zombie\\nsources = zombie-on-cue.c\\n"
		     "[oracle]\\nstdout = done$\\n[buggy]\\nnative = zombie\\n' > exercises/02-cue/lab.ini; "
		     "printf '#!/bin/sh\\ntouch %s/gdb-ran\\n"
		     "i=0; until pkill -USR1 -x zombie-on-cue; do i=$((i+1)); [ $i -lt 200 ] || exit 1; sleep 0.05; done\\n"
		     "i=0; while pgrep -r R,S,D -x zombie-on-cue >/dev/null; do i=$((i+1)); [ $i -lt 200 ] || exit 1; sleep 0.05; done\\n'"
		     " > bin/gdb; chmod +x bin/gdb",
		     tmpl, cwd, cwd, tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	r = racelab_with_stand_ins(tmpl, argv);
	doc = parse_json(&r);
	cr_expect(has_diag(member_with(json_object_get(doc, "results"), "exercise", "01-hang"), "deadlock", NULL, 0), "%s", r.stdout_text);
	cue = member_with(json_object_get(doc, "results"), "exercise", "02-cue");
	cr_expect(has_diag(cue, "zombie", NULL, 0), "the zombie was seen while gdb ran: %s", r.stdout_text);
	cr_expect(!has_diag(cue, "wrong-output", NULL, 0), "the cue came: %s", r.stdout_text);
	free(cmd);
	if (asprintf(&cmd, "%s/gdb-ran", tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_expect_eq(access(cmd, F_OK), 0, "the stand-in gdb ran");
	json_decref(doc);
	free(cmd);
	free(cwd);
}

/*
 * A slot that frees while gdb describes a hang is filled at once, not when
 * gdb is done. With -j 2: 01 deadlocks and lends its slot; 02 and 03
 * compute until cued, so 04 waits for a slot. The stand-in gdb run for
 * 01's hang cues them and waits to see 04's program alive: only a
 * scheduler that collects and starts runs while gdb runs lets it.
 */
Test(cli, a_slot_freed_while_a_hang_is_described_is_filled)
{
	char *tmpl = test_tmpl("lab"), *cmd, *cwd = getcwd(NULL, 0);
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "-j", "2",
			       "1", "2", "3", "4", NULL };
	struct out r;
	json_t *doc;

	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p bin; "
		     "ex() { mkdir -p exercises/$1; cp %s/run/$2.c exercises/$1/; "
		     "printf '[exercise]\\ntitle = t\\nclass = deadlock\\nsources = %%s.c\\n"
		     "[buggy]\\nnative = %%s\\n' $2 $3 > exercises/$1/lab.ini; }; "
		     "ex 01-hang hang deadlock; ex 02-spin spin-on-cue clean; "
		     "ex 03-spin spin-on-cue clean; ex 04-seen seen-once clean; "
		     "printf '#!/bin/sh\\n"
		     "i=0; until pgrep -x seen-once >/dev/null; do pkill -USR1 -x spin-on-cue; "
		     "i=$((i+1)); [ $i -lt 200 ] || exit 1; sleep 0.05; done\\ntouch %s/seen\\n'"
		     " > bin/gdb; chmod +x bin/gdb",
		     tmpl, cwd, tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	r = racelab_with_stand_ins(tmpl, argv);
	doc = parse_json(&r);
	cr_expect(has_diag(member_with(json_object_get(doc, "results"), "exercise", "01-hang"),
			   "deadlock", NULL, 0), "%s", r.stdout_text);
	free(cmd);
	if (asprintf(&cmd, "%s/seen", tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_expect_eq(access(cmd, F_OK), 0, "04 was started while gdb described 01's hang: %s",
		     r.stdout_text);
	json_decref(doc);
	free(cmd);
	free(cwd);
}

/*
 * A watcher outside every run, for what only the host sees (processes of
 * different runs alive at once): it touches `flag` once the shell
 * condition `cond` holds, looking every 10 ms for at most 30 s.
 */
static pid_t start_watcher(const char *cond, const char *flag)
{
	pid_t pid = fork();

	cr_assert_neq(pid, -1);
	if (!pid) {
		char *script;

		if (asprintf(&script, "i=0; until %s; do i=$((i+1)); [ $i -lt 3000 ] || exit 1; "
			     "sleep 0.01; done; touch %s", cond, flag) < 0)
			_exit(126);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void stop_watcher(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
}

/*
 * A server waiting out its drain lends its slot: 01's server never closes
 * its clients' connections, so racelab waits 1 s for it to, then stops
 * it. With -j 1, 02's program (seen-once's, renamed) must start meanwhile:
 * a watcher outside every run sees both alive at once. Without the lending
 * 02 starts only once 01's server is gone.
 */
Test(cli, a_server_waiting_out_its_drain_lends_its_slot)
{
	char *root = test_tmpl("drain"), *cmd, *seen, *cwd = getcwd(NULL, 0);
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "-j", "1",
			       "1", "2", NULL };
	const char *ini =
		"[exercise]\\ntitle = t\\nclass = fd-leak\\nsources = drainer.c\\n"
		"[program drainer]\\nsources = drainer.c\\nargs = {port}\\nrole = server\\n"
		"[program client]\\nsources = client.c\\nargs = {port} 3\\nrole = client\\n"
		"checked = no\\n[buggy]\\nnative = fd-leak\\n";
	struct out r;
	json_t *doc;
	pid_t watcher;

	cr_assert_not_null(mkdtemp(root));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p exercises/01-drain exercises/02-peer; "
		     "sed 's/^#define LEAK 0/#define LEAK 1/' %s/run/echo-server.c > exercises/01-drain/drainer.c; "
		     "cp %s/run/echo-client.c exercises/01-drain/client.c; printf '%s' > exercises/01-drain/lab.ini; "
		     "sed 's/\"seen-once\"/\"drain-peer\"/' %s/run/seen-once.c > exercises/02-peer/peer.c; "
		     "printf '[exercise]\\ntitle = t\\nclass = deadlock\\nsources = peer.c\\n"
		     "[buggy]\\nnative = clean\\n' > exercises/02-peer/lab.ini",
		     root, cwd, cwd, ini, cwd) < 0 || asprintf(&seen, "%s/overlap", root) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	watcher = start_watcher("pgrep -x drain-peer >/dev/null && pgrep -x drainer >/dev/null", seen);
	r = racelab(root, argv);
	stop_watcher(watcher);
	doc = parse_json(&r);
	cr_expect(has_diag(member_with(json_object_get(doc, "results"), "exercise", "01-drain"),
			   "fd-leak", NULL, 0), "the server's leak was still seen: %s", r.stdout_text);
	cr_expect_eq(access(seen, F_OK), 0, "02 started while 01's server waited out its drain: %s",
		     r.stdout_text);
	json_decref(doc);
	free(cmd);
	free(seen);
	free(cwd);
}

/*
 * A run that cannot wake by itself (every thread waits with no timeout)
 * waits only to be stopped: it is not one of the runs that may wake
 * together, which twice -j bounds. With -j 1 three deadlocks are alive at
 * once (each lends its slot after two samples, long before its stall
 * window ends); counted against that bound, the third would start only
 * once the first was stopped.
 */
Test(cli, runs_that_cannot_wake_do_not_count_against_the_runs_that_may)
{
	char *root = test_tmpl("stuck"), *cmd, *seen, *cwd = getcwd(NULL, 0);
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "-j", "1",
			       "1", "2", "3", NULL };
	struct out r;
	json_t *doc;
	pid_t watcher;

	cr_assert_not_null(mkdtemp(root));
	if (asprintf(&cmd, "set -e; cd %s; for k in 1 2 3; do mkdir -p exercises/0$k-stuck; "
		     "cp %s/run/hang.c exercises/0$k-stuck/stuck$k.c; "
		     "printf '[exercise]\\ntitle = t\\nclass = deadlock\\nsources = stuck%%s.c\\n"
		     "[buggy]\\nnative = deadlock\\n' $k > exercises/0$k-stuck/lab.ini; done",
		     root, cwd) < 0 || asprintf(&seen, "%s/three", root) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	watcher = start_watcher("pgrep -x stuck1 >/dev/null && pgrep -x stuck2 >/dev/null && "
				"pgrep -x stuck3 >/dev/null", seen);
	r = racelab(root, argv);
	stop_watcher(watcher);
	doc = parse_json(&r);
	for (int k = 0; k < 3; k++)
		cr_expect(has_diag(json_array_get(json_object_get(doc, "results"), (size_t)k),
				   "deadlock", NULL, 0), "each deadlock was named: %s", r.stdout_text);
	cr_expect_eq(access(seen, F_OK), 0, "the three deadlocks were alive at once: %s",
		     r.stdout_text);
	json_decref(doc);
	free(cmd);
	free(seen);
	free(cwd);
}

/*
 * racelab describes one hang at a time, from its own loop: a hang the
 * watch names while gdb describes another (the wait hook samples every
 * run) waits for it. With -j 1, 01 and 02 deadlock one after the other
 * (01 lends its slot as soon as it cannot wake); the stand-in gdb logs
 * its start and end and takes 1 s, so 02's hang is named while 01's is
 * described. Described from inside the hook, 02's gdb would overlap 01's.
 */
Test(cli, one_hang_is_described_at_a_time)
{
	char *tmpl = test_tmpl("lab"), *cmd, *log, *cwd = getcwd(NULL, 0);
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "-j", "1",
			       "1", "2", NULL };
	struct out r;
	json_t *doc;

	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p bin; for k in 1 2; do mkdir -p exercises/0$k-hang; "
		     "cp %s/run/hang.c exercises/0$k-hang/; printf '[exercise]\\ntitle = t\\n"
		     "class = deadlock\\nsources = hang.c\\n[buggy]\\nnative = deadlock\\n' "
		     "> exercises/0$k-hang/lab.ini; done; "
		     "printf '#!/bin/sh\\necho start >> %s/gdb.log; sleep 1; echo end >> %s/gdb.log\\n'"
		     " > bin/gdb; chmod +x bin/gdb", tmpl, cwd, tmpl, tmpl) < 0 ||
	    asprintf(&log, "%s/gdb.log", tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	r = racelab_with_stand_ins(tmpl, argv);
	doc = parse_json(&r);
	for (size_t k = 0; k < 2; k++)
		cr_expect(has_diag(json_array_get(json_object_get(doc, "results"), k), "deadlock",
				   NULL, 0), "%s", r.stdout_text);
	cr_expect_str_eq(slurp(log), "start\nend\nstart\nend\n", "one gdb at a time");
	json_decref(doc);
	free(cmd);
	free(log);
	free(cwd);
}

/*
 * A run being described and stopped lends its slot: its processes hang,
 * and what its stop costs is the describer's, one at a time. With -j 1,
 * 01 computes until its 1 s timeout (holding its slot: it is never idle);
 * the stand-in gdb describing it waits to see 02's program alive, which
 * only a slot lent meanwhile lets start.
 */
Test(cli, a_run_being_stopped_lends_its_slot)
{
	char *tmpl = test_tmpl("lab"), *cmd, *seen, *cwd = getcwd(NULL, 0);
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "-j", "1",
			       "1", "2", NULL };
	struct out r;
	json_t *doc;

	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p bin exercises/01-spin exercises/02-peer; "
		     "sed 's/\"spin-on-cue\"/\"spin-stopped\"/' %s/run/spin-on-cue.c > exercises/01-spin/spin.c; "
		     "printf '[exercise]\\ntitle = t\\nclass = deadlock\\nsources = spin.c\\n"
		     "timeout = 1\\n[buggy]\\nnative = clean\\n' > exercises/01-spin/lab.ini; "
		     "sed 's/\"seen-once\"/\"stop-peer\"/' %s/run/seen-once.c > exercises/02-peer/peer.c; "
		     "printf '[exercise]\\ntitle = t\\nclass = deadlock\\nsources = peer.c\\n"
		     "[buggy]\\nnative = clean\\n' > exercises/02-peer/lab.ini; "
		     "printf '#!/bin/sh\\ni=0; until pgrep -x stop-peer >/dev/null; do "
		     "i=$((i+1)); [ $i -lt 200 ] || exit 1; sleep 0.05; done; touch %s/seen\\n'"
		     " > bin/gdb; chmod +x bin/gdb", tmpl, cwd, cwd, tmpl) < 0 ||
	    asprintf(&seen, "%s/seen", tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_assert_eq(system(cmd), 0);
	r = racelab_with_stand_ins(tmpl, argv);
	doc = parse_json(&r);
	cr_expect(strstr(r.stdout_text, "\"timed_out\": true"), "01 was stopped at its timeout: %s",
		  r.stdout_text);
	cr_expect_eq(access(seen, F_OK), 0, "02 started while 01 was described: %s", r.stdout_text);
	json_decref(doc);
	free(cmd);
	free(seen);
	free(cwd);
}

Test(cli, correct_fork_and_wait_is_clean)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "memcheck",
			       "--tool", "tsan", "run/forkwait.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	json_decref(doc);
}

static char *xstrfmt_test(const char *fmt, const char *arg)
{
	char *s;

	cr_assert_geq(asprintf(&s, fmt, arg), 0);
	return s;
}

/*
 * A multi-program lab: 01-echo's server leaks every connection (fixed in
 * solutions/); 02-quit's server exits as soon as it listens.
 */
static char *make_echo_lab(void)
{
	char *root = test_tmpl("echo");
	const char *ini =
		"[exercise]\\ntitle = echo\\nclass = fd-leak\\nsources = server.c\\n"
		"[program server]\\nsources = server.c\\nargs = {port}\\nrole = server\\n"
		"[program client]\\nsources = client.c\\nargs = {port} 3\\nrole = client\\nchecked = no\\n"
		"stdout = ^reply: ACK hello\\ncount = 3\\nexit = 0\\n"
		"[buggy]\\nnative = fd-leak\\ntsan = fd-leak\\nmemcheck = fd-leak\\n";
	char cmd[8192], *cwd = getcwd(NULL, 0);

	cr_assert_not_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; for e in 01-echo 02-quit; do mkdir -p exercises/$e solutions/$e; "
		 "cp %s/run/echo-client.c exercises/$e/client.c; cp %s/run/echo-client.c solutions/$e/client.c; "
		 "cp %s/run/echo-server.c solutions/$e/server.c; printf '%s' > exercises/$e/lab.ini; done; "
		 "sed 's/^#define LEAK 0/#define LEAK 1/' %s/run/echo-server.c > exercises/01-echo/server.c; "
		 "sed 's/^#define QUIT 0/#define QUIT 1/' %s/run/echo-server.c > exercises/02-quit/server.c",
		 root, cwd, cwd, cwd, ini, cwd, cwd);
	cr_assert_eq(system(cmd), 0);
	free(cwd);
	return root;
}

Test(cli, a_server_and_its_client)
{
	char *root = make_echo_lab();
	const char *verify[] = { "racelab", "verify", "--json", "--tool", "native", "--tool", "tsan",
				 "--tool", "memcheck", "1", NULL };
	const char *check[] = { "racelab", "check", "--json", "--tool", "native", NULL };
	struct out r = racelab(root, verify);
	json_t *doc = parse_json(&r), *res;
	const char *msg;

	/* The leak is seen under every checker; the fix is clean and all 3 replies came back. */
	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	res = result_for(doc, "buggy", "memcheck");
	cr_expect(has_diag(res, "fd-leak", NULL, 0), "%s", r.stdout_text);
	cr_expect_eq(ndiags(res), 3, "one fd-leak per connection: %s", r.stdout_text);
	msg = json_string_value(json_object_get(json_array_get(json_object_get(res, "diagnostics"), 0),
						"message"));
	cr_expect(msg && strstr(msg, "server (process ") && strstr(msg, "CLOSE_WAIT"), "%s", msg);
	cr_expect_eq(ndiags(result_for(doc, "fixed", "tsan")), 0, "%s", r.stdout_text);
	json_decref(doc);

	/* check runs exercises/: 01 leaks; 02's server is gone before its client could start. */
	r = racelab(root, check);
	doc = parse_json(&r);
	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	res = json_array_get(json_object_get(doc, "results"), 1);
	cr_expect_str_eq(json_string_value(json_object_get(res, "exercise")), "02-quit");
	cr_expect(has_diag(res, "wrong-output", NULL, 0), "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "server ended (exit status 3) before it was seen listening"),
		  "%s", r.stdout_text);
	/* the client never started: no oracle of its to repeat the news */
	cr_expect_eq(ndiags(res), 1, "%s", r.stdout_text);
	json_decref(doc);
}

Test(cli, a_server_must_keep_its_threads)
{
	char *root = make_echo_lab();
	char *cmd = xstrfmt_test("cd %s && sed -i 's/^role = server$/role = server\\nthreads = 2/' "
				 "exercises/01-echo/lab.ini", root);
	const char *verify[] = { "racelab", "verify", "--json", "--tool", "native", "--tool", "tsan",
				 "1", NULL };
	struct out r;
	json_t *doc;
	const char *msg;

	cr_assert_eq(system(cmd), 0);
	r = racelab(root, verify);
	doc = parse_json(&r);
	/* the one-thread server is counted natively (0 threads) and nowhere else */
	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	msg = json_string_value(json_object_get(json_array_get(json_object_get(
		result_for(doc, "fixed", "native"), "diagnostics"), 0), "message"));
	cr_expect(msg && !strcmp(msg, "server: 0 threads created, at least 2 expected"), "%s",
		  r.stdout_text);
	cr_expect_str_eq(status_of(result_for(doc, "fixed", "tsan")), "pass");
	json_decref(doc);
	free(cmd);
}

/* The pid named in a diagnostic message "process N (...)". */
static pid_t pid_in(json_t *r, const char *kind)
{
	json_t *diags = json_object_get(r, "diagnostics"), *d;
	size_t i;

	json_array_foreach(diags, i, d) {
		const char *m = json_string_value(json_object_get(d, "message"));
		int pid;

		if (!strcmp(json_string_value(json_object_get(d, "kind")), kind) && m &&
		    sscanf(m, "process %d", &pid) == 1)
			return pid;
	}
	return 0;
}

Test(cli, a_child_that_leaves_the_session_is_still_the_runs)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "tsan",
			       "--tool", "memcheck", "run/escape.c", NULL };
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);
	const char *tools[] = { "native", "tsan", "memcheck" };

	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	for (size_t i = 0; i < 3; i++) {
		json_t *res = result_for(doc, "file", tools[i]);
		pid_t pid = pid_in(res, "orphan");

		/* named, and killed: racelab is the subreaper, nothing outlives it */
		cr_expect_neq(pid, 0, "%s: no orphan named: %s", tools[i], r.stdout_text);
		cr_expect(pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH), "%s: %d still alive",
			  tools[i], (int)pid);
	}
	json_decref(doc);
}
