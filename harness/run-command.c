#include "run-command.h"
#include "proc.h"
#include "sandbox.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <grp.h>
#include <limits.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

/*
 * The children racelab waits for by pid (start_command). Any other child
 * is a stray: a process of some run whose parent died, inherited by
 * racelab as the subreaper, which reap_strays() reaps so that it never
 * stays a zombie of racelab and never steals a tracked child's status.
 */
static pid_t *tracked;
static size_t ntracked, alloc_tracked;

static void track(pid_t pid)
{
	ALLOC_GROW(tracked, ntracked + 1, alloc_tracked);
	tracked[ntracked++] = pid;
}

static void untrack(pid_t pid)
{
	for (size_t i = 0; i < ntracked; i++)
		if (tracked[i] == pid) {
			tracked[i] = tracked[--ntracked];
			return;
		}
}

static void (*wait_fn)(void *);
static void *wait_data;
static unsigned wait_period;
static uint64_t wait_last;

void command_wait_hook(void (*fn)(void *), void *data, unsigned period_ms)
{
	wait_fn = fn;
	wait_data = data;
	wait_period = period_ms;
	wait_last = now_ms();
}

unsigned command_wait_tick(void)
{
	static int busy;	/* the hook waits on nothing itself; if it did, no recursion */
	uint64_t now;

	if (!wait_fn || busy)
		return UINT_MAX;
	now = now_ms();
	if (now - wait_last >= wait_period) {
		busy = 1;
		wait_fn(wait_data);
		busy = 0;
		wait_last = now = now_ms();
	}
	return (unsigned)(wait_period - (now - wait_last));
}

static int is_tracked(pid_t pid)
{
	for (size_t i = 0; i < ntracked; i++)
		if (tracked[i] == pid)
			return 1;
	return 0;
}

int become_subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return error_errno("cannot become the subreaper of the programs run");
	return 0;
}

int reap_strays(int kill_them)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t self = getpid();
	int reaped = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *end, state;
		long pid = strtol(de->d_name, &end, 10);
		pid_t ppid;

		if (*end || pid <= 0 || is_tracked((pid_t)pid) ||
		    proc_stat((pid_t)pid, &state, &ppid, NULL) < 0 || ppid != self)
			continue;
		if (kill_them && state != 'Z')
			kill((pid_t)pid, SIGKILL);
		else if (state != 'Z')
			continue;
		while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
			;
		reaped++;
	}
	closedir(d);
	return reaped;
}

void env_base(struct strvec *env, const char *home)
{
	strvec_push(env, "PATH=/usr/local/bin:/usr/bin:/bin");
	strvec_pushf(env, "HOME=%s", home ? home : "/nonexistent");
	/* Temporary files stay in the run's own directory. */
	strvec_pushf(env, "TMPDIR=%s", home ? home : "/tmp");
	strvec_push(env, "LANG=C");
	strvec_push(env, "LC_ALL=C");
}

static void close_pair(int fd[2])
{
	if (fd[0] >= 0)
		close(fd[0]);
	if (fd[1] >= 0)
		close(fd[1]);
}

static int open_out(const char *path)
{
	return open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

/* Report an exec failure through the status pipe; only async-signal-safe calls here. */
static void child_fail(int fd, int what)
{
	int e[2] = { what, errno };

	if (write(fd, e, sizeof(e)) < 0) {
		/* the parent will see an empty pipe and a failed status */
	}
	_exit(127);
}

static void apply_limits(void)
{
	struct rlimit core = { 0, 0 };
	struct rlimit fsize = { RUN_FILE_SIZE_MAX, RUN_FILE_SIZE_MAX };

	/* No RLIMIT_AS: ASan and TSan reserve terabytes of address space. */
	setrlimit(RLIMIT_CORE, &core);
	setrlimit(RLIMIT_FSIZE, &fsize);
}

static int drop_privileges(const struct child_process *cp)
{
	if (setgroups(0, NULL) < 0 || setgid(cp->gid) < 0)
		return -1;
	if (cp->keep_sys_nice && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -1;
	if (setuid(cp->uid) < 0)
		return -1;
	if (cp->keep_sys_nice) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		memset(d, 0, sizeof(d));
		d[0].permitted = d[0].effective = d[0].inheritable = 1u << CAP_SYS_NICE;
		if (syscall(SYS_capset, &h, d) < 0)
			return -1;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_NICE, 0, 0) < 0)
			return -1;
	}
	return 0;
}

static int child_nice_set;	/* command_priority_setup() was called */
static int child_nice;		/* the nice value every child starts with */

void command_priority_setup(int gap)
{
	int base, up;

	errno = 0;
	base = getpriority(PRIO_PROCESS, 0);
	if (base == -1 && errno)
		return;
	up = base - gap < -20 ? -20 : base - gap;
	child_nice_set = 1;
	if (up < base && setpriority(PRIO_PROCESS, 0, up) == 0) {
		child_nice = base;
		return;
	}
	child_nice = base + gap > 19 ? 19 : base + gap;
}

int start_command(struct child_process *cp)
{
	int pfd[2] = { -1, -1 }, e[2], opipe[2] = { -1, -1 }, epipe[2] = { -1, -1 };
	int in = -1;
	ssize_t n;

	if (!cp->args.n)
		return error("start_command: no program");
	if (cp->stdin_path && (in = open(cp->stdin_path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_errno("cannot open %s", cp->stdin_path);
	if ((cp->out_pipe && pipe2(opipe, O_CLOEXEC) < 0) ||
	    (cp->err_pipe && pipe2(epipe, O_CLOEXEC) < 0) || pipe2(pfd, O_CLOEXEC) < 0) {
		error_errno("pipe");
		close_pair(opipe);
		close_pair(epipe);
		if (in >= 0)
			close(in);
		return -1;
	}
	fflush(NULL);
	cp->finished = 0;
	cp->pid = cp->sandbox ? sandbox_fork(cp->sandbox) : fork();
	if (cp->pid < 0) {
		error_errno("fork");
		close_pair(pfd);
		close_pair(opipe);
		close_pair(epipe);
		if (in >= 0)
			close(in);
		return -1;
	}
	if (!cp->pid) {
		sigset_t none;
		int out, err;

		/* what a shell gives a program: racelab blocks SIGCHLD to wait for it */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		setsid();
		/* First: its cgroups count everything it does; entering the mounts changes cwd. */
		if (cp->sandbox && sandbox_enter(cp->sandbox) < 0)
			child_fail(pfd[1], 5);
		if (cp->dir && chdir(cp->dir) < 0)
			child_fail(pfd[1], 1);
		out = cp->out_pipe ? opipe[1] : open_out(cp->stdout_path);
		err = cp->stderr_to_stdout ? dup(out) : cp->err_pipe ? epipe[1] : open_out(cp->stderr_path);
		if (out < 0 || err < 0)
			child_fail(pfd[1], 2);
		if (in < 0)
			in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			child_fail(pfd[1], 2);
		/* Only 0-2 and the status pipe (close-on-exec) survive. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != pfd[1])
				close(fd);
		if (!cp->no_rlimits)
			apply_limits();
		/* Before dropping root: a raised racelab's children come back down to its old value. */
		if (child_nice_set && setpriority(PRIO_PROCESS, 0, child_nice) < 0)
			child_fail(pfd[1], 6);
		if (cp->run_as_user && drop_privileges(cp) < 0)
			child_fail(pfd[1], 3);
		execvpe(cp->args.v[0], cp->args.v, (char *const *)strvec_argv(&cp->env));
		child_fail(pfd[1], 4);
	}
	close(pfd[1]);
	if (in >= 0)
		close(in);
	if (cp->out_pipe) {
		close(opipe[1]);
		cp->out = opipe[0];
	}
	if (cp->err_pipe) {
		close(epipe[1]);
		cp->err = epipe[0];
	}
	track(cp->pid);
	do
		n = read(pfd[0], e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == (ssize_t)sizeof(e)) {
		static const char *what[] = { "", "chdir to", "redirect output of", "drop privileges for",
					      "exec", "enter the sandbox for", "set the priority of" };
		waitpid(cp->pid, &cp->status, 0);
		cp->finished = 1;
		if (cp->out_pipe)
			close(cp->out);
		if (cp->err_pipe)
			close(cp->err);
		untrack(cp->pid);
		errno = e[1];
		return error_errno("cannot %s '%s'", what[e[0] >= 1 && e[0] <= 6 ? e[0] : 4],
				   e[0] == 1 ? cp->dir : cp->args.v[0]);
	}
	return 0;
}

int capture_command(struct child_process *cp, struct strbuf *out, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	int timed_out = 0;

	cp->out_pipe = 1;
	if (start_command(cp) < 0)
		return -1;
	for (;;) {
		struct pollfd pfd = { cp->out, POLLIN, 0 };
		unsigned next = command_wait_tick();
		uint64_t now = now_ms();
		ssize_t n;
		int r;

		if (now >= deadline) {
			timed_out = 1;
			break;
		}
		r = poll(&pfd, 1, (int)(deadline - now < next ? deadline - now : next));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error_errno("poll");
			break;
		}
		if (r == 0)
			continue;
		strbuf_grow(out, 4096);
		n = read(cp->out, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_setlen(out, out->len + (size_t)n);
	}
	close(cp->out);
	if (timed_out) {
		kill_command(cp, 0);
		return error("%s did not end within %.1f s", cp->args.v[0], timeout_ms / 1000.0);
	}
	return finish_command(cp);
}

int poll_command(struct child_process *cp)
{
	pid_t r;

	if (cp->finished)
		return 1;
	do
		r = waitpid(cp->pid, &cp->status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return error_errno("waitpid %d", (int)cp->pid);
	if (r == 0)
		return 0;
	cp->finished = 1;
	untrack(cp->pid);
	return 1;
}

int finish_command(struct child_process *cp)
{
	pid_t r;

	if (cp->finished)
		return cp->status;
	do
		r = waitpid(cp->pid, &cp->status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return error_errno("waitpid %d", (int)cp->pid);
	cp->finished = 1;
	untrack(cp->pid);
	return cp->status;
}

int run_command(struct child_process *cp)
{
	if (start_command(cp) < 0)
		return -1;
	return finish_command(cp);
}

int kill_session(pid_t sid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int killed = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		pid_t s;

		if (*end || pid <= 0)
			continue;
		if (proc_stat((pid_t)pid, NULL, NULL, &s) == 0 && s == sid && kill((pid_t)pid, SIGKILL) == 0)
			killed++;
	}
	closedir(d);
	return killed;
}

int kill_command(struct child_process *cp, unsigned grace_ms)
{
	uint64_t deadline;

	if (cp->finished) {
		kill_session(cp->pid);
		return 0;
	}
	kill(-cp->pid, SIGTERM);
	deadline = now_ms() + grace_ms;
	while (now_ms() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		if (poll_command(cp) != 0)
			break;
		command_wait_tick();
		nanosleep(&ts, NULL);
	}
	kill(-cp->pid, SIGKILL);
	kill_session(cp->pid);
	return finish_command(cp) < 0 ? -1 : 0;
}

void child_process_clear(struct child_process *cp)
{
	strvec_clear(&cp->args);
	strvec_clear(&cp->env);
}
