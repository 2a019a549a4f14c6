/*
 * rlwatch test: the classic priority inversion, staged without sleeps.
 * Usage: rlw-inversion plain|pi   (pi: the lock inherits priority)
 *
 * Everything runs on one CPU under SCHED_FIFO; main (40) outranks the
 * others, so nothing it creates runs before it blocks. low (10) takes the
 * lock and is preempted by main at once; when main joins, high (30) runs,
 * blocks on the lock, and medium (20) runs 100 ms while low waits. With
 * "pi", low inherits high's priority and medium waits instead.
 * Exits 77 when real-time scheduling is refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock;
static sem_t low_locked;

/* Spin until `ms` have passed on `clock`: always bounded. */
static void spin(clockid_t clock, long ms)
{
	struct timespec a, b;

	clock_gettime(clock, &a);
	do
		clock_gettime(clock, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void *low(void *arg)
{
	pthread_mutex_lock(&lock);
	sem_post(&low_locked);
	spin(CLOCK_THREAD_CPUTIME_ID, 30);
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *medium(void *arg)
{
	spin(CLOCK_MONOTONIC, 100);
	return arg;
}

static void *high(void *arg)
{
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
	return arg;
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
	if (err) {
		fprintf(stderr, "rlw-inversion: pthread_create: %s\n", strerror(err));
		exit(err == EPERM ? 77 : 1);
	}
	pthread_attr_destroy(&attr);
	return t;
}

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 40 };
	pthread_mutexattr_t ma;
	cpu_set_t set;
	pthread_t tl, th, tm;
	int cpu = 0;

	if (argc != 2 || (strcmp(argv[1], "plain") && strcmp(argv[1], "pi"))) {
		fprintf(stderr, "usage: rlw-inversion plain|pi\n");
		return 2;
	}
	if (sched_getaffinity(0, sizeof(set), &set))
		return 77;
	while (cpu < CPU_SETSIZE - 1 && !CPU_ISSET(cpu, &set))
		cpu++;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "rlw-inversion: real-time scheduling refused: %s\n",
			strerror(errno));
		return 77;
	}
	pthread_mutexattr_init(&ma);
	if (!strcmp(argv[1], "pi"))
		pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&lock, &ma);
	sem_init(&low_locked, 0, 0);
	tl = start(low, 10);
	while (sem_wait(&low_locked) && errno == EINTR)
		;
	th = start(high, 30);
	tm = start(medium, 20);
	pthread_join(th, NULL);
	pthread_join(tm, NULL);
	pthread_join(tl, NULL);
	puts("done");
	return 0;
}
