/*
 * A print spooler that unlocks twice.
 *
 * Usage: spool JOBS
 *
 * Two offices send print jobs to one spooler queue, JOBS each. The queue
 * holds QMAX jobs; a job that finds it full is dropped and counted.
 * add_job() is called with the queue locked, and its caller unlocks after
 * it. But on the full-queue path add_job() unlocks too: the mutex is then
 * unlocked a second time by a thread that no longer holds it.
 *
 * Nothing looks wrong from outside: glibc's default mutex does not check
 * who unlocks it, and here the stray unlock finds the mutex free and
 * changes nothing. If another thread held it at that moment, the stray
 * unlock would release that thread's lock. The offices are staged
 * (stage.h) so that every run behaves the same: office 1 sends its jobs
 * only after office 0 has sent all of its, so the stray unlocks always find
 * the mutex free and the output is always the same.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage.h"

#define QMAX 8

struct spool {
	pthread_mutex_t lock;
	int jobs[QMAX];
	int n;
	long dropped;
};

static struct spool spool;
static long njobs;
static stage_t st = STAGE_INIT;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "spool: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/* Queue a job; the caller holds s->lock. -1 if the queue is full. */
static int add_job(struct spool *s, int job)
{
	if (s->n == QMAX) {
		s->dropped++;
		return -1;	/* the caller took the lock: the caller unlocks */
	}
	s->jobs[s->n++] = job;
	return 0;
}

static void *office(void *arg)
{
	int n = (int)(long)arg;

	if (n == 1)
		stage_wait(&st, 1);	/* office 1 sends after office 0 */
	for (long i = 0; i < njobs; i++) {
		check(pthread_mutex_lock(&spool.lock), "pthread_mutex_lock");
		add_job(&spool, n * 1000 + (int)i);
		check(pthread_mutex_unlock(&spool.lock), "pthread_mutex_unlock");
	}
	if (n == 0)
		stage_reach(&st, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tid[2];
	char *end;

	errno = 0;
	njobs = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || njobs < 1 || njobs > 100000) {
		fprintf(stderr, "usage: spool JOBS (a number from 1 to 100000)\n");
		return 2;
	}
	check(pthread_mutex_init(&spool.lock, NULL), "pthread_mutex_init");
	for (long i = 0; i < 2; i++)
		check(pthread_create(&tid[i], NULL, office, (void *)i), "pthread_create");
	for (int i = 0; i < 2; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");

	printf("queued %d jobs, dropped %ld\n", spool.n, spool.dropped);
	return 0;
}
