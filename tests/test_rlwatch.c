/*
 * librlwatch.so and rlwatch_parse(): fixtures captured from our own
 * programs (tests/fixtures/rlwatch/capture.sh), the symbolizer on a real
 * binary, and end-to-end runs of tests/progs/rlw-* under the preload.
 * The cwd is tests/.
 */
#include "rlwatch.h"
#include "strbuf.h"
#include "strvec.h"
#include "symbolize.h"
#include "util.h"
#include "racelab-child.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define FIXTURES "fixtures/rlwatch/"

struct parsed {
	struct diag_list diags;
	struct rlwatch_info info;
	int ret;
};

static void parse_text(const char *text, size_t len, const char *srcdir, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	p->ret = rlwatch_parse(text, len, srcdir, NULL, &p->diags, &p->info);
}

static void parse_fixture(const char *name, struct parsed *p)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&path, FIXTURES "%s", name);
	cr_assert(strbuf_read_file(&text, path.buf) >= 0, "cannot read %s", path.buf);
	parse_text(text.buf, text.len, "/SRC/tests/progs", p);
	strbuf_release(&path);
	strbuf_release(&text);
}

static void parsed_release(struct parsed *p)
{
	diag_list_clear(&p->diags);
	rlwatch_info_release(&p->info);
}

/* --- parsing captured events ------------------------------------------ */

Test(rlwatch, counts_threads_of_a_captured_run)
{
	struct parsed p;

	parse_fixture("threads7.events", &p);
	cr_assert_eq(p.ret, 0);
	cr_assert_eq(p.info.loaded, 1);
	cr_assert_eq(p.info.threads_created, 7);
	cr_assert_eq(p.diags.n, 0);
	parsed_release(&p);
}

/* With the run's key, only the lines that start with it are the observer's. */
Test(rlwatch, a_line_without_the_key_is_not_read)
{
	static const char key[] = "7e85178a9a04dc5171dbf4b3030642a7";
	static const char text[] =
		"7e85178a9a04dc5171dbf4b3030642a7 hello 2\n"
		"7e85178a9a04dc5171dbf4b3030642a7 thread 2 0\n"
		"7e85178a9a04dc5171dbf4b3030642a7 peak 2 1\n"
		"peak 2 4\n"
		"00000000000000000000000000000000 peak 2 4\n"
		"7e85178a9a04dc5171dbf4b3030642a7peak 2 4\n"
		"thread 2 0\n";
	struct parsed p;

	memset(&p, 0, sizeof(p));
	p.ret = rlwatch_parse(text, sizeof(text) - 1, "/SRC", key, &p.diags, &p.info);
	cr_assert_eq(p.ret, 0);
	cr_expect(p.info.loaded);
	cr_expect_eq(p.info.threads_created, 1);
	cr_expect_eq(p.info.peak, 1);
	parsed_release(&p);
	/* Without a key (racelab not root), every line is read. */
	parse_text(text, sizeof(text) - 1, "/SRC", &p);
	cr_expect(!p.info.loaded, "a keyed line is no hello to a parser without the key");
	cr_expect_eq(p.info.peak, 4);
	parsed_release(&p);
}

Test(rlwatch, captured_segv_is_no_diagnostic)
{
	struct parsed p;

	parse_fixture("segv.events", &p);
	cr_assert_eq(p.ret, 0);
	cr_assert_eq(p.info.loaded, 1);
	cr_assert_eq(p.info.threads_created, 1);
	cr_assert_eq(p.diags.n, 0);
	parsed_release(&p);
}

Test(rlwatch, captured_stack_overflow)
{
	struct parsed p;
	const struct diag *d;

	parse_fixture("stack-overflow.events", &p);
	cr_assert_eq(p.ret, 1);
	cr_assert_eq(p.info.threads_created, 1);
	d = &p.diags.v[0];
	cr_assert_str_eq(d->kind, "stack-overflow");
	cr_assert_str_eq(d->tool_kind, "rlwatch: stack overflow");
	cr_assert(strstr(d->message, "ran out of stack (fault at 0x"), "%s", d->message);
	cr_assert(!strstr(d->message, "main thread"), "%s", d->message);
	/* 16 frames: the faulting one, then the same call site 15 times, folded */
	cr_assert_eq(d->nframes, 2);
	/* the module does not exist here: unknown function, the module as file */
	cr_assert_null(d->frames[0].function);
	cr_assert_str_eq(d->frames[0].file, "/SRC/build/tests/progs/rlw-stack");
	cr_assert_eq(d->frames[0].user, 0);
	cr_assert_str_eq(d->frames[0].module, "rlw-stack");
	/* the raw event line is not repeated to students as a detail */
	cr_assert_null(d->detail);
	parsed_release(&p);
}

Test(rlwatch, captured_stack_overflow_in_main)
{
	struct parsed p;

	parse_fixture("stack-overflow-main.events", &p);
	cr_assert_eq(p.ret, 1);
	cr_assert_eq(p.info.threads_created, 0);
	cr_assert(strstr(p.diags.v[0].message, "the main thread of process"),
		  "%s", p.diags.v[0].message);
	parsed_release(&p);
}

Test(rlwatch, captured_priority_inversion)
{
	struct parsed p;
	const struct diag *d;
	unsigned w, o, r, wms, rms, wp, op, rp;

	parse_fixture("inversion.events", &p);
	cr_assert_eq(p.ret, 1);
	cr_assert_eq(p.info.threads_created, 3);
	d = &p.diags.v[0];
	cr_assert_str_eq(d->kind, "priority-inversion");
	cr_assert_str_eq(d->tool_kind, "rlwatch: priority inversion");
	cr_assert_eq(sscanf(d->message, "thread %u (priority %u) waited %u ms for a lock "
			    "held by thread %u (priority %u) while thread %u (priority %u) "
			    "ran %u ms", &w, &wp, &wms, &o, &op, &r, &rp, &rms), 8,
		     "%s", d->message);
	cr_assert_eq(wp, 30);
	cr_assert_eq(op, 10);
	cr_assert_eq(rp, 20);
	cr_assert(rms * 2 > wms);
	cr_assert_eq(d->nframes, 1);
	cr_assert_str_eq(d->frames[0].file, "/SRC/build/tests/progs/rlw-inversion");
	parsed_release(&p);
}

Test(rlwatch, identical_events_are_folded)
{
	struct strbuf text = STRBUF_INIT;
	struct parsed p;

	cr_assert(strbuf_read_file(&text, FIXTURES "inversion.events") >= 0);
	cr_assert(strbuf_read_file(&text, FIXTURES "inversion.events") >= 0);
	parse_text(text.buf, text.len, NULL, &p);
	cr_assert_eq(p.ret, 1);
	cr_assert_eq(p.info.threads_created, 6);
	cr_assert(strstr(p.diags.v[0].message, "(and 1 more times)"), "%s",
		  p.diags.v[0].message);
	parsed_release(&p);
	strbuf_release(&text);
}

Test(rlwatch, garbage_is_skipped_line_by_line)
{
	struct parsed p;

	parse_fixture("garbage.events", &p);
	/* only "hello 12", "thread 12 13", the final "thread 12 14" and one overflow are valid */
	cr_assert_eq(p.info.loaded, 1);
	cr_assert_eq(p.info.threads_created, 2);
	cr_assert_eq(p.info.workers, 0, "a worker line with a key missing or malformed is dropped");
	cr_assert_eq(p.ret, 1);
	cr_assert_str_eq(p.diags.v[0].kind, "stack-overflow");
	cr_assert_eq(p.diags.v[0].nframes, 0);
	parsed_release(&p);
}

/* --- workers serialized by one lock (serial.c) on captured runs ------- */

/* Parse a captured rlw-serial run; returns what serial_check() found with `concurrent = want`. */
static size_t serial_fixture(const char *name, int want, struct parsed *p, struct diag_list *out)
{
	parse_fixture(name, p);
	cr_assert_eq(p->ret, 0);
	return serial_check(&p->info.serial, p->info.peak, want, NULL, "/SRC/tests/progs", out);
}

Test(rlwatch, one_lock_over_each_whole_loop_serializes_the_workers)
{
	struct diag_list out = DIAG_LIST_INIT;
	struct parsed p;

	cr_assert_eq(serial_fixture("serial-whole.events", 4, &p, &out), 4);
	cr_assert_eq(p.info.workers, 4);
	cr_assert_eq(p.info.peak, 4, "all four alive together: only the lock serializes them");
	for (size_t i = 0; i < p.info.serial.n; i++)
		cr_expect_geq(serial_hold_share(&p.info.serial.v[i], 2000), SERIAL_HOLD_PCT);
	cr_assert_eq(out.n, 1);
	cr_assert_str_eq(out.v[0].kind, "serialized");
	/* The module is not here to be named (it was /SRC): its place is shown instead. */
	cr_assert_str_eq(out.v[0].message,
			 "the 4 workers never ran at the same time: each did its whole work holding "
			 "the mutex at /SRC/build/tests/progs/rlw-serial+0x40c0 (an unknown line), one "
			 "after another; worker 1 waited 25 % of its life for the mutex at "
			 "/SRC/build/tests/progs/rlw-serial+0x40c0");
	diag_list_clear(&out);
	cr_assert_eq(serial_check(&p.info.serial, 8, 4, NULL, NULL, &out), 4);
	cr_assert_eq(out.n, 0, "8 alive, 4 taking turns: 5 ran together, enough for 4");
	parsed_release(&p);
}

Test(rlwatch, counting_locally_and_waiting_on_a_condition_keep_concurrency)
{
	struct diag_list out = DIAG_LIST_INIT;
	struct parsed p;

	cr_assert_eq(serial_fixture("serial-local.events", 4, &p, &out), 0);
	cr_assert_eq(p.info.workers, 4);
	for (size_t i = 0; i < p.info.serial.n; i++)
		cr_expect_lt(serial_hold_share(&p.info.serial.v[i], 2000), SERIAL_HOLD_PCT);
	parsed_release(&p);
	/* A consumer releases the lock while it waits: it takes turns only for its job. */
	cr_assert_eq(serial_fixture("serial-condwait.events", 2, &p, &out), 0);
	cr_assert_eq(p.info.workers, 2);
	cr_assert_eq(out.n, 0);
	parsed_release(&p);
}

Test(rlwatch, forked_children_are_workers_until_reaped)
{
	struct parsed p;

	parse_fixture("serial-fork-all.events", &p);
	cr_assert_eq(p.info.peak, 3);
	parsed_release(&p);
	parse_fixture("serial-fork-each.events", &p);
	cr_assert_eq(p.info.peak, 1, "each child reaped before the next is forked");
	parsed_release(&p);
}

Test(rlwatch, empty_and_missing_input)
{
	struct parsed p;

	parse_text("", 0, NULL, &p);
	cr_assert_eq(p.ret, 0);
	cr_assert_eq(p.info.loaded, 0);
	parse_text(NULL, 0, NULL, &p);
	cr_assert_eq(p.ret, -1);
}

/* --- the symbolizer on a real binary (this one) ---------------------- */

__attribute__((noinline, used)) static int symbolize_marker(int x)
{
	return x * 3 + 1;
}

/* "MODULE+0xOFFSET" for an address of this binary, as the preload writes it. */
static char *frame_token(void *addr)
{
	Dl_info info;
	struct link_map *lm = NULL;
	char exe[PATH_MAX];
	ssize_t n;

	cr_assert(dladdr1(addr, &info, (void **)&lm, RTLD_DL_LINKMAP) && lm);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	cr_assert(n > 0);
	exe[n] = '\0';
	cr_assert(!strchr(exe, ' ') && !strchr(exe, '%'), "path needs escaping: %s", exe);
	return xstrfmt("%s+0x%lx", lm->l_name[0] ? lm->l_name : exe,
		       (unsigned long)((uintptr_t)addr - lm->l_addr));
}

Test(rlwatch, symbolizes_frames_with_srcdir)
{
	char *tok = frame_token((void *)symbolize_marker);
	char *line = xstrfmt("hello 1\nstack-overflow 1 2 0x1000 %s %s\n", tok, tok);
	char *srcdir = realpath(".", NULL);
	struct parsed p;
	const struct frame *f;

	cr_assert_eq(symbolize_marker(1), 4);
	parse_text(line, strlen(line), srcdir, &p);
	cr_assert_eq(p.ret, 1);
	cr_assert_eq(p.diags.v[0].nframes, 1, "identical neighbours are folded");
	f = diag_user_frame(&p.diags.v[0]);
	cr_assert_not_null(f, "no user frame");
	cr_assert_str_eq(f->function, "symbolize_marker");
	cr_assert_str_eq(f->file, "test_rlwatch.c");
	cr_assert_gt(f->line, 0);
	parsed_release(&p);
	free(srcdir);
	free(line);
	free(tok);
}

Test(rlwatch, symbolize_batches_and_decodes)
{
	char *tok = frame_token((void *)symbolize_marker);
	struct sym s[3];

	cr_assert_eq(sym_parse(tok, &s[0]), 0);
	cr_assert_eq(sym_parse(tok, &s[1]), 0);
	cr_assert_eq(sym_parse("/no/such%20module+0x10", &s[2]), 0);
	cr_assert_str_eq(s[2].module, "/no/such module");
	cr_assert_eq(s[2].offset, 0x10);
	cr_assert_eq(symbolize(s, 3), 0);
	cr_assert_str_eq(s[0].function, "symbolize_marker");
	cr_assert_str_eq(s[1].function, "symbolize_marker");
	cr_assert_eq(s[0].line, s[1].line);
	cr_assert_null(s[2].function);
	cr_assert_null(s[2].file);
	for (int i = 0; i < 3; i++)
		sym_release(&s[i]);
	free(tok);
}

Test(rlwatch, sym_parse_rejects_malformed)
{
	static const char *bad[] = {
		"", "+0x10", "mod", "mod+", "mod+0x", "mod+10", "mod+0xzz",
		"mod%2+0x1", "mod%00+0x1", "mod%g0+0x1",
	};
	struct sym s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_assert_eq(sym_parse(bad[i], &s), -1, "accepted \"%s\"", bad[i]);
	cr_assert_eq(sym_parse("a+b+0x1f", &s), 0);
	cr_assert_str_eq(s.module, "a+b");
	cr_assert_eq(s.offset, 0x1f);
	sym_release(&s);
}

/* --- end to end: programs run under the preload ------------------------ */

struct watched_run {
	int status;
	char *events;		/* NULL when the file was never written */
	size_t len;
};

static void run_watched(struct watched_run *r, int watch, const char *prog, const char *arg)
{
	char *dir = test_tmpl("rlwatch");
	char *preload = realpath("../build/librlwatch.so", NULL);
	char *progpath = xstrfmt("../build/tests/progs/%s", prog);
	char *argv[] = { progpath, (char *)arg, NULL };
	struct strvec env = STRVEC_INIT;
	posix_spawn_file_actions_t fa;
	char *events;
	pid_t pid;

	cr_assert_not_null(preload, "build/librlwatch.so is missing: make it first");
	cr_assert_eq(access(progpath, X_OK), 0, "%s is missing: make it first", progpath);
	cr_assert_not_null(mkdtemp(dir));
	events = xstrfmt("%s/events", dir);
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, RLWATCH_ENV "=", strlen(RLWATCH_ENV) + 1))
			strvec_push(&env, *e);
	strvec_pushf(&env, "LD_PRELOAD=%s", preload);
	if (watch)
		strvec_pushf(&env, RLWATCH_ENV "=%s", events);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	cr_assert_eq(posix_spawn(&pid, progpath, &fa, NULL, argv, strvec_argv(&env)), 0);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(waitpid(pid, &r->status, 0), pid);
	r->events = read_file(events, &r->len);
	unlink(events);
	rmdir(dir);
	strvec_clear(&env);
	free(events);
	free(progpath);
	free(preload);
}

static void run_parse(struct watched_run *r, struct parsed *p)
{
	char *srcdir = realpath("progs", NULL);

	cr_assert_not_null(r->events, "the preload wrote no event file");
	parse_text(r->events, r->len, srcdir, p);
	free(srcdir);
}

static int killed_by(const struct watched_run *r, int sig)
{
	return WIFSIGNALED(r->status) && WTERMSIG(r->status) == sig;
}

Test(rlwatch_run, counts_seven_threads)
{
	struct watched_run r;
	struct parsed p;

	run_watched(&r, 1, "rlw-threads", NULL);
	cr_assert(WIFEXITED(r.status) && !WEXITSTATUS(r.status));
	run_parse(&r, &p);
	cr_assert_eq(p.info.loaded, 1);
	cr_assert_eq(p.info.threads_created, 7);
	cr_assert_eq(p.ret, 0);
	parsed_release(&p);
	free(r.events);
}

/* The real thing: the lock named by nm, the line that took it by addr2line. */
Test(rlwatch_run, a_serializing_lock_is_named_with_its_line)
{
	struct diag_list out = DIAG_LIST_INIT;
	struct watched_run r;
	struct parsed p;
	char *srcdir = realpath("progs", NULL);

	run_watched(&r, 1, "rlw-serial", "whole");
	cr_assert(WIFEXITED(r.status) && !WEXITSTATUS(r.status));
	run_parse(&r, &p);
	cr_assert_eq(serial_check(&p.info.serial, p.info.peak, 4, "prog", srcdir, &out), 4);
	cr_assert_eq(out.n, 1);
	cr_expect(strstr(out.v[0].message, "prog: the 4 workers never ran at the same time: "
			 "each did its whole work holding big_lock (rlw-serial.c:") == out.v[0].message,
		  "unexpected message");
	cr_assert_eq(out.v[0].nframes, 1);
	cr_expect_str_eq(out.v[0].frames[0].function, "whole");
	parsed_release(&p);
	diag_list_clear(&out);
	free(r.events);
	free(srcdir);
}

Test(rlwatch_run, silent_without_the_variable)
{
	struct watched_run r;

	run_watched(&r, 0, "rlw-threads", NULL);
	cr_assert(WIFEXITED(r.status) && !WEXITSTATUS(r.status));
	cr_assert_null(r.events, "an event file was written: %.*s", (int)r.len, r.events);
}

static void expect_overflow(const char *arg, const char *who)
{
	struct watched_run r;
	struct parsed p;
	const struct frame *f;

	run_watched(&r, 1, "rlw-stack", arg);
	cr_assert(killed_by(&r, SIGSEGV), "status 0x%x: the program must still die by SIGSEGV",
		  r.status);
	run_parse(&r, &p);
	cr_assert_eq(p.ret, 1);
	cr_assert_str_eq(p.diags.v[0].kind, "stack-overflow");
	cr_assert(strstr(p.diags.v[0].message, who), "%s", p.diags.v[0].message);
	f = diag_user_frame(&p.diags.v[0]);
	cr_assert_not_null(f, "no user frame");
	cr_assert_str_eq(f->function, "recurse");
	cr_assert_str_eq(f->file, "rlw-stack.c");
	cr_assert_gt(f->line, 0);
	parsed_release(&p);
	free(r.events);
}

Test(rlwatch_run, stack_overflow_in_a_thread)
{
	expect_overflow("thread", "thread ");
}

Test(rlwatch_run, stack_overflow_in_main)
{
	expect_overflow("main", "the main thread");
}

Test(rlwatch_run, null_dereference_is_not_a_stack_overflow)
{
	struct watched_run r;
	struct parsed p;

	run_watched(&r, 1, "rlw-segv", NULL);
	cr_assert(killed_by(&r, SIGSEGV), "status 0x%x", r.status);
	run_parse(&r, &p);
	cr_assert_eq(p.info.loaded, 1);
	cr_assert_eq(p.info.threads_created, 1);
	cr_assert_eq(p.ret, 0, "classified: %s", p.ret > 0 ? p.diags.v[0].message : "");
	parsed_release(&p);
	free(r.events);
}

/*
 * Both variants in one test: each pins its threads to one CPU under
 * SCHED_FIFO, and two such runs at once would share that CPU.
 */
Test(rlwatch_run, priority_inversion_plain_not_pi, .timeout = 60)
{
	struct watched_run r;
	struct parsed p;
	const struct frame *f;

	run_watched(&r, 1, "rlw-inversion", "plain");
	if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 77) {
		free(r.events);
		cr_skip_test("SCHED_FIFO is refused here");
	}
	cr_assert(WIFEXITED(r.status) && !WEXITSTATUS(r.status), "status 0x%x", r.status);
	run_parse(&r, &p);
	cr_assert_eq(p.info.threads_created, 3);
	cr_assert_eq(p.ret, 1);
	cr_assert_str_eq(p.diags.v[0].kind, "priority-inversion");
	cr_assert(strstr(p.diags.v[0].message, "(priority 30) waited"), "%s",
		  p.diags.v[0].message);
	f = diag_user_frame(&p.diags.v[0]);
	cr_assert_not_null(f, "no user frame");
	cr_assert_str_eq(f->function, "high");
	cr_assert_str_eq(f->file, "rlw-inversion.c");
	parsed_release(&p);
	free(r.events);

	run_watched(&r, 1, "rlw-inversion", "pi");
	cr_assert(WIFEXITED(r.status) && !WEXITSTATUS(r.status), "status 0x%x", r.status);
	run_parse(&r, &p);
	cr_assert_eq(p.info.threads_created, 3);
	cr_assert_eq(p.ret, 0, "reported with PTHREAD_PRIO_INHERIT: %s",
		     p.ret > 0 ? p.diags.v[0].message : "");
	parsed_release(&p);
	free(r.events);
}
