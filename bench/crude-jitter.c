/*
 * The baseline of bench/noise.sh: crude jitter around lock and unlock
 * alone, the simplest noise injection. With CRUDE_JITTER set to a seed,
 * before every pthread_mutex_lock and after every pthread_mutex_unlock a
 * thread does nothing (half the time), yields (a quarter) or sleeps 1 to
 * 100 us (a quarter). Nothing else is touched: no thread start, no
 * condition variable, no sleep. A bench-only LD_PRELOAD of its own, so
 * racelab's preload carries no mode racelab never uses.
 *
 * Build: cc -O2 -fPIC -shared -o crude.so bench/crude-jitter.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

static int (*real_lock)(pthread_mutex_t *);
static int (*real_unlock)(pthread_mutex_t *);
static unsigned seed;
static unsigned threads;
static __thread unsigned state;
static __thread int ready;

__attribute__((constructor)) static void crude_init(void)
{
	const char *s = getenv("CRUDE_JITTER");

	real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
	real_unlock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_unlock");
	seed = s ? (unsigned)strtoul(s, NULL, 10) : 0;
}

static void jitter(void)
{
	unsigned r;

	if (!seed)
		return;
	if (!ready) {	/* each thread its own stream, in the order threads first lock */
		state = seed * 2654435761u + __atomic_add_fetch(&threads, 1, __ATOMIC_RELAXED);
		ready = 1;
	}
	r = (unsigned)rand_r(&state) % 4;
	if (r == 2) {
		sched_yield();
	} else if (r == 3) {
		struct timespec ts = { 0, 1000L * (1 + rand_r(&state) % 100) };

		nanosleep(&ts, NULL);
	}
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	jitter();
	return real_lock(m);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	int ret = real_unlock(m);

	jitter();
	return ret;
}
