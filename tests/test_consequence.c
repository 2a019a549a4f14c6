/*
 * Consequences folded under their cause (harness/consequence.h): the order
 * a folded list takes, its renumbered causes, and what cannot be a cause.
 * Which diagnostics of a real run are consequences is tested on real runs
 * here and in test_watch.c and test_cli.c.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "consequence.h"
#include "diag.h"
#include "racelab-child.h"
#include "racelab-json.h"
#include "strbuf.h"
#include "util.h"

/* A list of diagnostics named by their message, with the causes given (-1: none). */
static void make(struct diag_list *l, const char *const *names, const int *causes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		diag_list_push(l, "zombie", "watch", names[i])->cause = causes[i];
}

/* The messages in order, and each cause's message ("" for none), as one string. */
static void expect_order(const struct diag_list *l, const char *want)
{
	char got[256] = "";

	for (size_t i = 0; i < l->n; i++) {
		int c = l->v[i].cause;

		strcat(got, l->v[i].message);
		if (c >= 0) {
			strcat(got, "<");
			strcat(got, l->v[c].message);
		}
		strcat(got, i + 1 < l->n ? " " : "");
	}
	cr_expect_str_eq(got, want);
}

Test(consequence, each_consequence_follows_its_cause)
{
	/* a zombie, a leak, a deadlock and the zombie it left behind */
	const char *names[] = { "z0", "leak", "hang", "z1", "wo" };
	const int causes[] = { -1, -1, -1, 2, 2 };
	struct diag_list l = DIAG_LIST_INIT;

	make(&l, names, causes, 5);
	consequences_fold(&l);
	expect_order(&l, "z0 leak hang z1<hang wo<hang");
	cr_expect_eq(consequence_depth(&l, 2), 0);
	cr_expect_eq(consequence_depth(&l, 3), 1);
	diag_list_clear(&l);
}

Test(consequence, a_consequence_listed_first_moves_below_its_cause)
{
	const char *names[] = { "z1", "leak", "hang", "deep" };
	const int causes[] = { 2, -1, -1, 0 };
	struct diag_list l = DIAG_LIST_INIT;

	make(&l, names, causes, 4);
	consequences_fold(&l);
	/* depth first: the consequence of a consequence comes right under it */
	expect_order(&l, "leak hang z1<hang deep<z1");
	cr_expect_eq(consequence_depth(&l, 0), 0);
	cr_expect_eq(consequence_depth(&l, 2), 1);
	cr_expect_eq(consequence_depth(&l, 3), 2);
	diag_list_clear(&l);
}

Test(consequence, what_cannot_be_a_cause_is_a_bug_of_its_own)
{
	const char *names[] = { "self", "far", "a", "b", "into", "ok", "root" };
	const int causes[] = { 0, 99, 3, 2, 2, 6, -1 };
	struct diag_list l = DIAG_LIST_INIT;

	make(&l, names, causes, 7);
	consequences_fold(&l);
	/* a cause of its own, out of range, a cycle and a chain into one: no cause */
	expect_order(&l, "self far a b into root ok<root");
	for (size_t i = 0; i < 5; i++)
		cr_expect_eq(l.v[i].cause, -1, "%s", l.v[i].message);
	diag_list_clear(&l);

	make(&l, names, causes, 1);
	consequences_fold(&l);
	cr_expect_eq(l.v[0].cause, -1, "a one-item list is its own cause");
	diag_list_clear(&l);
}

Test(consequence, splice_and_copy_keep_causes_right)
{
	const char *names[] = { "hang", "z" };
	const int causes[] = { -1, 0 };
	struct diag_list a = DIAG_LIST_INIT, b = DIAG_LIST_INIT;

	make(&a, names, causes, 2);
	make(&b, names, causes, 2);
	diag_list_splice(&a, &b);
	cr_assert_eq(a.n, 4);
	expect_order(&a, "hang z<hang hang z<hang");
	cr_expect_eq(a.v[3].cause, 2, "a spliced cause points into its own part");
	cr_expect_eq(diag_list_copy(&b, &a.v[3], NULL)->cause, -1,
		     "a copy into another list is a bug of its own");
	diag_list_clear(&a);
	diag_list_clear(&b);
}

/* A lab holding the project's exercise ex, its solution and include/; caller frees. */
static char *lab_of(const char *ex)
{
	char *tmpl = test_tmpl("fold");
	char *cwd = getcwd(NULL, 0), *cmd;

	cr_assert_not_null(mkdtemp(tmpl));
	cmd = xstrfmt("set -e; cd %s; mkdir exercises solutions; cp -r %s/../exercises/%s exercises/; "
		      "cp -r %s/../solutions/%s solutions/; cp -r %s/../include .",
		      tmpl, cwd, ex, cwd, ex, cwd);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	free(cmd);
	free(cwd);
	return xstrdup(tmpl);
}

static void remove_lab(char *root)
{
	char *cmd = xstrfmt("rm -rf %s", root);

	if (system(cmd)) {
		/* a leftover temporary folder */
	}
	free(cmd);
	free(root);
}

/*
 * 26's reader waits for the end of a pipe it holds open itself; its child
 * ended, and is never waited for because the parent is stuck. The zombie
 * is the deadlock's consequence, shown under it, and still meets lab.ini's
 * `zombie`; the held write end is why the reader hangs: its own bug.
 */
Test(consequence, the_zombie_of_26_is_the_deadlocks_and_still_expected, .timeout = 240)
{
	const char *verify[] = { "racelab", "verify", "--json", "--tool", "native",
				 "26-pipe-no-eof", NULL };
	const char *check[] = { "racelab", "check", "--no-color", "--tool", "native",
				"26-pipe-no-eof", NULL };
	char *root = lab_of("26-pipe-no-eof");
	struct out r = racelab(root, verify);
	json_t *doc = parse_json(&r), *res = result_for(doc, "buggy", "native"), *d;
	json_int_t hang = -1, zombie = -1, leak = -1;
	size_t i;

	cr_expect_eq(r.code, 0, "%s", r.stdout_text);
	cr_expect_str_eq(status_of(res), "pass", "the buggy version no longer shows lab.ini's kinds");
	json_array_foreach(json_object_get(res, "diagnostics"), i, d) {
		const char *kind = json_string_value(json_object_get(d, "kind"));
		json_t *by = json_object_get(d, "caused_by");

		cr_assert(by, "a diagnostic without caused_by");
		if (!strcmp(kind, "deadlock")) {
			hang = (json_int_t)i;
			cr_expect(json_is_null(by), "the deadlock is a bug of its own");
		} else if (!strcmp(kind, "zombie")) {
			zombie = (json_int_t)i;
			cr_expect_eq(json_integer_value(by), hang, "the zombie follows from the deadlock");
		} else if (!strcmp(kind, "fd-leak")) {
			leak = (json_int_t)i;
			cr_expect(json_is_null(by), "the held write end is a bug of its own");
		}
	}
	cr_expect(hang >= 0 && zombie == hang + 1 && leak >= 0, "%s", r.stdout_text);
	json_decref(doc);
	free(r.stdout_text);
	free(r.stderr_text);

	r = racelab(root, check);
	cr_expect_eq(r.code, 1);
	cr_expect(strstr(r.stdout_text, "because of the deadlock above: zombie\n"), "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "fix the deadlock first"), "%s", r.stdout_text);
	cr_expect(strstr(r.stdout_text, "deadlock\n") < strstr(r.stdout_text, "zombie"),
		  "%s", r.stdout_text);
	free(r.stdout_text);
	free(r.stderr_text);
	remove_lab(root);
}

/*
 * Under Valgrind the kernel names every process and thread of the
 * program after the tool ("helgrind-amd64-"): 26's reader, its zombie
 * child and the thread dump are named as the student knows the program,
 * after its source (lines.c).
 */
Test(consequence, valgrind_runs_are_named_as_the_program, .timeout = 240)
{
	const char *verify[] = { "racelab", "verify", "--json", "--tool", "helgrind",
				 "26-pipe-no-eof", NULL };
	char *root = lab_of("26-pipe-no-eof");
	struct out r = racelab(root, verify);
	json_t *doc = parse_json(&r), *res = result_for(doc, "buggy", "helgrind"), *d;
	const char *dump = NULL;
	size_t i;

	cr_expect(strstr(message_of(res, "fd-leak"), "(lines) is blocked reading a pipe"), "%s",
		  r.stdout_text);
	cr_expect(strstr(message_of(res, "zombie"), "(lines) ended, and its parent"), "%s",
		  r.stdout_text);
	json_array_foreach(json_object_get(res, "diagnostics"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "kind")), "deadlock"))
			dump = json_string_value(json_object_get(d, "detail"));
	cr_assert(dump, "no thread dump: %s", r.stdout_text);
	cr_expect(strstr(dump, " lines: sleeping in read") && strstr(dump, " lines: zombie"), "%s", dump);
	/* The command line without racelab's folders and Valgrind's own options. */
	cr_expect(strstr(dump, ": valgrind --tool=helgrind lines 1000\n"), "%s", dump);
	cr_expect_null(strstr(r.stdout_text, "helgrind-amd64-"), "%s", r.stdout_text);
	json_decref(doc);
	free(r.stdout_text);
	free(r.stderr_text);
	remove_lab(root);
}

/* Run racelab in root (NULL: here) and expect text in what it printed. */
static void expect_printed(const char *root, const char *const *argv, const char *text)
{
	struct out r = racelab(root, argv);

	cr_expect(strstr(r.stdout_text, text), "%s", r.stdout_text);
	free(r.stdout_text);
	free(r.stderr_text);
}

/* The index of the first diagnostic of `kind` in result res, or -1. */
static json_int_t index_of(json_t *res, const char *kind)
{
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(res, "diagnostics"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "kind")), kind))
			return (json_int_t)i;
	return -1;
}

/*
 * The index in result res of the hang the watch named, or -1: a deadlock,
 * or on a loaded machine maybe the timeout. Either way what it left
 * behind is folded under it.
 */
static json_int_t hang_of(json_t *res)
{
	const char *hang = json_string_value(json_object_get(json_object_get(res, "exit"), "hang"));

	return hang ? index_of(res, hang) : -1;
}

/* How many leaks of result res follow from diagnostic `cause`; *own: how many are bugs of their own. */
static int leaks_caused_by(json_t *res, json_int_t cause, int *own)
{
	json_t *d;
	size_t i;
	int n = 0;

	*own = 0;
	json_array_foreach(json_object_get(res, "diagnostics"), i, d) {
		const char *kind = json_string_value(json_object_get(d, "kind"));
		json_t *by = json_object_get(d, "caused_by");

		if (strcmp(kind, "thread-leak") && strcmp(kind, "memory-leak"))
			continue;
		if (json_is_null(by))
			(*own)++;
		else if (json_integer_value(by) == cause)
			n++;
	}
	return n;
}

/*
 * tests/run/stuck-term.c deadlocks; racelab stops it, and its SIGTERM
 * handler ends it quietly: Memcheck's leak check then lists the worker
 * the process never got to join. That leak is the kill's doing: under the
 * deadlock, not a bug of its own.
 */
Test(consequence, the_leaks_of_a_process_stopped_in_a_hang_are_the_hangs, .timeout = 120)
{
	const char *json[] = { "racelab", "run", "--json", "--timeout", "60", "--tool", "memcheck",
			       "run/stuck-term.c", NULL };
	const char *term[] = { "racelab", "run", "--no-color", "--timeout", "60", "--tool",
			       "memcheck", "run/stuck-term.c", NULL };
	struct out r = racelab(NULL, json);
	json_t *doc = parse_json(&r), *res = result_for(doc, "file", "memcheck");
	json_int_t hang = hang_of(res);
	int own;

	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	cr_assert_geq(hang, 0, "no hang: %s", r.stdout_text);
	cr_expect_eq(leaks_caused_by(res, hang, &own), 1, "%s", r.stdout_text);
	cr_expect_eq(own, 0, "a leak of the stopped process is a bug of its own: %s", r.stdout_text);
	json_decref(doc);
	free(r.stdout_text);
	free(r.stderr_text);

	expect_printed(NULL, term, " above: thread-leak in main()\n");
}

/*
 * 32's parent and child, stopped in their deadlock under Memcheck, may
 * each list the flusher thread they never joined (which one does depends
 * on how their reports interleave: test_parse_valgrind.c): whatever is
 * listed is under the deadlock.
 */
Test(consequence, the_leaks_of_32s_stopped_processes_are_the_deadlocks, .timeout = 240)
{
	const char *check[] = { "racelab", "check", "--json", "--timeout", "60", "--tool", "memcheck",
				"32-fork-locked-mutex", NULL };
	char *root = lab_of("32-fork-locked-mutex");
	struct out r = racelab(root, check);
	json_t *doc = parse_json(&r), *res = result_for(doc, NULL, "memcheck");
	json_int_t hang = hang_of(res);
	int own;

	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	cr_assert_geq(hang, 0, "no hang: %s", r.stdout_text);
	leaks_caused_by(res, hang, &own);
	cr_expect_eq(own, 0, "a leak of a stopped process is a bug of its own: %s", r.stdout_text);
	json_decref(doc);
	free(r.stdout_text);
	free(r.stderr_text);
	remove_lab(root);
}

/*
 * A server that hands its first connection to a child and ends (HANDOFF
 * in tests/run/echo-server.c): its client waits for a reply that never
 * comes, until the timeout. The client's hang follows from the server's
 * end: under it.
 */
Test(consequence, a_client_left_hanging_by_its_server_is_the_servers, .timeout = 120)
{
	const char *ini =
		"[exercise]\\ntitle = handoff\\nclass = wrong-output\\nsources = server.c\\n"
		"timeout = 3\\n"
		"[program server]\\nsources = server.c\\nargs = {port}\\nrole = server\\n"
		"[program client]\\nsources = client.c\\nargs = {port} 3\\nrole = client\\n"
		"checked = no\\nstdout = ^reply: ACK hello\\ncount = 3\\nexit = 0\\n"
		"[buggy]\\nnative = wrong-output, timeout\\n";
	const char *json[] = { "racelab", "check", "--json", "--tool", "native", NULL };
	const char *term[] = { "racelab", "check", "--no-color", "--tool", "native", NULL };
	char *tmpl = test_tmpl("handoff");
	char *cwd = getcwd(NULL, 0), *cmd, *root;
	json_t *doc, *res, *end;
	json_int_t server, hang;
	struct out r;

	cr_assert_not_null(mkdtemp(tmpl));
	root = xstrdup(tmpl);
	cmd = xstrfmt("set -e; cd %s; mkdir -p exercises/01-handoff; cp -r %s/../include .; "
		      "cp %s/run/echo-client.c exercises/01-handoff/client.c; "
		      "sed 's/^#define HANDOFF 0/#define HANDOFF 1/' %s/run/echo-server.c "
		      "> exercises/01-handoff/server.c; printf '%s' > exercises/01-handoff/lab.ini",
		      root, cwd, cwd, cwd, ini);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	free(cmd);
	free(cwd);

	r = racelab(root, json);
	doc = parse_json(&r);
	res = result_for(doc, NULL, "native");
	server = index_of(res, "wrong-output");
	hang = index_of(res, "timeout");
	cr_expect_eq(r.code, 1, "%s", r.stdout_text);
	cr_assert(server >= 0 && hang == server + 1, "%s", r.stdout_text);
	end = json_array_get(json_object_get(res, "diagnostics"), (size_t)server);
	cr_expect_str_eq(json_string_value(json_object_get(end, "message")),
			 "server ended (exit status 4) while its clients still ran");
	cr_expect(json_is_null(json_object_get(end, "caused_by")), "the server's end is a bug of its own");
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(
		json_object_get(res, "diagnostics"), (size_t)hang), "caused_by")), server,
		"the client's hang follows from the server's end: %s", r.stdout_text);
	json_decref(doc);
	free(r.stdout_text);
	free(r.stderr_text);

	expect_printed(root, term, "because of the wrong-output above: timeout\n");
	remove_lab(root);
}
