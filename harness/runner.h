#ifndef RACELAB_RUNNER_H
#define RACELAB_RUNNER_H
/*
 * One run of one built program under one checker, watched from outside.
 *
 * run_start() creates the run's private directory (cwd/ for the program,
 * logs/ for the checker's reports), starts the program in a session of its
 * own and a watch on it. run_poll() is called every WATCH_PERIOD_MS by the
 * scheduler: it notices the exit, names a hang (watch.h) or the timeout and
 * then stops the whole session (SIGTERM, SIGKILL). run_collect() turns
 * everything the run left into a result: the checker's reports parsed, the
 * hang, a crash, the oracle, matched against the expectation.
 *
 * The run_spec is borrowed and must outlive the run.
 */
#include "lab.h"
#include "result.h"
#include "run-command.h"
#include "strbuf.h"
#include "watch.h"

struct run_spec {
	const char *exercise;
	const char *variant;
	const struct tool *tool;
	const char *srcdir;		/* absolute program directory */
	const char *binary;		/* absolute path of the built program */
	const struct strvec *args;
	unsigned timeout_ms, stall_ms;
	const struct oracle *oracle;	/* NULL: none */
	int oracle_on_every_tool;	/* fixed/submission: completion evidence under every checker */
	const struct expectation *expect; /* NULL: report only (racelab run) */
	const char *workdir;		/* where run directories are made */
	const char *preload;		/* librlwatch.so for native runs, or NULL */
	int realtime;			/* the program needs SCHED_FIFO */
};

struct run {
	const struct run_spec *spec;
	struct child_process cp;
	struct watch *watch;
	char *dir, *cwd, *logdir, *out, *err, *wfile;
	uint64_t start, deadline;
	enum hang hang;
	uint64_t hang_after_ms;	/* when the hang was named, from the start */
	int killed;
	uint64_t last_output;
	unsigned long long progress;
	struct strbuf describe;
	struct strvec orphans;		/* processes left running when the program ended */
	int start_failed;
	char *start_error;
};

int run_start(struct run *r, const struct run_spec *spec, int serial);
/* 1 when the run has ended (or was stopped), 0 while it runs. */
int run_poll(struct run *r, uint64_t now);
void run_collect(struct run *r, struct result *res);
void run_clear(struct run *r);

/* Who runs untrusted programs: set once at start (root drops to "nobody"). */
void runner_setup_user(void);
/* Make cp run as the run user (no-op when racelab is not root). */
void runner_user(struct child_process *cp);

#endif
