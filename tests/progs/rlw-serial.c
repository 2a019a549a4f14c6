/*
 * rlwatch test: workers that keep their concurrency or give it up.
 *
 *   rlw-serial whole      4 threads started together, each holding big_lock
 *                         over its whole loop: they run one after another
 *   rlw-serial local      the same loop on a local count, added once under
 *                         big_lock: they run together
 *   rlw-serial condwait   2 consumers that wait on a condition variable
 *                         under big_lock and take their job holding it
 *   rlw-serial fork-all   3 children forked, then all reaped: 3 alive together
 *   rlw-serial fork-each  3 children, each reaped before the next is forked
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4
#define LOOPS 2000000L

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t start;
static volatile long total;
static int jobs;

static void *whole(void *arg)
{
	pthread_barrier_wait(&start);
	pthread_mutex_lock(&big_lock);
	for (long i = 0; i < LOOPS; i++)
		total++;
	pthread_mutex_unlock(&big_lock);
	return arg;
}

static void *local(void *arg)
{
	volatile long mine = 0;

	pthread_barrier_wait(&start);
	for (long i = 0; i < LOOPS; i++)
		mine++;
	pthread_mutex_lock(&big_lock);
	total += mine;
	pthread_mutex_unlock(&big_lock);
	return arg;
}

static void *consumer(void *arg)
{
	pthread_mutex_lock(&big_lock);
	while (jobs == 0)
		pthread_cond_wait(&queued, &big_lock);
	jobs--;
	total++;
	pthread_mutex_unlock(&big_lock);
	return arg;
}

static int threads(void *(*fn)(void *), int n)
{
	pthread_t t[WORKERS];

	pthread_barrier_init(&start, NULL, n);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, NULL))
			return 1;
	if (fn == consumer) {
		pthread_mutex_lock(&big_lock);
		jobs = n;
		pthread_cond_broadcast(&queued);
		pthread_mutex_unlock(&big_lock);
	}
	for (int i = 0; i < n; i++)
		if (pthread_join(t[i], NULL))
			return 1;
	printf("total %ld\n", total);
	return 0;
}

static int child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		usleep(10000);
		_exit(0);
	}
	return pid > 0 ? 0 : 1;
}

static int processes(int reap_each)
{
	int failed = 0;

	for (int i = 0; i < 3; i++) {
		failed |= child();
		if (reap_each)
			failed |= wait(NULL) < 0;
	}
	while (!reap_each && wait(NULL) > 0)
		;
	return failed;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "whole"))
		return threads(whole, WORKERS);
	if (!strcmp(mode, "local"))
		return threads(local, WORKERS);
	if (!strcmp(mode, "condwait"))
		return threads(consumer, 2);
	if (!strcmp(mode, "fork-all") || !strcmp(mode, "fork-each"))
		return processes(!strcmp(mode, "fork-each"));
	fprintf(stderr, "usage: rlw-serial whole|local|condwait|fork-all|fork-each\n");
	return 2;
}
