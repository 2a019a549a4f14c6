/*
 * A lander's flight software in miniature: three real-time threads share
 * one CPU and one bus.
 *
 *   low    (priority 10)  the weather task: takes the bus lock, then needs
 *                         50 ms of CPU to finish its report;
 *   medium (priority 20)  the communications task: 300 ms of work that
 *                         does not need the bus;
 *   high   (priority 30)  the bus manager: needs the bus lock, briefly.
 *
 * main runs above all three (priority 40), so no thread it creates runs
 * before main blocks; that is how it sets the stage below without any
 * sleep. Everything is pinned to one CPU, as on the lander.
 *
 * Usage: inversion [M]: M communications tasks, 1 to 4 (default 1). Exits
 * 77 when this machine refuses real-time scheduling.
 */
#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PRIO_LOW	10
#define PRIO_MEDIUM	20
#define PRIO_HIGH	30
#define PRIO_MAIN	40

#define LOW_WORK_MS	50
#define MEDIUM_WORK_MS	300

static pthread_mutex_t bus;
static sem_t low_has_bus;
static long high_waited_ms;

static long elapsed_ms(clockid_t clock, const struct timespec *since)
{
	struct timespec now;

	clock_gettime(clock, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * Burn CPU until `ms` have passed on `clock`. Every loop ends at its
 * deadline: a real-time thread that spins without one can hold a CPU
 * for as long as it likes.
 */
static void work(clockid_t clock, long ms)
{
	struct timespec start;
	volatile unsigned long sink = 0;

	clock_gettime(clock, &start);
	while (elapsed_ms(clock, &start) < ms)
		sink++;
}

static void *low(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&bus);
	sem_post(&low_has_bus);	/* main outranks us: it runs again at once */
	/* 50 ms of our own CPU time: preempted time does not count. */
	work(CLOCK_THREAD_CPUTIME_ID, LOW_WORK_MS);
	pthread_mutex_unlock(&bus);
	return NULL;
}

static void *medium(void *arg)
{
	(void)arg;
	work(CLOCK_MONOTONIC, MEDIUM_WORK_MS);
	return NULL;
}

static void *high(void *arg)
{
	struct timespec start;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&bus);
	high_waited_ms = elapsed_ms(CLOCK_MONOTONIC, &start);
	pthread_mutex_unlock(&bus);
	return NULL;
}

/*
 * Priority inheritance: while high waits for the bus, low runs at high's
 * priority, so medium cannot preempt it.
 */
static void bus_init(void)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&bus, &attr);
	pthread_mutexattr_destroy(&attr);
}

static void refused(const char *what, int err)
{
	fprintf(stderr, "inversion: %s: %s: this machine refuses real-time "
		"scheduling (run as root, outside a container that drops "
		"CAP_SYS_NICE)\n", what, strerror(err));
	exit(77);
}

/* One CPU for the whole process: threads created later inherit it. */
static void pin_to_one_cpu(void)
{
	cpu_set_t allowed, one;
	int cpu;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		refused("sched_getaffinity", errno);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		refused("sched_setaffinity", errno);
}

static pthread_t start(void *(*fn)(void *), int prio)
{
	pthread_attr_t attr;
	struct sched_param sp = { .sched_priority = prio };
	pthread_t t;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
	pthread_attr_setschedparam(&attr, &sp);
	err = pthread_create(&t, &attr, fn, NULL);
	if (err == EPERM)
		refused("pthread_create with SCHED_FIFO", err);
	if (err) {
		fprintf(stderr, "inversion: pthread_create: %s\n", strerror(err));
		exit(1);
	}
	pthread_attr_destroy(&attr);
	return t;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "three", "four", "five", "six" };
	struct sched_param sp = { .sched_priority = PRIO_MAIN };
	pthread_t tl, tm[4], th;
	int mediums = argc > 1 ? atoi(argv[1]) : 1;

	if (argc > 2 || mediums < 1 || mediums > 4) {
		fprintf(stderr, "usage: inversion [M, 1 to 4]\n");
		return 2;
	}
	pin_to_one_cpu();
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		refused("sched_setscheduler", errno);
	setvbuf(stdout, NULL, _IOLBF, 0);
	bus_init();
	sem_init(&low_has_bus, 0, 0);

	/*
	 * While main waits, low is the only thread that can run: it takes
	 * the bus and posts, and main, higher, preempts it right there.
	 */
	tl = start(low, PRIO_LOW);
	while (sem_wait(&low_has_bus) && errno == EINTR)
		;
	/* Neither runs yet: main outranks both. */
	th = start(high, PRIO_HIGH);
	for (int i = 0; i < mediums; i++)
		tm[i] = start(medium, PRIO_MEDIUM);
	/*
	 * main blocks here, and the CPU goes to the highest runnable thread:
	 * high, which blocks on the bus low holds; then to medium...
	 */
	pthread_join(th, NULL);
	for (int i = 0; i < mediums; i++)
		pthread_join(tm[i], NULL);
	pthread_join(tl, NULL);
	printf("high waited %ld ms for the bus\n", high_waited_ms);
	printf("all %s done\n", all[mediums - 1]);
	return 0;
}
