/*
 * Concurrency kept or given up: what a fix must not trade away to make a
 * checker quiet. Two facts, both fixed by the program's structure rather
 * than by the machine's timing:
 *
 *   peak <pid> <n>     at most n workers (threads made by pthread_create)
 *                      were alive together: created and neither joined nor
 *                      ended detached. A program that joins each worker
 *                      before it creates the next never gets past 1.
 *   worker <pid> <tid> <life_ns> <wait_ns> <hold_cpu_ns> <cpu_ns> <acquired> <lock> <frame>
 *                      at a worker's end: its life (its function's), the
 *                      time it waited for mutexes or joins, the CPU it
 *                      used in its longest hold of one mutex, in all, how
 *                      often it took that mutex, which one and where. A
 *                      worker that took its mutex once or twice and held
 *                      it for nearly all the CPU it used did its whole
 *                      work under that lock: with others, one at a time.
 *                      CPU, not wall time, is the measure: a thread the
 *                      scheduler preempts while it holds a lock still only
 *                      worked as long as its CPU says.
 *
 * A hold ends at pthread_mutex_unlock and while pthread_cond_wait has
 * the mutex released. Locks taken with trylock or timedlock are not
 * followed (a hold the preload did not see start is not counted).
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
	uintptr_t caller;
};

/* How often each mutex was taken: the first MAX_LOCKS distinct ones. */
struct taken {
	void *m;
	unsigned long n;
};

#define MAX_LOCKS 8

static TLS struct held held[MAX_HELD];
static TLS int nheld;
static TLS struct taken taken[MAX_LOCKS];
static TLS int ntaken;
static TLS unsigned long long t_cpu0;
static TLS int is_worker;
static TLS unsigned long long t_start, t_wait, t_best_hold, t_best_cpu;
static TLS void *t_best_lock;
static TLS uintptr_t t_best_caller;

static int live, peak;	/* workers alive together, the most so far */

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

static void worker_gone(void)
{
	__atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL);
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
	is_worker = 1;
	t_start = conc_now_ns();
	t_cpu0 = thread_cpu_ns();
}

static unsigned long times_taken(const void *m)
{
	for (int i = 0; i < ntaken; i++)
		if (taken[i].m == m)
			return taken[i].n;
	return 0;
}

static unsigned long long thread_cpu_ns(void);

/*
 * The longest hold by CPU used while holding: only the first two holds
 * of each mutex are timed by CPU (a mutex taken over and over is no
 * candidate for a whole-work hold, and timing each would cost a system
 * call per lock).
 */
static void hold_ended(int i, unsigned long long now)
{
	unsigned long long cpu = held[i].cpu_since ? thread_cpu_ns() - held[i].cpu_since : 0;

	if (cpu > t_best_cpu || (!t_best_cpu && now - held[i].since > t_best_hold)) {
		t_best_cpu = cpu;
		t_best_hold = now - held[i].since;
		t_best_lock = held[i].m;
		t_best_caller = held[i].caller;
	}
	held[i] = held[--nheld];
}

void conc_locked(void *m, unsigned long long wait_ns, uintptr_t caller)
{
	unsigned long n = 1;
	int i;

	if (!is_worker)
		return;
	t_wait += wait_ns;
	for (i = 0; i < ntaken && taken[i].m != m; i++)
		;
	if (i < ntaken)
		n = ++taken[i].n;
	else if (ntaken < MAX_LOCKS)
		taken[ntaken++] = (struct taken){ m, 1 };
	if (nheld < MAX_HELD)
		held[nheld++] = (struct held){ m, conc_now_ns(), n <= 2 ? thread_cpu_ns() : 0, caller };
}

static void conc_unlocked(void *m)
{
	if (!is_worker)
		return;
	for (int i = nheld; i-- > 0;)
		if (held[i].m == m) {
			hold_ended(i, conc_now_ns());
			return;
		}
}

void conc_thread_end(void)
{
	unsigned long long now = conc_now_ns();
	pthread_attr_t attr;
	int detached = 0;
	char buf[512];
	struct line l;

	if (!is_worker)
		return;
	while (nheld)
		hold_ended(nheld - 1, now);
	l_begin(&l, buf, sizeof(buf), "worker");
	l_add(&l, " ", 1);
	l_uint(&l, (unsigned long long)gettid());
	l_add(&l, " ", 1);
	l_uint(&l, now - t_start);
	l_add(&l, " ", 1);
	l_uint(&l, t_wait);
	l_add(&l, " ", 1);
	l_uint(&l, t_best_cpu);
	l_add(&l, " ", 1);
	l_uint(&l, thread_cpu_ns() - t_cpu0);
	l_add(&l, " ", 1);
	l_uint(&l, times_taken(t_best_lock));
	l_add(&l, " ", 1);
	l_hex(&l, (uintptr_t)t_best_lock);
	if (t_best_caller)
		l_frame(&l, t_best_caller);
	l_emit(&l);
	is_worker = 0;
	if (!pthread_getattr_np(pthread_self(), &attr)) {
		pthread_attr_getdetachstate(&attr, &detached);
		pthread_attr_destroy(&attr);
	}
	if (detached == PTHREAD_CREATE_DETACHED)
		worker_gone();
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	static unlock_fn real;
	unlock_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);

	if (!f) {
		f = (unlock_fn)next_sym("pthread_mutex_unlock", NULL);
		__atomic_store_n(&real, f, __ATOMIC_RELEASE);
	}
	if (rlw_enabled) {
		int saved = errno, ret;
		conc_unlocked(m);
		errno = saved;
		ret = f(m);
		noise_point(NOISE_UNLOCK);
		return ret;
	}
	return f(m);
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
	conc_locked(m, 0, (uintptr_t)__builtin_return_address(0));
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
	conc_locked(m, 0, (uintptr_t)__builtin_return_address(0));
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
		worker_gone();
	return r;
}
