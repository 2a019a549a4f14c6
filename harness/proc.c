/*
 * The /proc readers: one place for every file racelab reads there.
 */
#include "proc.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int proc_read(struct strbuf *sb, const char *fmt, pid_t a, pid_t b)
{
	char path[96];

	snprintf(path, sizeof(path), fmt, (int)a, (int)b);
	strbuf_reset(sb);
	return strbuf_read_file(sb, path) < 0 ? -1 : 0;
}

int proc_parse_pid(const char *s, pid_t *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	*out = (pid_t)v;
	return 0;
}

int proc_stat_fields(char *text, char **fields, int n)
{
	char *p = strrchr(text, ')');
	int i = 0;

	if (!p)
		return -1;
	p++;
	while (i < n) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		fields[i++] = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return i == n ? 0 : -1;
}

uint64_t proc_status_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* A fixed buffer: the child-process code calls this between fork and exec paths too. */
int proc_stat(pid_t pid, char *state, pid_t *ppid, pid_t *sid)
{
	char path[64], buf[512], *f[4];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (proc_stat_fields(buf, f, 4) < 0)
		return -1;
	if (state)
		*state = f[0][0];
	if (ppid)
		*ppid = (pid_t)strtol(f[1], NULL, 10);
	if (sid)
		*sid = (pid_t)strtol(f[3], NULL, 10);
	return 0;
}

int proc_nspid(pid_t pid, pid_t *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line;
	char *end;
	int ret = -1;

	if (proc_read(&sb, "/proc/%d/status", pid, 0) == 0 && (line = strstr(sb.buf, "\nNSpid:"))) {
		/* "NSpid:\t4242\t3": the last is the innermost namespace's */
		for (line += 7; *line == '\t' || *line == ' ' || (*line >= '0' && *line <= '9'); line = end) {
			long v = strtol(line, &end, 10);

			if (end == line)
				break;
			*out = (pid_t)v;
			ret = 0;
		}
	}
	strbuf_release(&sb);
	return ret;
}

int proc_exe(pid_t pid, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	if (!size)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, out, size - 1);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return 0;
}

/*
 * Valgrind runs a program inside its tool's executable
 * (.../valgrind/helgrind-amd64-linux, whose first 15 characters are the
 * command name); the program is the first argument after Valgrind's
 * options, which all begin with '-' (their values follow an '=').
 */
static int valgrind_guest(pid_t pid, const char *comm, char *out, size_t size)
{
	char exe[4096];
	const char *base;
	struct strbuf sb = STRBUF_INIT;
	int ret = -1;

	if (proc_exe(pid, exe, sizeof(exe)) < 0 || !(base = strrchr(exe, '/')) ||
	    base - exe < 9 || strncmp(base - 9, "/valgrind", 9) || strncmp(base + 1, comm, strlen(comm)))
		return -1;
	if (proc_read(&sb, "/proc/%d/cmdline", pid, 0) == 0) {
		/* NUL-separated argv; argv[0] is Valgrind's */
		for (size_t i = strlen(sb.buf) + 1; i < sb.len; i += strlen(sb.buf + i) + 1) {
			const char *arg = sb.buf + i, *slash = strrchr(arg, '/');

			if (arg[0] == '-')
				continue;
			snprintf(out, size, "%.15s", slash ? slash + 1 : arg);
			ret = 0;
			break;
		}
	}
	strbuf_release(&sb);
	return ret;
}

void proc_program_name(pid_t pid, char *out, size_t size)
{
	char comm[20], pcomm[20], state;
	pid_t ppid;

	proc_comm(pid, comm, sizeof(comm));
	if (valgrind_guest(pid, comm, out, size) == 0)
		return;
	/*
	 * A zombie's executable is gone, and with it what Valgrind ran: one
	 * with its parent's command name is named as its parent is (what it
	 * was at fork; one that ran another program under Valgrind is
	 * misnamed, a limit of what /proc keeps).
	 */
	if (proc_stat(pid, &state, &ppid, NULL) == 0 && state == 'Z' && ppid > 1) {
		proc_comm(ppid, pcomm, sizeof(pcomm));
		if (!strcmp(comm, pcomm) && valgrind_guest(ppid, pcomm, out, size) == 0)
			return;
	}
	snprintf(out, size, "%s", comm);
}

void proc_comm(pid_t pid, char *out, size_t size)
{
	char path[64], buf[64];
	int fd;
	ssize_t n = -1;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(out, size, "?");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(out, size, "%s", buf);
}

/*
 * Syscall numbers: names for watch_describe, and the waits that end by
 * themselves (a sleep, a wait with a timeout).
 */
enum { SC_NONE = -1 };
struct sc {
	int nr;
	const char *name;
	int timeout_arg;	/* index of the timeout argument, or -1 */
	int timeout_is_int;	/* the argument is an int of ms (poll) */
};

static const struct sc syscalls[] = {
#if defined(__x86_64__)
	{ 0, "read", -1, 0 }, { 1, "write", -1, 0 }, { 2, "open", -1, 0 },
	{ 3, "close", -1, 0 }, { 7, "poll", 2, 1 }, { 17, "pread64", -1, 0 },
	{ 18, "pwrite64", -1, 0 }, { 19, "readv", -1, 0 }, { 20, "writev", -1, 0 },
	{ 23, "select", 4, 0 }, { 24, "sched_yield", -1, 0 }, { 34, "pause", -1, 0 },
	{ 35, "nanosleep", 0, 0 }, { 42, "connect", -1, 0 }, { 43, "accept", -1, 0 },
	{ 44, "sendto", -1, 0 }, { 45, "recvfrom", -1, 0 }, { 46, "sendmsg", -1, 0 },
	{ 47, "recvmsg", -1, 0 }, { 61, "wait4", -1, 0 }, { 65, "semop", -1, 0 },
	{ 70, "msgrcv", -1, 0 }, { 72, "fcntl", -1, 0 }, { 73, "flock", -1, 0 },
	{ 128, "rt_sigtimedwait", 2, 0 }, { 130, "rt_sigsuspend", -1, 0 },
	{ 202, "futex", 3, 0 }, { 220, "semtimedop", 3, 0 },
	{ 230, "clock_nanosleep", 2, 0 }, { 232, "epoll_wait", 3, 1 },
	{ 242, "mq_timedsend", 4, 0 }, { 243, "mq_timedreceive", 4, 0 },
	{ 247, "waitid", -1, 0 }, { 257, "openat", -1, 0 }, { 270, "pselect6", 4, 0 },
	{ 271, "ppoll", 2, 0 }, { 281, "epoll_pwait", 3, 1 }, { 288, "accept4", -1, 0 },
	{ 441, "epoll_pwait2", 3, 0 }, { 449, "futex_waitv", 3, 0 },
#elif defined(__aarch64__)
	{ 22, "epoll_pwait", 3, 1 }, { 25, "fcntl", -1, 0 }, { 32, "flock", -1, 0 },
	{ 56, "openat", -1, 0 }, { 57, "close", -1, 0 }, { 63, "read", -1, 0 },
	{ 64, "write", -1, 0 }, { 65, "readv", -1, 0 }, { 66, "writev", -1, 0 },
	{ 72, "pselect6", 4, 0 }, { 73, "ppoll", 2, 0 }, { 95, "waitid", -1, 0 },
	{ 98, "futex", 3, 0 }, { 101, "nanosleep", 0, 0 },
	{ 115, "clock_nanosleep", 2, 0 }, { 124, "sched_yield", -1, 0 },
	{ 133, "rt_sigsuspend", -1, 0 }, { 137, "rt_sigtimedwait", 2, 0 },
	{ 202, "accept", -1, 0 }, { 203, "connect", -1, 0 }, { 206, "sendto", -1, 0 },
	{ 207, "recvfrom", -1, 0 }, { 211, "sendmsg", -1, 0 }, { 212, "recvmsg", -1, 0 },
	{ 242, "accept4", -1, 0 }, { 260, "wait4", -1, 0 },
#endif
	{ SC_NONE, NULL, -1, 0 },
};

static const struct sc *syscall_info(long nr)
{
	for (const struct sc *s = syscalls; s->nr != SC_NONE; s++)
		if (s->nr == nr)
			return s;
	return NULL;
}

/* futex operations whose fourth argument is a timeout */
static int futex_op_waits(uint64_t op)
{
	switch (op & 0x7f) {
	case 0:		/* FUTEX_WAIT */
	case 6:		/* FUTEX_LOCK_PI */
	case 9:		/* FUTEX_WAIT_BITSET */
	case 11:	/* FUTEX_WAIT_REQUEUE_PI */
	case 13:	/* FUTEX_LOCK_PI2 */
		return 1;
	default:
		return 0;
	}
}

/* Parse /proc/PID/task/TID/syscall: "NR ARG0 .. ARG5 SP PC" or "running". */
void proc_parse_syscall(const char *text, struct proc_syscall *sc)
{
	const char *p = text;
	char *end;
	const struct sc *s;

	memset(sc, 0, sizeof(*sc));
	sc->nr = -1;
	if (!isdigit((unsigned char)*p))
		return;
	sc->nr = strtol(p, &end, 10);
	p = end;
	for (int i = 0; i < 6; i++) {
		sc->arg[i] = strtoull(p, &end, 16);
		if (end == p)
			break;
		p = end;
	}
	s = syscall_info(sc->nr);
	if (!s)
		return;
	sc->name = s->name;
	if (s->timeout_arg < 0)
		return;
	if (s->timeout_is_int)
		sc->timed = (int32_t)(uint32_t)sc->arg[s->timeout_arg] > 0;
	else if (!strcmp(s->name, "futex"))
		sc->timed = futex_op_waits(sc->arg[1]) && sc->arg[3] != 0;
	else if (!strcmp(s->name, "nanosleep") || !strcmp(s->name, "clock_nanosleep"))
		sc->timed = 1;
	else
		sc->timed = sc->arg[s->timeout_arg] != 0;
}

int proc_syscall(struct strbuf *sb, pid_t pid, pid_t tid, struct proc_syscall *sc)
{
	if (proc_read(sb, "/proc/%d/task/%d/syscall", pid, tid) < 0) {
		memset(sc, 0, sizeof(*sc));
		sc->nr = -1;
		return -1;
	}
	proc_parse_syscall(sb->buf, sc);
	return 0;
}

int proc_each_task(pid_t pid, int (*fn)(pid_t pid, pid_t tid, void *data), void *data)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;	/* the process ended meanwhile */
	while (!ret && (de = readdir(d))) {
		pid_t tid;

		if (proc_parse_pid(de->d_name, &tid) == 0)
			ret = fn(pid, tid, data);
	}
	closedir(d);
	return ret;
}

int proc_each_fd(pid_t pid, int (*fn)(pid_t pid, int fd, const char *path, void *data), void *data)
{
	char dir[64], path[96];
	DIR *d;
	struct dirent *de;
	int ret = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		int fd;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		fd = atoi(de->d_name);
		snprintf(path, sizeof(path), "%s/%d", dir, fd);
		ret = fn(pid, fd, path, data);
	}
	closedir(d);
	return ret;
}
