#ifndef RACELAB_WATCH_INT_H
#define RACELAB_WATCH_INT_H
/*
 * The watch's state, shared by its two halves only: watch.c samples and
 * classifies, watch-describe.c tells what each process and thread was
 * doing when a hang was named. Nothing else includes this but the watch's
 * unit tests (tests/test_watch.c).
 */
#include "strbuf.h"
#include "watch.h"

#include <stdint.h>
#include <sys/types.h>

/*
 * A thread in a wait that ends by itself (a sleep, a timed wait, a wait
 * for a signal such as a pending alarm) is a ticker, stuck with the rest,
 * only when it woke in this many samples of the window without effect:
 * TSan's background thread wakes every 100 ms. One that woke once or
 * never may simply be about to end its wait.
 */
#define TICKER_WAKES 4

struct thr {
	pid_t pid, tid;
	char state;
	uint64_t cpu_ns;
	uint64_t csw;		/* voluntary context switches */
	uint64_t last_woke;	/* last sample at which it used CPU or switched */
	uint64_t woke_at[TICKER_WAKES];	/* the last samples it woke in, newest first */
};

struct snap {
	struct thr *t;
	size_t nr, alloc;
};

/* What happened between one sample and the one before it. */
struct sample {
	uint64_t t;
	uint64_t cpu_ns;	/* CPU used by the whole run */
	uint64_t busy_csw;	/* context switches of threads that used CPU */
	int running;		/* some thread was in state R */
};

/* A process of the run seen ended but not waited for, its parent alive. */
struct zombie_seen {
	pid_t pid, ppid;
	int samples;		/* samples in a row it was seen a zombie while its parent went on */
	int seen_now;
	uint64_t parent_cpu_ns;	/* its parent's CPU time at the last sample */
	int parent_cpu_known;
	char comm[20], pcomm[20];
};

#define WATCH_MAX_SESSIONS 8

/*
 * A process of the run: in one of its sessions, or a descendant that left
 * it with setsid(). origin is the session it came from (its program's).
 */
struct member {
	pid_t pid, origin;
};

struct watch {
	pid_t sids[WATCH_MAX_SESSIONS];	/* the run's sessions: one per program started */
	size_t nsids;
	struct member *members;		/* as of the last scan */
	size_t nmembers, alloc_members;
	struct zombie_seen *zombies;
	size_t nzombies, alloc_zombies;
	struct watch_opts o;
	struct snap cur, prev;
	struct sample *hist;
	size_t hist_nr, hist_alloc;
	int started;
	uint64_t progress;
	uint64_t last_progress;
	int max_threads;
	enum hang hang;
	int untimed;		/* at the last sample every thread waited with no timeout */
	struct strbuf buf;	/* reused for every /proc read */
	struct strbuf cgbuf;	/* the run's cgroup.procs (candidates()) */
};

/* One thread's state, CPU time and voluntary switches from /proc; -1 when it has gone. */
int watch_read_thread(struct strbuf *sb, pid_t pid, pid_t tid, struct thr *t);
/* Every process of the run (of session `origin`, or all when 0), in /proc order. */
void watch_run_pids(struct watch *w, pid_t origin, pid_t **pids, size_t *nr);
/*
 * 1 when the parent of zombie z went on since the last sample (used the
 * CPU, or every thread of it is blocked or asleep), judged on snapshot s;
 * remembers the parent's CPU time in z for the next sample.
 */
int watch_parent_went_on(const struct snap *s, struct zombie_seen *z);
/* 1 when pid is a checker's helper (a sanitizer's llvm-symbolizer), not the program's. */
int watch_checker_helper(pid_t pid);

#endif
