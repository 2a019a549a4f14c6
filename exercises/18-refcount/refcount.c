/*
 * A reference count that loses a decrement.
 *
 * Usage: refcount [VERSION]   the configuration's version (default 7)
 *
 * A server loads its configuration into one shared object and hands it to
 * two worker threads. Each worker holds one reference and drops it when it
 * is done; whoever drops the last one frees the object and says so. The
 * count is a plain int, and `--c->refs` is three steps: load, subtract,
 * store. config_put writes those steps out so that the staging can sit
 * between them, where a preemption could land in the real program.
 *
 * The staging (stage.h, which creates no happens-before) makes both workers
 * load refs == 2 before either stores: both store 1, neither sees 0, and
 * the configuration is never freed. Every run, not one in a thousand.
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

static stage_t st = STAGE_INIT;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "refcount: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/*
 * Drop one reference; the last one frees the configuration. This is
 * `if (--c->refs == 0)` with its load and its store written apart.
 */
static void config_put(struct config *c, int worker)
{
	int left;

	if (worker == 1)
		stage_wait(&st, 1);	/* staging: worker 1 loads after worker 0 */
	left = c->refs - 1;		/* <-- look here */
	stage_reach(&st, worker + 1);	/* staging: "I have loaded" */
	stage_wait(&st, 2);		/* staging: nobody stores before both loaded */
	c->refs = left;
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
