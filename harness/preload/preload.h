#ifndef RACELAB_PRELOAD_H
#define RACELAB_PRELOAD_H
/*
 * What the files of librlwatch.so share. Everything here is hidden: a
 * preloaded library must not lend a program its symbols.
 */
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>
#include <time.h>

#include "../noise.h"

#pragma GCC visibility push(hidden)

extern int rlw_enabled;		/* RACELAB_WATCH_FILE was set at load */
extern char *rlw_watch_path;	/* absolute */
extern char *rlw_exe_path;	/* /proc/self/exe at load, for the main module */
extern void *rlw_self_base;	/* our own load address: our frames are not shown */

/* One report line, built without stdio. */
struct line {
	char *buf;
	size_t len, cap;	/* cap keeps one byte for the newline */
	int full;
};

void l_add(struct line *l, const char *s, size_t n);
void l_str(struct line *l, const char *s);
void l_uint(struct line *l, unsigned long long v);
void l_hex(struct line *l, uintptr_t v);
void l_escaped(struct line *l, const char *s);
/* "MODULE+0xOFF"; -1 (nothing written) when the address is in no module or in ours. */
int l_place(struct line *l, uintptr_t addr);
/* " MODULE+0xOFF", or nothing when l_place() would write nothing. */
void l_frame(struct line *l, uintptr_t addr);
/* "WHAT PID" */
void l_begin(struct line *l, char *buf, size_t cap, const char *what);
/* Append the line to the watch file, after the run's key: open, one write, close. */
void l_emit(struct line *l);
/* The run's key (rlwatch.h), put before every line from now on. */
void l_set_key(const char *key);
/* "WHAT PID [TID]" */
void emit_simple(const char *what, long tid);

/* Set while a wrapper works: the locks it takes itself are not watched. */
extern __thread int rlw_in_hook __attribute__((tls_model("initial-exec")));

/*
 * Priority inversion (inversion.c): lock m for a real-time thread that
 * found it taken, and report an inversion if a middle thread ran meanwhile.
 */
int inversion_lock(pthread_mutex_t *m, uintptr_t *frames, size_t nframes);
/* The calling thread runs under SCHED_FIFO or SCHED_RR. */
int self_is_realtime(void);
/* At a thread's end: a real-time thread's CPU time, for waits it ran in. */
void inversion_thread_end(void);

/* Concurrency (conc.c): called by the wrappers of rlwatch.c, children.c and noise.c. */
void conc_created(void);	/* a worker made: a thread created, a process forked */
void conc_gone(void);		/* a worker's end seen: joined, reaped, or ended detached */
void conc_child(void);		/* in a fork child: the parent's workers are not its own */
/* After fork() (children.c): in the parent (pid > 0) a worker made, in the child (0) a new count. */
void conc_forked(pid_t pid);
void conc_thread_start(void);
void conc_thread_end(void);
/* m taken at once by the call returning to caller. */
void conc_locked(void *m, uintptr_t caller);
/* A wait for a mutex: begun before blocking, ended when m is taken. */
struct conc_wait {
	unsigned long long t0;		/* wall clock */
	unsigned long long cpu0;	/* the thread's CPU time, when this wait is timed; else 0 */
};
void conc_wait_begin(void *m, struct conc_wait *w);
void conc_wait_end(const struct conc_wait *w, void *m, uintptr_t caller);
unsigned long long conc_now_ns(void);

/* Schedule noise (noise.c): points, called by rlwatch.c's and conc.c's wrappers. */
void noise_init(void);
void noise_point(enum noise_point where);
/* The stream of a thread about to be created (0 without noise), and its start. */
uint32_t noise_child_seed(void);
void noise_thread_start(uint32_t stream);
/* A timed wait's deadline, maybe moved: abs itself, or buf filled. */
const struct timespec *noise_deadline(const struct timespec *abs, struct timespec *buf);

#pragma GCC visibility pop

#endif
