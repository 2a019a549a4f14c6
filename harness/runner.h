#ifndef RACELAB_RUNNER_H
#define RACELAB_RUNNER_H
/*
 * One run of one exercise under one checker, watched from outside.
 *
 * A run has one program, or several ([program NAME] in lab.ini): a server
 * and its clients. run_start() creates the run's private directory (cwd/,
 * shared by its programs, and logs/ for the checker's reports) and starts
 * the servers, each in a session of its own, with a watch on them; once
 * every server listens on the run's port (or at once, when there is none)
 * the clients start. run_poll() is called every scheduler tick by the
 * scheduler: it notices exits, names a hang (watch.h) or the timeout and
 * then stops every session (SIGTERM, SIGKILL). When the clients have
 * ended, the servers get a moment to close what their clients closed and
 * are stopped; connections they still hold are fd-leaks. run_collect()
 * (collect.h) then turns everything the run left into a result.
 *
 * The run_spec is borrowed and must outlive the run.
 */
#include "lab.h"
#include "env-guard.h"
#include "logguard.h"
#include "outcap.h"
#include "result.h"
#include "rlwatch.h"
#include "run-command.h"
#include "sandbox.h"
#include "strbuf.h"
#include "watch.h"

struct run_prog {
	const char *name;		/* NULL: the one program of a single-program run */
	enum prog_role role;		/* ROLE_MAIN for a single program */
	const char *binary;		/* absolute path of the built program */
	const struct strvec *args;	/* {port} is replaced by the run's port */
	const struct strvec *env;	/* extra NAME=value, or NULL */
	const char *stdin_path;		/* fed on stdin (a [case]'s), or NULL: /dev/null */
	int checked;			/* under the checker; else run natively, unobserved */
	const struct oracle *oracle;	/* NULL: none */
	const struct strvec *tamper;	/* its build's tamper-scan.h findings (borrowed), or NULL */
};

struct run_spec {
	const char *exercise;
	enum variant variant;
	const struct tool *tool;
	const char *srcdir;		/* absolute program directory */
	struct run_prog progs[LAB_MAX_PROGRAMS];
	size_t nprogs;
	unsigned timeout_ms, stall_ms;
	int oracle_on_every_tool;	/* fixed/submission: completion evidence under every checker */
	const struct expectation *expect; /* NULL: report only (racelab run) */
	const char *workdir;		/* where run directories are made */
	const char *preload;		/* librlwatch.so for native runs, or NULL */
	int realtime;			/* the program needs SCHED_FIFO */
	uint64_t seed;			/* noise: this run's seed */
};

struct run_proc {
	const struct run_prog *prog;
	struct child_process cp;
	char *out, *err, *wfile;
	char wkey[RLWATCH_KEY_LEN + 1];	/* the observer's secret (rlwatch.h); "" when none */
	struct outcap cap[2];		/* what is kept of stdout and stderr (out, err) */
	int started, ended;
	pid_t nspid;			/* its pid inside the run (sanitizer logs are named by it) */
	int stopped;			/* racelab stopped it (a server after its clients, a hang) */
	struct rlwatch_info rw;		/* what the native run's observer saw of it */
};

enum run_phase {
	PHASE_SERVERS,		/* waiting for the server to listen */
	PHASE_CLIENTS,		/* the clients (or the one program) run */
	PHASE_DRAIN,		/* clients ended: the server may still close connections */
	PHASE_ENDED,
};

struct run {
	const struct run_spec *spec;
	struct run_proc procs[LAB_MAX_PROGRAMS];
	size_t nprocs;
	enum run_phase phase;
	int port;			/* for {port}; 0 when unused */
	struct watch *watch;
	struct sandbox sb;		/* every program of the run runs in it */
	struct logguard *guard;		/* holds the checkers' reports (NULL: read logs/ as it is) */
	struct env_guard *envg;		/* the checker's environment, held (NULL: not every program is checked) */
	pid_t last_pid;			/* the highest pid of the run's namespace (0: unknown) */
	char *dir, *cwd, *logdir;
	char *vgdb_prefix;		/* Valgrind runs: where its gdbserver's pipes are */
	uint64_t start, deadline;
	uint64_t drain_from, drain_until;	/* the server's drain (PHASE_DRAIN) */
	enum hang hang;
	uint64_t hang_after_ms;	/* when the hang was named, from the start */
	enum hang pending_hang;		/* named by a sample (run_tick), not yet acted on */
	uint64_t pending_at;		/* when it was named */
	int stopping;			/* being described or killed: run_tick stays away */
	int killed;
	uint64_t last_output;
	uint64_t last_sample;		/* when the watch last read /proc */
	uint64_t last_drain_look;	/* when the drain last read the server's connections */
	unsigned long long progress;
	struct strbuf describe;
	struct strvec orphans;		/* processes left running when the program ended */
	struct strvec leaks;		/* connections a server kept after its peer closed them */
	pid_t *killed_pids;		/* alive when racelab stopped them */
	size_t nkilled, alloc_killed;
	size_t hang_killed;		/* killed_pids[hang_killed..]: stopped by the hang */
	struct strvec events;		/* a server that ended on its own: "kind\tmessage" */
	struct strvec after_hang;	/* what the hang prevented, "kind\tmessage": consequences of it */
	int start_failed;
	char *start_error;
};

int run_start(struct run *r, const struct run_spec *spec, int serial);
/* 1 when the run has ended (or was stopped), 0 while it runs. */
int run_poll(struct run *r, uint64_t now);
/*
 * RUN_IDLE while the run's programs are all blocked or asleep and have
 * been for RUN_IDLE_MS (a staged pause, a deadlock waiting out its stall
 * window), or its server waits out its drain: it uses no CPU, so the
 * scheduler may lend its slot to another run. RUN_STUCK when moreover
 * nothing in the run can wake it (every thread waits with no timeout): it
 * will use CPU again only when racelab stops it. 0 otherwise.
 */
enum { RUN_IDLE = 1, RUN_STUCK = 2 };
int run_idle(const struct run *r, uint64_t now);
/*
 * 1 when the run's next run_poll describes and stops it: the watch named
 * a hang while racelab waited on a helper for another run (run_tick), or
 * its timeout passed. That waits on gdb, which the wait hook leaves to
 * the scheduler's own loop.
 */
int run_awaits_stop(const struct run *r, uint64_t now);
/*
 * What of run_poll must go on while racelab waits on a helper for another
 * run (command_wait_hook): its output read, its watch sampled. A hang it
 * names waits for the next run_poll.
 */
void run_tick(struct run *r, uint64_t now);
void run_clear(struct run *r);

/* Who runs untrusted programs: set once at start (root drops to "nobody"). */
void runner_setup_user(void);
/* Make cp run as the run user (no-op when racelab is not root). */
void runner_user(struct child_process *cp);

#endif
