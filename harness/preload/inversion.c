/*
 * Priority inversion, seen from a real-time thread's blocked lock: a
 * snapshot of every thread's CPU time and run-queue delay
 * (/proc/self/task/TID/schedstat) and priority before and after the
 * wait. rlwatch.c's pthread_mutex_lock calls inversion_lock() only for a
 * real-time thread that found the mutex taken.
 */
#include "preload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
/* A wait shorter than this is not worth a report. */
#define INVERSION_MIN_WAIT_NS (20ULL * 1000 * 1000)

/* glibc's own public alias: the wrapper is ours. */
extern int __pthread_mutex_lock(pthread_mutex_t *);

/*
 * Real-time threads that ended lately, with their CPU time: the thread
 * that ran during a long lock wait has often ended by the time the waiter
 * gets the lock, and /proc no longer shows it. A ring: old entries are
 * overwritten. Each entry is cleared (tid 0) while it is rewritten.
 */
#define EXITED_RING 64

struct exited {
	int tid;
	int prio;
	unsigned long long cpu_ns, exit_ns;
};

static struct exited exited_ring[EXITED_RING];
static unsigned exited_next;

void inversion_thread_end(void)
{
	struct sched_param sp;
	struct timespec cpu;
	struct exited *e;
	int policy = sched_getscheduler(0);

	if (policy < 0 || !((policy &= ~SCHED_RESET_ON_FORK) == SCHED_FIFO ||
			    policy == SCHED_RR))
		return;
	if (sched_getparam(0, &sp) || clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu))
		return;
	e = &exited_ring[__atomic_fetch_add(&exited_next, 1, __ATOMIC_RELAXED) % EXITED_RING];
	__atomic_store_n(&e->tid, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&e->prio, sp.sched_priority, __ATOMIC_RELAXED);
	__atomic_store_n(&e->cpu_ns, (unsigned long long)cpu.tv_sec * 1000000000ULL + cpu.tv_nsec,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&e->exit_ns, conc_now_ns(), __ATOMIC_RELAXED);
	__atomic_store_n(&e->tid, (int)gettid(), __ATOMIC_RELEASE);
}

/* A consistent copy of entry i, or 0. */
static int exited_get(size_t i, struct exited *out)
{
	struct exited *e = &exited_ring[i];

	out->tid = __atomic_load_n(&e->tid, __ATOMIC_ACQUIRE);
	out->prio = __atomic_load_n(&e->prio, __ATOMIC_RELAXED);
	out->cpu_ns = __atomic_load_n(&e->cpu_ns, __ATOMIC_RELAXED);
	out->exit_ns = __atomic_load_n(&e->exit_ns, __ATOMIC_RELAXED);
	return out->tid > 0 && __atomic_load_n(&e->tid, __ATOMIC_ACQUIRE) == out->tid;
}


struct task {
	pid_t tid;
	int prio;		/* rt_priority of a FIFO/RR thread, else 0 */
	unsigned long long cpu_ns, delay_ns;
};

struct snapshot {
	struct task *v;
	size_t n, alloc;
};

static int rt_prio_of(int policy, int rt_priority)
{
	return policy == SCHED_FIFO || policy == SCHED_RR ? rt_priority : 0;
}

/* Read a small /proc file into buf; returns its length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Fields 40 (rt_priority) and 41 (policy) of stat, counted after comm. */
static int parse_stat_prio(const char *stat, int *prio)
{
	const char *p = strrchr(stat, ')');
	long rt = -1, policy = -1;

	if (!p)
		return -1;
	p++;
	for (int field = 3; *p && field <= 41; field++) {
		char *end;
		while (*p == ' ')
			p++;
		if (field == 40)
			rt = strtol(p, &end, 10);
		else if (field == 41)
			policy = strtol(p, &end, 10);
		while (*p && *p != ' ')
			p++;
	}
	if (rt < 0 || policy < 0)
		return -1;
	*prio = rt_prio_of((int)policy, (int)rt);
	return 0;
}

static int read_task(pid_t tid, struct task *t)
{
	char path[64], buf[1024];
	char *end;

	t->tid = tid;
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	if (read_small(path, buf, sizeof(buf)) < 0 || parse_stat_prio(buf, &t->prio))
		return -1;
	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", (int)tid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	t->cpu_ns = strtoull(buf, &end, 10);
	t->delay_ns = strtoull(end, NULL, 10);
	return 0;
}

static void snapshot_take(struct snapshot *s)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;

	s->n = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		if (s->n == s->alloc) {
			size_t alloc = s->alloc ? 2 * s->alloc : 16;
			struct task *v = realloc(s->v, alloc * sizeof(*v));
			if (!v)
				break;
			s->v = v;
			s->alloc = alloc;
		}
		if (!read_task(tid, &s->v[s->n]))
			s->n++;
	}
	closedir(d);
}

static const struct task *snapshot_find(const struct snapshot *s, pid_t tid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].tid == tid)
			return &s->v[i];
	return NULL;
}

static void report_inversion(pthread_mutex_t *m, const struct task *waiter,
			     const struct task *owner, const struct task *runner,
			     unsigned long long wait_ns, unsigned long long ran_ns,
			     unsigned long long owner_delay_ns, uintptr_t *frames,
			     size_t nframes)
{
	char *buf = malloc(LINE_MAX_BYTES);
	struct line l;

	if (!buf)
		return;
	l_begin(&l, buf, LINE_MAX_BYTES, "priority-inversion");
	l_str(&l, " waiter=");
	l_uint(&l, waiter->tid);
	l_str(&l, ":");
	l_uint(&l, waiter->prio);
	l_str(&l, " owner=");
	l_uint(&l, owner->tid);
	l_str(&l, ":");
	l_uint(&l, owner->prio);
	l_str(&l, " runner=");
	l_uint(&l, runner->tid);
	l_str(&l, ":");
	l_uint(&l, runner->prio);
	l_str(&l, " wait_ms=");
	l_uint(&l, wait_ns / 1000000);
	l_str(&l, " ran_ms=");
	l_uint(&l, ran_ns / 1000000);
	l_str(&l, " owner_delay_ms=");
	l_uint(&l, owner_delay_ns / 1000000);
	l_str(&l, " lock=");
	l_hex(&l, (uintptr_t)m);
	for (size_t i = 0; i < nframes; i++)
		l_frame(&l, frames[i]);
	l_emit(&l);
	free(buf);
}

/*
 * The wait was an inversion when a thread whose priority lies strictly
 * between the owner's and the waiter's ran for most of it, while the owner
 * sat runnable on a run queue (it was preempted, not sleeping by choice).
 * Priorities are those from before the wait: a priority-inheritance
 * mutex boosts the owner, the middle thread then does not run, and the
 * fixed program is recognized by the silence.
 */
/*
 * The thread of middle priority that ran most during the wait: among
 * those /proc still shows, and those that ended during the wait.
 */
static unsigned long long busiest_between(const struct snapshot *before,
					  const struct snapshot *after,
					  pid_t self, pid_t owner_tid, int lo, int hi,
					  unsigned long long start,
					  struct task *runner)
{
	unsigned long long best = 0;

	for (size_t i = 0; i < after->n; i++) {
		const struct task *t = &after->v[i], *was = snapshot_find(before, t->tid);
		int prio = was ? was->prio : t->prio;
		unsigned long long base = was ? was->cpu_ns : 0;

		if (t->tid == self || t->tid == owner_tid || t->cpu_ns < base)
			continue;
		if (prio > lo && prio < hi && t->cpu_ns - base > best) {
			best = t->cpu_ns - base;
			*runner = *t;
			runner->prio = prio;
		}
	}
	for (size_t i = 0; i < EXITED_RING; i++) {
		struct exited e;
		const struct task *was;
		unsigned long long base;
		int prio;

		if (!exited_get(i, &e) || e.exit_ns < start || snapshot_find(after, e.tid))
			continue;
		was = snapshot_find(before, e.tid);
		base = was ? was->cpu_ns : 0;
		prio = was ? was->prio : e.prio;
		if (e.cpu_ns < base || !(prio > lo && prio < hi) || e.cpu_ns - base <= best)
			continue;
		best = e.cpu_ns - base;
		runner->tid = e.tid;
		runner->prio = prio;
	}
	return best;
}

/*
 * The wait was an inversion when a thread whose priority lies strictly
 * between the owner's and the waiter's ran for most of it, while the owner
 * sat runnable on a run queue (it was preempted, not sleeping by choice).
 * Priorities are those from before the wait: a priority-inheritance
 * mutex boosts the owner, the middle thread then does not run, and the
 * fixed program is recognized by the silence.
 */
static void check_inversion(pthread_mutex_t *m, pid_t self, pid_t owner_tid,
			    const struct snapshot *before, const struct snapshot *after,
			    unsigned long long start, unsigned long long wait_ns,
			    uintptr_t *frames, size_t nframes)
{
	const struct task *waiter = snapshot_find(before, self);
	const struct task *owner = snapshot_find(before, owner_tid);
	const struct task *owner_after = snapshot_find(after, owner_tid);
	struct task runner = { 0 };
	unsigned long long ran, owner_delay = 0;

	if (!waiter || !owner || waiter->prio <= owner->prio + 1)
		return;
	if (owner_after && owner_after->delay_ns >= owner->delay_ns)
		owner_delay = owner_after->delay_ns - owner->delay_ns;
	if (owner_after && owner_delay < wait_ns / 4)
		return;
	ran = busiest_between(before, after, self, owner_tid, owner->prio,
			      waiter->prio, start, &runner);
	if (runner.tid && ran * 2 > wait_ns)
		report_inversion(m, waiter, owner, &runner, wait_ns, ran, owner_delay,
				 frames, nframes);
}

int self_is_realtime(void)
{
	int policy = sched_getscheduler(0);

	if (policy < 0)
		return 0;
	policy &= ~SCHED_RESET_ON_FORK;
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

int inversion_lock(pthread_mutex_t *m, uintptr_t *frames, size_t nframes)
{
	struct snapshot before = { 0 }, after = { 0 };
	pid_t self = gettid();
	pid_t owner = __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
	unsigned long long start, wait_ns;
	int ret, saved;

	rlw_in_hook = 1;
	if (owner > 0)
		snapshot_take(&before);
	start = conc_now_ns();
	ret = __pthread_mutex_lock(m);
	saved = errno;
	wait_ns = conc_now_ns() - start;
	if (owner > 0 && before.n && wait_ns >= INVERSION_MIN_WAIT_NS) {
		snapshot_take(&after);
		check_inversion(m, self, owner, &before, &after, start, wait_ns,
				frames, nframes);
	}
	free(before.v);
	free(after.v);
	rlw_in_hook = 0;
	errno = saved;
	return ret;
}

