/*
 * Programs that attack the checkers instead of fixing their bug
 * (tests/hostile/), each run through `racelab run --json` inside the
 * tests' cgroup net (net-run.h): each trick is a `tamper` diagnostic at
 * the line that plays it, and the verdict is fail. The line is the one
 * the hostile program marks with a comment ("tamper", "tamper: env"), so
 * that the test follows the file. Hostile programs that attack the
 * sandbox instead end with the right verdict and leave nothing behind.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net-run.h"
#include "racelab-json.h"

/* Builds for two or three checkers and their runs, on a loaded machine. */
TestSuite(tamper, .timeout = 180);

#define TIMEOUT 20

/* The line of hostile/name marked with the comment "/" "* mark *" "/" (mark may be "tamper: env"). */
static int marked(const char *name, const char *mark)
{
	char path[256], want[64], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "hostile/%s", name);
	snprintf(want, sizeof(want), "/* %s */", mark);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, want)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	cr_assert_fail("%s marks no line %s", path, want);
	return 0;
}

/* 1 when result r has a diagnostic of `kind` whose message contains text. */
static int has_message(json_t *r, const char *kind, const char *text)
{
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(r, "diagnostics"), i, d) {
		const char *msg = json_string_value(json_object_get(d, "message"));

		if (!strcmp(json_string_value(json_object_get(d, "kind")), kind) && msg &&
		    strstr(msg, text))
			return 1;
	}
	return 0;
}

static void run_hostile(struct net_run *nr, const char *name, const char *const *tools)
{
	char path[256];

	snprintf(path, sizeof(path), "hostile/%s", name);
	net_run_program(nr, path, TIMEOUT, tools);
	cr_expect_eq(nr->left, 0, "processes of %s outlived racelab", name);
}

/* Run hostile/name under tool alone: its result, which must be a fail. */
static json_t *fails_under(struct net_run *nr, const char *name, const char *tool)
{
	const char *tools[] = { tool, NULL };
	json_t *res;

	run_hostile(nr, name, tools);
	res = net_result(nr, tool);
	cr_expect_str_eq(status_of(res), "fail", "%s under %s: %s", name, tool, nr->out.stdout_text);
	return res;
}

/* Result res of name under tool: a fail, with a tamper at each marked line (marks NULL-terminated). */
static void expect_marks(const struct net_run *nr, json_t *res, const char *name, const char *tool,
			 const char *const *marks)
{
	cr_expect_str_eq(status_of(res), "fail", "%s under %s: %s", name, tool, nr->out.stdout_text);
	for (size_t m = 0; marks[m]; m++)
		cr_expect(has_diag(res, "tamper", name, marked(name, marks[m])),
			  "%s under %s: no tamper at the line marked %s: %s", name, tool, marks[m],
			  nr->out.stdout_text);
}

/* Under each checker of `tools`, found by the scan of that checker's build. */
static void expect_tamper_at(const char *name, const char *const *tools, const char *const *marks)
{
	struct net_run nr;

	run_hostile(&nr, name, tools);
	for (size_t t = 0; tools[t]; t++)
		expect_marks(&nr, net_result(&nr, tools[t]), name, tools[t], marks);
	net_run_clear(&nr);
}

static void expect_tamper(const char *name, const char *tool)
{
	const char *tools[] = { tool, NULL }, *marks[] = { "tamper", NULL };

	expect_tamper_at(name, tools, marks);
}

/* The sanitizers' hooks, each defined by the program. */
Test(tamper, a_default_options_hook_named_by_a_macro)
{
	expect_tamper("tsan-default-options.c", "tsan");
}

Test(tamper, asan_default_options)
{
	expect_tamper("asan-default-options.c", "asan");
}

Test(tamper, lsan_default_options)
{
	expect_tamper("lsan-default-options.c", "asan");
}

Test(tamper, ubsan_default_options)
{
	expect_tamper("ubsan-default-options.c", "asan");
}

Test(tamper, lsan_is_turned_off)
{
	expect_tamper("lsan-is-turned-off.c", "asan");
}

Test(tamper, lsan_default_suppressions)
{
	expect_tamper("lsan-suppressions.c", "asan");
}

Test(tamper, tsan_default_suppressions)
{
	expect_tamper("tsan-suppressions.c", "tsan");
}

Test(tamper, a_hook_given_its_name_by_an_assembler_label)
{
	expect_tamper("asm-label-hook.c", "tsan");
}

/*
 * A hook that no line of C and no preprocessor output names (an assembler
 * macro pastes it together): the binary's symbol table still shows it.
 */
Test(tamper, a_hook_made_by_an_assembler_macro_is_seen_in_the_binary)
{
	struct net_run nr;
	json_t *res = fails_under(&nr, "asm-macro-hook.c", "tsan");

	cr_expect(has_message(res, "tamper", "__tsan_default_options: defined by the program"),
		  "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/* Attributes and pragmas that turn a sanitizer off. */
Test(tamper, no_sanitize_behind_a_macro)
{
	expect_tamper("no-sanitize.c", "tsan");
}

Test(tamper, no_sanitize_thread_and_no_sanitize_address)
{
	const char *tools[] = { "tsan", "asan", NULL };
	const char *marks[] = { "tamper: thread", "tamper: address", NULL };

	expect_tamper_at("no-sanitize-old.c", tools, marks);
}

Test(tamper, pragma_clang_attribute_through_Pragma)
{
	expect_tamper("pragma-attribute.c", "tsan");
}

Test(tamper, disable_sanitizer_instrumentation)
{
	expect_tamper("disable-instrumentation.c", "tsan");
}

/* Annotations and client requests. */
Test(tamper, race_annotations_through_macros)
{
	const char *tools[] = { "tsan", "helgrind", NULL }, *marks[] = { "tamper", NULL };

	expect_tamper_at("annotate.c", tools, marks);
}

Test(tamper, tsan_acquire_and_release)
{
	expect_tamper("tsan-acquire.c", "tsan");
}

Test(tamper, a_helgrind_client_request)
{
	expect_tamper("valgrind-hg.c", "helgrind");
}

Test(tamper, valgrind_disable_error_reporting)
{
	expect_tamper("valgrind-no-report.c", "memcheck");
}

/*
 * Running itself again with the checker's environment changed: the scan
 * names the code, and the watch the process that runs with TSAN_OPTIONS
 * changed. The second run lives 300 ms, through several of the watch's
 * samples; one that ends within a sample is the scan's alone
 * (env-guard.h). TSan's one-second sleep at exit is no help: it sleeps
 * only while another thread is alive.
 */
static void expect_reexec(const char *name, const char *const *marks)
{
	const char *tools[] = { "tsan", NULL };
	struct net_run nr;
	json_t *res;

	run_hostile(&nr, name, tools);
	res = net_result(&nr, "tsan");
	expect_marks(&nr, res, name, "tsan", marks);
	cr_expect(has_message(res, "tamper", "runs with TSAN_OPTIONS changed"), "%s: %s", name,
		  nr.out.stdout_text);
	net_run_clear(&nr);
}

Test(tamper, reexec_through_proc_self_exe_with_tsan_options)
{
	const char *marks[] = { "tamper: env", "tamper: exec", NULL };

	expect_reexec("reexec-proc-self.c", marks);
}

Test(tamper, reexec_of_argv0_with_a_name_built_at_run_time)
{
	const char *marks[] = { "tamper", NULL };

	expect_reexec("reexec-argv0.c", marks);
}

/* Opening the checkers' reports by name, to forge one under its own pid before the checker writes. */
Test(tamper, a_path_into_the_checkers_reports)
{
	expect_tamper("log-forge.c", "tsan");
}

/*
 * Rewriting Valgrind's XML report through the descriptor Valgrind leaves
 * open: the forged document holds no error, but Valgrind still exits
 * with the status that says it reported some. Never a clean verdict:
 * racelab cannot read the report, and says so (an error, counted as a
 * fail by every summary and grader).
 */
Test(tamper, a_valgrind_report_rewritten_through_its_inherited_descriptor)
{
	const char *tools[] = { "helgrind", "drd", NULL };
	struct net_run nr;

	run_hostile(&nr, "valgrind-log-rewind.c", tools);
	for (size_t t = 0; tools[t]; t++) {
		json_t *res = net_result(&nr, tools[t]);
		const char *reason = json_string_value(json_object_get(res, "reason"));

		cr_expect_str_eq(status_of(res), "error", "%s: %s", tools[t], nr.out.stdout_text);
		cr_expect(reason && strstr(reason, "could not read"), "%s: %s", tools[t],
			  nr.out.stdout_text);
	}
	cr_expect_neq(nr.out.code, 0, "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/*
 * A sanitizer's report lives in the program's own process, which can
 * write it: forged in place (rewound through the runtime's descriptor,
 * or an exit line written by a name made at run time) and followed by an
 * exit_group, it fools TSan and ASan (docs/security.md, "What racelab
 * does not hold": the test says so too, and must change with the page).
 * The checkers that grading runs beside them, whose reports the program
 * cannot forge, still find the bug.
 */
Test(tamper, a_sanitizer_report_forged_in_place_is_caught_under_valgrind)
{
	const char *race_tools[] = { "tsan", "helgrind", "drd", NULL };
	const char *leak_tools[] = { "asan", "memcheck", NULL };
	struct net_run nr;

	run_hostile(&nr, "tsan-log-rewind.c", race_tools);
	/* What security.md says racelab does not hold: TSan alone is fooled. */
	cr_expect_str_eq(status_of(net_result(&nr, "tsan")), "pass", "%s", nr.out.stdout_text);
	for (size_t t = 1; race_tools[t]; t++) {
		json_t *res = net_result(&nr, race_tools[t]);

		cr_expect_str_eq(status_of(res), "fail", "%s: %s", race_tools[t], nr.out.stdout_text);
		cr_expect(has_diag(res, "data-race", NULL, 0), "%s: %s", race_tools[t],
			  nr.out.stdout_text);
	}
	net_run_clear(&nr);

	run_hostile(&nr, "asan-stats-forge.c", leak_tools);
	cr_expect_str_eq(status_of(net_result(&nr, "asan")), "pass", "%s", nr.out.stdout_text);
	cr_expect_str_eq(status_of(net_result(&nr, "memcheck")), "fail", "%s", nr.out.stdout_text);
	cr_expect(has_diag(net_result(&nr, "memcheck"), "memory-leak", NULL, 0), "%s",
		  nr.out.stdout_text);
	net_run_clear(&nr);
}

/*
 * A program that tells a checker's run from a plain one, by names built
 * at run time, and races only when no checker looks: every checker is
 * clean (docs/security.md, "What racelab does not hold"; this test says
 * so too, and must change with the page). Only what the race does to
 * the output (lab.ini's oracle, its cases, noise) can show it.
 */
Test(tamper, a_program_that_races_only_unchecked_is_not_found)
{
	const char *tools[] = { "tsan", "helgrind", NULL };
	struct net_run nr;

	run_hostile(&nr, "cloak.c", tools);
	for (size_t t = 0; tools[t]; t++)
		cr_expect_str_eq(status_of(net_result(&nr, tools[t])), "pass", "%s: %s", tools[t],
				 nr.out.stdout_text);
	net_run_clear(&nr);
}

/*
 * The concurrency probe's observer writes its notes from inside the
 * program's process, into a file the program may append to: a line of
 * its own ("every worker alive at once") lacks the run's key, which the
 * observer took out of the environment before the program's code ran,
 * and is not read. 01 fixed by taking turns stays a `serialized`, as
 * without the line (tests/wrongfix/01-join-each.patch).
 */
Test(tamper, a_forged_observer_note_does_not_hide_a_serialized_fix)
{
	const char *argv[] = { "racelab", "check", "--json", "--tool", "native", "1", NULL };
	char *root = test_tmpl("forge"), *cmd, *cwd = getcwd(NULL, 0);
	struct net_run nr;
	json_t *r;
	size_t i, n = 0;

	cr_assert_not_null(mkdtemp(root));
	cr_assert_geq(asprintf(&cmd, "set -e; cd %s; mkdir exercises; cp -r %s/../include .; "
			       "cp -r %s/../exercises/01-counter-race exercises/; "
			       "cp %s/hostile/observer-forge.c exercises/01-counter-race/counter.c",
			       root, cwd, cwd, cwd), 0);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	net_run_in(&nr, root, argv);
	json_array_foreach(json_object_get(nr.doc, "results"), i, r) {
		cr_expect_str_eq(status_of(r), "fail", "%s", nr.out.stdout_text);
		cr_expect(has_diag(r, "serialized", NULL, 0), "%s", nr.out.stdout_text);
		n++;
	}
	cr_expect_geq(n, 2, "01's own run and its cases: %s", nr.out.stdout_text);
	cr_expect_eq(nr.left, 0);
	net_run_clear(&nr);
	free(cmd);
	free(cwd);
}

/*
 * Leaving without the exit handlers, where LeakSanitizer checks: a tamper
 * under ASan, by each of the four ways out.
 */
Test(tamper, leaving_without_the_exit_handlers_skips_the_leak_check)
{
	const char *how[] = { "_exit", "_Exit", "quick_exit", "exit_group" };

	for (size_t i = 0; i < sizeof(how) / sizeof(*how); i++) {
		const char *argv[] = { "racelab", "run", "--json", "--tool", "asan",
				       "hostile/exit-skip.c", "--", how[i], NULL };
		struct net_run nr;
		json_t *res;

		net_run(&nr, argv);
		res = net_result(&nr, "asan");
		cr_expect_str_eq(status_of(res), "fail", "%s: %s", how[i], nr.out.stdout_text);
		cr_expect(has_message(res, "tamper", "without running its exit handlers"), "%s: %s",
			  how[i], nr.out.stdout_text);
		net_run_clear(&nr);
	}
}

/* The same program leaving through return: its leak is found, and no tamper. */
Test(tamper, the_same_leak_left_through_return_is_found_without_tamper)
{
	struct net_run nr;
	json_t *res = fails_under(&nr, "exit-skip.c", "asan");

	cr_expect(has_diag(res, "memory-leak", NULL, 0), "%s", nr.out.stdout_text);
	cr_expect(!has_diag(res, "tamper", NULL, 0), "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/* A forked child's _exit is how a child should end: no tamper, under any checker of it. */
Test(tamper, a_forked_child_that_calls_underscore_exit_is_no_tamper)
{
	const char *tools[] = { "asan", "native", NULL };
	struct net_run nr;

	run_hostile(&nr, "fork-child-exit.c", tools);
	for (size_t t = 0; tools[t]; t++) {
		json_t *res = net_result(&nr, tools[t]);

		cr_expect_str_eq(status_of(res), "pass", "%s: %s", tools[t], nr.out.stdout_text);
		cr_expect_eq(ndiags(res), 0, "%s: %s", tools[t], nr.out.stdout_text);
	}
	net_run_clear(&nr);
}

/* Attacks on the sandbox: each ends with its verdict, and nothing of the run is left. */

/*
 * A program racelab must stop at its timeout (3 s): the result, once the
 * run ended within a second of it with nothing of it left.
 */
static json_t *stopped_at_timeout(struct net_run *nr, const char *file)
{
	const char *argv[] = { "racelab", "run", "--json", "--timeout", "3", "--tool", "native",
			       file, NULL };
	json_t *res;

	net_run(nr, argv);
	res = net_result(nr, "native");
	cr_expect_eq(nr->left, 0, "processes of %s outlived racelab", file);
	cr_expect_str_eq(status_of(res), "fail", "%s", file);
	cr_expect(json_is_string(json_object_get(json_object_get(res, "exit"), "hang")), "%s", file);
	cr_expect_leq(json_integer_value(json_object_get(json_object_get(res, "exit"),
							 "hang_after_ms")), 3000 + 1000, "%s", file);
	return res;
}

/* SIGTERM ignored by the program and its children: the run still ends at its timeout. */
Test(tamper, a_sigterm_ignorer_ends_at_the_timeout)
{
	struct net_run nr;

	stopped_at_timeout(&nr, "hostile/sigterm-ignorer.c");
	net_run_clear(&nr);
}

/* A daemon made the old way (fork, setsid, fork, SIGTERM and SIGHUP ignored): an orphan, killed. */
Test(tamper, a_setsid_daemon_is_an_orphan_and_dies_with_the_run)
{
	struct net_run nr;
	json_t *res = fails_under(&nr, "setsid-escape.c", "native");

	cr_expect(has_diag(res, "orphan", NULL, 0), "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/* Filling the run's folder: its tmpfs refuses at its cap, named; the machine's disk is untouched. */
Test(tamper, a_disk_filler_reaches_the_run_folder_cap)
{
	struct net_run nr;
	json_t *res = fails_under(&nr, "disk-filler.c", "native");

	cr_expect(has_message(res, "resource-limit", "the working directory is full"), "%s",
		  nr.out.stdout_text);
	net_run_clear(&nr);
}

/*
 * One endless line of output: the first megabyte kept, the rest counted,
 * the run stopped at its timeout. Its output is not shown: the JSON holds
 * a megabyte of it.
 */
Test(tamper, a_flood_without_newlines_is_capped)
{
	struct net_run nr;
	json_t *res = stopped_at_timeout(&nr, "hostile/flood-no-newline.c");

	cr_expect(has_message(res, "resource-limit", "stdout"), "no resource-limit for stdout");
	net_run_clear(&nr);
}
