#ifndef RACELAB_NOISE_H
#define RACELAB_NOISE_H
/*
 * Schedule noise: what the `noise` checker does to a native run, as pure
 * functions of a seed (docs/noise.md). The preload (preload/noise.c) asks
 * these functions what to do at each point of the program and does it;
 * racelab only parses seeds and passes one to each run. Nothing here
 * makes a system call, takes a lock or allocates, so the preload may call
 * it from a signal handler, and the unit tests can replay a seed's whole
 * stream of decisions.
 *
 * A seed gives a profile (how often threads yield or are delayed, how
 * sleeps are scaled) and a stream of random numbers for every thread:
 * the main thread's comes from the seed, a new thread's and a forked
 * child's are drawn from their creator's, so a program that makes the
 * same calls in the same order gets the same decisions.
 */
#include <stdint.h>

#ifdef RACELAB_PRELOAD
#pragma GCC visibility push(hidden)
#endif

#define NOISE_ENV "RACELAB_NOISE"	/* the seed of a noise run, in decimal */
#define NOISE_DEFAULT_SEEDS 20		/* seeds one noise result tries */
#define NOISE_MAX_CHANGES 3		/* priority change points per thread */

/* Where the program is when the preload asks. */
enum noise_point {
	NOISE_START,		/* a new thread, before its function */
	NOISE_CREATE,		/* its creator, after pthread_create */
	NOISE_LOCK,		/* before pthread_mutex_lock */
	NOISE_UNLOCK,		/* after pthread_mutex_unlock */
	NOISE_WAIT,		/* before pthread_cond_wait/timedwait */
	NOISE_SIGNAL,		/* after pthread_cond_signal/broadcast */
	NOISE_FORK,		/* before fork, and in the child after it */
	NOISE_IO,		/* before read/write/send/recv on a pipe or socket */
};

/* What one seed does, the same for every thread of the run. */
struct noise_profile {
	uint64_t seed;
	unsigned yield_pm;	/* per mille: chance of a sched_yield at a point */
	unsigned delay_pm;	/* per mille: chance of a short delay at a point */
	uint64_t delay_max_ns;	/* longest short delay */
	unsigned start_pm;	/* per mille: chance of a delay at a thread's start */
	unsigned shrink_pm;	/* per mille: chance a sleep is shrunk rather than stretched */
	unsigned changes;	/* priority change points per thread, 1..NOISE_MAX_CHANGES */
	unsigned horizon;	/* they fall on steps 1..horizon: 4, 16, ... NOISE_CHANGE_HORIZON */
};

/* One thread's (or process's main thread's) state. */
struct noise_thread {
	uint64_t state;		/* splitmix64 */
	uint64_t step;		/* points passed */
	uint64_t change[NOISE_MAX_CHANGES]; /* steps at which the thread stalls */
	unsigned low;		/* a low-priority thread: delayed four times as often */
	uint64_t delayed_ns;	/* short delays so far, at most NOISE_DELAY_BUDGET_NS */
};

enum noise_do { NOISE_NOTHING, NOISE_YIELD, NOISE_DELAY };

struct noise_action {
	enum noise_do what;
	uint64_t ns;		/* NOISE_DELAY: how long */
};

/* Short delays a thread may get in all; change-point stalls come on top. */
#define NOISE_DELAY_BUDGET_NS (100ULL * 1000 * 1000)
/* A stall at a change point: another thread runs meanwhile. */
#define NOISE_STALL_MIN_NS (1ULL * 1000 * 1000)
#define NOISE_STALL_MAX_NS (20ULL * 1000 * 1000)
/*
 * Change points fall uniformly on steps 1 .. a horizon the seed picks
 * among 4, 16, 64, 256, 1024 and 4096: PCT spreads them over the length
 * of the run, which is not known in advance.
 */
#define NOISE_CHANGE_HORIZON_MIN 4
#define NOISE_CHANGE_HORIZON 4096
/* A stretched sleep lasts at most this much longer than asked. */
#define NOISE_STRETCH_MAX_NS (1000ULL * 1000 * 1000)
/* Timed waits longer than this are left alone: a safety net, not a schedule. */
#define NOISE_TIMEOUT_MAX_NS (1000ULL * 1000 * 1000)

/* "1".."18446744073709551615" in decimal, nothing else; 0 on success, -1 otherwise. */
int noise_parse_seed(const char *s, uint64_t *out);

/* The next number of a stream (splitmix64). */
uint64_t noise_next(uint64_t *state);
/* A stream's start for substream `index` of `seed`. */
uint64_t noise_stream(uint64_t seed, uint64_t index);

void noise_profile_init(struct noise_profile *p, uint64_t seed);
void noise_thread_init(struct noise_thread *t, const struct noise_profile *p, uint64_t stream);
/* The stream of a thread or process t creates (drawn from t's own). */
uint64_t noise_child_stream(struct noise_thread *t);

/* What to do at a point. */
struct noise_action noise_decide(struct noise_thread *t, const struct noise_profile *p,
				 enum noise_point where);
/* A sleep of ns, stretched or shrunk. */
uint64_t noise_sleep_ns(struct noise_thread *t, const struct noise_profile *p, uint64_t ns);
/* A timed wait's timeout of ns, stretched or shrunk when at most NOISE_TIMEOUT_MAX_NS. */
uint64_t noise_timeout_ns(struct noise_thread *t, const struct noise_profile *p, uint64_t ns);

#ifdef RACELAB_PRELOAD
#pragma GCC visibility pop
#endif

#endif
