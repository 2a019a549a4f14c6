/*
 * The watch on real programs (tests/progs/watch-*.c), each started in a
 * session of its own as run.c does. Every program bounds itself with
 * alarm(8); a test asserts a hang is named while the program still runs.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "watch.h"
#include "watch-int.h"

#define PROGS "../build/tests/progs/"
#define MAX_SAMPLES 200		/* 10 s of samples: a bound, not a timing */

static pid_t child = -1;
static int child_out = -1, child_in = -1;

static void start(const char *name)
{
	int out[2], in[2];
	char *path = xstrfmt(PROGS "%s", name);

	cr_assert_eq(access(path, X_OK), 0, "%s is not built", path);
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (!child) {
		setsid();
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	free(path);
	close(out[1]);
	close(in[0]);
	child_out = out[0];
	child_in = in[1];
	fcntl(child_out, F_SETFL, O_NONBLOCK);
}

/* Kill the whole session and reap the child, whatever the test did. */
static void stop_child(void)
{
	if (child > 0) {
		kill(-child, SIGKILL);
		kill(child, SIGKILL);	/* before its setsid() */
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		child = -1;
	}
	if (child_out >= 0)
		close(child_out);
	if (child_in >= 0)
		close(child_in);
	child_out = child_in = -1;
}

TestSuite(watch, .fini = stop_child);

struct outcome {
	enum hang hang;
	int exited;		/* the child ended (reaped) */
	int status;
	struct strbuf out;	/* what it printed */
};

/* Append what the child printed since last time; returns the byte count. */
static size_t drain(struct strbuf *sb)
{
	size_t total = 0;
	char buf[4096];
	ssize_t n;

	while ((n = read(child_out, buf, sizeof(buf))) > 0) {
		strbuf_add(sb, buf, (size_t)n);
		total += (size_t)n;
	}
	return total;
}

static void pause_one_period(void)
{
	struct timespec ts = { 0, WATCH_PERIOD_MS * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Sample every period as run.c does until a hang is named or the child
 * ends. With feed_progress, output raises the progress counter.
 */
static void watch_child(struct watch *w, int feed_progress, struct outcome *o)
{
	uint64_t progress = 0;

	memset(o, 0, sizeof(*o));
	strbuf_init(&o->out, 0);
	for (int i = 0; i < MAX_SAMPLES; i++) {
		if (drain(&o->out) && feed_progress)
			progress++;
		if (waitpid(child, &o->status, WNOHANG) == child) {
			o->exited = 1;
			child = -1;
			drain(&o->out);
			return;
		}
		o->hang = watch_sample(w, now_ms(), progress);
		if (o->hang != HANG_NONE)
			return;
		pause_one_period();
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static struct watch *watch_for_child(unsigned stall_ms)
{
	struct watch_opts opts = { .stall_ms = stall_ms };

	return watch_new(child, &opts);
}

Test(watch, hang_names)
{
	cr_assert_str_eq(hang_name(HANG_DEADLOCK), "deadlock");
	cr_assert_str_eq(hang_name(HANG_LIVELOCK), "livelock");
	cr_assert_str_eq(hang_name(HANG_TIMEOUT), "timeout");
	cr_assert_null(hang_name(HANG_NONE));
}

Test(watch, abba_deadlock_is_named_and_described)
{
	struct outcome o;
	struct strbuf desc = STRBUF_INIT;
	struct watch *w;
	int fds;

	start("watch-abba");
	fds = count_fds();
	w = watch_for_child(500);
	watch_child(w, 1, &o);
	cr_assert_eq(o.hang, HANG_DEADLOCK, "got %s, exited %d",
		     hang_name(o.hang) ? hang_name(o.hang) : "none", o.exited);
	cr_assert_not(o.exited, "named only after the program ended");

	watch_describe(w, &desc, 0);
	cr_assert(strstr(desc.buf, "process "), "%s", desc.buf);
	cr_assert(strstr(desc.buf, "watch-abba"), "%s", desc.buf);
	cr_assert(strstr(desc.buf, "abba-a: sleeping in futex"), "%s", desc.buf);
	cr_assert(strstr(desc.buf, "abba-b: sleeping in futex"), "%s", desc.buf);
	cr_assert_not(strstr(desc.buf, "take_both"), "gdb ran: %s", desc.buf);

	if (access("/usr/bin/gdb", X_OK) == 0) {
		strbuf_reset(&desc);
		watch_describe(w, &desc, 1);
		cr_assert(strstr(desc.buf, " take_both (") &&
			  strstr(desc.buf, "watch-abba.c:"), "%s", desc.buf);
		cr_assert(strstr(desc.buf, " worker_a ("), "%s", desc.buf);
		/* frames without a source file (libc) are left out */
		cr_assert_not(strstr(desc.buf, "libc.so"), "%s", desc.buf);
	}
	strbuf_release(&desc);
	strbuf_release(&o.out);
	watch_free(w);
	cr_assert_eq(count_fds(), fds, "the watch leaked descriptors");
}

Test(watch, lockstep_livelock_is_named)
{
	struct outcome o;
	struct watch *w;

	start("watch-livelock");
	w = watch_for_child(500);
	watch_child(w, 1, &o);
	cr_assert_eq(o.hang, HANG_LIVELOCK, "got %s, exited %d",
		     hang_name(o.hang) ? hang_name(o.hang) : "none", o.exited);
	cr_assert_not(o.exited);
	strbuf_release(&o.out);
	watch_free(w);
}

/* Two threads compute for 1.5 s, three stall windows: left to the timeout. */
Test(watch, compute_loop_is_no_hang)
{
	struct outcome o;
	struct watch *w;

	start("watch-spin");
	w = watch_for_child(500);
	watch_child(w, 1, &o);
	cr_assert_eq(o.hang, HANG_NONE, "named %s", hang_name(o.hang));
	cr_assert(o.exited);
	cr_assert(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	cr_assert_eq(watch_max_threads(w), 3);
	strbuf_release(&o.out);
	watch_free(w);
}

/*
 * A single 1.5 s nanosleep looks like a deadlock from outside, but the
 * wait ends by itself: the watch leaves it alone (docs/watch.md).
 */
Test(watch, long_sleep_is_no_hang)
{
	struct outcome o;
	struct watch *w;

	start("watch-sleep");
	w = watch_for_child(500);
	watch_child(w, 1, &o);
	cr_assert_eq(o.hang, HANG_NONE, "named %s", hang_name(o.hang));
	cr_assert(o.exited);
	cr_assert(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	cr_assert_str_eq(o.out.buf, "done\n");
	strbuf_release(&o.out);
	watch_free(w);
}

/*
 * Sample the child every period until it ends or `limit` samples; count
 * the samples after which watch_idle() said the last 250 ms were idle.
 */
static int idle_samples(struct watch *w, int limit, int *samples)
{
	int idle = 0, status;

	for (*samples = 0; *samples < limit; ++*samples) {
		if (waitpid(child, &status, WNOHANG) == child) {
			child = -1;
			break;
		}
		cr_assert_eq(watch_sample(w, now_ms(), 0), HANG_NONE);
		idle += watch_idle(w, now_ms(), 250, 250);
		pause_one_period();
	}
	return idle;
}

/* A thread asleep for 1.5 s lends its slot: the scheduler sees it idle. */
Test(watch, sleeper_is_idle)
{
	struct watch *w;
	int samples;

	start("watch-sleep");
	w = watch_for_child(500);
	cr_assert_eq(watch_sample(w, now_ms(), 0), HANG_NONE);
	cr_assert_not(watch_idle(w, now_ms(), 250, 250), "idle before 250 ms were seen");
	cr_assert_gt(idle_samples(w, MAX_SAMPLES, &samples), 0,
		     "never idle in %d samples of a 1.5 s sleep", samples);
	watch_free(w);
}

/*
 * Sample the child every period; the ms from the first sample to the
 * first one after which watch_idle(ms, untimed_ms) held, or -1.
 */
static long first_idle_ms(struct watch *w, uint64_t ms, uint64_t untimed_ms)
{
	uint64_t t0 = now_ms();
	int status;

	for (int i = 0; i < MAX_SAMPLES; i++) {
		uint64_t now;

		if (waitpid(child, &status, WNOHANG) == child) {
			child = -1;
			break;
		}
		now = now_ms();
		cr_assert_eq(watch_sample(w, now, 0), HANG_NONE);
		if (watch_idle(w, now, ms, untimed_ms))
			return (long)(now - t0);
		pause_one_period();
	}
	return -1;
}

/*
 * Threads that all wait with no timeout (an ABBA deadlock, main in a
 * join) cannot wake by themselves: idle after the short window, long
 * before the 1 s one could have been seen. Idle is what the samples saw
 * up to now: once no longer sampled (being described and stopped), the
 * run is not idle because its window holds no sample.
 */
Test(watch, a_run_that_cannot_wake_is_idle_after_the_short_window)
{
	struct watch *w;
	long at;

	start("watch-abba");
	w = watch_for_child(5000);
	at = first_idle_ms(w, 1000, 100);
	cr_assert_geq(at, 100, "idle after %ld ms, before the short window", at);
	cr_assert_lt(at, 1000, "idle after %ld ms: not before the 1 s window", at);
	cr_assert_not(watch_idle(w, now_ms() + 1000, 1000, 100),
		      "idle a second after the last sample");
	watch_free(w);
}

/* A sleep ends by itself: its run lends its slot only after the long window. */
Test(watch, a_sleeper_is_idle_only_after_the_long_window)
{
	struct watch *w;
	long at;

	start("watch-sleep");
	w = watch_for_child(5000);
	at = first_idle_ms(w, 500, 100);
	cr_assert_geq(at, 500, "idle after %ld ms, before the 500 ms window", at);
	watch_free(w);
}

/* Threads that compute, even starved of a CPU (state R), are never idle. */
Test(watch, computer_is_never_idle)
{
	struct watch *w;
	int samples;

	start("watch-spin");
	w = watch_for_child(500);
	cr_assert_eq(idle_samples(w, MAX_SAMPLES, &samples), 0);
	cr_assert_gt(samples, 5, "the spinner ended after %d samples", samples);
	watch_free(w);
}

/* Busy and switching, but writing: its output is progress. */
Test(watch, output_is_progress)
{
	struct outcome o;
	struct watch *w;

	start("watch-slow");
	w = watch_for_child(500);
	watch_child(w, 1, &o);
	cr_assert_eq(o.hang, HANG_NONE, "named %s", hang_name(o.hang));
	cr_assert(o.exited);
	cr_assert(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	cr_assert(strstr(o.out.buf, "line 9\n"), "%s", o.out.buf);
	strbuf_release(&o.out);
	watch_free(w);
}

/* The same program with its output not counted shows why output matters. */
Test(watch, output_not_counted_looks_like_livelock)
{
	struct outcome o;
	struct watch *w;

	start("watch-slow");
	w = watch_for_child(500);
	watch_child(w, 0, &o);
	cr_assert_eq(o.hang, HANG_LIVELOCK, "got %s, exited %d",
		     hang_name(o.hang) ? hang_name(o.hang) : "none", o.exited);
	strbuf_release(&o.out);
	watch_free(w);
}

Test(watch, max_threads_counts_threads_alive_at_once)
{
	struct outcome o;
	struct watch *w;
	struct strbuf out = STRBUF_INIT;
	int i;

	start("watch-threads");
	w = watch_for_child(5000);
	/* the program prints "ready" once its five threads are up */
	for (i = 0; i < MAX_SAMPLES && !strstr(out.buf, "ready\n"); i++) {
		drain(&out);
		cr_assert_eq(watch_sample(w, now_ms(), i), HANG_NONE);
		pause_one_period();
	}
	cr_assert(strstr(out.buf, "ready\n"));
	cr_assert_eq(watch_sample(w, now_ms(), i), HANG_NONE);
	close(child_in);
	child_in = -1;
	watch_child(w, 1, &o);
	cr_assert(o.exited);
	cr_assert(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	cr_assert_eq(watch_max_threads(w), 5);
	strbuf_release(&o.out);
	strbuf_release(&out);
	watch_free(w);
}

/* Once every process of the run has ended nothing is left to watch. */
Test(watch, ended_run_is_no_hang)
{
	struct watch *w;

	start("watch-sleep");
	w = watch_for_child(100);
	stop_child();
	for (int i = 0; i < 5; i++)
		cr_assert_eq(watch_sample(w, now_ms() + (uint64_t)i * 1000, 0), HANG_NONE);
	cr_assert_eq(watch_max_threads(w), 0);
	watch_free(w);
}

/*
 * Zombies and the hang (consequence.h): a zombie reaped before the stop is
 * a bug of its own; one still there when the watch named the deadlock,
 * its parent stuck in it, is the hang's consequence.
 */
Test(watch, a_zombie_of_a_stuck_parent_is_the_hangs)
{
	struct strvec own = STRVEC_INIT, stuck = STRVEC_INIT, all = STRVEC_INIT;
	struct outcome o;
	struct watch *w;
	int seen = 0;

	start("watch-zombies");
	w = watch_for_child(500);
	/* Sample until the first child is a zombie for good, as run.c would. */
	for (int i = 0; i < MAX_SAMPLES && !seen; i++) {
		cr_assert_eq(watch_sample(w, now_ms(), 0), HANG_NONE,
			     "named a hang before the first zombie was seen");
		seen = watch_zombies(w, &own, NULL);
		pause_one_period();
	}
	cr_assert_eq(seen, 1);
	cr_assert(strstr(own.v[0], "went on without waiting"), "%s", own.v[0]);
	strvec_clear(&own);
	cr_assert_eq(write(child_in, "x", 1), 1);

	watch_child(w, 0, &o);
	cr_assert_eq(o.hang, HANG_DEADLOCK, "got %s, exited %d",
		     hang_name(o.hang) ? hang_name(o.hang) : "none", o.exited);
	cr_assert_eq(watch_zombies(w, &own, &stuck), 2);
	cr_assert_eq(own.n, 1, "the reaped zombie is a bug of its own");
	cr_assert(strstr(own.v[0], "went on without waiting"), "%s", own.v[0]);
	cr_assert_eq(stuck.n, 1, "the unreaped zombie is the hang's");
	cr_assert(strstr(stuck.v[0], "stuck when the run was stopped"), "%s", stuck.v[0]);
	cr_assert(strcmp(own.v[0], stuck.v[0]), "one zombie counted twice");
	/* Without a place for them, every zombie is a bug of its own. */
	cr_assert_eq(watch_zombies(w, &all, NULL), 2);
	cr_assert_eq(all.n, 2);
	strvec_clear(&own);
	strvec_clear(&stuck);
	strvec_clear(&all);
	strbuf_release(&o.out);
	watch_free(w);
}

/*
 * A zombie's sample counts against its parent only when the parent went
 * on: a parent only runnable, given no CPU (a loaded machine), had no
 * chance to reap; one asleep elsewhere, or using the CPU, did.
 */
Test(watch, a_zombies_parent_must_have_gone_on)
{
	struct thr t[2] = { { .pid = 100, .tid = 100, .state = 'R', .cpu_ns = 5000 },
			    { .pid = 101, .tid = 101, .state = 'Z' } };
	struct snap s = { t, 2, 2 };
	struct zombie_seen z = { .pid = 101, .ppid = 100 };

	cr_expect_not(watch_parent_went_on(&s, &z), "runnable, its CPU time not known before");
	cr_expect_not(watch_parent_went_on(&s, &z), "runnable, and no CPU since: starved");
	t[0].cpu_ns = 6000;
	cr_expect(watch_parent_went_on(&s, &z), "it used the CPU and did not reap");
	t[0].state = 'S';
	cr_expect(watch_parent_went_on(&s, &z), "asleep elsewhere: it went on");
	s.nr = 1;
	t[0].pid = 102;
	cr_expect(watch_parent_went_on(&s, &z), "a parent not seen at all is not a starved one");
}
