/*
 * stage.h: put two threads' steps in a fixed order without telling the
 * checkers about it.
 *
 * An exercise must show its bug in every run, so it cannot leave the order
 * of the buggy accesses to the scheduler. But a mutex, a semaphore or a
 * pthread barrier used for that would create happens-before between the
 * threads, and then ThreadSanitizer, Helgrind and DRD would rightly see no
 * race: the staging would hide the very bug it stages.
 *
 * A stage is a counter read and written with relaxed atomics (which order
 * nothing for TSan) and waited on with sched_yield; its word is hidden
 * from Helgrind and DRD, which would otherwise report the stage itself.
 *
 *	static stage_t st = STAGE_INIT;
 *	thread A: free(p); stage_reach(&st, 1);
 *	thread B: stage_wait(&st, 1); use(p);      // always after the free
 *
 * Use it only to force the order a bug needs; a solution fixes the bug
 * with real synchronization and may keep the stage calls unchanged.
 */
#ifndef RACELAB_STAGE_H
#define RACELAB_STAGE_H

#include <pthread.h>
#include <sched.h>
#include <valgrind/helgrind.h>
#include <valgrind/drd.h>

typedef struct {
	int step;
	int hidden;
} stage_t;

#define STAGE_INIT { 0, 0 }

static inline void stage_hide_(stage_t *s)
{
	if (!__atomic_exchange_n(&s->hidden, 1, __ATOMIC_RELAXED)) {
		VALGRIND_HG_DISABLE_CHECKING(s, sizeof(*s));
		DRD_IGNORE_VAR(*s);
	}
}

/* Announce that step n has been reached. */
static inline void stage_reach(stage_t *s, int n)
{
	stage_hide_(s);
	__atomic_store_n(&s->step, n, __ATOMIC_RELAXED);
}

/* Wait until step n (or a later one) has been reached. */
static inline void stage_wait(stage_t *s, int n)
{
	stage_hide_(s);
	while (__atomic_load_n(&s->step, __ATOMIC_RELAXED) < n)
		sched_yield();
}

/*
 * Whether another thread of this process waits for mutex m, which the
 * caller holds: glibc marks such a mutex with 2 in its futex word. A
 * thread that holds a lock until the other side is ready can then let
 * go as soon as the other side waits for that very lock (a fix that
 * takes it), where a bounded wait would lean on the machine's timing.
 * The word is hidden from Helgrind and DRD, as a stage's is.
 */
static inline int stage_lock_wanted(pthread_mutex_t *m)
{
	VALGRIND_HG_DISABLE_CHECKING(&m->__data.__lock, sizeof(m->__data.__lock));
	DRD_IGNORE_VAR(m->__data.__lock);
	return __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 2;
}

#endif
