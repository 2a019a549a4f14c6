#include "runner.h"
#include "parse.h"
#include "rlwatch.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ORPHAN_GRACE_MS 200

/* Untrusted programs run as this user when racelab runs as root. */
static int run_as_user;
static uid_t run_uid;
static gid_t run_gid;

void runner_setup_user(void)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return;
	pw = getpwnam("nobody");
	if (!pw) {
		warning("no user 'nobody': programs will run as root");
		return;
	}
	run_as_user = 1;
	run_uid = pw->pw_uid;
	run_gid = pw->pw_gid;
}

void runner_user(struct child_process *cp)
{
	cp->run_as_user = run_as_user;
	cp->uid = run_uid;
	cp->gid = run_gid;
}

static int make_run_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return error_errno("cannot create %s", path);
	if (run_as_user && chown(path, run_uid, run_gid) < 0)
		return error_errno("cannot hand %s to the run user", path);
	return 0;
}

int run_start(struct run *r, const struct run_spec *s, int serial)
{
	const struct tool *t = s->tool;
	struct watch_opts wo = { s->stall_ms, t->valgrind };

	memset(r, 0, sizeof(*r));
	r->spec = s;
	r->cp = (struct child_process)CHILD_PROCESS_INIT;
	strbuf_init(&r->describe, 0);
	r->dir = xstrfmt("%s/run-%d", s->workdir, serial);
	r->cwd = xstrfmt("%s/cwd", r->dir);
	r->logdir = xstrfmt("%s/logs", r->dir);
	r->out = xstrfmt("%s/stdout", r->dir);
	r->err = xstrfmt("%s/stderr", r->dir);
	r->wfile = xstrfmt("%s/watch.log", r->logdir);
	r->start = now_ms();
	if (make_run_dir(r->dir) < 0 || make_run_dir(r->cwd) < 0 || make_run_dir(r->logdir) < 0) {
		r->start_failed = 1;
		r->start_error = xstrfmt("cannot create the run directory %s", r->dir);
		return -1;
	}

	env_base(&r->cp.env, r->cwd);
	tool_prepare(t, r->logdir, &r->cp.args, &r->cp.env);
	if (t->flavor == FLAVOR_NATIVE && !t->valgrind && s->preload) {
		strvec_pushf(&r->cp.env, "LD_PRELOAD=%s", s->preload);
		strvec_pushf(&r->cp.env, "%s=%s", RLWATCH_ENV, r->wfile);
	}
	strvec_push(&r->cp.args, s->binary);
	for (size_t i = 0; s->args && i < s->args->n; i++)
		strvec_push(&r->cp.args, s->args->v[i]);
	r->cp.dir = r->cwd;
	r->cp.stdout_path = r->out;
	r->cp.stderr_path = r->err;
	r->cp.run_as_user = run_as_user;
	r->cp.uid = run_uid;
	r->cp.gid = run_gid;
	r->cp.keep_sys_nice = s->realtime;

	if (start_command(&r->cp) < 0) {
		r->start_failed = 1;
		r->start_error = xstrfmt("cannot start %s", r->cp.args.v[0]);
		return -1;
	}
	r->start = now_ms();
	r->deadline = r->start + s->timeout_ms;
	r->watch = watch_new(r->cp.pid, &wo);
	return 0;
}

static unsigned long long output_size(const struct run *r)
{
	struct stat a, b;
	unsigned long long n = 0;

	if (!stat(r->out, &a))
		n += (unsigned long long)a.st_size;
	if (!stat(r->err, &b))
		n += (unsigned long long)b.st_size;
	return n;
}

/*
 * Processes of the run still alive after the program ended are orphans.
 * Helpers that end with it on their own (a sanitizer's symbolizer reading
 * EOF) get a moment to do so first.
 */
static void note_orphans(struct run *r)
{
	struct strvec left = STRVEC_INIT;
	uint64_t until = now_ms() + ORPHAN_GRACE_MS;

	while (watch_leftovers(r->cp.pid, &left) > 0 && now_ms() < until) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		strvec_clear(&left);
		nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < left.n; i++)
		strvec_push(&r->orphans, left.v[i]);
	strvec_clear(&left);
}

static void stop(struct run *r, enum hang h)
{
	r->hang = h;
	r->hang_after_ms = now_ms() - r->start;
	watch_describe(r->watch, &r->describe, !r->spec->tool->valgrind);
	kill_command(&r->cp, 300);
	r->killed = 1;
}

int run_poll(struct run *r, uint64_t now)
{
	int done;
	unsigned long long out;
	enum hang h;

	if (r->start_failed || r->killed)
		return 1;
	done = poll_command(&r->cp);
	if (done) {
		note_orphans(r);
		/* Whatever the program left behind dies with it. */
		kill_session(r->cp.pid);
		return 1;
	}
	out = output_size(r);
	if (out != r->last_output) {
		r->last_output = out;
		r->progress++;
	}
	h = watch_sample(r->watch, now, r->progress);
	if (h != HANG_NONE) {
		stop(r, h);
		return 1;
	}
	if (now >= r->deadline) {
		stop(r, HANG_TIMEOUT);
		return 1;
	}
	return 0;
}

/* Text a checker prints when the environment, not the program, is at fault. */
static const char *broken_markers[] = {
	"unexpected memory mapping",
	"LeakSanitizer has encountered a fatal error",
	"Shadow memory range interleaves with an existing memory mapping",
	"failed to allocate",
	NULL,
};

static const char *valgrind_broken[] = {
	"the 'impossible' happened",
	"Valgrind: FATAL",
	"valgrind: m_",
	"Assertion '",
	NULL,
};

static int has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* One --xml-file: the program's document and those its forked children nested in it. */
/* Processes whose Valgrind document ended normally, with no fatal signal. */
struct vg_exits {
	int *pids;
	size_t n, alloc;
};

static int vg_exited_normally(const struct vg_exits *e, int pid)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->pids[i] == pid)
			return 1;
	return 0;
}

static void parse_vg_docs(struct run *r, struct result *res, const char *text, size_t len,
			  const char *path, int *vg_docs, struct vg_exits *exits)
{
	struct parse_ctx ctx = { r->spec->srcdir, r->killed };
	struct strvec docs = STRVEC_INIT;
	int fatal = 0;

	valgrind_split_docs(text, len, &docs);
	for (size_t i = 0; i < docs.n; i++) {
		struct vg_info info;

		memset(&info, 0, sizeof(info));
		if (parse_valgrind_xml(docs.v[i], strlen(docs.v[i]), &ctx, &res->diags, &info) < 0)
			continue;
		(*vg_docs)++;
		fatal |= info.fatal_signal;
		if (info.finished && !info.fatal_signal && info.pid > 0) {
			ALLOC_GROW(exits->pids, exits->n + 1, exits->alloc);
			exits->pids[exits->n++] = info.pid;
		}
	}
	strvec_clear(&docs);
	/*
	 * Valgrind completes its XML even when the program dies by a signal: a
	 * file with no finished document means Valgrind itself failed. (A
	 * forked child's document may stay open: racelab killed it as an
	 * orphan, and it cannot always be told apart from the parent's.)
	 */
	if (!strstr(text, "<state>FINISHED</state>") && !fatal && !r->killed && !res->broken) {
		res->broken = 1;
		res->reason = xstrfmt("valgrind stopped before finishing its report (see %s)", path);
	}
}

static void parse_logs(struct run *r, struct result *res, struct rlwatch_info *rw,
		       int *vg_docs)
{
	struct parse_ctx ctx = { r->spec->srcdir, r->killed };
	DIR *d = opendir(r->logdir);
	struct dirent *de;
	struct strvec names = STRVEC_INIT, fd_logs = STRVEC_INIT;
	struct vg_exits exits = { NULL, 0, 0 };

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			strvec_push(&names, de->d_name);
	closedir(d);
	/* Process logs in a stable order: by name (pid order within a tool). */
	for (size_t i = 1; i < names.n; i++)
		for (size_t j = i; j > 0 && strcmp(names.v[j - 1], names.v[j]) > 0; j--) {
			char *t = names.v[j]; names.v[j] = names.v[j - 1]; names.v[j - 1] = t;
		}

	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		char *path = xstrfmt("%s/%s", r->logdir, name);
		size_t len;
		char *text = read_file(path, &len);

		if (!text) {
			free(path);
			continue;
		}
		if (has_prefix(name, "tsan.") || has_prefix(name, "asan.")) {
			for (const char **m = broken_markers; *m; m++)
				if (strstr(text, *m) && !res->broken) {
					res->broken = 1;
					res->reason = xstrfmt("the checker failed: \"%s\" (see %s)", *m, path);
				}
			parse_sanitizer_log(text, len, &ctx, &res->diags);
		} else if (has_prefix(name, "vg.") && has_suffix(name, ".xml")) {
			parse_vg_docs(r, res, text, len, path, vg_docs, &exits);
		} else if (has_prefix(name, "vg.") && has_suffix(name, ".log")) {
			strvec_push(&fd_logs, path);
			for (const char **m = valgrind_broken; *m; m++)
				if (strstr(text, *m) && !res->broken) {
					res->broken = 1;
					res->reason = xstrfmt("valgrind failed: \"%s\" (see %s)", *m, path);
				}
		} else if (!strcmp(name, "watch.log")) {
			rlwatch_parse(text, len, r->spec->srcdir, &res->diags, rw);
		}
		free(text);
		free(path);
	}
	/*
	 * Open descriptors count only for processes that ended on their own
	 * (a pipeline's producer), not for those killed by a signal or by
	 * racelab: those had no chance to close anything.
	 */
	for (size_t i = 0; i < fd_logs.n && !strcmp(r->spec->tool->name, "memcheck"); i++) {
		const char *base = strrchr(fd_logs.v[i], '/') + 1;
		size_t len;
		char *text;

		if (!vg_exited_normally(&exits, atoi(base + 3)) || !(text = read_file(fd_logs.v[i], &len)))
			continue;
		parse_valgrind_fds(text, len, &ctx, &res->diags);
		free(text);
	}
	strvec_clear(&fd_logs);
	free(exits.pids);
	strvec_clear(&names);
}

static int has_kind(const struct diag_list *l, const char *kind)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].kind, kind))
			return 1;
	return 0;
}

/* What the watch saw of the run's processes: zombies and orphans. */
static void add_processes(struct run *r, struct result *res)
{
	struct strvec z = STRVEC_INIT;

	if (r->watch)
		watch_zombies(r->watch, &z);
	for (size_t i = 0; i < z.n; i++)
		diag_list_push(&res->diags, "zombie", "watch", z.v[i]);
	for (size_t i = 0; i < r->orphans.n; i++)
		diag_list_push(&res->diags, "orphan", "watch", r->orphans.v[i]);
	strvec_clear(&z);
}

static void add_hang(struct run *r, struct result *res)
{
	const char *name = hang_name(r->hang);
	struct diag *d;
	char *msg;

	switch (r->hang) {
	case HANG_DEADLOCK:
		msg = xstrfmt("every thread blocked for %.1f s with no CPU used; stopped after %.1f s",
			      watch_window_ms(r->watch, r->hang) / 1000.0,
			      (now_ms() - r->start) / 1000.0);
		break;
	case HANG_LIVELOCK:
		/* The watch waits longer under Valgrind, which serializes threads. */
		msg = xstrfmt("threads kept running for %.1f s without progress; stopped after %.1f s",
			      watch_window_ms(r->watch, r->hang) / 1000.0,
			      (now_ms() - r->start) / 1000.0);
		break;
	default:
		msg = xstrfmt("did not end within %.1f s", r->spec->timeout_ms / 1000.0);
		break;
	}
	d = diag_list_push(&res->diags, name, "watch", msg);
	free(msg);
	if (r->describe.len)
		d->detail = xstrdup(r->describe.buf);
}

/* Adds a wrong-output diagnostic when the oracle is not met. */
static void check_oracle(struct run *r, struct result *res, const struct rlwatch_info *rw)
{
	const struct oracle *o = r->spec->oracle;
	int native = !strcmp(r->spec->tool->name, "native");
	struct strbuf why = STRBUF_INIT;

	if (o->stdout_re) {
		regex_t re;
		char *out = read_file(r->out, NULL);
		int rc = regcomp(&re, o->stdout_re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);

		if (!rc) {
			if (!out || regexec(&re, out, 0, NULL, 0))
				strbuf_addf(&why, "no line of the output matches /%s/; ", o->stdout_re);
			regfree(&re);
		}
		free(out);
	}
	/* A checker that reported something chose the exit status itself
	 * (TSan 66, Valgrind 99, ASan 1): only a quiet run's status is the program's. */
	if (o->has_exit && res->exit_code != o->exit_code && (native || !res->diags.n)) {
		if (res->exit_code >= 0)
			strbuf_addf(&why, "exit status %d, expected %d; ", res->exit_code, o->exit_code);
		else
			strbuf_addf(&why, "no exit status (expected %d); ", o->exit_code);
	}
	if (native && o->threads > 0) {
		int seen = rw->loaded ? rw->threads_created : watch_max_threads(r->watch) - 1;
		if (seen < o->threads)
			strbuf_addf(&why, "%d thread%s created, at least %d expected; ",
				    seen, seen == 1 ? "" : "s", o->threads);
	}
	if (why.len) {
		strbuf_setlen(&why, why.len - 2);
		diag_list_push(&res->diags, "wrong-output", "oracle", why.buf);
	}
	strbuf_release(&why);
}

void run_collect(struct run *r, struct result *res)
{
	const struct run_spec *s = r->spec;
	struct rlwatch_info rw = { 0, 0 };
	int vg_docs = 0;

	res->duration_ms = now_ms() - r->start;
	res->runs = 1;
	res->variant = s->variant;
	res->tool = s->tool;
	if (r->start_failed) {
		res->status = STATUS_ERROR;
		res->broken = 1;
		res->reason = xstrdup(r->start_error ? r->start_error : "the run could not start");
		return;
	}
	if (WIFEXITED(r->cp.status))
		res->exit_code = WEXITSTATUS(r->cp.status);
	else if (WIFSIGNALED(r->cp.status))
		res->signal = WTERMSIG(r->cp.status);
	res->hang = r->hang;
	res->hang_after_ms = r->hang_after_ms;
	res->timed_out = r->hang == HANG_TIMEOUT;

	parse_logs(r, res, &rw, &vg_docs);
	add_processes(r, res);
	if (r->hang != HANG_NONE)
		add_hang(r, res);
	else if (res->signal && !has_kind(&res->diags, "crash") &&
		 !has_kind(&res->diags, "stack-overflow")) {
		char *msg = xstrfmt("killed by signal %d (%s)", res->signal, strsignal(res->signal));
		diag_list_push(&res->diags, "crash", "signal", msg);
		free(msg);
	}

	if (!res->broken && s->tool->valgrind && !vg_docs) {
		res->broken = 1;
		res->reason = xstrfmt("valgrind wrote no report (see %s)", r->logdir);
	}
	if (!res->broken && !r->killed && res->diags.n == 0 &&
	    ((s->tool->flavor == FLAVOR_TSAN && res->exit_code == 66) ||
	     (s->tool->valgrind && res->exit_code == 99))) {
		res->broken = 1;
		res->reason = xstrfmt("%s reported an error that racelab could not read (see %s)",
				      s->tool->name, r->logdir);
	}
	/* A hang or a death by signal is reported as such; the oracle would only repeat it. */
	if (s->oracle && r->hang == HANG_NONE && !res->signal &&
	    (s->oracle_on_every_tool || !strcmp(s->tool->name, "native")))
		check_oracle(r, res, &rw);

	if (res->broken) {
		res->status = STATUS_ERROR;
		return;
	}
	if (!s->expect) {
		res->status = res->diags.n ? STATUS_FAIL : STATUS_PASS;
		return;
	}
	res->status = match_expectation(s->expect, &res->diags, &res->match) ?
		STATUS_PASS : STATUS_FAIL;
}

void run_clear(struct run *r)
{
	if (r->watch)
		watch_free(r->watch);
	if (!r->cp.finished && r->cp.pid > 0)
		kill_command(&r->cp, 0);
	child_process_clear(&r->cp);
	strbuf_release(&r->describe);
	strvec_clear(&r->orphans);
	free(r->dir);
	free(r->cwd);
	free(r->logdir);
	free(r->out);
	free(r->err);
	free(r->wfile);
	free(r->start_error);
}
