/*
 * lab.ini parsing (harness/lab.c): a complete valid file, every class of
 * error with its "PATH:LINE:" prefix, and the expectation grammar.
 * Fixtures are under tests/fixtures/lab/; tests run from tests/.
 */
#include <criterion/criterion.h>

#include "lab.h"
#include "tools.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>

#define FIX "fixtures/lab/"

static struct lab lab;
static struct strbuf err = STRBUF_INIT;

static void teardown(void)
{
	lab_release(&lab);
	strbuf_release(&err);
}

TestSuite(lab, .fini = teardown);

static int tool_index(const char *name)
{
	const struct tool *t = tool_find(name);

	cr_assert_not_null(t, "no checker %s", name);
	return (int)(t - tools);
}

static const struct expectation *buggy(const char *tool)
{
	return &lab.buggy[tool_index(tool)];
}

static const struct expectation *fixed(const char *tool)
{
	return &lab.fixed[tool_index(tool)];
}

static void assert_format(const struct expectation *e, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	expect_format(e, &sb);
	cr_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
}

static void assert_item(const struct expect_item *it, const char *kind, int optional,
			const char *file, const char *function, int line)
{
	cr_assert_str_eq(it->kind, kind);
	cr_assert_eq(it->optional, optional, "%s optional", kind);
	if (!file) {
		cr_assert_null(it->file);
		cr_assert_null(it->function);
		cr_assert_eq(it->line, 0);
		return;
	}
	cr_assert_str_eq(it->file, file);
	if (function)
		cr_assert_str_eq(it->function, function);
	else
		cr_assert_null(it->function);
	cr_assert_eq(it->line, line);
}

static void assert_words(const struct strvec *sv, const char *const *want, size_t n)
{
	cr_assert_eq(sv->n, n, "got %zu words, want %zu", sv->n, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(sv->v[i], want[i]);
}

/* The whole err text must be exactly these lines. */
static void assert_errors(const char *want)
{
	cr_assert_str_eq(err.buf, want);
}

static void load_fails(const char *name)
{
	cr_assert_eq(lab_load(name, &lab, &err), -1, "%s loaded", name);
}

Test(lab, full_file_every_key)
{
	static const char *const sources[] = { "counter.c", "util.c" };
	static const char *const args[] = { "4", "100000" };
	static const char *const cflags[] = { "-DSHARED=1", "-Wno-unused" };
	static const char *const requires[] = { "sched-fifo" };
	const struct expectation *e;

	cr_assert_eq(lab_load(FIX "full.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_str_empty(err.buf);
	cr_assert_str_eq(lab.path, FIX "full.ini");
	cr_assert_str_eq(lab.title, "Lost updates on a shared counter");
	cr_assert_str_eq(lab.klass, "data-race");
	assert_words(&lab.sources, sources, 2);
	assert_words(&lab.args, args, 2);
	assert_words(&lab.cflags, cflags, 2);
	assert_words(&lab.requires, requires, 1);
	cr_assert_eq(lab.timeout_s, 20);
	cr_assert_eq(lab.stall_ms, 2500);
	cr_assert_eq(lab.points, 15);
	cr_assert_eq(lab.partial_per_checker, 1);

	cr_assert_str_eq(lab.oracle.stdout_re, "^counter = [0-9]+$");
	cr_assert_eq(lab.oracle.has_exit, 1);
	cr_assert_eq(lab.oracle.exit_code, 3);
	cr_assert_eq(lab.oracle.threads, 4);

	e = buggy("native");
	cr_assert_eq(e->type, EXPECT_KINDS);
	cr_assert_eq(e->n, 1);
	assert_item(&e->items[0], "wrong-output", 1, NULL, NULL, 0);

	e = buggy("tsan");
	cr_assert_eq(e->type, EXPECT_KINDS);
	cr_assert_eq(e->n, 2);
	assert_item(&e->items[0], "data-race", 0, "counter.c", "worker", 0);
	assert_item(&e->items[1], "thread-leak", 1, NULL, NULL, 0);

	cr_assert_eq(buggy("asan")->type, EXPECT_CLEAN);

	/* items separated by a blank only */
	e = buggy("helgrind");
	cr_assert_eq(e->n, 2);
	assert_item(&e->items[0], "data-race", 0, "counter.c", NULL, 14);
	assert_item(&e->items[1], "data-race", 0, "util.c", "bump", 0);

	e = buggy("drd");
	cr_assert_eq(e->type, EXPECT_SKIP);
	cr_assert_str_eq(e->reason, "too slow for the grader");
	e = buggy("memcheck");
	cr_assert_eq(e->type, EXPECT_SKIP);
	cr_assert_null(e->reason);
	e = buggy("noise");
	cr_assert_eq(e->n, 1);
	assert_item(&e->items[0], "wrong-output", 0, "counter.c", "main", 0);

	cr_assert_eq(lab.has_fixed, 1);
	cr_assert_eq(fixed("native")->type, EXPECT_CLEAN);
	cr_assert_eq(fixed("tsan")->type, EXPECT_CLEAN);
	cr_assert_eq(fixed("asan")->type, EXPECT_UNSET);
	cr_assert_eq(fixed("drd")->type, EXPECT_UNSET);
	e = fixed("helgrind");
	cr_assert_eq(e->n, 1);
	assert_item(&e->items[0], "data-race", 1, "counter.c", "worker", 0);
	e = fixed("memcheck");
	cr_assert_eq(e->n, 2);
	assert_item(&e->items[0], "memory-leak", 1, NULL, NULL, 0);
	assert_item(&e->items[1], "fd-leak", 0, NULL, NULL, 0);
	cr_assert_eq(fixed("noise")->type, EXPECT_CLEAN);
}

Test(lab, defaults)
{
	cr_assert_eq(lab_load(FIX "minimal.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_eq(lab.timeout_s, 10);
	cr_assert_eq(lab.stall_ms, DEFAULT_STALL_MS);
	cr_assert_eq(lab.points, 10);
	cr_assert_eq(lab.partial_per_checker, 0, "all or nothing by default");
	cr_assert_null(lab.title);
	cr_assert_null(lab.klass);
	cr_assert_eq(lab.args.n, 0);
	cr_assert_eq(lab.cflags.n, 0);
	cr_assert_eq(lab.requires.n, 0);
	cr_assert_null(lab.oracle.stdout_re);
	cr_assert_eq(lab.oracle.has_exit, 0);
	cr_assert_eq(lab.oracle.threads, 0);
	cr_assert_eq(lab.has_fixed, 0);
	for (int i = 0; i < NTOOLS; i++) {
		cr_assert_eq(lab.buggy[i].type, EXPECT_UNSET);
		cr_assert_eq(lab.fixed[i].type, EXPECT_UNSET);
	}
}

Test(lab, empty_fixed_section_is_seen)
{
	cr_assert_eq(lab_load(FIX "empty-fixed.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_eq(lab.has_fixed, 1);
	cr_assert_eq(buggy("tsan")->type, EXPECT_KINDS);
	cr_assert_eq(fixed("tsan")->type, EXPECT_UNSET);
}

Test(lab, continuation_lines_extend_lists)
{
	static const char *const sources[] = { "server.c", "client.c" };
	static const char *const args[] = { "--port", "{port}" };

	cr_assert_eq(lab_load(FIX "continued.ini", &lab, &err), 0, "%s", err.buf);
	assert_words(&lab.sources, sources, 2);
	assert_words(&lab.args, args, 2);
	assert_format(buggy("tsan"), "data-race @ server.c:accept_loop, lock-order-inversion?");
}

Test(lab, crlf_and_bom)
{
	cr_assert_eq(lab_load(FIX "crlf-bom.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_str_eq(lab.sources.v[0], "main.c");
	cr_assert_eq(lab.timeout_s, 7);
	cr_assert_eq(buggy("tsan")->type, EXPECT_CLEAN);
}

Test(lab, missing_file)
{
	load_fails(FIX "does-not-exist.ini");
	assert_errors(FIX "does-not-exist.ini: cannot read: No such file or directory\n");
}

Test(lab, unknown_section)
{
	load_fails(FIX "unknown-section.ini");
	/* reported once at the header, even when it has no keys; its keys are ignored */
	assert_errors(FIX "unknown-section.ini:4: unknown section [hints] (known: [exercise], [oracle], [buggy], [fixed], [program NAME], [case NAME])\n"
		      FIX "unknown-section.ini:7: unknown section [bugy] (known: [exercise], [oracle], [buggy], [fixed], [program NAME], [case NAME])\n");
}

Test(lab, unknown_key)
{
	load_fails(FIX "unknown-key.ini");
	assert_errors(FIX "unknown-key.ini:3: [exercise] unknown key 'titel' (known: title, class, sources, args, timeout, stall, cflags, points, partial, requires)\n"
		      FIX "unknown-key.ini:5: [oracle] unknown key 'stderr' (known: stdout, count, exit, threads, concurrent)\n");
}

Test(lab, duplicate_key)
{
	load_fails(FIX "duplicate-key.ini");
	assert_errors(FIX "duplicate-key.ini:4: [exercise] duplicate key 'timeout' (first at line 3)\n"
		      FIX "duplicate-key.ini:7: [buggy] duplicate key 'tsan' (first at line 6)\n");
}

Test(lab, bad_numbers)
{
	load_fails(FIX "bad-number.ini");
	assert_errors(FIX "bad-number.ini:3: [exercise] timeout: '0' is not a whole number from 1 to 3600\n"
		      FIX "bad-number.ini:4: [exercise] stall: 'fast' is not a whole number from 100 to 60000\n"
		      FIX "bad-number.ini:5: [exercise] points: '-1' is not a whole number from 0 to 1000000\n"
		      FIX "bad-number.ini:7: [oracle] exit: '256' is not a whole number from 0 to 255\n"
		      FIX "bad-number.ini:8: [oracle] threads: '0' is not a whole number of at least 1\n");
}

Test(lab, partial_is_none_or_per_checker)
{
	load_fails(FIX "bad-partial.ini");
	assert_errors(FIX "bad-partial.ini:3: [exercise] partial: 'half' is not none or per-checker\n");
}

Test(lab, bad_regex_reports_regerror)
{
	const char *re = "^counter = (4+$";
	struct strbuf want = STRBUF_INIT;
	char msg[256];
	regex_t r;
	int rc = regcomp(&r, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);

	/* the C library's own words, whatever its version says */
	cr_assert_neq(rc, 0);
	regerror(rc, &r, msg, sizeof(msg));
	strbuf_addf(&want, FIX "bad-regex.ini:5: [oracle] stdout: bad regular expression '%s': %s\n",
		    re, msg);
	load_fails(FIX "bad-regex.ini");
	assert_errors(want.buf);
	cr_assert_null(lab.oracle.stdout_re);
	strbuf_release(&want);
}

Test(lab, regex_split_over_lines)
{
	load_fails(FIX "split-regex.ini");
	assert_errors(FIX "split-regex.ini:4: [oracle] stdout: the regular expression must be on one line\n");
}

Test(lab, unknown_kind)
{
	load_fails(FIX "unknown-kind.ini");
	assert_errors(FIX "unknown-kind.ini:2: [exercise] class: unknown kind 'data-rase'\n"
		      FIX "unknown-kind.ini:5: [buggy] tsan: unknown kind 'use-after-free'\n");
}

Test(lab, unknown_checker)
{
	load_fails(FIX "unknown-checker.ini");
	assert_errors(FIX "unknown-checker.ini:4: [buggy] unknown checker 'valgrind' (known: native, tsan, asan, helgrind, drd, memcheck, noise)\n"
		      FIX "unknown-checker.ini:6: [fixed] unknown checker 'TSan' (known: native, tsan, asan, helgrind, drd, memcheck, noise)\n");
}

Test(lab, missing_sources)
{
	load_fails(FIX "no-sources.ini");
	/* pointed at the [exercise] header */
	assert_errors(FIX "no-sources.ini:2: [exercise] has no 'sources' (the files a student edits)\n");
}

Test(lab, missing_exercise_section)
{
	load_fails(FIX "no-exercise.ini");
	assert_errors(FIX "no-exercise.ini:1: no [exercise] section: it must name the sources\n");
}

Test(lab, bad_sources_and_requires)
{
	load_fails(FIX "bad-sources.ini");
	assert_errors(FIX "bad-sources.ini:2: [exercise] sources: '../secret.c' must be a plain file name (no '/' or '..')\n"
		      FIX "bad-sources.ini:2: [exercise] sources: 'lib/util.c' must be a plain file name (no '/' or '..')\n"
		      FIX "bad-sources.ini:2: [exercise] sources: 'main.c' is listed twice\n"
		      FIX "bad-sources.ini:3: [exercise] requires: unknown requirement 'root' (known: sched-fifo)\n");
}

Test(lab, syntax_errors)
{
	load_fails(FIX "syntax.ini");
	/* the "sources" under the broken header belongs to no section: not a duplicate */
	assert_errors(FIX "syntax.ini:1: 'orphan' is outside any section (start with [exercise])\n"
		      FIX "syntax.ini:2: missing ']' in section header\n"
		      FIX "syntax.ini:6: expected 'key = value' or '[section]'\n");
}

Test(lab, line_too_long)
{
	load_fails(FIX "long-line.ini");
	cr_assert(strstr(err.buf, FIX "long-line.ini:3: line too long (at most "), "%s", err.buf);
	/* the rest of the file is still read */
	cr_assert_eq(lab.timeout_s, 5);
	cr_assert_eq(strchr(err.buf, '\n'), err.buf + err.len - 1, "one problem: %s", err.buf);
}

Test(lab, malformed_expectations)
{
	load_fails(FIX "bad-expect.ini");
	assert_errors(FIX "bad-expect.ini:4: [buggy] native: empty expectation: write clean, skip or a list of kinds\n"
		      FIX "bad-expect.ini:5: [buggy] tsan: '@' after 'data-race' must be followed by file:function or file:line\n"
		      FIX "bad-expect.ini:6: [buggy] asan: 'main.c' is not file:function or file:line\n"
		      FIX "bad-expect.ini:7: [buggy] helgrind: 'main.c:12a': '12a' is neither a function name nor a line number\n"
		      FIX "bad-expect.ini:8: [buggy] drd: nothing may follow 'clean'\n"
		      FIX "bad-expect.ini:9: [buggy] memcheck: expected a kind after the last ','\n"
		      FIX "bad-expect.ini:11: [fixed] native: nothing may follow 'clean'\n"
		      FIX "bad-expect.ini:12: [fixed] tsan: 'main.c:0': the line must be a number of at least 1\n"
		      FIX "bad-expect.ini:13: [fixed] asan: expected a kind, found ','\n"
		      FIX "bad-expect.ini:14: [fixed] helgrind: 'data-race' has more than one '@ place'\n");
	/* a failed expectation is left unset, never half-parsed */
	for (int i = 0; i < NTOOLS; i++) {
		cr_assert_eq(lab.buggy[i].type, EXPECT_UNSET);
		cr_assert_null(lab.buggy[i].items);
	}
}

Test(lab, many_errors_in_file_order)
{
	load_fails(FIX "many.ini");
	assert_errors(FIX "many.ini:1: [exercise] has no 'sources' (the files a student edits)\n"
		      FIX "many.ini:2: [exercise] class: unknown kind 'race'\n"
		      FIX "many.ini:3: [exercise] timeout: '99999' is not a whole number from 1 to 3600\n"
		      FIX "many.ini:5: [oracle] stdout: bad regular expression '[z-a]': Invalid range end\n"
		      FIX "many.ini:7: [buggy] tsan: 'counter.c' is not file:function or file:line\n"
		      FIX "many.ini:8: [buggy] unknown checker 'gdb' (known: native, tsan, asan, helgrind, drd, memcheck, noise)\n"
		      FIX "many.ini:9: unknown section [extra] (known: [exercise], [oracle], [buggy], [fixed], [program NAME], [case NAME])\n");
}

Test(lab, release_twice_and_after_failure)
{
	load_fails(FIX "many.ini");
	lab_release(&lab);
	lab_release(&lab);
	cr_assert_null(lab.path);
	cr_assert_eq(lab.sources.n, 0);
}

Test(lab, programs_of_a_multi_program_exercise)
{
	const char *ssrc[] = { "serv.c", "common.c" }, *sargs[] = { "--port", "{port}" };
	const char *csrc[] = { "cli.c", "common.c" }, *cargs[] = { "127.0.0.1", "{port}" };
	const char *cenv[] = { "DELAY_MS=1-50", "TARGET=127.0.0.1:{port}" };
	const struct program *s, *c;

	cr_assert_eq(lab_load(FIX "programs.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_eq(lab.nprograms, 2);
	s = &lab.programs[0];
	c = &lab.programs[1];
	cr_assert_str_eq(s->name, "server");
	cr_assert_eq(s->role, ROLE_SERVER);
	cr_assert_eq(s->checked, 1, "programs are checked unless they say no");
	assert_words(&s->sources, ssrc, 2);
	assert_words(&s->args, sargs, 2);
	cr_assert_eq(s->env.n, 0);
	cr_assert_null(s->oracle.stdout_re);
	cr_assert_eq(s->oracle.threads, 8);
	cr_assert_str_eq(c->name, "client");
	cr_assert_eq(c->role, ROLE_CLIENT);
	cr_assert_eq(c->checked, 0);
	assert_words(&c->sources, csrc, 2);
	assert_words(&c->args, cargs, 2);
	assert_words(&c->env, cenv, 2);
	cr_assert_str_eq(c->oracle.stdout_re, "^client [0-9]+: ACK");
	cr_assert_eq(c->oracle.count, 8);
	cr_assert_eq(c->oracle.has_exit, 1);
	cr_assert_eq(c->oracle.exit_code, 0);
	/* the exercise's own oracle and args stay empty */
	cr_assert_null(lab.oracle.stdout_re);
	cr_assert_eq(lab.args.n, 0);
	assert_format(buggy("tsan"), "data-race @ serv.c:handle, fd-leak");
}

Test(lab, program_sections_are_checked)
{
	load_fails(FIX "bad-programs.ini");
	assert_errors(FIX "bad-programs.ini:2: [exercise] sources: 'extra.c' is not in any [program]'s sources\n"
		      FIX "bad-programs.ini:3: [exercise] args: with [program] sections each program has its own args\n"
		      FIX "bad-programs.ini:5: [oracle]: with [program] sections each program has its own stdout, count and exit\n"
		      FIX "bad-programs.ini:8: [program server] has no 'role' (server or client)\n"
		      FIX "bad-programs.ini:8: [program] sections: at least one must have role = client (the run ends when the clients end)\n"
		      FIX "bad-programs.ini:11: [program server] role: 'master' is neither server nor client\n"
		      FIX "bad-programs.ini:12: [program server] checked: 'maybe' is not yes or no\n"
		      FIX "bad-programs.ini:13: [program server] unknown key 'stderr' (known: sources, args, env, role, checked, stdout, count, exit, threads, concurrent)\n"
		      FIX "bad-programs.ini:15: section [program server] appears twice (first at line 8)\n"
		      FIX "bad-programs.ini:18: [program NAME] needs a name of letters, digits, '-' or '_' (e.g. [program server])\n"
		      FIX "bad-programs.ini:21: [program helper] has no 'sources'\n"
		      FIX "bad-programs.ini:22: [program helper] env: 'NOEQUALS' is not NAME=value\n"
		      FIX "bad-programs.ini:22: [program helper] env: '=nothing' is not NAME=value\n"
		      FIX "bad-programs.ini:22: [program helper] env: TSAN_OPTIONS is set by racelab for every run\n");
}

Test(lab, programs_need_a_client_one_server_and_a_checked_program)
{
	load_fails(FIX "no-client.ini");
	/* problems of the set as a whole point at its first [program] */
	assert_errors(FIX "no-client.ini:4: [program] sections: at least one must have role = client (the run ends when the clients end)\n"
		      FIX "no-client.ini:4: [program] sections: at most one server (one {port} per run)\n"
		      FIX "no-client.ini:4: [program] sections: every program says checked = no; nothing would run under the checkers\n"
		      FIX "no-client.ini:9: [program a] threads: only a checked program's threads are counted (its native run is observed)\n"
		      FIX "no-client.ini:11: [program b] is a server but neither its args nor its env mention {port}: racelab could not tell when it listens\n");
}

Test(lab, duplicate_section)
{
	load_fails(FIX "duplicate-section.ini");
	assert_errors(FIX "duplicate-section.ini:5: section [buggy] appears twice (first at line 3)\n");
}

/* ---- the expectation grammar on its own ---- */

static struct expectation ex;

static void expect_teardown(void)
{
	expect_release(&ex);
	strbuf_release(&err);
}

TestSuite(expect, .fini = expect_teardown);

static void round_trip(const char *in, const char *canonical)
{
	struct strbuf out = STRBUF_INIT;
	struct expectation again;

	cr_assert_eq(expect_parse(in, &ex, &err), 0, "'%s': %s", in, err.buf);
	expect_format(&ex, &out);
	cr_assert_str_eq(out.buf, canonical, "'%s'", in);
	/* the canonical form reads back to itself */
	cr_assert_eq(expect_parse(out.buf, &again, &err), 0, "%s", err.buf);
	strbuf_reset(&out);
	expect_format(&again, &out);
	cr_assert_str_eq(out.buf, canonical);
	expect_release(&again);
	expect_release(&ex);
	strbuf_release(&out);
}

Test(expect, round_trip)
{
	round_trip("clean", "clean");
	round_trip("  clean  ", "clean");
	round_trip("skip", "skip");
	round_trip("skip   needs SCHED_FIFO,  root ", "skip needs SCHED_FIFO,  root");
	round_trip("data-race", "data-race");
	round_trip("wrong-output?", "wrong-output?");
	round_trip("data-race @ counter.c:worker", "data-race @ counter.c:worker");
	round_trip("data-race@counter.c:worker,wrong-output?", "data-race @ counter.c:worker, wrong-output?");
	round_trip("data-race @ counter.c:14 thread-leak? @ main.c:main",
		   "data-race @ counter.c:14, thread-leak? @ main.c:main");
	round_trip("deadlock\tlivelock?", "deadlock, livelock?");
	round_trip("heap-use-after-free @ lib/list.c:list_pop",
		   "heap-use-after-free @ lib/list.c:list_pop");
}

Test(expect, parsed_fields)
{
	cr_assert_eq(expect_parse("data-race? @ a.c:7, crash", &ex, &err), 0, "%s", err.buf);
	cr_assert_eq(ex.type, EXPECT_KINDS);
	cr_assert_eq(ex.n, 2);
	assert_item(&ex.items[0], "data-race", 1, "a.c", NULL, 7);
	assert_item(&ex.items[1], "crash", 0, NULL, NULL, 0);
}

Test(expect, errors_leave_it_unset)
{
	static const char *const bad[] = {
		"", "clean data-race", "data-race, clean", "data-race skip",
		"data-race @", "@ a.c:1", "data-race @ a.c", "data-race @ :worker",
		"data-race @ a.c:", "data-race @ a.c:1x", "data-race @ a.c:-3",
		"data-race?? ", "?", "data-race,,crash", "data-race,",
		"data-race @ a.c:f @ a.c:g", "data race",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		strbuf_reset(&err);
		cr_assert_eq(expect_parse(bad[i], &ex, &err), -1, "'%s' parsed", bad[i]);
		cr_assert_str_not_empty(err.buf, "'%s' without a message", bad[i]);
		cr_assert_eq(ex.type, EXPECT_UNSET, "'%s'", bad[i]);
		cr_assert_eq(ex.n, 0);
		cr_assert_null(ex.items);
	}
}

Test(expect, unset_formats_as_nothing)
{
	struct expectation e = { 0 };

	assert_format(&e, "");
}

/* ---- [case NAME]: more runs with other inputs ---- */

static int mask_of(const char *names)
{
	int m = 0;
	char buf[64], *save, *w;

	snprintf(buf, sizeof(buf), "%s", names);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		m |= 1 << tool_index(w);
	return m;
}

Test(lab, a_case_replaces_only_what_it_sets)
{
	static const char *const three[] = { "3" }, *const two[] = { "2" };
	static const char *const env[] = { "JOBS_VERBOSE=1" };
	const struct lab_case *c;

	cr_assert_eq(lab_load(FIX "cases.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_eq(lab.ncases, 2);
	c = &lab.cases[0];
	cr_assert_str_eq(c->name, "three");
	cr_assert_eq(c->hidden, 0);
	cr_assert_eq(c->tool_mask, mask_of("native noise"), "a case runs natively and under noise");
	assert_words(&c->progs[0].args, three, 1);
	cr_assert_str_eq(c->progs[0].oracle.stdout_re, "^handled jobs 1, 2 and 3$");
	cr_assert_eq(c->progs[0].oracle.threads, 3);
	cr_assert(c->progs[0].oracle.has_exit && c->progs[0].oracle.exit_code == 0,
		  "the exit status is [oracle]'s");
	cr_assert_null(c->progs[0].stdin_path);

	c = &lab.cases[1];
	cr_assert_str_eq(c->name, "from-input");
	cr_assert_eq(c->hidden, 1);
	cr_assert_eq(c->tool_mask, mask_of("native tsan noise"));
	assert_words(&c->progs[0].args, two, 1);
	assert_words(&c->progs[0].env, env, 1);
	cr_assert_str_eq(c->progs[0].oracle.stdout_re, "^handled jobs 1 and 2$");
	cr_assert_not_null(c->progs[0].stdin_path);
	cr_assert_eq(c->progs[0].stdin_path[0], '/', "read beside lab.ini, by absolute path");
	cr_assert(strstr(c->progs[0].stdin_path, "/fixtures/lab/cases-input.txt"),
		  "%s", c->progs[0].stdin_path);
	/* the exercise's own run is untouched */
	assert_words(&lab.args, two, 1);
	cr_assert_eq(lab.oracle.threads, 2);
}

Test(lab, a_case_of_several_programs_names_each_key_s_program)
{
	static const char *const sargs[] = { "{port}" }, *const cenv[] = { "DELAY=1", "CLIENTS=4" };
	const struct lab_case *c;

	cr_assert_eq(lab_load(FIX "cases-programs.ini", &lab, &err), 0, "%s", err.buf);
	cr_assert_eq(lab.ncases, 1);
	c = &lab.cases[0];
	assert_words(&c->progs[0].args, sargs, 1);
	cr_assert_eq(c->progs[0].oracle.concurrent, 4);
	assert_words(&c->progs[1].env, cenv, 2);
	cr_assert_eq(c->progs[1].oracle.count, 4);
	cr_assert_str_eq(c->progs[1].oracle.stdout_re, "^ACK");
	cr_assert_eq(lab.programs[1].oracle.count, 8, "the program's own oracle is untouched");
}

Test(lab, case_sections_are_checked)
{
	load_fails(FIX "bad-cases.ini");
	assert_errors(FIX "bad-cases.ini:4: [case default] is the exercise's own run: name the case otherwise\n"
		      FIX "bad-cases.ini:9: [case one] hidden: 'perhaps' is not yes or no\n"
		      FIX "bad-cases.ini:10: [case one] tools: unknown checker 'valgrind'\n"
		      FIX "bad-cases.ini:11: [case one] stdin: '../secret.txt' must be a plain file name beside lab.ini\n"
		      FIX "bad-cases.ini:12: [case one] count: 'many' is not a whole number of at least 1\n"
		      FIX "bad-cases.ini:13: [case one] server.args: this exercise has one program; write 'args'\n"
		      FIX "bad-cases.ini:15: section [case one] appears twice (first at line 7)\n"
		      FIX "bad-cases.ini:18: [case nothing] runs the program as the exercise does: set its args, env or stdin\n"
		      FIX "bad-cases.ini:21: [case NAME] needs a name of letters, digits, '-' or '_' (e.g. [case three-jobs])\n");
}

Test(lab, case_keys_of_several_programs_are_checked)
{
	load_fails(FIX "bad-cases-programs.ini");
	assert_errors(FIX "bad-cases-programs.ini:14: [case plain] server: a server's args or env must keep {port}\n"
		      FIX "bad-cases-programs.ini:15: [case plain] args: name the program, e.g. 'server.args'\n"
		      FIX "bad-cases-programs.ini:17: [case plain] client.threads: only a checked program's workers are counted\n"
		      FIX "bad-cases-programs.ini:18: [case plain] helper.args: no [program helper]\n"
		      FIX "bad-cases-programs.ini:19: [case plain] stdin: cannot read missing.txt\n");
}
