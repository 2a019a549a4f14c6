#include "sandbox.h"
#include "proc.h"
#include "run-uid.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The namespaces of a run, in the order a program joins them (mounts last). */
static const struct {
	const char *name;	/* /proc/PID/ns/NAME */
	int type;		/* CLONE_NEW* */
} ns_info[SB_NS_NR] = {
	[SB_NS_PID] = { "pid", CLONE_NEWPID },
	[SB_NS_NET] = { "net", CLONE_NEWNET },
	[SB_NS_IPC] = { "ipc", CLONE_NEWIPC },
	[SB_NS_UTS] = { "uts", CLONE_NEWUTS },
	[SB_NS_MNT] = { "mnt", CLONE_NEWNS },
};
static const enum sandbox_ns join_order[] = { SB_NS_NET, SB_NS_IPC, SB_NS_UTS, SB_NS_MNT };

static int disabled;		/* RACELAB_SANDBOX=off */
static unsigned pids_max = SANDBOX_PIDS_MAX;		/* RACELAB_PIDS_MAX */
static unsigned long long memory_max = SANDBOX_MEMORY_MAX;	/* RACELAB_MEMORY_MAX, in MiB */
static int own_pidns = -1;	/* racelab's own PID namespace, to return to after a fork */

/* Each part the kernel refused is said once, not once per run. */
enum part { PART_ROOT, PART_NS, PART_CGROUP, PART_UID, PART_FS, PART_NR };
static int refused[PART_NR];

static void refuse(enum part p, const char *what)
{
	static const char *const fallback[PART_NR] = {
		[PART_ROOT] = "programs run as racelab's user, without a sandbox",
		[PART_NS] = "a run's processes are found and stopped by session and the watch",
		[PART_CGROUP] = "no memory cap; processes are capped by RLIMIT_NPROC of the run's own user",
		[PART_UID] = "runs share the user 'nobody' and its RLIMIT_NPROC",
		[PART_FS] = "programs see the machine's files as the run's user may",
	};

	if (!refused[p])
		warning("sandbox: %s: %s (docs/sandbox.md)", what, fallback[p]);
	refused[p] = 1;
}

/* A positive number from the environment variable `name`, or `def`. */
static unsigned long long env_number(const char *name, unsigned long long def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return def;
	n = strtoull(v, &end, 10);
	if (*end || !n) {
		warning("%s=%s is not a positive number: %llu is used", name, v, def);
		return def;
	}
	return n;
}

void sandbox_setup(void)
{
	const char *v = getenv("RACELAB_SANDBOX");

	pids_max = (unsigned)env_number("RACELAB_PIDS_MAX", SANDBOX_PIDS_MAX);
	memory_max = env_number("RACELAB_MEMORY_MAX", SANDBOX_MEMORY_MAX >> 20) << 20;
	if (v && !strcmp(v, "off")) {
		disabled = 1;
		return;
	}
	if (geteuid() != 0) {
		refuse(PART_ROOT, "racelab is not root");
		disabled = 1;
		return;
	}
	own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (mkdir_p(SANDBOX_FS_ROOT, 0755) < 0)
		refuse(PART_FS, "cannot create " SANDBOX_FS_ROOT);
	cgroup_sweep();
}

/*
 * The init's steps, reported to racelab through the ready pipe when one
 * fails: { step, errno }, or { 0, 0 } when the namespaces are ready.
 */
enum init_step { INIT_OK, INIT_MOUNT_PRIVATE, INIT_PROC, INIT_LO, INIT_FS };

/* { step, errno, detail }: INIT_FS is no failure of the init (the run sees the machine's files). */
static void init_report(int fd, int step, int detail)
{
	int e[3] = { step, errno, detail };

	if (write(fd, e, sizeof(e)) < 0) {
		/* racelab sees a short read: the init failed */
	}
}

/* Bring the loopback interface of the new network namespace up. */
static int loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return ret;
}

static void on_child(int sig)
{
	(void)sig;	/* only to end ppoll() */
}

/*
 * pid 1 of the run: makes the namespaces usable, then reaps whatever is
 * reparented to it until racelab kills it or dies (keepalive closes).
 * Only system calls here: this runs in a raw clone of racelab.
 */
static __attribute__((noreturn)) void init_main(int ready, int keepalive, const struct sandbox_fs *fs)
{
	struct sigaction sa;
	sigset_t block, wait_mask;
	int lo = ready < keepalive ? ready : keepalive, hi = ready < keepalive ? keepalive : ready;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setsid();		/* out of racelab's terminal group: ^C is racelab's to handle */
	syscall(SYS_close_range, 3, lo - 1, 0);
	syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	prctl(PR_SET_NAME, "racelab-init");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		init_report(ready, INIT_MOUNT_PRIVATE, 0);
		_exit(1);
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		init_report(ready, INIT_PROC, 0);
		_exit(1);
	}
	if (loopback_up() < 0) {
		init_report(ready, INIT_LO, 0);
		_exit(1);
	}
	sethostname("racelab", 7);
	if (fs) {
		int step;

		if (sandbox_fs_enter(fs, &step) < 0)
			init_report(ready, INIT_FS, step);
	}
	errno = 0;
	init_report(ready, INIT_OK, 0);
	close(ready);

	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGCHLD);
	for (;;) {
		struct pollfd p = { keepalive, POLLIN, 0 };

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		/* racelab died (PDEATHSIG covers the rest) or closed it: end the run */
		if (ppoll(&p, 1, NULL, &wait_mask) > 0)
			_exit(0);
	}
}

/* Start the init in new namespaces and open them; 0, or -1 with *why set. */
static int open_namespaces(struct sandbox *sb, const struct sandbox_fs *fs, char **why)
{
	static const char *const steps[] = {
		[INIT_MOUNT_PRIVATE] = "make the mounts private", [INIT_PROC] = "mount /proc",
		[INIT_LO] = "bring the loopback interface up",
	};
	int ready[2], keep[2], e[3] = { 0, 0, 0 };
	ssize_t n;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0) {
		*why = xstrfmt("pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(keep, O_CLOEXEC) < 0) {
		*why = xstrfmt("pipe: %s", strerror(errno));
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	fflush(NULL);
	/* A raw clone: fork() with new namespaces (glibc's clone() wants a stack). */
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC |
			     CLONE_NEWUTS | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0)
		init_main(ready[1], keep[0], fs);
	close(ready[1]);
	close(keep[0]);
	if (pid < 0) {
		*why = xstrfmt("cannot make new PID, network and mount namespaces: %s", strerror(errno));
		close(ready[0]);
		close(keep[1]);
		return -1;
	}
	do
		n = read(ready[0], e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e) && e[0] == INIT_FS) {
		char *msg = xstrfmt("the run's own root: cannot %s: %s", sandbox_fs_step(e[2]),
				    strerror(e[1]));

		refuse(PART_FS, msg);
		free(msg);
		do
			n = read(ready[0], e, sizeof(e));
		while (n < 0 && errno == EINTR);
	}
	close(ready[0]);
	sb->init = pid;
	sb->keepalive = keep[1];
	if (n != (ssize_t)sizeof(e) || e[0] != INIT_OK) {
		*why = n == (ssize_t)sizeof(e) && e[0] > 0 && e[0] <= INIT_LO ?
			xstrfmt("the run's init cannot %s: %s", steps[e[0]], strerror(e[1])) :
			xstrdup("the run's init ended before its namespaces were ready");
		return -1;
	}
	for (int i = 0; i < SB_NS_NR; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_info[i].name);
		if ((sb->ns[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			*why = xstrfmt("cannot open %s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (own_pidns < 0) {
		*why = xstrdup("cannot open racelab's own PID namespace");
		return -1;
	}
	return 0;
}

/* Undo a partly made set of namespaces: kill the init, close what was opened. */
static void close_namespaces(struct sandbox *sb)
{
	sandbox_end(sb);
	for (int i = 0; i < SB_NS_NR; i++) {
		if (sb->ns[i] >= 0)
			close(sb->ns[i]);
		sb->ns[i] = -1;
	}
	if (sb->keepalive >= 0)
		close(sb->keepalive);
	sb->keepalive = -1;
}

int sandbox_open(struct sandbox *sb, const char *name, int realtime)
{
	char *why = NULL, *cgname;

	*sb = (struct sandbox)SANDBOX_INIT;
	if (disabled)
		return 0;
	sb->cg.pids_max = pids_max;
	sb->cg.memory_max = memory_max;
	cgname = xstrfmt("%d.%s", (int)getpid(), name);
	if (!refused[PART_CGROUP] &&
	    cgroup_make(&sb->cg, cgname, pids_max, memory_max, realtime, &why) < CG_NR)
		refuse(PART_CGROUP, why);
	free(why);
	free(cgname);
	if (!refused[PART_UID] && (sb->uid_lock = run_uid_claim(&sb->uid)) < 0) {
		char *msg = xstrfmt("no user id of its own for the run (%s: %s)", RUN_UID_LOCKDIR,
				    strerror(errno));
		refuse(PART_UID, msg);
		free(msg);
	}
	return 0;
}

int sandbox_start(struct sandbox *sb, const struct sandbox_fs *fs)
{
	char *why = NULL;

	if (disabled || refused[PART_NS])
		return 0;
	if (open_namespaces(sb, refused[PART_FS] ? NULL : fs, &why) < 0) {
		close_namespaces(sb);
		refuse(PART_NS, why);
	}
	free(why);
	return 0;
}

void sandbox_child(const struct sandbox *sb, struct child_process *cp)
{
	cp->sandbox = sb;
	if (sb->uid_lock >= 0) {
		cp->run_as_user = 1;
		cp->uid = sb->uid;
		cp->gid = (gid_t)sb->uid;
	}
}

pid_t sandbox_fork(const struct sandbox *sb)
{
	pid_t pid;
	int e;

	if (sb->ns[SB_NS_PID] < 0)
		return fork();
	/* setns(CLONE_NEWPID) places racelab's next child, not racelab, in the namespace. */
	if (setns(sb->ns[SB_NS_PID], CLONE_NEWPID) < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		return 0;
	e = errno;
	if (setns(own_pidns, CLONE_NEWPID) < 0)
		die("cannot return to racelab's own PID namespace: %s", strerror(errno));
	errno = e;
	return pid;
}

int sandbox_enter(const struct sandbox *sb)
{
	if (cgroup_join(&sb->cg) < 0)
		return -1;
	/* No pids cgroup: the run's own user's process count is the cap (it counts only this run). */
	if (!sb->cg.dir[CG_PIDS] && sb->uid_lock >= 0) {
		struct rlimit nproc = { sb->cg.pids_max, sb->cg.pids_max };

		if (setrlimit(RLIMIT_NPROC, &nproc) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(join_order) / sizeof(*join_order); i++) {
		int k = join_order[i];

		if (sb->ns[k] >= 0 && setns(sb->ns[k], ns_info[k].type) < 0)
			return -1;
	}
	/* No descriptor of racelab crosses exec: ours are close-on-exec. */
	return 0;
}

pid_t sandbox_pid(const struct sandbox *sb, pid_t pid)
{
	pid_t in;

	if (!sb || sb->init <= 0 || proc_nspid(pid, &in) < 0)
		return pid;
	return in;
}

pid_t sandbox_last_pid(const struct sandbox *sb)
{
	int p[2];
	pid_t pid, mine = 0;

	if (sb->init <= 0 || pipe2(p, O_CLOEXEC) < 0)
		return 0;
	/* A child in the namespace gets the next pid: its own, less one, is the last before it. */
	pid = sandbox_fork(sb);
	if (pid == 0) {
		pid_t self = getpid();

		if (write(p[1], &self, sizeof(self)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (pid > 0) {
		if (read(p[0], &mine, sizeof(mine)) != (ssize_t)sizeof(mine))
			mine = 0;
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	close(p[0]);
	return mine > 1 ? mine - 1 : 0;
}

void sandbox_kill(struct sandbox *sb)
{
	if (sb->init > 0)
		kill(sb->init, SIGKILL);
}

void sandbox_end(struct sandbox *sb)
{
	if (sb->init <= 0)
		return;
	kill(sb->init, SIGKILL);
	/* ECHILD: reap_strays() reaped it already, after the kernel emptied the namespace */
	while (waitpid(sb->init, NULL, 0) < 0 && errno == EINTR)
		;
	sb->init = 0;
}

int sandbox_enabled(void)
{
	return !disabled;
}

/* Less than this left on a tmpfs of the run is full: the last write did not fit. */
#define FS_FULL_BYTES (64 << 10)

void sandbox_note_full(struct sandbox *sb, const char *cwd)
{
	const char *where[] = { cwd, "/tmp", "/dev/shm" };
	const char *cap[] = { SANDBOX_FS_CWD_MAX, SANDBOX_FS_TMP_MAX, SANDBOX_FS_TMP_MAX };

	if (sb->init <= 0)
		return;
	for (size_t i = 0; i < sizeof(where) / sizeof(*where); i++) {
		/* the init's root is the run's: its tmpfs, not the machine's folder */
		char *path = xstrfmt("/proc/%d/root%s", (int)sb->init, where[i]);
		struct statvfs st;

		if (statvfs(path, &st) == 0 && st.f_blocks &&
		    (unsigned long long)st.f_bavail * st.f_frsize < FS_FULL_BYTES)
			strvec_pushf(&sb->full, "%s is full: the run's %s cap on it was reached",
				     i ? where[i] : "the working directory", cap[i]);
		free(path);
	}
}

int sandbox_limits_hit(const struct sandbox *sb, struct strvec *out)
{
	for (size_t i = 0; i < sb->full.n; i++)
		strvec_push(out, sb->full.v[i]);
	return cgroup_limits_hit(&sb->cg, out) + (int)sb->full.n;
}

int sandbox_pids_full(const struct sandbox *sb)
{
	return cgroup_pids_full(&sb->cg);
}

void sandbox_close(struct sandbox *sb)
{
	close_namespaces(sb);
	cgroup_remove(&sb->cg);
	strvec_clear(&sb->full);
	run_uid_release(sb->uid_lock);
	sb->uid_lock = -1;
}
