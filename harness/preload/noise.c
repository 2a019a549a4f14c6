/*
 * Schedule noise in a native run (the `noise` checker): with RACELAB_NOISE
 * set to a seed, threads are delayed or yield at the points where their
 * order matters, and sleeps and timed waits are stretched or shrunk, so
 * that a program right only with the machine's usual timing goes wrong.
 * What to do at each point is ../noise.c's decision, from the seed; this
 * file only asks and does it. The method and its limits: docs/noise.md.
 *
 * Points: a thread's start and its creator after pthread_create
 * (rlwatch.c), mutex lock (rlwatch.c) and unlock, condition wait
 * (conc.c), condition signal and broadcast, fork, and read, write, recv
 * and send on a pipe or socket (here). Sleeps: sleep, usleep, nanosleep,
 * clock_nanosleep; timed waits: pthread_cond_timedwait (conc.c).
 *
 * Like the rest of the preload, the program must not notice us beyond
 * the timing: return values and errno pass through, nothing allocates or
 * takes a lock (a point may be reached in a signal handler), and our own
 * delays are system calls that none of our wrappers sees.
 */
#include "preload.h"
#include "../noise.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TLS __thread __attribute__((tls_model("initial-exec")))
#define NS 1000000000ULL

static int noise_on;
static struct noise_profile profile;
/* Threads the preload did not see created get streams after these. */
static uint64_t unseen_threads = 1ULL << 32;

static TLS struct noise_thread me;
static TLS int me_ready;
static TLS int busy;	/* inside a point: our own calls are not points */

static struct noise_thread *self(void)
{
	if (!me_ready) {
		noise_thread_init(&me, &profile, noise_stream(profile.seed,
			__atomic_fetch_add(&unseen_threads, 1, __ATOMIC_RELAXED)));
		me_ready = 1;
	}
	return &me;
}

void noise_init(void)
{
	const char *env = getenv(NOISE_ENV);
	uint64_t seed;

	if (!env || noise_parse_seed(env, &seed) < 0)
		return;
	noise_profile_init(&profile, seed);
	noise_thread_init(&me, &profile, noise_stream(seed, 1));
	me_ready = 1;
	noise_on = 1;
}

/* Sleep ns on the monotonic clock; a signal ends it early. */
static void pause_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / NS), (long)(ns % NS) };

	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
}

static void act(struct noise_action a)
{
	if (a.what == NOISE_YIELD)
		sched_yield();
	else if (a.what == NOISE_DELAY)
		pause_ns(a.ns);
}

void noise_point(enum noise_point where)
{
	int saved = errno;

	if (!noise_on || busy)
		return;
	busy = 1;
	act(noise_decide(self(), &profile, where));
	busy = 0;
	errno = saved;
}

/*
 * A new thread's stream is named by 32 bits its creator draws (the
 * preload's record of a new thread has room for no more), apart from
 * the main thread's (1) and those of unseen threads (from 2^32).
 */
#define CREATED_STREAMS (1ULL << 40)

uint32_t noise_child_seed(void)
{
	return noise_on ? (uint32_t)noise_child_stream(self()) : 0;
}

void noise_thread_start(uint32_t stream)
{
	if (!noise_on)
		return;
	noise_thread_init(&me, &profile, noise_stream(profile.seed, CREATED_STREAMS | stream));
	me_ready = 1;
	noise_point(NOISE_START);
}

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * NS + (uint64_t)ts->tv_nsec;
}

static struct timespec ns_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / NS), (long)(ns % NS) };
}

/*
 * A timed wait's absolute deadline, its timeout scaled. The clock is not
 * known (pthread_condattr_setclock): the one on which the deadline lies
 * ahead by at most the longest timeout noise touches, else none.
 */
const struct timespec *noise_deadline(const struct timespec *abs, struct timespec *buf)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
	int saved = errno;

	if (!noise_on || busy || !abs || abs->tv_sec < 0 || abs->tv_nsec < 0 || abs->tv_nsec >= (long)NS)
		return abs;
	for (size_t i = 0; i < sizeof(clocks) / sizeof(*clocks); i++) {
		struct timespec now;
		uint64_t n, a = ts_ns(abs);

		if (clock_gettime(clocks[i], &now))
			continue;
		n = ts_ns(&now);
		if (a > n && a - n <= NOISE_TIMEOUT_MAX_NS) {
			*buf = ns_ts(n + noise_timeout_ns(self(), &profile, a - n));
			errno = saved;
			return buf;
		}
	}
	errno = saved;
	return abs;
}

/* --- the real functions ------------------------------------------------ */

static void *real_fn(void **slot, const char *name, const char *version)
{
	void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!f) {
		f = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
		if (!f)
			f = dlsym(RTLD_NEXT, name);
		__atomic_store_n(slot, f, __ATOMIC_RELEASE);
	}
	return f;
}

/* next_NAME: the definition of NAME after ours (libc's). */
#define REAL(name, version) \
	static void *real_##name; \
	__typeof__(&name) next_##name = (__typeof__(&name))real_fn(&real_##name, #name, version)

/* --- sleeps ------------------------------------------------------------ */

static int valid(const struct timespec *ts)
{
	return ts && ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NS;
}

/*
 * Sleep ns: a sleep shrunk to nothing makes no system call at all (even
 * nanosleep(0) waits out the timer slack, 50 us, long enough for the
 * thread it was racing to win).
 */
static int sleep_ns(uint64_t ns, struct timespec *rem)
{
	REAL(nanosleep, NULL);
	struct timespec ts = ns_ts(ns);

	return ns ? next_nanosleep(&ts, rem) : 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	REAL(nanosleep, NULL);

	if (!noise_on || busy || !valid(req))
		return next_nanosleep(req, rem);
	return sleep_ns(noise_sleep_ns(self(), &profile, ts_ns(req)), rem);
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
	REAL(clock_nanosleep, NULL);
	struct timespec ts, now;
	uint64_t left;

	if (!noise_on || busy || !valid(req))
		return next_clock_nanosleep(clk, flags, req, rem);
	if (!(flags & TIMER_ABSTIME)) {
		ts = ns_ts(noise_sleep_ns(self(), &profile, ts_ns(req)));
		return ts_ns(&ts) ? next_clock_nanosleep(clk, flags, &ts, rem) : 0;
	}
	/* Until a time: the time left is what is scaled. */
	if (clock_gettime(clk, &now) || ts_ns(req) <= ts_ns(&now))
		return next_clock_nanosleep(clk, flags, req, rem);
	left = noise_sleep_ns(self(), &profile, ts_ns(req) - ts_ns(&now));
	ts = ns_ts(ts_ns(&now) + left);
	return left ? next_clock_nanosleep(clk, flags, &ts, rem) : 0;
}

int usleep(useconds_t us)
{
	REAL(usleep, NULL);

	if (!noise_on || busy)
		return next_usleep(us);
	return sleep_ns(noise_sleep_ns(self(), &profile, (uint64_t)us * 1000), NULL);
}

unsigned int sleep(unsigned int s)
{
	REAL(sleep, NULL);
	struct timespec rem;

	if (!noise_on || busy)
		return next_sleep(s);
	if (!sleep_ns(noise_sleep_ns(self(), &profile, (uint64_t)s * NS), &rem))
		return 0;
	/* Interrupted: the seconds left of the sleep made. */
	return (unsigned int)((ts_ns(&rem) + NS - 1) / NS);
}

/* --- condition variables and fork -------------------------------------- */

int pthread_cond_signal(pthread_cond_t *c)
{
	REAL(pthread_cond_signal, "GLIBC_2.3.2");
	int ret = next_pthread_cond_signal(c);

	noise_point(NOISE_SIGNAL);
	return ret;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	REAL(pthread_cond_broadcast, "GLIBC_2.3.2");
	int ret = next_pthread_cond_broadcast(c);

	noise_point(NOISE_SIGNAL);
	return ret;
}

pid_t fork(void)
{
	REAL(fork, NULL);
	pid_t pid;
	uint64_t child = 0;	/* a whole stream: nothing limits what a fork passes on */
	int saved;

	if (noise_on) {
		noise_point(NOISE_FORK);
		child = noise_child_stream(self());
	}
	pid = next_fork();
	saved = errno;
	if (pid == 0 && noise_on) {
		/* The child's own stream, then a point: parent or child may go first. */
		noise_thread_init(&me, &profile, child);
		noise_point(NOISE_FORK);
	}
	conc_forked(pid);	/* a process is a worker too (children.c) */
	errno = saved;
	return pid;
}

/* --- pipes and sockets ------------------------------------------------- */

/* A point before I/O on fd, acted on only for a pipe or a socket. */
static void io_point(int fd)
{
	int saved = errno;
	struct noise_action a;
	struct stat st;

	if (!noise_on || busy)
		return;
	busy = 1;
	a = noise_decide(self(), &profile, NOISE_IO);
	/* fstat only when there is something to do: most points do nothing. */
	if (a.what != NOISE_NOTHING && !fstat(fd, &st) &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		act(a);
	busy = 0;
	errno = saved;
}

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(read, NULL);

	io_point(fd);
	return next_read(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write, NULL);

	io_point(fd);
	return next_write(fd, buf, n);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	REAL(recv, NULL);

	io_point(fd);
	return next_recv(fd, buf, n, flags);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	REAL(send, NULL);

	io_point(fd);
	return next_send(fd, buf, n, flags);
}
