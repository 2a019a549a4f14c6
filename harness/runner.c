#include "runner.h"
#include "excerpt.h"
#include "net.h"
#include "pipes.h"
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

/* s with every {port} replaced by the run's port. */
static char *expand_port(const char *s, int port)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	while ((p = strstr(s, PORT_PLACEHOLDER))) {
		strbuf_add(&sb, s, p - s);
		strbuf_addf(&sb, "%d", port);
		s = p + strlen(PORT_PLACEHOLDER);
	}
	strbuf_addstr(&sb, s);
	return strbuf_detach(&sb, NULL);
}

static int uses_port(const struct run_spec *s)
{
	for (size_t i = 0; i < s->nprogs; i++) {
		const struct run_prog *p = &s->progs[i];

		for (size_t k = 0; p->args && k < p->args->n; k++)
			if (strstr(p->args->v[k], PORT_PLACEHOLDER))
				return 1;
		for (size_t k = 0; p->env && k < p->env->n; k++)
			if (strstr(p->env->v[k], PORT_PLACEHOLDER))
				return 1;
	}
	return 0;
}

/* A name for messages: the program's ("server"), or "the program" for a single one. */
static const char *proc_name(const struct run_proc *p)
{
	return p->prog->name ? p->prog->name : "the program";
}

static int proc_start(struct run *r, struct run_proc *p)
{
	const struct run_spec *s = r->spec;
	const struct run_prog *pg = p->prog;
	const struct tool *t = s->tool;
	struct watch_opts wo = { s->stall_ms, t->valgrind, r->cwd };

	env_base(&p->cp.env, r->cwd);
	if (pg->checked) {
		tool_prepare(t, r->logdir, &p->cp.args, &p->cp.env);
		if (t->flavor == FLAVOR_NATIVE && !t->valgrind && s->preload) {
			strvec_pushf(&p->cp.env, "LD_PRELOAD=%s", s->preload);
			strvec_pushf(&p->cp.env, "%s=%s", RLWATCH_ENV, p->wfile);
		}
	}
	/* last: lab.ini cannot set what racelab sets (lab.c refuses those names) */
	for (size_t i = 0; pg->env && i < pg->env->n; i++) {
		char *v = expand_port(pg->env->v[i], r->port);
		strvec_push(&p->cp.env, v);
		free(v);
	}
	strvec_push(&p->cp.args, pg->binary);
	for (size_t i = 0; pg->args && i < pg->args->n; i++) {
		char *v = expand_port(pg->args->v[i], r->port);
		strvec_push(&p->cp.args, v);
		free(v);
	}
	p->cp.dir = r->cwd;
	p->cp.stdout_path = p->out;
	p->cp.stderr_path = p->err;
	runner_user(&p->cp);
	p->cp.keep_sys_nice = s->realtime;
	if (start_command(&p->cp) < 0) {
		r->start_failed = 1;
		r->start_error = xstrfmt("cannot start %s", pg->binary);
		return -1;
	}
	p->started = 1;
	if (!r->watch)
		r->watch = watch_new(p->cp.pid, &wo);
	else
		watch_add_session(r->watch, p->cp.pid);
	return 0;
}

/* Start every program of the given role. */
static int start_role(struct run *r, enum prog_role role)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].prog->role == role && proc_start(r, &r->procs[i]) < 0)
			return -1;
	return 0;
}

static struct run_proc *server_of(struct run *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].prog->role == ROLE_SERVER)
			return &r->procs[i];
	return NULL;
}

int run_start(struct run *r, const struct run_spec *s, int serial)
{
	memset(r, 0, sizeof(*r));
	r->spec = s;
	strbuf_init(&r->describe, 0);
	r->dir = xstrfmt("%s/run-%d", s->workdir, serial);
	r->cwd = xstrfmt("%s/cwd", r->dir);
	r->logdir = xstrfmt("%s/logs", r->dir);
	r->nprocs = s->nprogs;
	for (size_t i = 0; i < r->nprocs; i++) {
		struct run_proc *p = &r->procs[i];
		const char *name = s->progs[i].name;

		p->prog = &s->progs[i];
		p->cp = (struct child_process)CHILD_PROCESS_INIT;
		if (name) {
			p->out = xstrfmt("%s/%s.stdout", r->dir, name);
			p->err = xstrfmt("%s/%s.stderr", r->dir, name);
			p->wfile = xstrfmt("%s/watch.%s.log", r->logdir, name);
		} else {
			p->out = xstrfmt("%s/stdout", r->dir);
			p->err = xstrfmt("%s/stderr", r->dir);
			p->wfile = xstrfmt("%s/watch.log", r->logdir);
		}
	}
	r->start = now_ms();
	if (make_run_dir(r->dir) < 0 || make_run_dir(r->cwd) < 0 || make_run_dir(r->logdir) < 0) {
		r->start_failed = 1;
		r->start_error = xstrfmt("cannot create the run directory %s", r->dir);
		return -1;
	}
	if (uses_port(s) && (r->port = port_pick()) < 0) {
		r->start_failed = 1;
		r->start_error = xstrdup("no free loopback port for {port}");
		return -1;
	}
	r->start = now_ms();
	r->deadline = r->start + s->timeout_ms;
	if (server_of(r)) {
		r->phase = PHASE_SERVERS;
		return start_role(r, ROLE_SERVER);
	}
	r->phase = PHASE_CLIENTS;
	if (start_role(r, ROLE_MAIN) < 0)
		return -1;
	return start_role(r, ROLE_CLIENT);
}

static unsigned long long output_size(const struct run *r)
{
	unsigned long long n = 0;

	for (size_t i = 0; i < r->nprocs; i++) {
		struct stat a, b;

		if (!stat(r->procs[i].out, &a))
			n += (unsigned long long)a.st_size;
		if (!stat(r->procs[i].err, &b))
			n += (unsigned long long)b.st_size;
	}
	return n;
}

/* Remember who was alive when racelab stopped them (see fds_count()). */
static void note_killed(struct run *r)
{
	pid_t *pids;
	size_t n;

	if (!r->watch)
		return;
	n = watch_pids(r->watch, 0, &pids);
	for (size_t i = 0; i < n; i++) {
		char state;

		if (proc_stat(pids[i], &state, NULL, NULL) < 0 || state == 'Z')
			continue;	/* it ended on its own before */
		ALLOC_GROW(r->killed_pids, r->nkilled + 1, r->alloc_killed);
		r->killed_pids[r->nkilled++] = pids[i];
	}
	free(pids);
}

/*
 * Processes of the run still alive after its program ended are orphans.
 * Helpers that end with it on their own (a sanitizer's symbolizer reading
 * EOF) get a moment to do so first.
 */
static void note_orphans(struct run *r, pid_t sid)
{
	struct strvec left = STRVEC_INIT;
	uint64_t until = now_ms() + ORPHAN_GRACE_MS;

	while (watch_leftovers(r->watch, sid, &left) > 0 && now_ms() < until) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		strvec_clear(&left);
		nanosleep(&ts, NULL);
	}
	if (left.n)
		note_killed(r);
	for (size_t i = 0; i < left.n; i++)
		strvec_push(&r->orphans, left.v[i]);
	strvec_clear(&left);
}

/* How long a stopped server may take to end after SIGTERM: Valgrind writes its report then. */
static unsigned stop_grace_ms(const struct run *r)
{
	return r->spec->tool->valgrind ? 2000 : 300;
}

static void stop_all(struct run *r, unsigned grace_ms)
{
	note_killed(r);
	for (size_t i = 0; i < r->nprocs; i++) {
		struct run_proc *p = &r->procs[i];

		if (p->started && !p->ended) {
			kill_command(&p->cp, grace_ms);
			p->ended = p->stopped = 1;
		}
	}
	/* and whatever left its session */
	if (r->watch)
		watch_kill(r->watch, 0);
}

static void event(struct run *r, const char *kind, const char *msg)
{
	strvec_pushf(&r->events, "%s\t%s", kind, msg);
}

static int server_leaks(struct run *r, struct strvec *out);

static void stop(struct run *r, enum hang h)
{
	r->hang = h;
	r->hang_after_ms = now_ms() - r->start;
	watch_describe(r->watch, &r->describe, !r->spec->tool->valgrind);
	/* A reader blocked on a pipe whose write end nobody will close. */
	if (h == HANG_DEADLOCK) {
		pid_t *pids;
		size_t n = watch_pids(r->watch, 0, &pids);

		pipe_leaks(pids, n, &r->leaks);
		free(pids);
	}
	/* Connections a server kept are leaks, hang or not: their peers closed them long ago. */
	if (server_of(r) && server_of(r)->started && !server_of(r)->ended)
		server_leaks(r, &r->leaks);
	if (r->phase == PHASE_SERVERS) {
		char *msg = xstrfmt("%s was never seen listening on {port} (port %d): its clients "
				    "were not started", proc_name(server_of(r)), r->port);
		event(r, "wrong-output", msg);
		free(msg);
	}
	stop_all(r, 300);
	r->killed = 1;
	r->phase = PHASE_ENDED;
}


/* A server that ended by itself, before its clients did: say how. */
static void note_server_end(struct run *r, struct run_proc *p, const char *when)
{
	int st = p->cp.status;
	char *msg;

	if (WIFSIGNALED(st)) {
		msg = xstrfmt("%s was killed by signal %d (%s) %s", proc_name(p), WTERMSIG(st),
			      strsignal(WTERMSIG(st)), when);
		event(r, "crash", msg);
	} else {
		msg = xstrfmt("%s ended (exit status %d) %s", proc_name(p),
			      WIFEXITED(st) ? WEXITSTATUS(st) : -1, when);
		event(r, "wrong-output", msg);
	}
	free(msg);
}

/* Reap whatever ended; 1 when every client (or the one program) has ended. */
static int reap(struct run *r)
{
	int clients_left = 0;

	for (size_t i = 0; i < r->nprocs; i++) {
		struct run_proc *p = &r->procs[i];

		if (p->started && !p->ended && poll_command(&p->cp) != 0) {
			p->ended = 1;
			if (p->prog->role == ROLE_SERVER)
				note_server_end(r, p, r->phase == PHASE_SERVERS ?
						"before it was seen listening on {port}" :
						"while its clients still ran");
			else {
				/* Whatever the program left behind dies with it. */
				note_orphans(r, p->cp.pid);
				kill_session(p->cp.pid);
				watch_kill(r->watch, p->cp.pid);
			}
		}
		if (p->prog->role != ROLE_SERVER && !p->ended)
			clients_left = 1;
	}
	return !clients_left;
}

static int server_listening(struct run *r, struct run_proc *srv)
{
	pid_t *pids;
	size_t n = watch_pids(r->watch, srv->cp.pid, &pids);
	int ret = n && tcp_listening(pids, n, r->port);

	free(pids);
	return ret;
}

static int server_leaks(struct run *r, struct strvec *out)
{
	struct run_proc *srv = server_of(r);
	pid_t *pids;
	size_t n = watch_pids(r->watch, srv->cp.pid, &pids);
	int ret = n ? tcp_closed_by_peer(pids, n, proc_name(srv), out) : 0;

	free(pids);
	return ret;
}

/*
 * The clients closed their connections; a correct server closes its ends
 * soon after. Wait for that (a thread may be between its reply and its
 * close) up to the drain time, then record what is still open.
 */
static int drain(struct run *r, uint64_t now)
{
	struct strvec open = STRVEC_INIT;

	if (server_leaks(r, &open) && now < r->drain_until) {
		strvec_clear(&open);
		return 0;
	}
	for (size_t i = 0; i < open.n; i++)
		strvec_push(&r->leaks, open.v[i]);
	strvec_clear(&open);
	stop_all(r, stop_grace_ms(r));
	r->phase = PHASE_ENDED;
	return 1;
}

/* How long a server may take to close connections its clients closed. */
#define DRAIN_MS 1000

int run_poll(struct run *r, uint64_t now)
{
	struct run_proc *srv = server_of(r);
	unsigned long long out;
	int clients_done;
	enum hang h;

	if (r->start_failed || r->phase == PHASE_ENDED)
		return 1;
	clients_done = reap(r);
	switch (r->phase) {
	case PHASE_SERVERS:
		if (srv->ended) {
			stop_all(r, 300);
			r->phase = PHASE_ENDED;
			return 1;
		}
		if (server_listening(r, srv)) {
			r->phase = PHASE_CLIENTS;
			if (start_role(r, ROLE_CLIENT) < 0) {
				stop_all(r, 300);
				r->phase = PHASE_ENDED;
				return 1;
			}
		}
		break;
	case PHASE_CLIENTS:
		if (!clients_done)
			break;
		if (!srv || srv->ended) {
			r->phase = PHASE_ENDED;
			return 1;
		}
		r->phase = PHASE_DRAIN;
		r->drain_until = now + DRAIN_MS * (r->spec->tool->valgrind ? 2 : 1);
		/* fall through */
	case PHASE_DRAIN:
		if (srv->ended) {
			r->phase = PHASE_ENDED;
			return 1;
		}
		/* The server idles now: that is no hang for the watch to name. */
		return drain(r, now);
	case PHASE_ENDED:
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

/* racelab stopped some program of the run: its report may end abruptly. */
static int stopped_any(const struct run *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].stopped)
			return 1;
	return r->killed;
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

/*
 * Open descriptors count only for processes that ended on their own (a
 * pipeline's producer), not for those racelab stopped (alive when it
 * killed the run) or that a signal killed: those had no chance to close
 * anything. Each process has a text log of its own (vg.PID.log), forked
 * ones included, so this needs nothing from the XML, where a forked
 * child's document may be cut short inside its parent's.
 */
static int fds_count(const struct run *r, int pid, const char *log)
{
	for (size_t i = 0; i < r->nkilled; i++)
		if (r->killed_pids[i] == pid)
			return 0;
	return !strstr(log, "Process terminating with default action of signal");
}

/* Each process's Valgrind document, for the descriptor stacks it ends with. */
struct vg_docs {
	int *pids;
	struct strvec texts;
	size_t n, alloc;
};

static const char *vg_doc_of(const struct vg_docs *d, int pid)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->pids[i] == pid)
			return d->texts.v[i];
	return NULL;
}

static void parse_vg_docs(struct run *r, struct result *res, const char *text, size_t len,
			  const char *path, int *vg_docs, struct vg_docs *keep)
{
	struct parse_ctx ctx = { r->spec->srcdir, stopped_any(r) };
	struct strvec docs = STRVEC_INIT;
	int fatal = 0;

	valgrind_split_docs(text, len, &docs);
	for (size_t i = 0; i < docs.n; i++) {
		struct vg_info info;

		memset(&info, 0, sizeof(info));
		if (parse_valgrind_xml(docs.v[i], strlen(docs.v[i]), &ctx, &res->diags, &info) < 0)
			continue;
		(*vg_docs)++;
		if (info.pid > 0) {
			ALLOC_GROW(keep->pids, keep->n + 1, keep->alloc);
			keep->pids[keep->n++] = info.pid;
			strvec_push(&keep->texts, docs.v[i]);
		}
		fatal |= info.fatal_signal;
	}
	strvec_clear(&docs);
	/*
	 * Valgrind completes its XML even when the program dies by a signal: a
	 * file with no finished document means Valgrind itself failed. (A
	 * forked child's document may stay open: racelab killed it as an
	 * orphan, and it cannot always be told apart from the parent's.)
	 */
	if (!strstr(text, "<state>FINISHED</state>") && !fatal && !stopped_any(r) && !res->broken) {
		res->broken = 1;
		res->reason = xstrfmt("valgrind stopped before finishing its report (see %s)", path);
	}
}

/* The program whose observer wrote `path` (its wfile), or NULL. */
static struct run_proc *proc_of_wfile(struct run *r, const char *path)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (!strcmp(r->procs[i].wfile, path))
			return &r->procs[i];
	return NULL;
}

static void parse_logs(struct run *r, struct result *res, int *vg_docs)
{
	struct parse_ctx ctx = { r->spec->srcdir, stopped_any(r) };
	DIR *d = opendir(r->logdir);
	struct dirent *de;
	struct strvec names = STRVEC_INIT, fd_logs = STRVEC_INIT;
	struct vg_docs docs = { NULL, STRVEC_INIT, 0, 0 };

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
			parse_vg_docs(r, res, text, len, path, vg_docs, &docs);
		} else if (has_prefix(name, "vg.") && has_suffix(name, ".log")) {
			strvec_push(&fd_logs, path);
			for (const char **m = valgrind_broken; *m; m++)
				if (strstr(text, *m) && !res->broken) {
					res->broken = 1;
					res->reason = xstrfmt("valgrind failed: \"%s\" (see %s)", *m, path);
				}
		} else if (has_prefix(name, "watch.") && has_suffix(name, ".log")) {
			struct run_proc *p = proc_of_wfile(r, path);
			struct rlwatch_info ignored;

			rlwatch_parse(text, len, r->spec->srcdir, &res->diags, p ? &p->rw : &ignored);
		}
		free(text);
		free(path);
	}
	for (size_t i = 0; i < fd_logs.n && !strcmp(r->spec->tool->name, "memcheck"); i++) {
		const char *base = strrchr(fd_logs.v[i], '/') + 1;
		size_t len;
		char *text;

		if (!(text = read_file(fd_logs.v[i], &len)))
			continue;
		if (fds_count(r, atoi(base + 3), text)) {
			struct diag_list stacks = DIAG_LIST_INIT;
			const char *doc = vg_doc_of(&docs, atoi(base + 3));

			if (doc)
				valgrind_fd_stacks(doc, strlen(doc), &ctx, &stacks);
			parse_valgrind_fds(text, len, &stacks, &ctx, &res->diags);
			diag_list_clear(&stacks);
		}
		free(text);
	}
	strvec_clear(&fd_logs);
	strvec_clear(&docs.texts);
	free(docs.pids);
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
	for (size_t i = 0; i < r->leaks.n; i++)
		diag_list_push(&res->diags, "fd-leak", "watch", r->leaks.v[i]);
	for (size_t i = 0; i < r->events.n; i++) {
		char *tab = strchr(r->events.v[i], '\t');

		*tab = '\0';
		diag_list_push(&res->diags, r->events.v[i], "watch", tab + 1);
		*tab = '\t';
	}
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

/* How many lines of the file match re (-1 when the regex does not compile). */
static int count_matches(const char *path, const char *re_text)
{
	regex_t re;
	char *out = read_file(path, NULL), *line, *save = NULL;
	int n = 0;

	if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB)) {
		free(out);
		return -1;
	}
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		n += !regexec(&re, line, 0, NULL, 0);
	regfree(&re);
	free(out);
	return n;
}

/* Adds a wrong-output diagnostic when program p does not meet its oracle. */
static void check_oracle(struct run *r, struct result *res, const struct run_proc *p)
{
	const struct oracle *o = p->prog->oracle;
	int native = !strcmp(r->spec->tool->name, "native");
	int st = p->cp.status, code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	struct strbuf why = STRBUF_INIT;
	/* A checker that reported something chose the exit status itself
	 * (TSan 66, Valgrind 99, ASan 1): only a quiet run's status is the program's.
	 * A server racelab stopped has no status of its own. */
	int own_exit = !p->stopped && (native || !p->prog->checked || !res->diags.n);

	if (o->stdout_re) {
		int want = o->count ? o->count : 1, n = count_matches(p->out, o->stdout_re);

		if (n == 0 && want == 1)
			strbuf_addf(&why, "no line of the output matches /%s/; ", o->stdout_re);
		else if (n >= 0 && n < want)
			strbuf_addf(&why, "%d line%s of the output match%s /%s/, at least %d expected; ",
				    n, n == 1 ? "" : "s", n == 1 ? "es" : "", o->stdout_re, want);
	}
	if (o->has_exit && own_exit && code != o->exit_code) {
		if (code >= 0)
			strbuf_addf(&why, "exit status %d, expected %d; ", code, o->exit_code);
		else
			strbuf_addf(&why, "no exit status (expected %d); ", o->exit_code);
	}
	/* Threads are counted by the native run's observer, per program. */
	if (native && o->threads > 0 && (p->rw.loaded || p->prog->role == ROLE_MAIN)) {
		int seen = p->rw.loaded ? p->rw.threads_created : watch_max_threads(r->watch) - 1;
		if (seen < o->threads)
			strbuf_addf(&why, "%d thread%s created, at least %d expected; ",
				    seen, seen == 1 ? "" : "s", o->threads);
	}
	if (why.len) {
		char *msg, *out;
		size_t len = 0;
		struct diag *d;

		strbuf_setlen(&why, why.len - 2);
		msg = xstrfmt("%s%s%s", p->prog->name ? p->prog->name : "",
			      p->prog->name ? ": " : "", why.buf);
		d = diag_list_push(&res->diags, "wrong-output", "oracle", msg);
		out = read_file(p->out, &len);
		d->detail = oracle_excerpt(o, out, len, own_exit ? code : -1);
		free(out);
		free(msg);
	}
	strbuf_release(&why);
}

/* The program whose exit is the run's: the one program, or the first client. */
static const struct run_proc *main_proc(const struct run *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].prog->role != ROLE_SERVER)
			return &r->procs[i];
	return &r->procs[0];
}

/* Clients (or the one program) that died by a signal no checker explained. */
static void add_crashes(struct run *r, struct result *res)
{
	if (has_kind(&res->diags, "crash") || has_kind(&res->diags, "stack-overflow"))
		return;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct run_proc *p = &r->procs[i];
		int st = p->cp.status;
		char *msg;

		if (p->prog->role == ROLE_SERVER || !p->ended || p->stopped || !WIFSIGNALED(st))
			continue;
		msg = xstrfmt("%s%skilled by signal %d (%s)", p->prog->name ? p->prog->name : "",
			      p->prog->name ? ": " : "", WTERMSIG(st), strsignal(WTERMSIG(st)));
		diag_list_push(&res->diags, "crash", "signal", msg);
		free(msg);
	}
}

void run_collect(struct run *r, struct result *res)
{
	const struct run_spec *s = r->spec;
	const struct run_proc *mp;
	int vg_docs = 0, any_signal = 0;

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
	mp = main_proc(r);
	if (mp->ended && WIFEXITED(mp->cp.status))
		res->exit_code = WEXITSTATUS(mp->cp.status);
	else if (mp->ended && WIFSIGNALED(mp->cp.status))
		res->signal = WTERMSIG(mp->cp.status);
	res->hang = r->hang;
	res->hang_after_ms = r->hang_after_ms;
	res->timed_out = r->hang == HANG_TIMEOUT;
	for (size_t i = 0; i < r->nprocs; i++)
		any_signal |= r->procs[i].prog->role != ROLE_SERVER && r->procs[i].ended &&
			!r->procs[i].stopped && WIFSIGNALED(r->procs[i].cp.status);

	parse_logs(r, res, &vg_docs);
	add_processes(r, res);
	if (r->hang != HANG_NONE)
		add_hang(r, res);
	else
		add_crashes(r, res);

	if (!res->broken && s->tool->valgrind && !vg_docs) {
		res->broken = 1;
		res->reason = xstrfmt("valgrind wrote no report (see %s)", r->logdir);
	}
	if (!res->broken && !r->killed && res->diags.n == 0 && mp->prog->checked &&
	    ((s->tool->flavor == FLAVOR_TSAN && res->exit_code == 66) ||
	     (s->tool->valgrind && res->exit_code == 99))) {
		res->broken = 1;
		res->reason = xstrfmt("%s reported an error that racelab could not read (see %s)",
				      s->tool->name, r->logdir);
	}
	/* A hang or a death by signal is reported as such; the oracle would only repeat it. */
	if (r->hang == HANG_NONE && !any_signal &&
	    (s->oracle_on_every_tool || !strcmp(s->tool->name, "native")))
		for (size_t i = 0; i < r->nprocs; i++)
			if (r->procs[i].prog->oracle && r->procs[i].started)
				check_oracle(r, res, &r->procs[i]);

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
	for (size_t i = 0; i < r->nprocs; i++) {
		struct run_proc *p = &r->procs[i];

		if (p->started && !p->cp.finished && p->cp.pid > 0)
			kill_command(&p->cp, 0);
		child_process_clear(&p->cp);
		free(p->out);
		free(p->err);
		free(p->wfile);
	}
	strbuf_release(&r->describe);
	strvec_clear(&r->orphans);
	strvec_clear(&r->leaks);
	strvec_clear(&r->events);
	free(r->killed_pids);
	free(r->dir);
	free(r->cwd);
	free(r->logdir);
	free(r->start_error);
}
