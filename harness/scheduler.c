#include "scheduler.h"
#include "collect.h"
#include "exercise.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How often processes racelab inherited (orphans of runs) are reaped. */
#define STRAY_REAP_MS 500
/*
 * How often the scheduler looks at builds and runs when none of its
 * children ended: a run's watch samples and stall windows are timed by it.
 * A child that ends wakes the scheduler at once (SIGCHLD).
 */
#define SCHED_TICK_MS 20

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static void on_child(int sig)
{
	(void)sig;	/* only to end the wait in ppoll() */
}

char *find_preload(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *dir, *p;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	dir = dirname(exe);
	p = xstrfmt("%s/librlwatch.so", dir);
	if (!access(p, R_OK))
		return p;
	free(p);
	p = xstrfmt("%s/../lib/racelab/librlwatch.so", dir);
	if (!access(p, R_OK))
		return p;
	free(p);
	return NULL;
}

/*
 * The lab's shared headers (stage.h): include/ in the lab root, else the
 * one installed beside racelab. Every build may use them.
 */
static char *find_incdir(void)
{
	char *root = lab_root_find(), *p = NULL, exe[PATH_MAX];
	ssize_t n;

	if (root) {
		p = xstrfmt("%s/include", root);
		free(root);
		if (!access(p, R_OK))
			return p;
		free(p);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	p = xstrfmt("%s/../share/racelab/include", dirname(exe));
	if (!access(p, R_OK))
		return p;
	free(p);
	return NULL;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	size_t len;
	char *data = read_file(from, &len);
	int ret;

	if (!data)
		return -1;
	ret = write_file(to, data, len);
	free(data);
	if (!ret)
		ret = chmod(to, mode);
	return ret;
}

int sched_init(struct sched *s, int jobs, const char *bindir)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl, *pre;

	memset(s, 0, sizeof(*s));
	s->jobs = jobs > 0 ? jobs : 1;
	s->bindir = bindir;
	tmpl = xstrfmt("%s/racelab.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return error_errno("cannot create a work directory");
	}
	/* Orphans of the runs come to racelab, not to init: see reap_strays(). */
	if (become_subreaper() < 0)
		warning("processes that leave a run's session may outlive it");
	/* The run user must reach its run directories, nothing else here. */
	chmod(tmpl, 0711);
	s->workdir = tmpl;
	s->incdir = find_incdir();
	pre = find_preload();
	if (pre) {
		s->preload = xstrfmt("%s/librlwatch.so", s->workdir);
		if (copy_file(pre, s->preload, 0755) < 0) {
			warning("cannot copy %s: native runs go without the observer", pre);
			free(s->preload);
			s->preload = NULL;
		}
		free(pre);
	} else {
		warning("librlwatch.so not found beside racelab: native runs cannot count "
			"threads or see priority inversion");
	}
	return 0;
}

struct build *sched_build(struct sched *s, const char *label, const char *srcdir,
			  const struct strvec *sources, const struct strvec *cflags, enum flavor f)
{
	struct build *b;

	for (size_t i = 0; i < s->nbuilds; i++) {
		b = s->builds[i];
		if (b->flavor == f && !strcmp(b->srcdir, srcdir) && b->sources.n == sources->n &&
		    b->cflags.n == (cflags ? cflags->n : 0)) {
			int same = 1;
			for (size_t k = 0; same && k < sources->n; k++)
				same = !strcmp(b->sources.v[k], sources->v[k]);
			for (size_t k = 0; same && k < b->cflags.n; k++)
				same = !strcmp(b->cflags.v[k], cflags->v[k]);
			if (same)
				return b;
		}
	}
	b = xmalloc(sizeof(*b));
	build_init(b, s->bindir, label, srcdir, sources, cflags, f, s->incdir);
	ALLOC_GROW(s->builds, s->nbuilds + 1, s->alloc_builds);
	s->builds[s->nbuilds++] = b;
	return b;
}

struct task *sched_task(struct sched *s)
{
	struct task *t = xcalloc(1, sizeof(*t));

	result_init(&t->result);
	t->repeat = 1;
	ALLOC_GROW(s->tasks, s->ntasks + 1, s->alloc_tasks);
	s->tasks[s->ntasks++] = t;
	return t;
}

struct run_prog *sched_task_program(struct task *t, struct build *b)
{
	struct run_prog *p;

	if (t->nbuilds == LAB_MAX_PROGRAMS)
		die("too many programs in one task");
	t->builds[t->nbuilds++] = b;
	p = &t->spec.progs[t->spec.nprogs++];
	memset(p, 0, sizeof(*p));
	p->checked = 1;
	return p;
}

/*
 * The program a run executes: a private copy the run user can read,
 * named after its first source (counter.c: counter), the name the kernel
 * gives its processes and threads and so the one a thread dump shows.
 */
static char *run_binary(struct sched *s, struct build *b, size_t index)
{
	char *dir = xstrfmt("%s/bin-%zu", s->workdir, index);
	const char *src = b->sources.n ? b->sources.v[0] : "prog";
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	size_t len = strcspn(base, ".");
	char *path = len ? xstrfmt("%s/%.*s", dir, (int)len, base) : xstrfmt("%s/prog", dir);

	if (access(path, X_OK)) {
		if ((mkdir(dir, 0755) < 0 && errno != EEXIST) || copy_file(b->binary, path, 0755) < 0) {
			error_errno("cannot copy %s", b->binary);
			free(path);
			path = xstrdup(b->binary);
		}
	}
	free(dir);
	return path;
}

static size_t build_index(const struct sched *s, const struct build *b)
{
	for (size_t i = 0; i < s->nbuilds; i++)
		if (s->builds[i] == b)
			return i;
	return s->nbuilds;
}

static void fail_build(struct task *t, struct build *b)
{
	struct result *r = &t->result;
	char *msg = build_messages(b);
	struct diag *d;
	char *first = xstrndup(msg, strcspn(msg, "\n"));

	r->status = STATUS_ERROR;
	r->reason = xstrdup("the program does not compile");
	d = diag_list_push(&r->diags, "build-error", "compiler", first);
	/* The rest of the compiler's words; the first line is the message. */
	if (msg[strlen(first)] == '\n' && msg[strlen(first) + 1])
		d->detail = xstrdup(msg + strlen(first) + 1);
	free(msg);
	free(first);
	t->finished = 1;
}

/* Fold one run into the task's result: keep the first failing run's details. */
static void fold_run(struct task *t, struct result *one)
{
	struct result *r = &t->result;
	uint64_t total = r->duration_ms + one->duration_ms;
	int runs = r->runs + 1, failed = r->failed_runs + (one->status != STATUS_PASS);

	if (r->runs == 0 || (r->status == STATUS_PASS && one->status != STATUS_PASS))
		result_take_outcome(r, one);
	result_clear(one);
	r->runs = runs;
	r->failed_runs = failed;
	r->duration_ms = total;
}

static int task_needs(const struct task *t, const struct build *b)
{
	for (size_t k = 0; k < t->nbuilds; k++)
		if (t->builds[k] == b)
			return 1;
	return 0;
}

/*
 * What the running work holds. A run whose programs are all blocked or
 * asleep (run_idle) uses no CPU and lends its slot: a deadlock waiting out
 * its stall window does not keep a core idle. At most twice `jobs` runs
 * that may wake are alive, so runs that wake together oversubscribe the
 * CPUs by a bounded factor, which the watch's windows are made for. A run
 * that cannot wake by itself (RUN_STUCK: it waits to be stopped) is not
 * one of them; no more than four times `jobs` are alive in all, a bound
 * on the memory and processes held at once.
 */
#define MAX_WAKING(jobs) (2 * (jobs))
#define MAX_ALIVE(jobs) (4 * (jobs))

struct slots {
	int used;	/* builds and runs holding a slot */
	int alive;	/* runs started and not ended, idle ones included */
	int stuck;	/* of those, runs that cannot wake by themselves */
	int exclusive;	/* an exclusive run is alive: nothing else starts */
};

static void slots_count(struct sched *s, uint64_t now, struct slots *sl)
{
	memset(sl, 0, sizeof(*sl));
	for (size_t i = 0; i < s->nbuilds; i++)
		sl->used += s->builds[i]->state == BUILD_RUNNING;
	for (size_t i = 0; i < s->ntasks; i++) {
		struct task *t = s->tasks[i];
		int idle;

		if (!t->running)
			continue;
		idle = run_idle(&t->run, now);
		sl->alive++;
		sl->stuck += idle == RUN_STUCK;
		sl->exclusive |= t->exclusive;
		sl->used += t->exclusive || !idle;
	}
}

/* Builds first: they unblock the most work. */
static void start_builds(struct sched *s)
{
	struct slots sl;

	slots_count(s, now_ms(), &sl);
	for (size_t i = 0; i < s->nbuilds && sl.used < s->jobs; i++) {
		struct build *b = s->builds[i];
		int needed = 0;

		for (size_t k = 0; k < s->ntasks && !needed; k++)
			needed = task_needs(s->tasks[k], b);
		if (b->state == BUILD_PENDING && needed && build_start(b) == 0)
			sl.used++;
	}
	for (size_t i = 0; i < s->nbuilds; i++)
		build_poll(s->builds[i]);
}

/*
 * Start every task whose programs are built, while slots are free. The
 * slots are counted again after each start: starting a run may wait, and
 * the wait hook start others.
 */
static void start_tasks(struct sched *s)
{
	struct slots sl;

	slots_count(s, now_ms(), &sl);
	for (size_t i = 0; i < s->ntasks; i++) {
		struct task *t = s->tasks[i];
		struct build *failed = NULL;
		int ready = 1;

		if (t->finished || t->running)
			continue;
		for (size_t k = 0; k < t->nbuilds; k++) {
			if (t->builds[k]->state == BUILD_FAILED && !failed)
				failed = t->builds[k];
			ready &= t->builds[k]->state == BUILD_OK;
		}
		if (failed) {
			fail_build(t, failed);
			continue;
		}
		if (!ready || sl.used >= s->jobs || sl.alive - sl.stuck >= MAX_WAKING(s->jobs) ||
		    sl.alive >= MAX_ALIVE(s->jobs) || sl.exclusive ||
		    (t->exclusive && (sl.used > 0 || sl.alive > 0)))
			continue;
		for (size_t k = 0; k < t->nbuilds; k++) {
			if (!t->spec.progs[k].binary)
				t->spec.progs[k].binary = run_binary(s, t->builds[k],
								     build_index(s, t->builds[k]));
			t->spec.progs[k].tamper = &t->builds[k]->tamper;
		}
		t->spec.workdir = s->workdir;
		t->spec.preload = s->preload;
		/* only noise runs have a seed: another checker's repeat is no seed */
		t->spec.seed = t->spec.tool->id != TOOL_NOISE ? 0 :
			t->replay ? t->first_seed : t->first_seed + (uint64_t)t->runs_done;
		t->running = 1;
		t->busy = 1;
		run_start(&t->run, &t->spec, s->serial++);
		t->busy = 0;
		slots_count(s, now_ms(), &sl);
	}
}

/* A run ended: fold its result into its task's, finished at its first failure or last repeat. */
static void collect_task(struct sched *s, struct task *t)
{
	struct result one;

	result_init(&one);
	run_collect(&t->run, &one);
	/*
	 * Nothing of a run outlives it but the evidence a broken result
	 * points at ("see .../logs"): a class graded at once would fill
	 * TMPDIR with every run's logs and output until the end.
	 */
	if (!s->keep && !one.broken && remove_tree(t->run.dir) < 0)
		warning("cannot remove %s", t->run.dir);
	one.seed = t->spec.seed;
	run_clear(&t->run);
	t->running = 0;
	t->runs_done++;
	fold_run(t, &one);
	if (t->result.status != STATUS_PASS || t->runs_done >= t->repeat)
		t->finished = 1;
}

/*
 * Collect every run that has ended. The time is read for each run: a poll
 * before it may have waited on gdb, and the wait hook started runs since.
 */
static void poll_tasks(struct sched *s)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		struct task *t = s->tasks[i];

		if (!t->running || t->busy || (s->in_hook && run_awaits_stop(&t->run, now_ms())))
			continue;
		/* until the run is cleared: collecting may wait, and the hook poll */
		t->busy = 1;
		if (run_poll(&t->run, now_ms()))
			collect_task(s, t);
		t->busy = 0;
	}
}

/*
 * What the probe measured, shown under this checker too: a student who
 * runs only TSan sees that the fix gave up its concurrency.
 */
static void attach_probe(struct task *t)
{
	struct result *r = &t->result;
	const struct diag_list *found = &t->probe->result.diags;
	int added = 0;

	if (r->broken || r->status == STATUS_SKIP || r->status == STATUS_ERROR)
		return;
	for (size_t i = 0; i < found->n; i++)
		if (!strcmp(found->v[i].kind, "serialized")) {
			diag_list_copy(&r->diags, &found->v[i], "measured in the native run");
			added++;
		}
	if (!added || !t->spec.expect)
		return;
	match_result_clear(&r->match);
	if (!match_expectation(t->spec.expect, &r->diags, &r->match) && r->status == STATUS_PASS) {
		r->status = STATUS_FAIL;
		r->failed_runs = r->failed_runs ? r->failed_runs : 1;
		r->by_probe = 1;
	}
}

/* Report finished tasks in plan order; returns the index of the first unreported. */
static size_t report_finished(struct sched *s, size_t next, const struct reporter *rep,
			      void *rctx, struct summary *sum)
{
	while (next < s->ntasks && s->tasks[next]->finished &&
	       (!s->tasks[next]->probe || s->tasks[next]->probe->finished)) {
		struct task *t = s->tasks[next++];

		if (t->hidden)
			continue;
		if (t->probe)
			attach_probe(t);
		summary_add(sum, &t->result);
		/* Keep the evidence when a checker broke. */
		if (t->result.broken)
			s->evidence = 1;
		rep->result(rctx, &t->result);
	}
	return next;
}

/* Nothing a run started outlives racelab, interrupted or not. */
static void stop_everything(struct sched *s)
{
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i]->running) {
			run_clear(&s->tasks[i]->run);
			s->tasks[i]->running = 0;
		}
	for (size_t i = 0; i < s->nbuilds; i++)
		if (s->builds[i]->state == BUILD_RUNNING)
			kill_command(&s->builds[i]->cp, 0);
	reap_strays(1);
}

/*
 * Collect the runs that ended, then fill the slots they freed: every
 * free slot is taken the moment it frees, as the loop wakes on SIGCHLD.
 */
static void step(struct sched *s)
{
	poll_tasks(s);
	/* a build's scan may wait, and the hook step again: builds once */
	if (!s->building) {
		s->building = 1;
		start_builds(s);
		s->building = 0;
	}
	start_tasks(s);
}

/*
 * The wait hook (command_wait_hook): while one run's hang is described
 * by gdb, or its end waited out, every run's output is read (the one
 * being killed may still be writing its last report; run_tick knows what
 * of it to leave alone), the others are watched, collected and replaced,
 * and builds go on. The step leaves the run being waited on (busy), and
 * a run whose hang was named meanwhile (run_awaits_stop): describing it
 * waits on gdb, and a wait inside the hook has no hook, so every other
 * run would wait with it. The loop describes it next, its slot lent.
 */
static void tick_others(void *data)
{
	struct sched *s = data;
	uint64_t now = now_ms();

	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i]->running)
			run_tick(&s->tasks[i]->run, now);
	s->in_hook = 1;
	step(s);
	s->in_hook = 0;
}

/*
 * SIGCHLD is blocked but while the loop waits, so a child that ends
 * between two looks still ends the next wait; every child racelab starts
 * gets an empty signal mask (start_command).
 */
struct sig_saved {
	struct sigaction intr, term, pipe, chld;
	sigset_t mask;
};

static void signals_take(struct sig_saved *old, sigset_t *wait_mask)
{
	struct sigaction sa;
	sigset_t chld;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old->intr);
	sigaction(SIGTERM, &sa, &old->term);
	/* whoever read the results is gone: the rest would be run for no one */
	sigaction(SIGPIPE, &sa, &old->pipe);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &old->chld);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old->mask);
	*wait_mask = old->mask;
	sigdelset(wait_mask, SIGCHLD);
}

static void signals_restore(const struct sig_saved *old)
{
	sigprocmask(SIG_SETMASK, &old->mask, NULL);
	sigaction(SIGCHLD, &old->chld, NULL);
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGTERM, &old->term, NULL);
	sigaction(SIGPIPE, &old->pipe, NULL);
}

int sched_run(struct sched *s, const struct reporter *rep, void *rctx, struct summary *sum)
{
	size_t next_report = 0;
	uint64_t t0 = now_ms(), last_reap = t0;
	struct sig_saved old;
	sigset_t wait_mask;

	signals_take(&old, &wait_mask);
	for (size_t i = 0; i < s->ntasks; i++)
		if (!s->tasks[i]->nbuilds)
			s->tasks[i]->finished = 1;
	command_wait_hook(tick_others, s, SCHED_TICK_MS);

	while (!interrupted) {
		struct timespec tick = { 0, SCHED_TICK_MS * 1000 * 1000 };
		size_t done = 0;

		step(s);
		next_report = report_finished(s, next_report, rep, rctx, sum);
		if (next_report == s->ntasks)
			break;
		for (size_t i = 0; i < s->ntasks; i++)
			done += s->tasks[i]->finished;
		if (rep->progress)
			rep->progress(rctx, (int)done, (int)s->ntasks,
				      s->tasks[next_report]->spec.exercise);
		if (now_ms() - last_reap >= STRAY_REAP_MS) {
			reap_strays(0);
			last_reap = now_ms();
		}
		ppoll(NULL, 0, &tick, &wait_mask);
	}

	command_wait_hook(NULL, NULL, 0);
	stop_everything(s);
	summary_finish(sum);
	signals_restore(&old);
	sum->duration_ms = now_ms() - t0;
	if (interrupted) {
		if (interrupted != SIGPIPE)
			error("interrupted: every run was stopped");
		return -1;
	}
	return 0;
}

void sched_clear(struct sched *s)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		result_clear(&s->tasks[i]->result);
		for (size_t k = 0; k < s->tasks[i]->spec.nprogs; k++)
			free((char *)s->tasks[i]->spec.progs[k].binary);
		free(s->tasks[i]);
	}
	free(s->tasks);
	for (size_t i = 0; i < s->nbuilds; i++) {
		build_clear(s->builds[i]);
		free(s->builds[i]);
	}
	free(s->builds);
	if (s->workdir && !s->keep && !s->evidence)
		remove_tree(s->workdir);
	else if (s->workdir)
		fprintf(stderr, "racelab: runs kept in %s\n", s->workdir);
	free(s->workdir);
	free(s->preload);
	free(s->incdir);
}
