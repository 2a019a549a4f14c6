/*
 * Worker results that nobody frees.
 *
 * Usage: results WORKERS N
 *
 * A survey office splits the numbers 1..N among WORKERS threads. Each
 * worker adds up the squares of its share, writes the sum into a result it
 * allocates, and hands the result back through pthread_join. The report
 * is right every time, yet every run leaves one allocation per worker
 * behind. In a long-running server that does this per request, memory
 * grows until the machine runs out.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct task {
	long from, to;		/* the numbers from..to-1 */
};

struct result {
	long count;
	long long sum_of_squares;
};

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "results: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static long parse_arg(const char *s, const char *name, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max) {
		fprintf(stderr, "results: %s must be a number from 1 to %ld, not '%s'\n",
			name, max, s);
		exit(2);
	}
	return v;
}

static void *worker(void *arg)
{
	const struct task *t = arg;
	struct result *r = malloc(sizeof(*r));

	if (!r)
		return NULL;
	r->count = t->to - t->from;
	r->sum_of_squares = 0;
	for (long i = t->from; i < t->to; i++)
		r->sum_of_squares += (long long)i * i;
	return r;
}

/* Wait for worker i and add its result to the totals. */
static void collect(pthread_t tid, long i, long *count, long long *total)
{
	struct result *r;

	check(pthread_join(tid, (void **)&r), "pthread_join");
	if (!r) {
		fprintf(stderr, "results: worker %ld: out of memory\n", i);
		exit(1);
	}
	printf("worker %ld: %ld numbers, sum of squares %lld\n", i, r->count,
	       r->sum_of_squares);
	*count += r->count;
	*total += r->sum_of_squares;
	free(r);
}

int main(int argc, char **argv)
{
	long nworkers, n, count = 0;
	long long total = 0;
	pthread_t tid[64];
	struct task task[64];

	if (argc != 3) {
		fprintf(stderr, "usage: results WORKERS N\n");
		return 2;
	}
	nworkers = parse_arg(argv[1], "WORKERS", 64);
	n = parse_arg(argv[2], "N", 1000000);

	for (long i = 0; i < nworkers; i++) {
		task[i].from = 1 + n * i / nworkers;
		task[i].to = 1 + n * (i + 1) / nworkers;
		check(pthread_create(&tid[i], NULL, worker, &task[i]), "pthread_create");
	}
	for (long i = 0; i < nworkers; i++)
		collect(tid[i], i, &count, &total);
	printf("results: %ld numbers, sum of squares %lld\n", count, total);
	return 0;
}
