/*
 * A lookup table built on first use, with double-checked locking.
 *
 * Two workers need a table of squares. Building it is "expensive", so it
 * is built only when first needed, by whichever worker comes first. To
 * avoid taking the lock on every call, get_table() first looks at the
 * pointer without the lock and takes the lock only while it is NULL: the
 * double-checked locking pattern. The output is right on this machine, and
 * the program is still wrong.
 *
 * The schedule is staged (stage.h) so that every run behaves the same:
 * worker 1 looks at the pointer just after worker 0 has stored it, while
 * worker 0 still holds the lock. The staging adds no synchronization that
 * the race detectors could see.
 *
 * Usage: lazy [N]   the workers look up N and N + 1, N 0 to 14 (default 3)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage.h"

#define SIZE 16

struct table {
	long square[SIZE];
};

struct worker {
	int n;
	long result;
};

static struct table *table;
static int first = 3;			/* worker 0 looks up first, worker 1 first + 1: set by main */
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static stage_t st = STAGE_INIT;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "lazy: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static struct table *make_table(void)
{
	struct table *t = malloc(sizeof(*t));

	if (!t) {
		perror("lazy: malloc");
		exit(1);
	}
	for (int i = 0; i < SIZE; i++)
		t->square[i] = (long)i * i;
	return t;
}

static void init_table(void)
{
	table = make_table();
	stage_reach(&st, 1);	/* stored, still inside pthread_once */
}

static struct table *get_table(void)
{
	check(pthread_once(&table_once, init_table), "pthread_once");
	return table;
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	if (w->n == 1)
		stage_wait(&st, 1);	/* worker 1 comes second */
	w->result = get_table()->square[first + w->n];
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w[2] = { { .n = 0 }, { .n = 1 } };
	pthread_t t[2];

	if (argc > 1)
		first = atoi(argv[1]);
	if (argc > 2 || first < 0 || first > SIZE - 2) {
		fprintf(stderr, "usage: lazy [N, 0 to %d]\n", SIZE - 2);
		return 2;
	}

	for (int i = 0; i < 2; i++)
		check(pthread_create(&t[i], NULL, worker, &w[i]), "pthread_create");
	for (int i = 0; i < 2; i++)
		check(pthread_join(t[i], NULL), "pthread_join");
	printf("%d squared = %ld, %d squared = %ld\n", first, w[0].result, first + 1, w[1].result);
	free(table);
	return 0;
}
