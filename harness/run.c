#include "runner.h"
#include "excerpt.h"
#include "net.h"
#include "noise.h"
#include "pipes.h"
#include "proc.h"
#include "rlwatch.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ORPHAN_GRACE_MS 200
#define HELPER_GRACE_MS 2000	/* for a checker's own helper to end (watch_leftovers) */

/* Untrusted programs run as this user when racelab runs as root. */
static int run_as_user;
static uid_t run_uid;
static gid_t run_gid;

/*
 * Nice levels between racelab and its runs: on a loaded machine (a class
 * graded with -j, other work on the machine) the watch must still
 * sample on time, or a zombie that lives 300 ms (25) goes unseen. A run
 * given less CPU is only slower: a hang is judged by progress, and a
 * runnable thread is never a deadlock (watch.md).
 */
#define RUN_NICE_GAP 10

void runner_setup_user(void)
{
	struct passwd *pw;

	command_priority_setup(RUN_NICE_GAP);
	sandbox_setup();
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

/* The user and group a run's programs run as (racelab's own when it is not root). */
static void run_owner(const struct sandbox *sb, uid_t *uid, gid_t *gid)
{
	*uid = sb->uid_lock >= 0 ? sb->uid : run_as_user ? run_uid : geteuid();
	*gid = sb->uid_lock >= 0 ? (gid_t)sb->uid : run_as_user ? run_gid : getegid();
}

/* Make a folder of the run; sb NULL: racelab's, else the run's own. */
static int make_run_dir(const char *path, const struct sandbox *sb)
{
	uid_t uid;
	gid_t gid;

	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return error_errno("cannot create %s", path);
	if (sb)
		run_owner(sb, &uid, &gid);
	if (sb && (run_as_user || sb->uid_lock >= 0) && chown(path, uid, gid) < 0)
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

/* Every program of the run runs under the checker (none natively beside it). */
static int all_checked(const struct run_spec *s)
{
	for (size_t i = 0; i < s->nprogs; i++)
		if (!s->progs[i].checked)
			return 0;
	return 1;
}

/*
 * The observer's notes, kept from the program (rlwatch.h): a file the run
 * group may append to but not read (so the key in its lines stays the
 * preload's), and the key. Without a user of the run's own (racelab not
 * root) the program owns the file and could read the key: no key then,
 * every line is read as before. -1 when the notes get no key.
 */
static int observer_notes(struct run *r, struct run_proc *p)
{
	unsigned char raw[RLWATCH_KEY_LEN / 2];
	int fd;

	p->wkey[0] = '\0';
	if (r->sb.uid_lock < 0 || getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	fd = open(p->wfile, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0620);
	if (fd < 0 || fchown(fd, 0, (gid_t)r->sb.uid) < 0 || fchmod(fd, 0620) < 0) {
		warning("cannot keep the observer's notes %s from the program: %s", p->wfile,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(p->wkey + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

static int proc_start(struct run *r, struct run_proc *p)
{
	const struct run_spec *s = r->spec;
	const struct run_prog *pg = p->prog;
	const struct tool *t = s->tool;
	struct watch_opts wo = {
		.stall_ms = s->stall_ms,
		.valgrind = t->valgrind,
		.home = r->cwd,
		.vgdb_prefix = r->vgdb_prefix,
		.sb = &r->sb,
		.sanitizer = t->flavor == FLAVOR_TSAN || t->flavor == FLAVOR_ASAN,
	};

	env_base(&p->cp.env, r->cwd);
	if (pg->checked) {
		tool_prepare(t, r->logdir, &p->cp.args, &p->cp.env);
		if (t->flavor == FLAVOR_NATIVE && !t->valgrind && s->preload) {
			strvec_pushf(&p->cp.env, "LD_PRELOAD=%s", s->preload);
			strvec_pushf(&p->cp.env, "%s=%s", RLWATCH_ENV, p->wfile);
			if (observer_notes(r, p) == 0)
				strvec_pushf(&p->cp.env, "%s=%s", RLWATCH_KEY_ENV, p->wkey);
			if (t->id == TOOL_NOISE)
				strvec_pushf(&p->cp.env, "%s=%" PRIu64, NOISE_ENV, s->seed);
		} else if (t->id == TOOL_NOISE) {
			r->start_failed = 1;
			r->start_error = xstrdup("librlwatch.so, which makes the noise, was not found");
			return -1;
		}
	}
	/* last: lab.ini cannot set what racelab sets (lab.c refuses those names) */
	for (size_t i = 0; pg->env && i < pg->env->n; i++) {
		char *v = expand_port(pg->env->v[i], r->port);
		strvec_push(&p->cp.env, v);
		free(v);
	}
	/* Every program of the run under the checker gets the same checker's variables. */
	if (!r->envg && all_checked(s))
		r->envg = env_guard_new(&p->cp.env, t->valgrind);
	wo.envg = r->envg;
	strvec_push(&p->cp.args, pg->binary);
	for (size_t i = 0; pg->args && i < pg->args->n; i++) {
		char *v = expand_port(pg->args->v[i], r->port);
		strvec_push(&p->cp.args, v);
		free(v);
	}
	p->cp.dir = r->cwd;
	p->cp.stdin_path = pg->stdin_path;
	p->cp.out_pipe = p->cp.err_pipe = 1;	/* read by racelab: p->cap */
	runner_user(&p->cp);
	sandbox_child(&r->sb, &p->cp);
	p->cp.keep_sys_nice = s->realtime;
	if (start_command(&p->cp) < 0) {
		r->start_failed = 1;
		r->start_error = xstrfmt("cannot start %s", pg->binary);
		return -1;
	}
	p->started = 1;
	p->nspid = sandbox_pid(&r->sb, p->cp.pid);
	outcap_open(&p->cap[0], p->cp.out, p->out);
	outcap_open(&p->cap[1], p->cp.err, p->err);
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

/* The namespaces and the root of the run, which sees its folder, binaries and preload only. */
static void start_sandbox(struct run *r)
{
	struct sandbox_fs fs = { r->dir, r->cwd, 0, 0, { NULL } };
	size_t n = 0;

	run_owner(&r->sb, &fs.uid, &fs.gid);
	for (size_t i = 0; i < r->nprocs; i++) {
		int seen = 0;

		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(fs.ro[k], r->procs[i].prog->binary);
		if (!seen && n + 2 < sizeof(fs.ro) / sizeof(*fs.ro))
			fs.ro[n++] = r->procs[i].prog->binary;
	}
	if (r->spec->preload)
		fs.ro[n++] = r->spec->preload;
	sandbox_start(&r->sb, &fs);
}

int run_start(struct run *r, const struct run_spec *s, int serial)
{
	memset(r, 0, sizeof(*r));
	r->spec = s;
	strbuf_init(&r->describe, 0);
	r->dir = xstrfmt("%s/run-%d", s->workdir, serial);
	r->cwd = xstrfmt("%s/cwd", r->dir);
	r->logdir = xstrfmt("%s/logs", r->dir);
	if (s->tool->valgrind)
		r->vgdb_prefix = xstrfmt("%s/" VGDB_PREFIX, r->logdir);
	r->nprocs = s->nprogs;
	for (size_t i = 0; i < r->nprocs; i++) {
		struct run_proc *p = &r->procs[i];
		const char *name = s->progs[i].name;

		p->prog = &s->progs[i];
		p->cp = (struct child_process)CHILD_PROCESS_INIT;
		p->cap[0] = p->cap[1] = (struct outcap)OUTCAP_INIT;
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
	sandbox_open(&r->sb, strrchr(r->dir, '/') + 1, s->realtime);
	/* run-N/ itself is racelab's: a program writes only in cwd/ and (its checker) logs/ */
	if (make_run_dir(r->dir, NULL) < 0 || make_run_dir(r->cwd, &r->sb) < 0 ||
	    make_run_dir(r->logdir, &r->sb) < 0) {
		r->start_failed = 1;
		r->start_error = xstrfmt("cannot create the run directory %s", r->dir);
		return -1;
	}
	/*
	 * logs/ stays racelab's: the run's group may add files, but the program
	 * cannot make it unwritable to the checkers (chmod) or remove it.
	 */
	if (r->sb.uid_lock >= 0 && (chown(r->logdir, 0, (gid_t)r->sb.uid) < 0 ||
				    chmod(r->logdir, 01770) < 0))
		warning("cannot keep %s racelab's: %s", r->logdir, strerror(errno));
	/* Before the first program: every report is held from its first write. */
	if (sandbox_enabled() && geteuid() == 0)
		r->guard = logguard_new(r->logdir);
	start_sandbox(r);
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

/* Everything the run's programs wrote so far, kept or dropped: progress for the watch. */
static unsigned long long output_size(const struct run *r)
{
	unsigned long long n = 0;

	for (size_t i = 0; i < r->nprocs; i++)
		for (int k = 0; k < 2; k++)
			n += r->procs[i].cap[k].kept + r->procs[i].cap[k].dropped;
	return n;
}

/* Read what the programs wrote since the last tick; a flood gets a budget per tick. */
#define OUTPUT_BUDGET (4UL << 20)

static void drain_output(struct run *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		for (int k = 0; k < 2; k++)
			outcap_drain(&r->procs[i].cap[k], OUTPUT_BUDGET);
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
		/* as the checker's logs name it: the pid inside the run's namespace */
		r->killed_pids[r->nkilled++] = sandbox_pid(&r->sb, pids[i]);
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
	uint64_t start = now_ms();

	for (;;) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		int helpers, n = watch_leftovers(r->watch, sid, &left, &helpers);
		uint64_t t = now_ms() - start;

		if ((!n || t >= ORPHAN_GRACE_MS) && (!helpers || t >= HELPER_GRACE_MS))
			break;
		strvec_clear(&left);
		nanosleep(&ts, NULL);
	}
	if (left.n)
		note_killed(r);
	for (size_t i = 0; i < left.n; i++)
		strvec_push(&r->orphans, left.v[i]);
	strvec_clear(&left);
}

/*
 * How long a stopped process may take to end after SIGTERM: Valgrind
 * writes its report then (a server's descriptors, a hung process's
 * leaks, folded under the hang by collect.c).
 */
static unsigned stop_grace_ms(const struct run *r)
{
	return r->spec->tool->valgrind ? 2000 : 300;
}

static void stop_all(struct run *r, unsigned grace_ms)
{
	/* Processes dying in the grace period are no zombies: the wait hook leaves the run alone. */
	r->stopping = 1;
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

/* How many processes of a run a hang's description shows, at most; more is a fork bomb. */
#define DESCRIBE_MAX_PROCS 64

static size_t run_processes(struct run *r)
{
	pid_t *pids;
	size_t n = watch_pids(r->watch, 0, &pids);

	free(pids);
	return n;
}

static void stop(struct run *r, enum hang h, uint64_t named_at)
{
	size_t nprocs;

	/* Describing the hang waits on gdb: the wait hook must leave this run alone. */
	r->stopping = 1;
	r->hang = h;
	r->hang_after_ms = named_at - r->start;
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
	/*
	 * Stacks last: gdb and vgdb stop the processes (vgdb interrupts the
	 * system call Valgrind's guest waits in), and the checks above read
	 * the system call each thread waits in. Not for a fork bomb: hundreds
	 * of processes to describe would hold the timeout up; it dies first.
	 */
	if (sandbox_pids_full(&r->sb) || (nprocs = run_processes(r)) > DESCRIBE_MAX_PROCS) {
		nprocs = run_processes(r);
		sandbox_kill(&r->sb);
		strbuf_addf(&r->describe, "%zu processes: too many to show\n", nprocs);
	} else {
		watch_describe(r->watch, &r->describe, 1);
	}
	if (r->phase == PHASE_SERVERS) {
		char *msg = xstrfmt("%s was never seen listening on {port} (port %d): its clients "
				    "were not started", proc_name(server_of(r)), r->port);
		strvec_pushf(&r->after_hang, "%s\t%s", "wrong-output", msg);
		free(msg);
	}
	r->hang_killed = r->nkilled;
	stop_all(r, stop_grace_ms(r));
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
	} else if (p->prog->checked && WIFEXITED(st) &&
		   WEXITSTATUS(st) == tool_report_status(r->spec->tool)) {
		/* Its own status is gone: the checker replaced it. */
		msg = xstrfmt("%s ended %s (%s reported a bug in it, see above)", proc_name(p), when,
			      r->spec->tool->name);
		event(r, "wrong-output", msg);
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

	/* Each look reads the kernel's TCP tables (a few ms): the watch's pace, not the loop's. */
	if (now < r->drain_until && r->last_drain_look && now - r->last_drain_look < WATCH_PERIOD_MS)
		return 0;
	r->last_drain_look = now;
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

/*
 * Read /proc for the watch, every WATCH_PERIOD_MS (the scheduler ticks
 * faster); a hang it names is kept in pending_hang for the next poll.
 */
static void sample(struct run *r, uint64_t now)
{
	unsigned long long out;
	enum hang h;

	if (r->last_sample && now - r->last_sample < WATCH_PERIOD_MS)
		return;
	r->last_sample = now;
	out = output_size(r);
	if (out != r->last_output) {
		r->last_output = out;
		r->progress++;
	}
	h = watch_sample(r->watch, now, r->progress);
	if (h != HANG_NONE) {
		r->pending_hang = h;
		r->pending_at = now;
	}
}

static int poll_step(struct run *r, uint64_t now)
{
	struct run_proc *srv = server_of(r);
	int clients_done;

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
		r->drain_from = now;
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
	/* A hang the watch named while racelab waited on a helper is acted on now. */
	if (r->pending_hang == HANG_NONE)
		sample(r, now);
	if (r->pending_hang != HANG_NONE) {
		stop(r, r->pending_hang, r->pending_at);
		return 1;
	}
	if (now >= r->deadline) {
		stop(r, HANG_TIMEOUT, now);
		return 1;
	}
	return 0;
}

int run_awaits_stop(const struct run *r, uint64_t now)
{
	return !r->stopping && !r->start_failed &&
	       (r->phase == PHASE_SERVERS || r->phase == PHASE_CLIENTS) &&
	       (r->pending_hang != HANG_NONE || now >= r->deadline);
}

void run_tick(struct run *r, uint64_t now)
{
	if (r->start_failed || r->phase == PHASE_ENDED)
		return;
	/* a run being killed may still be writing its last report */
	drain_output(r);
	if (!r->stopping && r->watch && r->phase != PHASE_DRAIN && r->pending_hang == HANG_NONE)
		sample(r, now);
}

/*
 * A run that may wake by itself lends its slot after RUN_IDLE_MS: longer
 * than any pause a program of the catalogue makes on purpose (25's 300 ms
 * final step: its zombies must be watched, and its wake is no neighbour's
 * slowdown), short against the stall windows (750 ms, 3 s under Valgrind)
 * that a hanging run waits out. One whose every thread waits with no
 * timeout cannot wake at all: two samples of it are enough. A server in
 * its drain has served its clients and waits only to be seen closing their
 * connections (a correct one does within a few milliseconds): it lends
 * after the same short window, and its end is racelab's kill.
 */
#define RUN_IDLE_MS 500
#define RUN_IDLE_UNTIMED_MS (2 * WATCH_PERIOD_MS)

int run_idle(const struct run *r, uint64_t now)
{
	/*
	 * Its processes hang, waiting to be described and stopped, or are
	 * being so: what that costs is racelab's helper (gdb, vgdb), and the
	 * loop describes one hang at a time (run_awaits_stop).
	 */
	if (r->stopping || run_awaits_stop(r, now))
		return RUN_STUCK;
	if (r->phase == PHASE_DRAIN)
		return now - r->drain_from >= RUN_IDLE_UNTIMED_MS ? RUN_IDLE : 0;
	if (r->phase != PHASE_CLIENTS || !r->watch ||
	    !watch_idle(r->watch, now, RUN_IDLE_MS, RUN_IDLE_UNTIMED_MS))
		return 0;
	return watch_untimed(r->watch) ? RUN_STUCK : RUN_IDLE;
}

/* How long the last output of a run may take to arrive once its processes are killed. */
#define OUTPUT_FINISH_MS 2000

int run_poll(struct run *r, uint64_t now)
{
	drain_output(r);
	logguard_poll(r->guard);
	if (!poll_step(r, now))
		return 0;
	r->last_pid = sandbox_last_pid(&r->sb);
	/* The namespace empties only once racelab reaped its own children in it. */
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].started && !r->procs[i].cp.finished)
			kill_command(&r->procs[i].cp, 0);
	/* A folder the run filled is seen only while its init keeps its tmpfs. */
	sandbox_note_full(&r->sb, r->cwd);
	/* Whatever of the run still lives (a daemon, a fork bomb) dies with it now. */
	sandbox_end(&r->sb);
	for (size_t i = 0; i < r->nprocs; i++)
		for (int k = 0; k < 2; k++)
			outcap_finish(&r->procs[i].cap[k], OUTPUT_FINISH_MS);
	/* Nothing of the run can write a report any more: read them. */
	logguard_finish(r->guard, r->last_pid);
	return 1;
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
		outcap_close(&p->cap[0]);
		outcap_close(&p->cap[1]);
		rlwatch_info_release(&p->rw);
		free(p->out);
		free(p->err);
		free(p->wfile);
	}
	sandbox_close(&r->sb);
	logguard_free(r->guard);
	env_guard_free(r->envg);
	strbuf_release(&r->describe);
	strvec_clear(&r->orphans);
	strvec_clear(&r->leaks);
	strvec_clear(&r->events);
	strvec_clear(&r->after_hang);
	free(r->killed_pids);
	free(r->dir);
	free(r->cwd);
	free(r->logdir);
	free(r->vgdb_prefix);
	free(r->start_error);
}
