/*
 * What a hung run was doing: each process of it and each thread, its
 * state, the system call it waits in and, with gdb, its stack.
 */
#include "watch.h"
#include "watch-int.h"
#include "proc.h"
#include "run-command.h"
#include "runner.h"
#include "sandbox.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GDB_TIMEOUT_MS      5000
#define GDB_MAX_PROCS       8
#define VGDB_INVOKE_MS      "10"	/* vgdb's --max-invoke-ms: see run_vgdb */


/* One gdb frame kept for a thread: "#N function (file:line)". */
struct gdb_thread {
	pid_t tid;
	struct strbuf frames;
	int kept;		/* frames kept: numbered from the first of the program's own */
	int checker;		/* the checker's own thread (TSan's background thread) */
};

struct gdb_out {
	struct gdb_thread *t;
	size_t nr, alloc;
};

/* Run gdb on pid with its stdout into `out`; stopped after GDB_TIMEOUT_MS. */
static int run_gdb(pid_t pid, struct strbuf *out)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	int ret;

	/*
	 * No separate debug info (the C library's, from libc6-dbg): only
	 * frames with the program's own sources are kept, and reading the C
	 * library's cost gdb more than half of its time.
	 */
	static const char *const args[] = {
		"-batch", "-nx", "-iex", "set debug-file-directory",
		"-ex", "set debuginfod enabled off", "-ex", "set pagination off",
		"-ex", "thread apply all bt", "-p",
	};

	strvec_push(&cp.args, "gdb");
	for (size_t i = 0; i < sizeof(args) / sizeof(*args); i++)
		strvec_push(&cp.args, args[i]);
	strvec_pushf(&cp.args, "%d", (int)pid);
	env_base(&cp.env, NULL);
	cp.no_rlimits = 1;
	ret = capture_command(&cp, out, GDB_TIMEOUT_MS);
	child_process_clear(&cp);
	/* What gdb printed before a timeout is still worth showing. */
	return ret < 0 && !out->len ? -1 : 0;
}

static struct gdb_thread *gdb_thread(struct gdb_out *g, pid_t tid)
{
	ALLOC_GROW(g->t, g->nr + 1, g->alloc);
	g->t[g->nr].tid = tid;
	g->t[g->nr].kept = 0;
	g->t[g->nr].checker = 0;
	strbuf_init(&g->t[g->nr].frames, 0);
	return &g->t[g->nr++];
}

/*
 * The C library's own frames: had gdb found its debug info anyway (it is
 * told where not to look, run_gdb) they would carry build-relative
 * sources such as ./nptl/pthread_mutex_lock.c.
 */
static int libc_source(const char *file)
{
	static const char *dirs[] = {
		"nptl/", "sysdeps/", "stdlib/", "misc/", "io/", "libio/", "posix/",
		"signal/", "elf/", "string/", "csu/", "malloc/", "stdio-common/",
		"time/", "socket/", "dlfcn/", NULL,
	};

	if (!strncmp(file, "./", 2))
		file += 2;
	else if (!strncmp(file, "../", 3))
		file += 3;
	else
		return 0;
	for (const char **d = dirs; *d; d++)
		if (!strncmp(file, *d, strlen(*d)))
			return 1;
	return 0;
}

/*
 * One frame line: "#1  0x... in func (args) at file.c:23" or
 * "#0  func (args) at file.c:23". Only frames with a source file outside
 * the C library are kept: the program's own.
 */
static void gdb_frame(struct gdb_thread *t, const char *line)
{
	const char *num = line + 1, *p, *fn, *fn_end, *at, *next;

	p = num + strspn(num, "0123456789");
	if (p == num || !(at = strstr(p, ") at ")))
		return;
	/* the last one: arguments may hold ") at " too */
	while ((next = strstr(at + 5, ") at ")))
		at = next;
	/* the C library's frames and racelab's own preload say nothing to a student */
	if (libc_source(at + 5) || strstr(at + 5, "harness/preload/"))
		return;
	fn = p + strspn(p, " ");
	if (!strncmp(fn, "0x", 2) && (next = strstr(fn, " in ")))
		fn = next + 4;
	fn_end = fn + strcspn(fn, " (");
	strbuf_addf(&t->frames, "    #%d %.*s (%s)\n", t->kept++, (int)(fn_end - fn), fn, at + 5);
}

static void parse_gdb(const char *text, struct gdb_out *g)
{
	struct gdb_thread *cur = NULL;
	char *copy = xstrdup(text), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *lwp;

		if (!strncmp(line, "Thread ", 7) && (lwp = strstr(line, "(LWP ")))
			cur = gdb_thread(g, (pid_t)strtol(lwp + 5, NULL, 10));
		else if (line[0] == '#' && cur && strstr(line, "__tsan::BackgroundThread"))
			cur->checker = 1;
		else if (line[0] == '#' && cur)
			gdb_frame(cur, line);
	}
	free(copy);
}

/*
 * Valgrind's view of its guest threads (vgdb "v.info scheduler"): a
 * "Thread N: status = ... (lwpid L)" line, then "==P==    at|by 0xADDR:
 * function (file:line)" frames. gdb on a Valgrind process would show the
 * tool's own host threads, which say nothing about the program.
 */
/* Address ranges of the guest program in a Valgrind process: the mappings of its executable. */
struct ranges {
	uintptr_t lo[16], hi[16];
	size_t n;
};

static void program_ranges(struct strbuf *sb, pid_t pid, struct ranges *r)
{
	const char *exe = NULL;
	char *save = NULL, *line;

	r->n = 0;
	/* argv: valgrind.bin, its options, then the program */
	if (proc_read(sb, "/proc/%d/cmdline", pid, 0) < 0)
		return;
	for (size_t i = 0; i < sb->len; i += strlen(sb->buf + i) + 1)
		if (i && sb->buf[i] != '-') {
			exe = sb->buf + i;
			break;
		}
	if (!exe)
		return;
	exe = xstrdup(exe);
	if (proc_read(sb, "/proc/%d/maps", pid, 0) == 0)
		for (line = strtok_r(sb->buf, "\n", &save); line && r->n < 16;
		     line = strtok_r(NULL, "\n", &save)) {
			const char *path = strchr(line, '/');
			unsigned long lo, hi;

			if (path && !strcmp(path, exe) && sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
				r->lo[r->n] = lo;
				r->hi[r->n++] = hi;
			}
		}
	free((char *)exe);
}

static int in_ranges(const struct ranges *r, uintptr_t a)
{
	for (size_t i = 0; i < r->n; i++)
		if (a >= r->lo[i] && a < r->hi[i])
			return 1;
	return 0;
}

static void parse_vgdb(const char *text, const struct ranges *prog, struct gdb_out *g)
{
	struct gdb_thread *cur = NULL;
	char *copy = xstrdup(text), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *lwp, *fr, *colon, *open;
		size_t len;

		if (!strncmp(line, "Thread ", 7) && (lwp = strstr(line, "(lwpid "))) {
			cur = gdb_thread(g, (pid_t)strtol(lwp + 7, NULL, 10));
			continue;
		}
		if (!cur || line[0] != '=' || !((fr = strstr(line, "    at 0x")) || (fr = strstr(line, "    by 0x"))))
			continue;
		/* "function (file:line)" in the program's own code, not a library's */
		if (!(colon = strstr(fr, ": ")) || !(open = strrchr(colon, '(')) || !strchr(open, ':') ||
		    !strncmp(open, "(in ", 4) || !in_ranges(prog, strtoull(fr + 7, NULL, 16)))
			continue;
		len = strlen(open + 1);
		strbuf_addf(&cur->frames, "    #%d %.*s (%.*s)\n", cur->kept++, (int)(open - colon - 3),
			    colon + 2, (int)(len - 1), open + 1);
	}
	free(copy);
}

/* Run vgdb on a Valgrind process: its guest threads' stacks into out. */
static int run_vgdb(const struct watch *w, pid_t pid, struct strbuf *out)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	int ret;

	strvec_push(&cp.args, "vgdb");
	strvec_pushf(&cp.args, "--vgdb-prefix=%s", w->o.vgdb_prefix);
	/* Valgrind names its pipes with the pid it has inside the run's namespace. */
	strvec_pushf(&cp.args, "--pid=%d", (int)sandbox_pid(w->o.sb, pid));
	/*
	 * Every guest thread of a hung program waits in a system call, where
	 * Valgrind never looks for vgdb: vgdb must force its way in (ptrace),
	 * after 100 ms by default, a wait with no CPU used.
	 */
	strvec_push(&cp.args, "--max-invoke-ms=" VGDB_INVOKE_MS);
	strvec_push(&cp.args, "v.info scheduler");
	env_base(&cp.env, NULL);
	cp.no_rlimits = 1;
	/* As the run's user: vgdb wakes a blocked Valgrind with ptrace, as its owner. */
	runner_user(&cp);
	if (w->o.sb)
		sandbox_child(w->o.sb, &cp);
	ret = capture_command(&cp, out, GDB_TIMEOUT_MS);
	child_process_clear(&cp);
	return ret == 0 ? 0 : -1;
}

static const struct gdb_thread *gdb_find(const struct gdb_out *g, pid_t tid)
{
	for (size_t i = 0; i < g->nr; i++)
		if (g->t[i].tid == tid)
			return &g->t[i];
	return NULL;
}

static const char *state_name(char s)
{
	switch (s) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'D': return "in uninterruptible wait";
	case 'T': return "stopped";
	case 't': return "stopped by a tracer";
	case 'Z': return "zombie";
	case 'X': return "dead";
	case 'I': return "idle";
	default: return "in an unknown state";
	}
}

/* One line for a thread, read before gdb stops the process to attach. */
struct thread_line {
	pid_t tid;
	char *text;
};

/* The names of one process: the kernel's, and the one shown (proc_program_name). */
struct proc_names {
	char comm[20], shown[20];
};

static char *thread_line(struct watch *w, const struct proc_names *pn, pid_t pid, pid_t tid)
{
	struct strbuf out = STRBUF_INIT;
	struct thr t;
	struct proc_syscall wh;

	if (watch_read_thread(&w->buf, pid, tid, &t) < 0 ||
	    proc_read(&w->buf, "/proc/%d/task/%d/comm", pid, tid) < 0)
		return NULL;	/* it ended meanwhile */
	strbuf_rtrim(&w->buf);
	/* A thread not named by the program has its process's name: under Valgrind, the program's. */
	strbuf_addf(&out, "  thread %d %s: %s", (int)tid,
		    strcmp(w->buf.buf, pn->comm) ? w->buf.buf : pn->shown, state_name(t.state));
	proc_syscall(&w->buf, t.pid, t.tid, &wh);
	if (wh.name)
		strbuf_addf(&out, " in %s%s", wh.name, wh.timed ? " (with a timeout)" : "");
	else if (wh.nr >= 0)
		strbuf_addf(&out, " in syscall %ld", wh.nr);
	if (!proc_read(&w->buf, "/proc/%d/task/%d/wchan", pid, tid) &&
	    w->buf.len && strcmp(w->buf.buf, "0"))
		strbuf_addf(&out, ", wchan %s", w->buf.buf);
	strbuf_addch(&out, '\n');
	return strbuf_detach(&out, NULL);
}

struct line_scan {
	struct watch *w;
	struct proc_names names;	/* of the process whose threads are read */
	struct thread_line *v;
	size_t n, alloc;
};

static int note_line(pid_t pid, pid_t tid, void *data)
{
	struct line_scan *ls = data;
	char *text = thread_line(ls->w, &ls->names, pid, tid);

	if (text) {
		ALLOC_GROW(ls->v, ls->n + 1, ls->alloc);
		ls->v[ls->n].tid = tid;
		ls->v[ls->n++].text = text;
	}
	return 0;
}

static void describe_process(struct watch *w, struct strbuf *out, pid_t pid, int use_gdb)
{
	struct gdb_out g = { NULL, 0, 0 };
	struct thread_line *lines;
	size_t nr;
	struct line_scan ls = { w, { "", "" }, NULL, 0, 0 };
	int program_next = 1;

	if (proc_read(&w->buf, "/proc/%d/cmdline", pid, 0) < 0)
		return;
	strbuf_addf(out, "process %d:", (int)pid);
	if (!w->buf.len)
		strbuf_addstr(out, " (no command line)");
	/*
	 * NUL-separated argv. Neither the checker's long options nor the
	 * folder racelab runs the binaries from say anything to the student:
	 * the program (after Valgrind, when it runs it) by its file name.
	 */
	for (size_t i = 0; i < w->buf.len; i += strlen(w->buf.buf + i) + 1) {
		const char *arg = w->buf.buf + i, *slash = strrchr(arg, '/'), *name;

		if (!strncmp(arg, "--", 2) && strncmp(arg, "--tool=", 7))
			continue;
		if (!program_next || arg[0] == '-') {
			strbuf_addf(out, " %s", arg);
			continue;
		}
		name = slash ? slash + 1 : arg;
		program_next = !strncmp(name, "valgrind", 8);
		strbuf_addf(out, " %s", strcmp(name, "valgrind.bin") ? name : "valgrind");
	}
	strbuf_addch(out, '\n');
	proc_comm(pid, ls.names.comm, sizeof(ls.names.comm));
	proc_program_name(pid, ls.names.shown, sizeof(ls.names.shown));
	proc_each_task(pid, note_line, &ls);
	lines = ls.v;
	nr = ls.n;
	if (use_gdb) {
		struct strbuf text = STRBUF_INIT;

		if (w->o.vgdb_prefix) {
			struct ranges prog;

			program_ranges(&w->buf, pid, &prog);
			if (!run_vgdb(w, pid, &text))
				parse_vgdb(text.buf, &prog, &g);
		} else if (!run_gdb(pid, &text)) {
			parse_gdb(text.buf, &g);
		}
		strbuf_release(&text);
	}
	for (size_t i = 0; i < nr; i++) {
		/* vgdb, inside the run's namespace, numbers threads as the run sees them */
		const struct gdb_thread *gt = gdb_find(&g, w->o.vgdb_prefix ?
						       sandbox_pid(w->o.sb, lines[i].tid) : lines[i].tid);

		/* Only the program's threads: a checker's own says nothing to a student. */
		if (!gt || !gt->checker) {
			strbuf_addstr(out, lines[i].text);
			strbuf_addstr(out, gt ? gt->frames.buf : "");
		}
		free(lines[i].text);
	}
	free(lines);
	for (size_t i = 0; i < g.nr; i++)
		strbuf_release(&g.t[i].frames);
	free(g.t);
}

void watch_describe(struct watch *w, struct strbuf *out, int use_gdb)
{
	pid_t *pids;
	size_t nr, shown = 0;

	if (use_gdb && !on_path("gdb"))
		use_gdb = 0;
	watch_run_pids(w, 0, &pids, &nr);
	for (size_t i = 0; i < nr; i++)
		if (!watch_checker_helper(pids[i]))
			describe_process(w, out, pids[i], use_gdb && shown++ < GDB_MAX_PROCS);
	free(pids);
}
