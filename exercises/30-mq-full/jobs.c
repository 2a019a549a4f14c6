/*
 * A job queue that fills up before anyone reads it.
 *
 * Usage: jobs WORKERS JOBS
 *
 * A dispatcher hands JOBS numbered jobs to WORKERS threads through a POSIX
 * message queue, then one "stop" message per worker. Each worker adds up
 * the squares of the job numbers it takes off the queue until it gets a
 * stop; main adds up the workers' sums.
 *
 * The queue holds at most QUEUE_MAX messages, and mq_send on a full queue
 * waits until someone takes a message off it. With 2 workers and 12 jobs
 * the dispatcher never gets to print its total.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUEUE_MAX 4
#define MAX_WORKERS 8

struct worker {
	pthread_t tid;
	mqd_t q;
	long sum;
};

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "jobs: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static int parse_arg(const char *s, const char *name, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max) {
		fprintf(stderr, "jobs: %s must be a number from 1 to %ld, not '%s'\n",
			name, max, s);
		exit(2);
	}
	return v;
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	long job;

	for (;;) {
		/* The buffer must hold mq_msgsize bytes, or this fails (EMSGSIZE). */
		if (mq_receive(w->q, (char *)&job, sizeof(job), NULL) < 0)
			check(errno, "mq_receive");
		if (job == 0)	/* stop */
			return NULL;
		w->sum += job * job;
	}
}

static void send_job(mqd_t q, long job)
{
	if (mq_send(q, (const char *)&job, sizeof(job), 0))
		check(errno, "mq_send");
}

int main(int argc, char **argv)
{
	struct mq_attr attr = { .mq_maxmsg = QUEUE_MAX, .mq_msgsize = sizeof(long) };
	struct worker w[MAX_WORKERS];
	int nworkers, njobs;
	char name[64];
	long total = 0;
	mqd_t q;

	if (argc != 3) {
		fprintf(stderr, "usage: jobs WORKERS JOBS\n");
		return 2;
	}
	nworkers = parse_arg(argv[1], "WORKERS", MAX_WORKERS);
	njobs = parse_arg(argv[2], "JOBS", 100000);
	/* A name of our own; unlinked at once so no run leaves a queue behind. */
	snprintf(name, sizeof(name), "/racelab-30-%ld", (long)getpid());
	mq_unlink(name);
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1 || mq_unlink(name))
		check(errno, "mq_open/mq_unlink");

	for (long job = 1; job <= njobs; job++)
		send_job(q, job);	/* <-- look here */
	for (int i = 0; i < nworkers; i++)
		send_job(q, 0);	/* stop */
	for (int i = 0; i < nworkers; i++) {
		w[i] = (struct worker){ .q = q };
		check(pthread_create(&w[i].tid, NULL, worker, &w[i]), "pthread_create");
	}

	for (int i = 0; i < nworkers; i++) {
		check(pthread_join(w[i].tid, NULL), "pthread_join");
		total += w[i].sum;
	}
	if (mq_close(q))
		check(errno, "mq_close");
	printf("%d jobs done, sum of squares = %ld\n", njobs, total);
	return 0;
}
