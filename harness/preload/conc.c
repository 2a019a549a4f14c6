/*
 * Concurrency kept or given up: what a fix must not trade away to make a
 * checker quiet. Two facts:
 *
 *   peak <pid> <n>     at most n workers were alive together in this
 *                      process: threads created by pthread_create and not
 *                      yet joined (or detached and not yet ended), and
 *                      processes made by fork and not yet reaped (children.c).
 *                      Fixed by the program's structure, not by timing: a
 *                      program that joins each worker before it creates
 *                      the next never gets past 1.
 *   worker <pid> <tid> life=NS wait=NS wait_cpu=NS cpu=NS clock=NS hold=NS
 *          hold_cpu=NS taken=N lock_wait=NS condwait=0|1 [lock=LOCK at=FRAME]
 *                      at a thread's end: its life (its function's, wall
 *                      clock), the time it was blocked for mutexes others
 *                      held or in joins (wall, and the CPU the timed waits
 *                      cost), its CPU time and what one reading of the CPU
 *                      clock costs it (a system call: two readings in a
 *                      row); its longest hold of one mutex in wall and CPU
 *                      time, how often it took that mutex, how long it was
 *                      blocked for it, whether it ever released it in a
 *                      condition wait; the mutex (MODULE+0xOFF for a
 *                      global, to be named, else 0xADDR) and the line that
 *                      took it. The harness decides from these whether the
 *                      worker did its whole work under that lock
 *                      (../serial.h). Each wall-clock stretch encloses the
 *                      CPU clock readings of the same stretch.
 *
 * A hold ends when pthread_mutex_unlock returns (handing the mutex to a
 * waiter is part of it) and while pthread_cond_wait has the mutex
 * released. Only the first two holds of each mutex, and the waits for
 * them, are timed by CPU (a mutex taken over and over is no candidate for
 * a whole-work hold, and timing each would cost a system call per lock). Locks taken with trylock
 * or timedlock are not followed (a hold the preload did not see start is
 * not counted).
 */
#include "preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#define TLS __thread __attribute__((tls_model("initial-exec")))
#define MAX_HELD 8

typedef int (*unlock_fn)(pthread_mutex_t *);
typedef int (*condwait_fn)(pthread_cond_t *, pthread_mutex_t *);
typedef int (*condtimed_fn)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
typedef int (*join_fn)(pthread_t, void **);

struct held {
	void *m;
	unsigned long long since;
	unsigned long long cpu_since;	/* 0: not timed (taken more than twice) */
	uintptr_t caller;		/* the call that took it (its return address) */
};

/* Each mutex taken: the first MAX_LOCKS distinct ones. */
struct taken {
	void *m;
	unsigned long n;		/* times taken */
	unsigned long long wait;	/* ns blocked taking it */
	int condwait;			/* released in a condition wait */
};

#define MAX_LOCKS 8

static TLS struct held held[MAX_HELD];
static TLS int nheld;
static TLS struct taken taken[MAX_LOCKS];
static TLS int ntaken;
static TLS unsigned long long t_cpu0, t_clock;
static TLS int is_worker;
static TLS unsigned long long t_start, t_wait, t_wait_cpu, t_best_hold, t_best_cpu;
static TLS void *t_best_lock;
static TLS uintptr_t t_best_caller;

static int live, peak;	/* workers alive together in this process, the most so far */

unsigned long long conc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static void *next_sym(const char *name, const char *version)
{
	void *f = version ? dlvsym(RTLD_NEXT, name, version) : NULL;

	return f ? f : dlsym(RTLD_NEXT, name);
}

void conc_gone(void)
{
	__atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL);
}

/* A fork child: its parent's workers are not its own. */
void conc_child(void)
{
	__atomic_store_n(&live, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&peak, 0, __ATOMIC_RELEASE);
	nheld = ntaken = 0;
	is_worker = 0;
}

void conc_created(void)
{
	int n = __atomic_add_fetch(&live, 1, __ATOMIC_ACQ_REL);
	int p = __atomic_load_n(&peak, __ATOMIC_ACQUIRE);

	while (n > p)
		if (__atomic_compare_exchange_n(&peak, &p, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			emit_simple("peak", n);
			break;
		}
}

static unsigned long long thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

void conc_thread_start(void)
{
	unsigned long long before;

	is_worker = 1;
	/* Two readings in a row: what one costs this thread (a system call). */
	before = thread_cpu_ns();
	t_start = conc_now_ns();	/* the wall-clock life encloses the CPU time's stretch */
	t_cpu0 = thread_cpu_ns();
	t_clock = t_cpu0 - before;
}

static struct taken *taken_of(const void *m)
{
	static const struct taken none;

	for (int i = 0; i < ntaken; i++)
		if (taken[i].m == m)
			return &taken[i];
	return (struct taken *)&none;
}

/* The longest hold by CPU used while holding (wall time when none was timed). */
/* The CPU clock is read inside the wall-clock stretch: the hold's CPU time never exceeds its wall time. */
static void hold_ended(int i)
{
	unsigned long long cpu = held[i].cpu_since ? thread_cpu_ns() - held[i].cpu_since : 0;
	unsigned long long now = conc_now_ns();

	if (cpu > t_best_cpu || (!t_best_cpu && now - held[i].since > t_best_hold)) {
		t_best_cpu = cpu;
		t_best_hold = now - held[i].since;
		t_best_lock = held[i].m;
		t_best_caller = held[i].caller;
	}
	held[i] = held[--nheld];
}

/*
 * Blocking for a mutex costs CPU (the futex calls, being woken), and that
 * is no work of the worker's: timed for the first two takes of each
 * mutex, the ones whose holds are timed.
 */
void conc_wait_begin(void *m, struct conc_wait *w)
{
	w->cpu0 = is_worker && taken_of(m)->n < 2 ? thread_cpu_ns() : 0;
	w->t0 = conc_now_ns();
}

static void locked(void *m, unsigned long long wait_ns, unsigned long long cpu0, uintptr_t caller,
		   int after_condwait)
{
	unsigned long long cpu_now, since;
	unsigned long n = 1;
	int i;

	if (!is_worker)
		return;
	t_wait += wait_ns;
	for (i = 0; i < ntaken && taken[i].m != m; i++)
		;
	if (i < ntaken) {
		n = ++taken[i].n;
		taken[i].wait += wait_ns;
		taken[i].condwait |= after_condwait;
	} else if (ntaken < MAX_LOCKS) {
		taken[ntaken++] = (struct taken){ m, 1, wait_ns, after_condwait };
	}
	since = conc_now_ns();
	cpu_now = n <= 2 || cpu0 ? thread_cpu_ns() : 0;
	if (cpu0 && cpu_now > cpu0)
		t_wait_cpu += cpu_now - cpu0;
	if (nheld < MAX_HELD)
		held[nheld++] = (struct held){ m, since, n <= 2 ? cpu_now : 0, caller };
}

void conc_locked(void *m, uintptr_t caller)
{
	locked(m, 0, 0, caller, 0);
}

void conc_wait_end(const struct conc_wait *w, void *m, uintptr_t caller)
{
	locked(m, conc_now_ns() - w->t0, w->cpu0, caller, 0);
}

static void key(struct line *l, const char *name, unsigned long long v)
{
	l_str(l, name);
	l_uint(l, v);
}

static void conc_unlocked(void *m)
{
	if (!is_worker)
		return;
	for (int i = nheld; i-- > 0;)
		if (held[i].m == m) {
			hold_ended(i);
			return;
		}
}

void conc_thread_end(void)
{
	/* First: what follows is ours, not the worker's. */
	unsigned long long cpu = thread_cpu_ns() - t_cpu0, now = conc_now_ns();
	pthread_attr_t attr;
	int detached = 0;
	const struct taken *best;
	char buf[1024];
	struct line l;

	if (!is_worker)
		return;
	while (nheld)
		hold_ended(nheld - 1);
	best = taken_of(t_best_lock);
	l_begin(&l, buf, sizeof(buf), "worker");
	key(&l, " ", (unsigned long long)gettid());
	key(&l, " life=", now - t_start);
	key(&l, " wait=", t_wait);
	key(&l, " wait_cpu=", t_wait_cpu);
	key(&l, " cpu=", cpu);
	key(&l, " clock=", t_clock);
	key(&l, " hold=", t_best_hold);
	key(&l, " hold_cpu=", t_best_cpu);
	key(&l, " taken=", best->n);
	key(&l, " lock_wait=", best->wait);
	key(&l, " condwait=", (unsigned long long)best->condwait);
	if (t_best_lock) {
		/* A global mutex as a place in its module, to be named; else its address. */
		l_str(&l, " lock=");
		if (l_place(&l, (uintptr_t)t_best_lock))
			l_hex(&l, (uintptr_t)t_best_lock);
		l_str(&l, " at=");
		if (l_place(&l, t_best_caller - 1))	/* into the call, not after it */
			l_str(&l, "?");
	}
	l_emit(&l);
	is_worker = 0;
	if (!pthread_getattr_np(pthread_self(), &attr)) {
		pthread_attr_getdetachstate(&attr, &detached);
		pthread_attr_destroy(&attr);
	}
	if (detached == PTHREAD_CREATE_DETACHED)
		conc_gone();
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	static unlock_fn real;
	unlock_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	int ret;

	if (!f) {
		f = (unlock_fn)next_sym("pthread_mutex_unlock", NULL);
		__atomic_store_n(&real, f, __ATOMIC_RELEASE);
	}
	ret = f(m);
	/*
	 * After the unlock: handing the mutex to a waiter (waking it) is part
	 * of the hold. Only m's address is used, which stays valid to compare
	 * even if another thread destroys the mutex meanwhile.
	 */
	if (rlw_enabled) {
		int saved = errno;
		conc_unlocked(m);
		noise_point(NOISE_UNLOCK);
		errno = saved;
	}
	return ret;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	static condwait_fn real;
	condwait_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	int ret;

	if (!f) {
		f = (condwait_fn)next_sym("pthread_cond_wait", "GLIBC_2.3.2");
		__atomic_store_n(&real, f, __ATOMIC_RELEASE);
	}
	if (!rlw_enabled)
		return f(c, m);
	noise_point(NOISE_WAIT);
	/* The wait releases the mutex: the hold ends here and starts again after. */
	conc_unlocked(m);
	ret = f(c, m);
	locked(m, 0, 0, (uintptr_t)__builtin_return_address(0), 1);
	return ret;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t)
{
	static condtimed_fn real;
	condtimed_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	struct timespec moved;
	int ret;

	if (!f) {
		f = (condtimed_fn)next_sym("pthread_cond_timedwait", "GLIBC_2.3.2");
		__atomic_store_n(&real, f, __ATOMIC_RELEASE);
	}
	if (!rlw_enabled)
		return f(c, m, t);
	noise_point(NOISE_WAIT);
	t = noise_deadline(t, &moved);
	conc_unlocked(m);
	ret = f(c, m, t);
	locked(m, 0, 0, (uintptr_t)__builtin_return_address(0), 1);
	return ret;
}

int pthread_join(pthread_t t, void **ret)
{
	static join_fn real;
	join_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	unsigned long long t0 = 0;
	int r;

	if (!f) {
		f = (join_fn)next_sym("pthread_join", NULL);
		__atomic_store_n(&real, f, __ATOMIC_RELEASE);
	}
	if (!rlw_enabled)
		return f(t, ret);
	if (is_worker)
		t0 = conc_now_ns();
	r = f(t, ret);
	/* A worker waiting for another is not running either. */
	if (is_worker)
		t_wait += conc_now_ns() - t0;
	if (r == 0)
		conc_gone();
	return r;
}
