/*
 * The watch: classify hangs of a running program from /proc alone.
 * docs/watch.md explains the rules and their limits; the numbers below
 * were measured on the project's machine (see there).
 */
#include "watch.h"
#include "env-guard.h"
#include "watch-int.h"
#include "proc.h"
#include "sandbox.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The processes of a run whose environment is compared at each sample (env-guard.h). */
#define ENV_GUARD_PROCS 16

/*
 * CPU a run may use per second of the stall window and still count as
 * stopped: TSan's background thread wakes every 100 ms and costs about
 * 5 ms a second; a spinner costs 1000.
 */
#define IDLE_CPU_NS_PER_S   10000000ULL
/* A livelock uses at least this much CPU per second of the window (20 %). */
#define BUSY_CPU_NS_PER_S   200000000ULL
/*
 * Voluntary context switches per CPU-second of the busy threads that mark
 * retrying: compute loops measured 30-360 switches of both kinds (Valgrind
 * included; preemptions only grow under load, which is why they are not
 * counted), lockstep livelocks 15000-420000.
 */
#define RETRY_CSW_PER_CPU_S 5000ULL
#define RETRY_MIN_CSW       50
#define VALGRIND_STALL_MULT 4
/* Samples in a row a child must be seen a zombie (50 ms apart). */
#define ZOMBIE_SAMPLES      3


const char *hang_name(enum hang h)
{
	switch (h) {
	case HANG_DEADLOCK:
		return "deadlock";
	case HANG_LIVELOCK:
		return "livelock";
	case HANG_TIMEOUT:
		return "timeout";
	default:
		return NULL;
	}
}

int watch_read_thread(struct strbuf *sb, pid_t pid, pid_t tid, struct thr *t)
{
	char *f[13];
	uint64_t ticks;

	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->tid = tid;
	if (proc_read(sb, "/proc/%d/task/%d/stat", pid, tid) < 0 ||
	    proc_stat_fields(sb->buf, f, 13) < 0)
		return -1;
	t->state = f[0][0];
	/* utime and stime (fields 14, 15): the fallback when schedstat is off */
	ticks = strtoull(f[11], NULL, 10) + strtoull(f[12], NULL, 10);
	t->cpu_ns = ticks * (1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK));
	if (!proc_read(sb, "/proc/%d/task/%d/schedstat", pid, tid))
		t->cpu_ns = strtoull(sb->buf, NULL, 10);
	if (proc_read(sb, "/proc/%d/task/%d/status", pid, tid) < 0)
		return -1;
	/*
	 * Only voluntary switches (the thread blocked or slept: a retry, a
	 * back-off, a barrier) mark a livelock. Preemptions do not: on a
	 * loaded machine a compute thread gets a little CPU and is preempted
	 * often, which would look like thousands of switches per CPU-second.
	 */
	t->csw = proc_status_field(sb->buf, "\nvoluntary_ctxt_switches:");
	return 0;
}

struct task_scan {
	struct watch *w;
	struct snap *s;
	int n;
};

static int note_task(pid_t pid, pid_t tid, void *data)
{
	struct task_scan *ts = data;
	struct snap *s = ts->s;

	ALLOC_GROW(s->t, s->nr + 1, s->alloc);
	if (watch_read_thread(&ts->w->buf, pid, tid, &s->t[s->nr]) == 0) {
		s->nr++;
		ts->n++;
	}
	return 0;
}

static void scan_tasks(struct watch *w, pid_t pid, struct snap *s)
{
	struct task_scan ts = { w, s, 0 };

	proc_each_task(pid, note_task, &ts);
	if (ts.n > w->max_threads)
		w->max_threads = ts.n;
}

static int in_run(const struct watch *w, pid_t sid)
{
	for (size_t i = 0; i < w->nsids; i++)
		if (w->sids[i] == sid)
			return 1;
	return 0;
}

static pid_t origin_in(const struct member *m, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].pid == pid)
			return m[i].origin;
	return 0;
}

/*
 * A process racelab inherited as the subreaper before the watch ever saw
 * it (it left its session and lost its parent between two samples) is
 * told by its environment: every run has its own HOME, and a forked child
 * keeps the environment its program was started with.
 */
static int has_home(struct watch *w, pid_t pid)
{
	size_t n;

	if (!w->o.home || proc_read(&w->buf, "/proc/%d/environ", pid, 0) < 0)
		return 0;
	n = strlen(w->o.home);
	for (const char *p = w->buf.buf; p < w->buf.buf + w->buf.len; p += strlen(p) + 1)
		if (!strncmp(p, "HOME=", 5) && !strncmp(p + 5, w->o.home, n) && !p[5 + n])
			return 1;
	return 0;
}

/*
 * Every process of the run, in /proc order, and from which of its sessions
 * (origin: 0 for all). A process belongs to the run when its session is
 * one of the run's, or when it was a member at the last scan, or when its
 * parent is one: so a child that calls setsid() stays in the run, and so
 * does an orphan of it that racelab, the subreaper, inherited.
 */
static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

struct pidlist {
	pid_t *v;
	size_t n, alloc;
	struct strbuf *buf;
};

/* Each pid of a whitespace-separated list (cgroup.procs, a thread's children). */
static void add_pids(struct pidlist *l, char *text)
{
	pid_t pid;

	for (char *save = NULL, *p = strtok_r(text, " \n", &save); p; p = strtok_r(NULL, " \n", &save))
		if (proc_parse_pid(p, &pid) == 0) {
			ALLOC_GROW(l->v, l->n + 1, l->alloc);
			l->v[l->n++] = pid;
		}
}

static int add_children(pid_t pid, pid_t tid, void *data)
{
	struct pidlist *l = data;

	if (proc_read(l->buf, "/proc/%d/task/%d/children", pid, tid) == 0)
		add_pids(l, l->buf->buf);
	return 0;
}

/*
 * The processes that may be the run's: those of its pids cgroup when the
 * sandbox made one (every process of the run is in it from its first
 * instruction, and nothing else is), with their threads' children (a
 * zombie has left its cgroup, not its parent); else every process of the
 * machine. A few reads at each sample instead of a stat of every process.
 * In pid order, as /proc lists them: parents mostly before their children.
 */
static pid_t *candidates(struct watch *w, size_t *n)
{
	const char *cg = w->o.sb ? w->o.sb->cg.dir[CG_PIDS] : NULL;
	struct pidlist l = { NULL, 0, 0, &w->buf };
	struct dirent *de;
	DIR *d;

	if (cg) {
		char *path = xstrfmt("%s/cgroup.procs", cg);
		long got;

		strbuf_reset(&w->cgbuf);
		got = strbuf_read_file(&w->cgbuf, path);
		free(path);
		if (got >= 0) {
			size_t members;

			add_pids(&l, w->cgbuf.buf);
			members = l.n;
			for (size_t i = 0; i < members; i++)
				proc_each_task(l.v[i], add_children, &l);
			if (l.n)
				qsort(l.v, l.n, sizeof(*l.v), cmp_pid);
			*n = 0;
			for (size_t i = 0; i < l.n; i++)	/* a member is also a child of another */
				if (!*n || l.v[*n - 1] != l.v[i])
					l.v[(*n)++] = l.v[i];
			return l.v;
		}
	}
	d = opendir("/proc");
	if (!d) {
		error_errno("cannot open /proc");
		*n = 0;
		return NULL;
	}
	while ((de = readdir(d))) {
		pid_t pid;

		if (proc_parse_pid(de->d_name, &pid) == 0) {
			ALLOC_GROW(l.v, l.n + 1, l.alloc);
			l.v[l.n++] = pid;
		}
	}
	closedir(d);
	*n = l.n;
	return l.v;
}

void watch_run_pids(struct watch *w, pid_t origin, pid_t **pids, size_t *nr)
{
	struct member *now = NULL;
	size_t nnow = 0, alloc_now = 0, alloc = 0, ncand;
	pid_t *cand = candidates(w, &ncand), self = getpid();

	*pids = NULL;
	*nr = 0;
	for (size_t i = 0; i < ncand; i++) {
		char *f[4];
		pid_t pid = cand[i], sid, ppid, from;

		if (proc_read(&w->buf, "/proc/%d/stat", pid, 0) < 0 || proc_stat_fields(w->buf.buf, f, 4) < 0)
			continue;
		ppid = (pid_t)strtol(f[1], NULL, 10);
		sid = (pid_t)strtol(f[3], NULL, 10);
		from = origin_in(w->members, w->nmembers, pid);
		if (!from && in_run(w, sid))
			from = sid;
		if (!from)
			from = origin_in(now, nnow, ppid);
		if (!from)
			from = origin_in(w->members, w->nmembers, ppid);
		if (!from && ppid == self && has_home(w, pid))
			from = w->sids[0];
		/* the run's own init adopts its orphans: only the run's processes have it as parent */
		if (!from && w->o.sb && w->o.sb->init > 0 && ppid == w->o.sb->init)
			from = w->sids[0];
		if (!from)
			continue;
		ALLOC_GROW(now, nnow + 1, alloc_now);
		now[nnow].pid = pid;
		now[nnow++].origin = from;
		if (origin && from != origin)
			continue;
		ALLOC_GROW(*pids, *nr + 1, alloc);
		(*pids)[(*nr)++] = pid;
	}
	free(cand);
	/* Members that are gone are forgotten: their pid may be reused. */
	free(w->members);
	w->members = now;
	w->nmembers = nnow;
	w->alloc_members = alloc_now;
}

static int cmp_tid(const void *a, const void *b)
{
	const struct thr *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/*
 * A zombie: a process of the run that ended, whose parent is still running
 * in the run and has not waited for it. Seen in ZOMBIE_SAMPLES samples in a
 * row while the parent was not in a wait for children and went on with
 * something else (watch_parent_went_on), it is no passing moment between exit
 * and wait (on a loaded machine the parent may need a while to get the
 * CPU) but a child nobody reaps.
 */
static void note_zombie(struct watch *w, pid_t pid)
{
	char *f[2];
	pid_t ppid;
	struct zombie_seen *z = NULL;

	if (proc_read(&w->buf, "/proc/%d/stat", pid, 0) < 0 || proc_stat_fields(w->buf.buf, f, 2) < 0 ||
	    f[0][0] != 'Z')
		return;
	ppid = (pid_t)strtol(f[1], NULL, 10);
	if (!origin_in(w->members, w->nmembers, ppid))
		return;		/* the parent is gone (or not of the run): racelab reaps it */
	if (waits_for_children(ppid))
		return;		/* it is being reaped right now */
	for (size_t i = 0; i < w->nzombies && !z; i++)
		if (w->zombies[i].pid == pid)
			z = &w->zombies[i];
	if (!z) {
		ALLOC_GROW(w->zombies, w->nzombies + 1, w->alloc_zombies);
		z = &w->zombies[w->nzombies++];
		memset(z, 0, sizeof(*z));
		z->pid = pid;
		z->ppid = ppid;
		proc_program_name(pid, z->comm, sizeof(z->comm));
		proc_program_name(ppid, z->pcomm, sizeof(z->pcomm));
	}
	z->seen_now = 1;
}

/*
 * Whether a zombie's parent went on since the last sample without reaping
 * it: it used the CPU, or every thread of it is blocked or asleep (and
 * none in a wait for children: note_zombie left those out). A parent
 * only runnable, waiting for a CPU on a loaded machine, has had no chance
 * to reap (ASan's leak check spins until its helper process has ended,
 * then waits for it): that sample is not held against it.
 */
int watch_parent_went_on(const struct snap *s, struct zombie_seen *z)
{
	uint64_t cpu = 0;
	int found = 0, runnable = 0, went;

	for (size_t i = 0; i < s->nr; i++) {
		if (s->t[i].pid != z->ppid)
			continue;
		found = 1;
		cpu += s->t[i].cpu_ns;
		runnable |= s->t[i].state == 'R';
	}
	went = !found || !runnable || (z->parent_cpu_known && cpu > z->parent_cpu_ns);
	z->parent_cpu_ns = cpu;
	z->parent_cpu_known = 1;
	return went;
}

static void scan(struct watch *w, struct snap *s)
{
	pid_t *pids;
	size_t nr;
	int env;

	s->nr = 0;
	for (size_t i = 0; i < w->nzombies; i++)
		w->zombies[i].seen_now = 0;
	/*
	 * Not in a fork bomb: its processes are forks, not execs, and reading
	 * a process's environment waits for its memory map, which a storm of
	 * refused forks holds: the watch would miss the timeout.
	 */
	env = w->o.envg && !(w->o.sb && sandbox_pids_full(w->o.sb));
	watch_run_pids(w, 0, &pids, &nr);
	for (size_t i = 0; i < nr; i++) {
		scan_tasks(w, pids[i], s);
		note_zombie(w, pids[i]);
		if (env && i < ENV_GUARD_PROCS)
			env_guard_check(w->o.envg, pids[i]);
	}
	free(pids);
	for (size_t i = 0; i < w->nzombies; i++) {
		struct zombie_seen *z = &w->zombies[i];

		if (z->samples >= ZOMBIE_SAMPLES)
			continue;
		if (!z->seen_now)
			z->samples = 0;	/* reaped after all: starts over if seen again */
		else if (watch_parent_went_on(s, z))
			z->samples++;
	}
	qsort(s->t, s->nr, sizeof(*s->t), cmp_tid);
}

/*
 * Compare the new snapshot with the previous one: fill the sample and
 * carry each thread's last wake-up over. Returns whether the set of
 * threads changed (one started or ended).
 */
static int compare(struct watch *w, uint64_t now, struct sample *smp)
{
	struct thr *a = w->prev.t, *b = w->cur.t;
	size_t i = 0, j = 0;
	int changed = w->prev.nr != w->cur.nr;

	memset(smp, 0, sizeof(*smp));
	smp->t = now;
	for (; j < w->cur.nr; j++) {
		uint64_t dcpu, dcsw;

		if (b[j].state == 'R')
			smp->running = 1;
		while (i < w->prev.nr && a[i].tid < b[j].tid) {
			i++;
			changed = 1;
		}
		if (i < w->prev.nr && a[i].tid == b[j].tid && a[i].pid == b[j].pid) {
			dcpu = b[j].cpu_ns > a[i].cpu_ns ? b[j].cpu_ns - a[i].cpu_ns : 0;
			dcsw = b[j].csw > a[i].csw ? b[j].csw - a[i].csw : 0;
			b[j].last_woke = (dcpu || dcsw) ? now : a[i].last_woke;
			memcpy(b[j].woke_at, a[i].woke_at, sizeof(b[j].woke_at));
			if (dcpu || dcsw) {
				memmove(b[j].woke_at + 1, b[j].woke_at,
					(TICKER_WAKES - 1) * sizeof(*b[j].woke_at));
				b[j].woke_at[0] = now;
			}
			i++;
		} else {
			/* new thread: all it did happened since the last sample */
			dcpu = b[j].cpu_ns;
			dcsw = b[j].csw;
			b[j].last_woke = now;
			memset(b[j].woke_at, 0, sizeof(b[j].woke_at));
			b[j].woke_at[0] = now;
			changed = 1;
		}
		smp->cpu_ns += dcpu;
		if (dcpu)
			smp->busy_csw += dcsw;
	}
	if (i < w->prev.nr)
		changed = 1;
	return changed;
}

static void push_sample(struct watch *w, const struct sample *smp, uint64_t keep_ms)
{
	size_t drop = 0;

	ALLOC_GROW(w->hist, w->hist_nr + 1, w->hist_alloc);
	w->hist[w->hist_nr++] = *smp;
	/* keep one sample at or before the start of the longest window */
	while (drop + 1 < w->hist_nr && w->hist[drop + 1].t + keep_ms <= smp->t)
		drop++;
	if (drop) {
		memmove(w->hist, w->hist + drop, (w->hist_nr - drop) * sizeof(*w->hist));
		w->hist_nr -= drop;
	}
}

/* Sum what happened over the last `ms` (samples taken after now - ms). */
static void window_sum(const struct watch *w, uint64_t now, uint64_t ms,
		       struct sample *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = w->hist_nr; i-- > 0;) {
		const struct sample *s = &w->hist[i];

		if (s->t + ms <= now)
			break;
		sum->cpu_ns += s->cpu_ns;
		sum->busy_csw += s->busy_csw;
		sum->running |= s->running;
	}
}

static int waits_in(pid_t pid, pid_t tid, void *data)
{
	struct proc_syscall sc;

	if (proc_syscall(data, pid, tid, &sc) < 0 || !sc.name)
		return 0;
	return !strcmp(sc.name, "wait4") || !strcmp(sc.name, "waitid");
}

int waits_for_children(pid_t pid)
{
	struct strbuf sb = STRBUF_INIT;
	int waiting = proc_each_task(pid, waits_in, &sb);

	strbuf_release(&sb);
	return waiting;
}

/*
 * A wait that ends by itself: a sleep or a timeout, or a wait for a signal
 * that another process or a timer may send (pause(), sigsuspend(),
 * sigwait(): an alarm() is invisible in /proc).
 */
static int wait_ends_by_itself(const struct proc_syscall *sc)
{
	return sc->timed ||
	       (sc->name && (!strcmp(sc->name, "pause") || !strcmp(sc->name, "rt_sigsuspend") ||
			     !strcmp(sc->name, "rt_sigtimedwait")));
}

/*
 * Every thread stopped. A thread in a wait that ends by itself (a sleep,
 * a timed wait, a wait for a signal: an alarm() is invisible in /proc)
 * only counts as stopped when it is a ticker: it woke in TICKER_WAKES
 * samples of the window without any effect (TSan's background thread).
 * One that has not may simply be about to end its wait: a thread between
 * two sleeps, a main thread in pause() for its alarm. At least one thread
 * must be blocked without a timeout, and must not have woken in the window.
 */
static int all_stuck(struct watch *w, uint64_t now, uint64_t window)
{
	int untimed = 0;

	for (size_t i = 0; i < w->cur.nr; i++) {
		const struct thr *t = &w->cur.t[i];
		int woke = t->last_woke + window > now;
		int ticker = t->woke_at[TICKER_WAKES - 1] + window > now;
		struct proc_syscall wh;

		if (t->state == 'Z' || t->state == 'X')
			continue;
		proc_syscall(&w->buf, t->pid, t->tid, &wh);
		if (wait_ends_by_itself(&wh)) {
			if (!ticker)
				return 0;
		} else {
			if (woke)
				return 0;
			untimed++;
		}
	}
	return untimed > 0;
}

/*
 * Every thread of the last sample blocked in a wait that does not end by
 * itself: nothing in the run can wake it but a signal from outside. The
 * caller reads it only when the sample saw no thread runnable; a system
 * call not in proc.c's table may be any wait, and counts as one that ends.
 */
static int all_untimed(struct watch *w)
{
	int waiting = 0;

	for (size_t i = 0; i < w->cur.nr; i++) {
		const struct thr *t = &w->cur.t[i];
		struct proc_syscall wh;

		if (t->state == 'Z' || t->state == 'X')
			continue;
		proc_syscall(&w->buf, t->pid, t->tid, &wh);
		if (!wh.name || wait_ends_by_itself(&wh))
			return 0;
		waiting++;
	}
	return waiting > 0;
}

static enum hang classify(struct watch *w, uint64_t now)
{
	uint64_t stall = w->o.stall_ms;
	uint64_t live = w->o.valgrind ? stall * VALGRIND_STALL_MULT : stall;
	struct sample sum;

	if (!w->cur.nr || !stall)
		return HANG_NONE;
	if (now - w->last_progress >= stall) {
		window_sum(w, now, stall, &sum);
		if (!sum.running &&
		    sum.cpu_ns <= IDLE_CPU_NS_PER_S * stall / 1000 &&
		    all_stuck(w, now, stall))
			return HANG_DEADLOCK;
	}
	if (now - w->last_progress >= live) {
		window_sum(w, now, live, &sum);
		if (sum.cpu_ns >= BUSY_CPU_NS_PER_S * live / 1000 &&
		    sum.busy_csw >= RETRY_MIN_CSW &&
		    sum.busy_csw * 1000000000ULL >= RETRY_CSW_PER_CPU_S * sum.cpu_ns)
			return HANG_LIVELOCK;
	}
	return HANG_NONE;
}

struct watch *watch_new(pid_t sid, const struct watch_opts *o)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->sids[0] = sid;
	w->nsids = 1;
	w->o = *o;
	strbuf_init(&w->buf, 4096);
	return w;
}

void watch_add_session(struct watch *w, pid_t sid)
{
	if (w->nsids < WATCH_MAX_SESSIONS && !in_run(w, sid))
		w->sids[w->nsids++] = sid;
}

enum hang watch_sample(struct watch *w, uint64_t now, uint64_t progress)
{
	struct snap tmp;
	struct sample smp;
	uint64_t keep = w->o.stall_ms * (w->o.valgrind ? VALGRIND_STALL_MULT : 1);

	if (w->hang != HANG_NONE)
		return w->hang;
	tmp = w->prev;
	w->prev = w->cur;
	w->cur = tmp;
	scan(w, &w->cur);
	if (compare(w, now, &smp) || !w->started || progress != w->progress)
		w->last_progress = now;
	w->started = 1;
	w->progress = progress;
	push_sample(w, &smp, keep + WATCH_PERIOD_MS);
	w->untimed = !smp.running && all_untimed(w);
	w->hang = classify(w, now);
	return w->hang;
}

int watch_idle(const struct watch *w, uint64_t now, uint64_t ms, uint64_t untimed_ms)
{
	struct sample sum;

	if (w->untimed && untimed_ms < ms)
		ms = untimed_ms;
	/*
	 * The history must reach back over the whole window, and up to now: a
	 * window no sample fell in (a run no longer sampled) says nothing.
	 */
	if (w->hang != HANG_NONE || !w->hist_nr || w->hist[0].t + ms > now ||
	    w->hist[w->hist_nr - 1].t + 2 * WATCH_PERIOD_MS < now)
		return 0;
	window_sum(w, now, ms, &sum);
	return !sum.running && sum.cpu_ns <= IDLE_CPU_NS_PER_S * ms / 1000;
}

int watch_untimed(const struct watch *w)
{
	return w->untimed;
}

int watch_max_threads(const struct watch *w)
{
	return w->max_threads;
}

int watch_zombies(const struct watch *w, struct strvec *out, struct strvec *stuck)
{
	int n = 0;

	for (size_t i = 0; i < w->nzombies; i++) {
		const struct zombie_seen *z = &w->zombies[i];
		int hung = w->hang == HANG_DEADLOCK || w->hang == HANG_LIVELOCK;

		/*
		 * A zombie still there when the run was named hung is one for
		 * good: its parent was stuck, not in a wait, the whole window.
		 */
		if (z->samples < ZOMBIE_SAMPLES && !(z->samples > 0 && z->seen_now && hung))
			continue;
		if (stuck && hung && z->seen_now)
			strvec_pushf(stuck, "process %d (%s) ended, and its parent %d (%s), stuck when "
				     "the run was stopped, never waited for it", (int)z->pid, z->comm,
				     (int)z->ppid, z->pcomm);
		else
			strvec_pushf(out, "process %d (%s) ended, and its parent %d (%s) went on "
				     "without waiting for it", (int)z->pid, z->comm, (int)z->ppid,
				     z->pcomm);
		n++;
	}
	return n;
}

size_t watch_pids(struct watch *w, pid_t sid, pid_t **pids)
{
	size_t nr;

	watch_run_pids(w, sid, pids, &nr);
	return nr;
}

/*
 * A checker's helper process, not the program's: the symbolizer a
 * sanitizer starts to name the frames of its reports. Told by the file it
 * runs, which a program cannot fake without running it.
 */
int watch_checker_helper(pid_t pid)
{
	char exe[PATH_MAX];
	const char *base;

	if (proc_exe(pid, exe, sizeof(exe)) < 0)
		return 0;
	base = strrchr(exe, '/');
	return !strncmp(base ? base + 1 : exe, "llvm-symbolizer", 15);
}

int watch_leftovers(struct watch *w, pid_t sid, struct strvec *out, int *helpers)
{
	pid_t *pids;
	size_t nr;
	int n = 0;

	*helpers = 0;
	watch_run_pids(w, sid, &pids, &nr);
	for (size_t i = 0; i < nr; i++) {
		char *f[1], comm[20];

		if (proc_read(&w->buf, "/proc/%d/stat", pids[i], 0) < 0 ||
		    proc_stat_fields(w->buf.buf, f, 1) < 0 || f[0][0] == 'Z' || f[0][0] == 'X')
			continue;
		proc_program_name(pids[i], comm, sizeof(comm));
		if (w->o.sanitizer && watch_checker_helper(pids[i])) {
			(*helpers)++;
			continue;
		}
		strvec_pushf(out, "process %d (%s) was still running after the program ended",
			     (int)pids[i], comm);
		n++;
	}
	free(pids);
	return n;
}

int watch_kill(struct watch *w, pid_t sid)
{
	pid_t *pids;
	size_t nr;
	int n = 0;

	watch_run_pids(w, sid, &pids, &nr);
	for (size_t i = 0; i < nr; i++)
		n += kill(pids[i], SIGKILL) == 0;
	free(pids);
	return n;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	free(w->zombies);
	free(w->members);
	free(w->cur.t);
	free(w->prev.t);
	free(w->hist);
	strbuf_release(&w->buf);
	strbuf_release(&w->cgbuf);
	free(w);
}

unsigned watch_window_ms(const struct watch *w, enum hang h)
{
	/* Valgrind serializes threads, so only a livelock needs longer to show. */
	if (h == HANG_LIVELOCK && w->o.valgrind)
		return w->o.stall_ms * VALGRIND_STALL_MULT;
	return w->o.stall_ms;
}
