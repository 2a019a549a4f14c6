/*
 * The reporters on diagnostics parsed from captured checker output
 * (tests/fixtures/reports/), printed into memory: the terminal's
 * "path:line:" first lines, stacks, folding and source lines, and the
 * JSON document's related stacks. The fixtures' sources are in
 * fixtures/src/, so that is the program directory given to the reporter.
 * Run from tests/ (the unit binary's working directory).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"
#include "racelab-child.h"

static const struct parse_ctx ctx = { "/SRC", 0 };

/* A failed result of `tool` for `name`, with no diagnostic yet. */
static void new_result(struct result *r, const char *tool, const char *name)
{
	result_init(r);
	r->exercise = xstrdup(name);
	r->variant = VARIANT_FILE;
	r->tool = tool_find(tool);
	r->status = STATUS_FAIL;
	r->srcdir = realpath("fixtures/src", NULL);
	cr_assert_not_null(r->srcdir);
}

/* A result of `tool` holding the diagnostics of one fixture. */
static void load_result(struct result *r, const char *tool, const char *fixture)
{
	char *path = xstrfmt("fixtures/reports/%s", fixture);
	size_t len;
	char *text = read_file(path, &len);
	struct vg_info info;
	int n;

	cr_assert_not_null(text, "cannot read %s", path);
	new_result(r, tool, fixture);
	n = strstr(fixture, ".xml") ? parse_valgrind_xml(text, len, &ctx, &r->diags, &info)
		: parse_sanitizer_log(text, len, &ctx, &r->diags);
	cr_assert_gt(n, 0, "%s: no diagnostic", fixture);
	free(text);
	free(path);
}

/* What a reporter prints for r alone. Caller frees. */
static char *render(const struct reporter *rep, struct result *r, int verbose)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct report_opts o = { out, 0, verbose, "run", NULL };
	struct summary sum = { .fail = 1 };
	void *rc;

	cr_assert_not_null(out);
	rc = rep->begin(&o);
	rep->result(rc, r);
	rep->end(rc, &sum);
	fclose(out);
	return buf;
}

static char *terminal(const char *tool, const char *fixture, int verbose)
{
	struct result r;
	char *text;

	load_result(&r, tool, fixture);
	text = render(&report_terminal, &r, verbose);
	result_clear(&r);
	return text;
}

/* 1 when text has `line` as a whole line. */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* How many times text has `line` as a whole line. */
static int count_lines(const char *text, const char *line)
{
	size_t n = strlen(line);
	int count = 0;

	for (const char *p = text; (p = strstr(p, line)); p++)
		count += (p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]);
	return count;
}

#define assert_line(text, line) cr_assert(has_line(text, line), "missing line: %s", line)

Test(report_terminal, race_both_accesses_and_threads)
{
	char *out = terminal("tsan", "tsan-race.log", 0);

	/* The finding where an editor jumps: at column 0, from the current directory. */
	assert_line(out, "fixtures/src/race.c:10: data-race in worker()");
	assert_line(out, "           10 | \t\tcounter++;");
	assert_line(out, "        Write of size 4 by thread T2  [tsan: data race]");
	/* Both threads ran the same line: one line says so. */
	assert_line(out, "        previous write of size 4 by thread T1: the same stack as above");
	cr_assert_eq(count_lines(out, "           10 | \t\tcounter++;"), 1);
	assert_line(out, "        thread T2 created by main thread at:");
	assert_line(out, "          #1 fixtures/src/race.c:19 in main()");
	assert_line(out, "               19 | \tpthread_create(&t2, NULL, worker, NULL);");
	assert_line(out, "        thread T1 created by main thread at:");
	assert_line(out, "          #1 fixtures/src/race.c:18 in main()");
	/* pthread_create is TSan's interceptor, inside the program's binary. */
	cr_assert_eq(count_lines(out, "          ... 1 frame in the tsan runtime"), 2);
	free(out);
}

Test(report_terminal, a_source_line_is_shown_once_per_diagnostic)
{
	char *out = terminal("tsan", "tsan-race-heap.log", 0);

	assert_line(out, "fixtures/src/account_race.c:36: data-race in auditor()");
	assert_line(out, "        previous write of size 8 by thread T1 (mutexes: write M0):");
	assert_line(out, "          #1 fixtures/src/account_race.c:24 in depositor()");
	assert_line(out, "               24 | \ta->balance += 100;");
	assert_line(out, "        location is heap block of size 48 allocated by main thread:");
	assert_line(out, "          #1 fixtures/src/account_race.c:42 in main()");
	assert_line(out, "        mutex M0 created at:");
	free(out);
	/* Helgrind: the conflicting access on line 10 again, its source not repeated. */
	out = terminal("helgrind", "helgrind-race.xml", 0);
	assert_line(out, "        previous write of size 4 by thread #2: the same stack as above");
	cr_assert_eq(count_lines(out, "           10 | \t\tcounter++;"), 1);
	cr_assert_eq(count_lines(out, "               10 | \t\tcounter++;"), 0);
	free(out);
}

Test(report_terminal, verbose_shows_every_frame_and_every_source_line)
{
	char *out = terminal("tsan", "tsan-race.log", 1);

	/* No stack is abridged: the other access is shown with its source line. */
	assert_line(out, "        previous write of size 4 by thread T1:");
	assert_line(out, "          #1 fixtures/src/race.c:10 in worker()");
	cr_assert_eq(count_lines(out, "               10 | \t\tcounter++;"), 1);
	cr_assert_eq(count_lines(out, "           - pthread_create in the tsan runtime"), 2);
	cr_assert_null(strstr(out, "... 1 frame"));
	free(out);
}

Test(report_terminal, library_frames_fold_into_one_line_per_stack)
{
	char *out = terminal("asan", "asan-use-after-free.log", 0);

	assert_line(out, "fixtures/src/use_after_free.c:10: heap-use-after-free in reader()");
	/* The main stack: the access in a thread libc started. */
	assert_line(out, "          ... 2 frames in libc.so.6");
	assert_line(out, "        freed by thread T0 here:");
	assert_line(out, "          #1 fixtures/src/use_after_free.c:19 in main()");
	assert_line(out, "               19 | \tfree(v);");
	assert_line(out, "        previously allocated by thread T0 here:");
	assert_line(out, "          #1 fixtures/src/use_after_free.c:16 in main()");
	assert_line(out, "          ... 1 frame in the asan runtime, 1 in libc.so.6");
	free(out);

	out = terminal("helgrind", "helgrind-race.xml", 0);
	assert_line(out, "        thread #3 created at:");
	assert_line(out, "          ... 4 frames in libc.so.6, 1 in vgpreload_helgrind-amd64-linux.so");
	free(out);
}

Test(report_terminal, lock_order_names_the_main_stack)
{
	char *out = terminal("tsan", "tsan-lock-order.log", 0);

	assert_line(out, "fixtures/src/lock_order.c:15: lock-order-inversion in a_then_b()");
	assert_line(out, "        mutex M1 acquired here while holding mutex M0 in thread T1");
	assert_line(out, "        mutex M0 acquired here while holding mutex M1 in thread T2:");
	assert_line(out, "          #1 fixtures/src/lock_order.c:25 in b_then_a()");
	assert_line(out, "               25 | \tpthread_mutex_lock(&a);");
	free(out);
}

Test(report_terminal, recursion_is_one_line_and_deep_stacks_are_capped)
{
	struct result r;
	char *out, *want;
	size_t n;

	load_result(&r, "asan", "asan-stack-overflow.log");
	n = r.diags.v[0].nframes;
	cr_assert_gt(n, 64);
	out = render(&report_terminal, &r, 0);
	assert_line(out, "fixtures/src/stack_overflow.c:7: stack-overflow in depth()");
	/* The header is #1; every other frame is the same recursive call. */
	want = xstrfmt("          #2-#%zu fixtures/src/stack_overflow.c:11 in depth(), %zu times",
		       n, n - 1);
	assert_line(out, want);
	free(want);
	assert_line(out, "               11 | \treturn depth(n + 1) + pad[0];");
	cr_assert_null(strstr(out, "          #3 "));
	free(out);
	/* -v lists frames one by one, up to a cap, and counts the rest. */
	out = render(&report_terminal, &r, 1);
	assert_line(out, "          #64 fixtures/src/stack_overflow.c:11 in depth()");
	want = xstrfmt("          ... %zu more frames", n - 64);
	assert_line(out, want);
	free(want);
	free(out);
	result_clear(&r);
}

Test(report_terminal, a_few_user_frames_then_the_rest_counted)
{
	struct result r;
	struct diag *d;
	char *out;

	/* A stack of six different user frames (made here: no checker gives one). */
	new_result(&r, "tsan", "x");
	d = diag_list_push(&r.diags, "data-race", "data race", "Read of size 4 by main thread");
	for (int line = 10; line < 16; line++)
		diag_add_frame(d, "f", "race.c", line, r.srcdir);
	frame_set_module(diag_add_frame(d, "start_thread", "/lib/pthread_create.c", 442, r.srcdir),
			 "/lib/libc.so.6");
	out = render(&report_terminal, &r, 0);
	assert_line(out, "fixtures/src/race.c:10: data-race in f()");
	assert_line(out, "          #2 fixtures/src/race.c:11 in f()");
	assert_line(out, "          #4 fixtures/src/race.c:13 in f()");
	cr_assert_null(strstr(out, "          #5 "));
	assert_line(out, "          ... 2 more of your frames, 1 frame in libc.so.6");
	free(out);
	result_clear(&r);
}

Test(report_terminal, a_diagnostic_without_a_place_stays_indented)
{
	struct result r;
	char *out;

	new_result(&r, "native", "x");
	diag_list_push(&r.diags, "wrong-output", "oracle", "exit status 1, expected 0");
	out = render(&report_terminal, &r, 0);
	assert_line(out, "      wrong-output");
	free(out);
	result_clear(&r);
}

/* A consequence (consequence.h): beneath its cause, said so, in both reporters. */
Test(report, a_consequence_is_shown_beneath_its_cause)
{
	struct result r;
	json_error_t err;
	json_t *doc, *diags;
	char *out;

	new_result(&r, "native", "x");
	diag_list_push(&r.diags, "deadlock", "watch", "every thread blocked");
	diag_list_push(&r.diags, "zombie", "watch", "process 2 ended")->cause = 0;
	out = render(&report_terminal, &r, 0);
	assert_line(out, "      deadlock");
	assert_line(out, "      because of the deadlock above: zombie");
	assert_line(out, "        fix the deadlock first: if this is still there then, it shows as "
		    "a bug of its own");
	cr_assert_null(strstr(out, "never waited for it"), "a consequence explains no kind: %s", out);
	free(out);

	out = render(&report_json, &r, 0);
	doc = json_loads(out, 0, &err);
	cr_assert_not_null(doc, "not JSON: %s", err.text);
	diags = json_object_get(json_array_get(json_object_get(doc, "results"), 0), "diagnostics");
	cr_assert(json_is_null(json_object_get(json_array_get(diags, 0), "caused_by")));
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(diags, 1), "caused_by")), 0);
	cr_assert(json_is_integer(json_object_get(json_array_get(diags, 1), "caused_by")));
	json_decref(doc);
	free(out);
	result_clear(&r);
}

static json_t *json_diag(const char *tool, const char *fixture, size_t i)
{
	struct result r;
	json_error_t err;
	json_t *doc, *d;
	char *out;

	load_result(&r, tool, fixture);
	out = render(&report_json, &r, 0);
	doc = json_loads(out, 0, &err);
	cr_assert_not_null(doc, "not JSON: %s", err.text);
	d = json_array_get(json_object_get(json_array_get(json_object_get(doc, "results"), 0),
					   "diagnostics"), i);
	cr_assert_not_null(d);
	json_incref(d);
	json_decref(doc);
	free(out);
	result_clear(&r);
	return d;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

Test(report_json, related_stacks_with_what_and_frames)
{
	json_t *d = json_diag("tsan", "tsan-race.log", 0), *rel, *f;

	/* The main stack stays where it was. */
	cr_assert_str_eq(str(json_array_get(json_object_get(d, "frames"), 0), "file"), "race.c");
	cr_assert(json_is_null(json_object_get(d, "frames_what")));
	rel = json_object_get(d, "related");
	cr_assert_eq(json_array_size(rel), 3);
	cr_assert_str_eq(str(json_array_get(rel, 0), "what"), "previous write of size 4 by thread T1");
	f = json_array_get(json_object_get(json_array_get(rel, 0), "frames"), 0);
	cr_assert_str_eq(str(f, "function"), "worker");
	cr_assert_str_eq(str(f, "file"), "race.c");
	cr_assert_eq(json_integer_value(json_object_get(f, "line")), 10);
	cr_assert(json_is_true(json_object_get(f, "user")));
	cr_assert_str_eq(str(f, "module"), "race.tsan");
	cr_assert_str_eq(str(json_array_get(rel, 1), "what"), "thread T2 created by main thread at");
	f = json_array_get(json_object_get(json_array_get(rel, 1), "frames"), 0);
	cr_assert_str_eq(str(f, "function"), "pthread_create");
	cr_assert(json_is_null(json_object_get(f, "file")));
	cr_assert(json_is_null(json_object_get(f, "line")));
	cr_assert(json_is_false(json_object_get(f, "user")));
	json_decref(d);

	d = json_diag("tsan", "tsan-lock-order.log", 0);
	cr_assert_str_eq(str(d, "frames_what"),
			 "mutex M1 acquired here while holding mutex M0 in thread T1");
	cr_assert_eq(json_array_size(json_object_get(d, "related")), 5);
	json_decref(d);

	/* A leak: no related stack, an empty list. */
	d = json_diag("asan", "asan-leaks.log", 0);
	cr_assert(json_is_array(json_object_get(d, "related")));
	cr_assert_eq(json_array_size(json_object_get(d, "related")), 0);
	json_decref(d);
}

/* A tree under a fresh directory: lab/ex/01/c.c and lab/ex/02/, and a link to lab. */
static char *make_tree(void)
{
	char *tmpl = test_tmpl("report");
	char *root, *p;
	FILE *f;

	cr_assert_not_null(mkdtemp(tmpl));
	root = realpath(tmpl, NULL);
	p = xstrfmt("%s/lab/ex/01", root);
	cr_assert_eq(mkdir_p(p, 0755), 0);
	free(p);
	p = xstrfmt("%s/lab/ex/02", root);
	cr_assert_eq(mkdir_p(p, 0755), 0);
	free(p);
	p = xstrfmt("%s/lab/ex/01/c.c", root);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fclose(f);
	free(p);
	p = xstrfmt("%s/link", root);
	cr_assert_eq(symlink("lab", p), 0);
	free(p);
	return root;
}

static void assert_path(const char *cwd, const char *srcdir, const char *file, const char *want)
{
	char *got;

	cr_assert_eq(chdir(cwd), 0, "cannot enter %s", cwd);
	got = path_from_cwd(srcdir, file);
	cr_assert_str_eq(got, want, "from %s: %s, want %s", cwd, got, want);
	free(got);
}

Test(report, paths_are_named_from_the_current_directory)
{
	char *root = make_tree(), *lab = xstrfmt("%s/lab", root), *ex1 = xstrfmt("%s/lab/ex/01", root),
	     *ex2 = xstrfmt("%s/lab/ex/02", root), *link1 = xstrfmt("%s/link/ex/01", root),
	     *abs = xstrfmt("%s/lab/ex/01/c.c", root);

	assert_path(lab, ex1, "c.c", "ex/01/c.c");
	assert_path(ex1, ex1, "c.c", "c.c");
	assert_path(ex2, ex1, "c.c", "../01/c.c");
	/* A program directory given through a symbolic link is the same directory. */
	assert_path(lab, link1, "c.c", "ex/01/c.c");
	/* An absolute file is named the same way. */
	assert_path(ex2, NULL, abs, "../01/c.c");
	/* Nothing in common but the root: the absolute path. */
	assert_path("/usr", ex1, "c.c", abs);
	assert_path("/", ex1, "c.c", abs + 1);
	cr_assert_eq(remove_tree(root), 0);
	free(root);
	free(lab);
	free(ex1);
	free(ex2);
	free(link1);
	free(abs);
}
