/*
 * Two consumers woken for one job.
 *
 * A producer hands jobs to two consumer threads through a small queue
 * protected by a mutex; a consumer waits on a condition variable while the
 * queue is empty. The producer queues job 1 and broadcasts, then job 2.
 * Each consumer should handle one job. Instead one consumer handles job 1,
 * the other "handles" job 0, which nobody queued, and job 2 is never
 * handled.
 *
 * The schedule is made the same in every run with the queue's own mutex
 * and two counters: the producer queues job 1 only when both consumers are
 * waiting, and job 2 only when both have woken up from that wait.
 *
 * `jobs N` runs N consumers (2 to 8) and queues jobs 1 to N the same way:
 * each job when every consumer still waiting is asleep, the next one when
 * all of those have woken up.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QSIZE 16		/* more than MAXC: a queue taken below empty still indexes it */
#define MAXC 8

static struct {
	pthread_mutex_t lock;
	pthread_cond_t nonempty;	/* a job was queued */
	pthread_cond_t changed;		/* sleepers or wakeups changed */
	int job[QSIZE];
	int head, count;
	int sleepers, wakeups;		/* only for staging */
} q = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.nonempty = PTHREAD_COND_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
};

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "jobs: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/* Runs with q.lock held. */
static void put(int job)
{
	q.job[(q.head + q.count++) % QSIZE] = job;
}

/* Runs with q.lock held. */
static int take(void)
{
	int job = q.job[q.head];

	q.job[q.head] = 0;
	q.head = (q.head + 1) % QSIZE;
	q.count--;
	return job;
}

static void *consumer(void *arg)
{
	int *handled = arg;

	check(pthread_mutex_lock(&q.lock), "pthread_mutex_lock");
	if (q.count == 0) {		/* <-- look here */
		q.sleepers++;
		check(pthread_cond_signal(&q.changed), "pthread_cond_signal");
		check(pthread_cond_wait(&q.nonempty, &q.lock), "pthread_cond_wait");
		q.sleepers--;
		q.wakeups++;
		check(pthread_cond_signal(&q.changed), "pthread_cond_signal");
	}
	*handled = take();
	check(pthread_mutex_unlock(&q.lock), "pthread_mutex_unlock");
	return NULL;
}

static void wait_until(const int *counter, int n)
{
	while (*counter < n)
		check(pthread_cond_wait(&q.changed, &q.lock), "pthread_cond_wait");
}

static int by_value(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2, woken = 0;
	int handled[MAXC];
	pthread_t t[MAXC];

	if (n < 2 || n > MAXC) {
		fprintf(stderr, "usage: jobs [CONSUMERS, 2 to %d]\n", MAXC);
		return 2;
	}
	for (int i = 0; i < n; i++)
		check(pthread_create(&t[i], NULL, consumer, &handled[i]), "pthread_create");

	check(pthread_mutex_lock(&q.lock), "pthread_mutex_lock");
	wait_until(&q.sleepers, n);	/* every consumer waits for a job */
	for (int job = 1; job <= n; job++) {
		int asleep = q.sleepers;

		put(job);
		check(pthread_cond_broadcast(&q.nonempty), "pthread_cond_broadcast");
		woken += asleep;
		wait_until(&q.wakeups, woken);	/* every one asleep has woken up */
	}
	check(pthread_mutex_unlock(&q.lock), "pthread_mutex_unlock");

	for (int i = 0; i < n; i++)
		check(pthread_join(t[i], NULL), "pthread_join");
	qsort(handled, n, sizeof(*handled), by_value);
	printf("handled jobs");
	for (int i = 0; i < n; i++)
		printf("%s %d", i == 0 ? "" : i == n - 1 ? " and" : ",", handled[i]);
	printf("\n");
	return 0;
}
