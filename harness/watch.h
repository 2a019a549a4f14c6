#ifndef RACELAB_WATCH_H
#define RACELAB_WATCH_H
/*
 * The watch: what racelab sees of a running program from outside.
 *
 * Every program of a run is started in a session of its own (setsid), so
 * the run's processes are exactly those whose session id is one of its
 * programs' (watch_add_session() adds the second program's and so on). The caller (run.c)
 * calls watch_sample() every WATCH_PERIOD_MS while the run lives; the watch
 * reads /proc for every thread of every process of the session and decides
 * when the run has stopped making progress:
 *
 *   deadlock  every thread blocked (not running) and no CPU time used
 *             during the stall window;
 *   livelock  CPU time used during the stall window, but no progress:
 *             nothing written, no thread or process started or ended, and
 *             the busy threads keep switching (retrying, yielding, waking)
 *             rather than computing quietly;
 *   timeout   decided by the caller at the deadline when neither applies.
 *
 * Lifecycle: watch_new() when the child has started; watch_sample() until
 * it returns a hang or the child ends; watch_describe() before the kill to
 * record where each thread is; watch_free().
 */
#include "strbuf.h"
#include "strvec.h"
#include <stdint.h>
#include <sys/types.h>

struct sandbox;

#define WATCH_PERIOD_MS 50

enum hang { HANG_NONE = 0, HANG_DEADLOCK, HANG_LIVELOCK, HANG_TIMEOUT };

const char *hang_name(enum hang h);	/* "deadlock", "livelock", "timeout", or NULL */

struct watch_opts {
	unsigned stall_ms;	/* how long without progress before a hang is named */
	int valgrind;		/* the run is under Valgrind (threads serialized, slower) */
	const char *home;	/* the run's HOME (its private directory), or NULL */
	const char *vgdb_prefix; /* Valgrind runs: --vgdb-prefix, for the guest threads' stacks */
	const struct sandbox *sb; /* the run's sandbox (its init adopts orphans), or NULL */
	struct env_guard *envg;	/* shown every process of the run at each sample, or NULL */
	int sanitizer;		/* a sanitizer's run: its llvm-symbolizer is the checker's */
};

struct watch;
struct env_guard;

struct watch *watch_new(pid_t sid, const struct watch_opts *o);
/* One more session of the same run (a client started after its server). */
void watch_add_session(struct watch *w, pid_t sid);
/*
 * `progress` is a counter the caller raises whenever the run shows
 * progress the watch cannot see in /proc (its output grew).
 * Returns HANG_DEADLOCK or HANG_LIVELOCK once classified, else HANG_NONE.
 */
enum hang watch_sample(struct watch *w, uint64_t now, uint64_t progress);
/*
 * Append a description of every process and thread of the run: state,
 * what it waits on (wchan, syscall), and when use_gdb is set and gdb is
 * there, each thread's stack with file:line from `gdb -batch`.
 */
void watch_describe(struct watch *w, struct strbuf *out, int use_gdb);
/*
 * The run has used next to no CPU and had no thread runnable for the last
 * `ms` (at most its stall window): its threads are blocked or asleep. When
 * every thread waits with no timeout (no sleep, no timed wait, no wait for
 * a signal: nothing in the run can wake it), `untimed_ms` is enough.
 */
int watch_idle(const struct watch *w, uint64_t now, uint64_t ms, uint64_t untimed_ms);
/* 1 when at the last sample no thread ran and every one waited with no timeout. */
int watch_untimed(const struct watch *w);
/* How long the watch waits without progress before naming hang h. */
unsigned watch_window_ms(const struct watch *w, enum hang h);
/* Most threads seen alive at once in any one process of the run. */
int watch_max_threads(const struct watch *w);
/*
 * Zombies: processes of the run seen ended in three samples in a row while
 * their parent, also of the run, went on without waiting for them. Pushes
 * one line per zombie onto out; returns how many. When the watch named a
 * hang, a zombie still unreaped in its last sample, its parent still in
 * the run and so stuck in the hang, goes to `stuck` instead (when not
 * NULL): its parent may never have reached its wait (consequence.h).
 */
int watch_zombies(const struct watch *w, struct strvec *out, struct strvec *stuck);
/*
 * The processes of the run are those of its sessions and their
 * descendants, even those that left the session with setsid() or were
 * inherited by racelab, the subreaper, when their parent died. `sid`
 * narrows to the processes that came from one program's session; 0 means
 * the whole run.
 *
 * Orphans: such processes still running (the program itself has ended).
 * Pushes one line per process onto out; returns how many. In a sanitizer's
 * run its own helper (llvm-symbolizer, which ends when it reads end of
 * file, later on a loaded machine) is no orphan of the program: counted in
 * *helpers only. Call before killing what is left.
 */
int watch_leftovers(struct watch *w, pid_t sid, struct strvec *out, int *helpers);
/* 1 when some thread of process pid is in wait4 or waitid (reaping a child). */
int waits_for_children(pid_t pid);
/* The processes, in /proc order; returns how many. Caller frees *pids. */
size_t watch_pids(struct watch *w, pid_t sid, pid_t **pids);
/* SIGKILL them (those that left their session included); returns how many. */
int watch_kill(struct watch *w, pid_t sid);
void watch_free(struct watch *w);

#endif
