/*
 * pipe_leaks() (harness/pipes.c) on tests/progs/pipe-hold.c: a reader
 * blocked on a pipe is reported with the write ends that can never be
 * closed by a write, and only those.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipes.h"
#include "strbuf.h"
#include "util.h"
#include "watch.h"

#define PROG "../build/tests/progs/pipe-hold"

static pid_t child = -1;

static void stop_child(void)
{
	if (child > 0) {
		kill(-child, SIGKILL);
		kill(child, SIGKILL);
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		child = -1;
	}
}

TestSuite(pipes, .fini = stop_child, .timeout = 20);

static void start(const char *mode)
{
	cr_assert_eq(access(PROG, X_OK), 0, PROG " is not built");
	child = fork();
	cr_assert_geq(child, 0);
	if (!child) {
		setsid();
		for (int fd = 3; fd < 1024; fd++)	/* as racelab starts programs */
			close(fd);
		execl(PROG, PROG, mode, (char *)NULL);
		_exit(127);
	}
}

/* 1 when some process of pids is blocked in read (syscall 0 on x86-64: SYS_read). */
static int someone_reads(const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = xstrfmt("/proc/%d/syscall", (int)pids[i]), *text = read_file(path, NULL);
		long nr = -1;
		int reading = text && sscanf(text, "%ld", &nr) == 1 && nr == 0;

		free(text);
		free(path);
		if (reading)
			return 1;
	}
	return 0;
}

/* 1 when every process of pids sleeps (in its read, wait4 or pause). */
static int all_asleep(const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = xstrfmt("/proc/%d/stat", (int)pids[i]), *text = read_file(path, NULL);
		char *p = text ? strrchr(text, ')') : NULL;
		int asleep = p && p[1] == ' ' && p[2] == 'S';

		free(text);
		free(path);
		if (!asleep)
			return 0;
	}
	return 1;
}

/* Wait until the run's reader is blocked and everyone else asleep, then ask pipe_leaks(). */
static int leaks_once_blocked(struct strvec *out, size_t want_procs)
{
	struct watch_opts o = { .stall_ms = 750 };
	struct watch *w = watch_new(child, &o);
	int ret = -1;

	for (int i = 0; i < 400 && ret < 0; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		pid_t *pids;
		size_t n = watch_pids(w, 0, &pids);

		if (n >= want_procs && someone_reads(pids, n) && all_asleep(pids, n))
			ret = pipe_leaks(pids, n, out);
		free(pids);
		nanosleep(&ts, NULL);
	}
	watch_free(w);
	cr_assert_geq(ret, 0, "the reader never blocked");
	return ret;
}

Test(pipes, a_reader_holding_a_write_end_itself)
{
	struct strvec out = STRVEC_INIT;

	start("self");
	cr_assert_eq(leaks_once_blocked(&out, 1), 1);
	cr_assert(strstr(out.v[0], "is blocked reading a pipe (descriptor 3) and holds a write end "
			 "of it itself (descriptor 4)"), "%s", out.v[0]);
	strvec_clear(&out);
}

Test(pipes, a_parent_waiting_for_the_reader_with_a_write_end)
{
	struct strvec out = STRVEC_INIT;
	char *want;

	start("parent");
	cr_assert_eq(leaks_once_blocked(&out, 2), 1, "%zu lines", out.n);
	want = xstrfmt("process %d (pipe-hold) holds a write end (descriptor 4)", (int)child);
	cr_assert(strstr(out.v[0], want), "%s", out.v[0]);
	cr_assert(strstr(out.v[0], "waits for its children instead of writing"), "%s", out.v[0]);
	free(want);
	strvec_clear(&out);
}

Test(pipes, a_writer_that_may_still_write_is_no_leak)
{
	struct strvec out = STRVEC_INIT;

	start("writer");
	cr_assert_eq(leaks_once_blocked(&out, 2), 0, "%s", out.n ? out.v[0] : "");
	strvec_clear(&out);
}
