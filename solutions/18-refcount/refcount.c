/*
 * A reference count that loses a decrement.
 *
 * Usage: refcount [VERSION]   the configuration's version (default 7)
 *
 * A server loads its configuration into one shared object and hands it to
 * two worker threads. Each worker holds one reference and drops it when it
 * is done; whoever drops the last one frees the object and says so. The
 * count is a plain int, and `--c->refs` is three steps: load, subtract,
 * store. A mutex makes the three steps one: the staging that made both
 * workers load refs == 2 before either stored cannot get between them any
 * more, so it now orders whole puts, which is harmless.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stage.h"

struct config {
	int refs;		/* one per worker holding the object */
	int version;
};

struct job {
	struct config *config;	/* the worker's reference */
	int n;
};

static pthread_mutex_t refs_lock = PTHREAD_MUTEX_INITIALIZER;	/* guards every config's refs */
static stage_t st = STAGE_INIT;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "refcount: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/*
 * Drop one reference; the last one frees the configuration. The load, the
 * subtraction and the store happen under refs_lock: no other put can come
 * between them, so exactly one put sees 0.
 */
static void config_put(struct config *c, int worker)
{
	int left;

	if (worker == 1)
		stage_wait(&st, 1);	/* staging: worker 1 drops after worker 0 */
	check(pthread_mutex_lock(&refs_lock), "pthread_mutex_lock");
	left = --c->refs;
	check(pthread_mutex_unlock(&refs_lock), "pthread_mutex_unlock");
	stage_reach(&st, worker + 1);	/* staging: "I have dropped" */
	stage_wait(&st, 2);		/* staging: as in the exercise, both go on together */
	if (left == 0) {
		printf("config v%d released\n", c->version);
		free(c);
	}
}

static void *worker(void *arg)
{
	struct job *job = arg;
	struct config *c = job->config;

	job->config = NULL;		/* the reference is the worker's now */
	printf("worker %d serving with config v%d\n", job->n, c->version);
	config_put(c, job->n);
	return NULL;
}

int main(int argc, char **argv)
{
	struct config *c;
	struct job job[2];
	pthread_t t[2];
	int version = argc > 1 ? atoi(argv[1]) : 7;

	if (argc > 2 || version < 1) {
		fprintf(stderr, "usage: refcount [VERSION, 1 or more]\n");
		return 2;
	}
	c = malloc(sizeof(*c));
	if (!c) {
		perror("refcount: malloc");
		return 1;
	}
	c->refs = 2;			/* one reference for each worker */
	c->version = version;
	for (int i = 0; i < 2; i++) {
		job[i].config = c;
		job[i].n = i;
		check(pthread_create(&t[i], NULL, worker, &job[i]), "pthread_create");
	}
	c = NULL;			/* main keeps no reference of its own */
	for (int i = 0; i < 2; i++)
		check(pthread_join(t[i], NULL), "pthread_join");
	printf("workers done\n");
	return 0;
}
