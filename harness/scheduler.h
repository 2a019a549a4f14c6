#ifndef RACELAB_SCHEDULER_H
#define RACELAB_SCHEDULER_H
/*
 * Running many (program, checker) tasks in parallel, -j at a time.
 *
 * A command adds builds and tasks, then calls sched_run(). Builds run
 * first, in parallel, each at most once; a task starts when its build is
 * done and a slot is free, and repeats its run up to `repeat` times,
 * stopping at the first run that fails (for the noise checker each run
 * is a seed of its own). An exclusive task (real-time
 * scheduling, timing measurements) runs alone. Results reach the reporter
 * in the order the tasks were added, as soon as all before them (and the
 * task's probe, when it has one) are done; a hidden task is not reported.
 *
 * The scheduler owns the tasks and builds added to it.
 */
#include "build.h"
#include "report.h"
#include "result.h"
#include "runner.h"

struct task {
	struct run_spec spec;
	struct build *builds[LAB_MAX_PROGRAMS];	/* one per spec.progs[] */
	size_t nbuilds;			/* 0 when the task needs no run (preset result) */
	int exclusive;
	int repeat;
	/* noise: run k gets seed first_seed + k, or first_seed every time when replaying */
	uint64_t first_seed;
	int replay;
	/*
	 * A native task that measures for this one what only the native run's
	 * observer sees (lab.ini `concurrent`): its `serialized` diagnostics
	 * are added to this task's result and the result is judged again.
	 */
	struct task *probe;
	int hidden;			/* a probe no one asked for: not reported */

	/* scheduler state */
	int finished, runs_done;
	int running;
	int busy;			/* its run is being started, polled or collected: the hook's step leaves it */
	struct run run;
	struct result result;
};

struct sched {
	struct task **tasks;
	size_t ntasks, alloc_tasks;
	struct build **builds;
	size_t nbuilds, alloc_builds;
	int jobs;
	char *workdir;		/* private directory for this invocation's runs */
	char *preload;		/* copy of librlwatch.so in workdir, or NULL */
	const char *bindir;	/* build cache root */
	char *incdir;		/* the lab's include/ (stage.h), or NULL */
	int keep;		/* --keep: keep every run's directory and workdir */
	int evidence;		/* a checker broke: keep workdir, with the broken runs' directories */
	int serial;		/* runs started so far: each run's directory is run-SERIAL */
	int building;		/* builds are being started or polled (the wait hook may step) */
	int in_hook;		/* the wait hook is stepping: what would wait is left to the loop */
};

/* bindir: absolute build cache root. Creates the private workdir. */
int sched_init(struct sched *s, int jobs, const char *bindir);
/* The build for (srcdir, sources, cflags, flavor), shared between tasks. */
struct build *sched_build(struct sched *s, const char *label, const char *srcdir,
			  const struct strvec *sources, const struct strvec *cflags, enum flavor f);
/*
 * A task; fill t->spec, t->repeat and one build per program (sched_task_program()),
 * or set t->result for a preset result (status and reason) and add no program.
 */
struct task *sched_task(struct sched *s);
/* Add a program to t: its run_prog (binary filled in when b is built) and its build. */
struct run_prog *sched_task_program(struct task *t, struct build *b);
/* Run everything; returns 0, or -1 when interrupted. */
int sched_run(struct sched *s, const struct reporter *rep, void *rctx, struct summary *sum);
void sched_clear(struct sched *s);

/* Path of librlwatch.so installed beside racelab, or NULL. */
char *find_preload(void);

#endif
