#ifndef RACELAB_SERIAL_H
#define RACELAB_SERIAL_H
/*
 * Workers serialized by one lock held over their whole work: the lock
 * half of lab.ini's `concurrent` (docs/lab-ini.md). The preload writes a
 * `worker` line at each thread's end (preload/conc.c); serial_line() keeps
 * them, serial_check() applies the rule and explains a violation in the
 * student's terms.
 *
 * The rule: a worker's hold share is the CPU time it used in its longest
 * hold of a mutex, as a part of the CPU time it used working: its life
 * less the time it was blocked for mutexes (whose CPU cost is the
 * wake-up's, not its work). 0 when it ever released that mutex in a
 * condition wait. The CPU time of the hold and of the rest is each taken
 * as at most that stretch's wall time (a thread's first readings of its
 * own CPU clock can lag), less the observer's own readings of the CPU
 * clock that fall in it (one in the hold, two outside), each costing the
 * least that two readings in a row differed by in any worker of the
 * process. The workers of one process whose longest hold is of the same
 * mutex L are serialized by L when there are two or more and the median
 * of their hold shares is at least SERIAL_HOLD_PCT %: they did their work
 * holding L, so one after another, and count as one worker alive.
 *
 * CPU time, not wall time: a worker preempted while it holds a lock has
 * not worked longer. The median, not each worker: a worker of a few
 * microseconds is measured with an error of several (the clock reading
 * is a system call; a page fault or an interrupt lands outside the hold),
 * and one such worker must not decide. A worker that waits on a condition
 * variable releases the lock between its holds, and one that takes its
 * lock many times gives others a turn each time: only the first two holds
 * of each mutex are timed, so neither qualifies.
 *
 * The caller owns a struct serial and releases it.
 */
#include "diag.h"
#include "strvec.h"

#define SERIAL_HOLD_PCT 50

struct serial_worker {
	unsigned long pid, tid;
	unsigned long long life, cpu, clock;	/* ns: wall, CPU, one CPU clock reading */
	unsigned long long wait, wait_cpu;	/* ns blocked for mutexes or in joins: wall, CPU timed */
	unsigned long long hold, hold_cpu;	/* ns: the longest hold, wall and CPU */
	unsigned long long lock_wait;		/* ns blocked taking that mutex */
	int condwait;
	char *lock, *at;	/* MODULE+0xOFF or 0xADDR, as written; NULL: it took no lock */
};

struct serial {
	struct serial_worker *v;
	size_t n, alloc;
};

/* Keep a `worker` line split into words; -1 (and nothing kept) when malformed. */
int serial_line(struct serial *s, const struct strvec *tok);
/* w's hold share, in % (the rule above), a CPU clock reading costing `clock` ns. */
unsigned serial_hold_share(const struct serial_worker *w, unsigned long long clock);
/*
 * The largest group of workers of one process serialized by one lock:
 * returns its size (0 when no two workers are), and when it is at least
 * 2 and `peak` less that size plus one is below `want`, pushes a
 * `serialized` diagnostic naming the lock, the line that took it and the
 * worker that waited longest for it (program: its name, or NULL).
 */
size_t serial_check(const struct serial *s, int peak, int want, const char *program,
		    const char *srcdir, struct diag_list *out);
void serial_release(struct serial *s);

#endif
