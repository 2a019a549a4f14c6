#ifndef RACELAB_ENV_GUARD_H
#define RACELAB_ENV_GUARD_H
/*
 * The checker's environment, held for every process of a run. racelab
 * starts each program with the checker's variables (TSAN_OPTIONS,
 * ASAN_OPTIONS, LSAN_OPTIONS, UBSAN_OPTIONS, VALGRIND_OPTS, LD_PRELOAD,
 * LD_AUDIT) set as it wants them; a forked child keeps them. A process
 * of the run whose environment says otherwise was started by an exec
 * that changed them: a program running itself again without racelab's
 * options. The kernel shows the environment the last exec was given
 * (/proc/PID/environ), so the watch shows the guard every process of the
 * run at each sample; a process that execs and ends between two samples
 * (50 ms) is not seen, which the scan of the sources covers
 * (tamper-scan.h).
 *
 * Ownership: the run owns the guard (env_guard_new, env_guard_free); the
 * watch borrows it.
 */
#include "strbuf.h"
#include "strvec.h"

#include <sys/types.h>

struct env_guard {
	struct strvec want;	/* NAME=value as racelab set it, or NAME alone when unset */
	struct strvec found;	/* one message per variable changed, in order */
	unsigned noted;		/* bit i: want.v[i] already found changed */
	struct strbuf buf;
};

/* env: the program's environment as racelab starts it; valgrind: LD_PRELOAD is Valgrind's own. */
struct env_guard *env_guard_new(const struct strvec *env, int valgrind);
/* Compare pid's environment with the wanted one; a change is noted once per variable. */
void env_guard_check(struct env_guard *g, pid_t pid);
void env_guard_free(struct env_guard *g);

#endif
