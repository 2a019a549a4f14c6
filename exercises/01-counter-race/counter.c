/*
 * Lost updates on a shared counter.
 *
 * Usage: counter THREADS ITERATIONS
 *
 * The ticket office of a small theatre sells tickets at several windows at
 * once. Every window is a thread, and every ticket sold adds one to the
 * global count of tickets sold. With 4 windows selling 20000 tickets each,
 * the office should have sold 80000 tickets, yet the total often comes out
 * short, by a different amount every evening.
 *
 * All threads are started before any is joined, so nothing orders one
 * window's updates against another's.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long counter;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "counter: %s: %s\n", what, strerror(rc));
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
		fprintf(stderr, "counter: %s must be a number from 1 to %ld, not '%s'\n",
			name, max, s);
		exit(2);
	}
	return v;
}

static void *worker(void *arg)
{
	long iterations = *(const long *)arg;

	for (long i = 0; i < iterations; i++)
		counter++;	/* <-- look here */
	return NULL;
}

int main(int argc, char **argv)
{
	long nthreads, iterations;
	pthread_t *tid;

	if (argc != 3) {
		fprintf(stderr, "usage: counter THREADS ITERATIONS\n");
		return 2;
	}
	nthreads = parse_arg(argv[1], "THREADS", 64);
	iterations = parse_arg(argv[2], "ITERATIONS", 100000000);

	tid = calloc(nthreads, sizeof(*tid));
	if (!tid) {
		perror("counter: calloc");
		return 1;
	}
	for (long i = 0; i < nthreads; i++)
		check(pthread_create(&tid[i], NULL, worker, &iterations), "pthread_create");
	for (long i = 0; i < nthreads; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");
	free(tid);

	printf("counter = %ld\n", counter);
	return 0;
}
