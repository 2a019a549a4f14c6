#ifndef RACELAB_RUN_COMMAND_H
#define RACELAB_RUN_COMMAND_H
/*
 * Starting and stopping child processes (after git's run-command.h).
 *
 * Lifecycle: fill a struct child_process (CHILD_PROCESS_INIT), then either
 * run_command() (start and wait), or start_command() followed by polling
 * with poll_command() and, when it must stop early, kill_command(); always
 * end with finish_command() or a poll that reported the exit. The struct
 * owns args and env; child_process_clear() frees them.
 *
 * Every child starts a session of its own (setsid), so it and everything
 * it forks can be found (watch.h) and killed as one: kill_command() sends
 * SIGTERM to the whole group, then SIGKILL after a grace period, because a
 * TSan process can ignore SIGTERM forever. Only fds 0-2 are inherited.
 */
#include "strvec.h"
#include <sys/types.h>

struct sandbox;

/* No file a run writes (its output included) may grow past this: SIGXFSZ. */
#define RUN_FILE_SIZE_MAX (256UL << 20)

struct child_process {
	struct strvec args;	/* argv; args.v[0] is looked up in PATH */
	struct strvec env;	/* the complete environment ("NAME=value") */
	const char *dir;	/* working directory, or NULL */
	const char *stdin_path;	/* file to read stdin from, or NULL for /dev/null; opened
				   before the sandbox is entered, so it may lie outside it */
	const char *stdout_path; /* file to create for stdout, or NULL for /dev/null */
	const char *stderr_path; /* file to create for stderr, or NULL for /dev/null */
	int stderr_to_stdout;	/* both streams into stdout_path */
	int no_rlimits;		/* do not apply the run limits (compilers, gdb) */
	int out_pipe;		/* stdout into a pipe whose read end is `out` (capture_command) */
	int out;
	int err_pipe;		/* stderr into a pipe whose read end is `err` (outcap.h) */
	int err;
	uid_t uid; gid_t gid;	/* when run_as_user: drop to this user */
	int run_as_user;
	int keep_sys_nice;	/* with run_as_user: keep CAP_SYS_NICE (real-time scheduling) */
	const struct sandbox *sandbox; /* start inside this run's sandbox (sandbox.h), or NULL */

	pid_t pid;		/* set by start_command; also the session and group id */
	int status;		/* wait status once finished */
	int finished;
};

#define CHILD_PROCESS_INIT { .args = STRVEC_INIT, .env = STRVEC_INIT }

int start_command(struct child_process *cp);
/* Non-blocking: 1 when the child has ended (cp->status set), 0 while it runs, -1 on error. */
int poll_command(struct child_process *cp);
/* Blocking wait; returns the wait status, or -1. */
int finish_command(struct child_process *cp);
int run_command(struct child_process *cp);
/*
 * Run cp with its stdout appended to out (stdin and stderr on /dev/null),
 * for at most timeout_ms; then its session is killed. Returns the wait
 * status, or -1 when it could not start or was stopped (out keeps what
 * it printed until then).
 */
struct strbuf;
int capture_command(struct child_process *cp, struct strbuf *out, unsigned timeout_ms);
/*
 * Stop the child's whole session: SIGTERM to the group, up to grace_ms for it
 * to end, then SIGKILL to the group and to every process left in the session.
 * Reaps the child (cp->status set). Returns 0 or -1.
 */
int kill_command(struct child_process *cp, unsigned grace_ms);
/* SIGKILL every process whose session id is sid (orphans included). Returns how many. */
int kill_session(pid_t sid);
void child_process_clear(struct child_process *cp);

/*
 * racelab is the subreaper of everything it starts: a process whose parent
 * dies is reparented to racelab, not to init, so no process of a run can
 * escape by losing its parent. Such strays are reaped by reap_strays()
 * (only children no child_process waits for); with kill_them, the live
 * ones are killed first (at the end, so that nothing outlives racelab).
 * Returns how many were reaped.
 */
int become_subreaper(void);
int reap_strays(int kill_them);

/*
 * Put `gap` nice levels between racelab and everything it starts, so that
 * its watch samples on time however busy its children keep the machine:
 * racelab raises its own priority when it may (root), else its children
 * start that much lower. Every child then starts at the same value. Call
 * once, before the first child; without it children inherit racelab's.
 */
void command_priority_setup(int gap);

/*
 * While racelab waits on one child (capture_command: gdb, addr2line, nm;
 * kill_command's grace; outcap_finish) its other runs must still be
 * watched: a zombie that lives 300 ms is seen only if /proc is read then.
 * fn(data) is called about every period_ms during every such wait, never
 * from within itself; NULL removes it. The scheduler sets it (run_tick).
 */
void command_wait_hook(void (*fn)(void *), void *data, unsigned period_ms);
/* Call the hook if it is due; returns the ms until it is due again (for a poll's timeout). */
unsigned command_wait_tick(void);

/* A minimal environment for runs: PATH, HOME, LANG=C; then the given extras. */
void env_base(struct strvec *env, const char *home);

#endif
