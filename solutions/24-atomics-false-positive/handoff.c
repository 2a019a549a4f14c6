/*
 * A correct hand-off that two checkers call a race.
 *
 * A producer thread computes a value into a plain global, then raises a
 * flag with a C11 release store. A consumer thread spins until it sees the
 * flag with an acquire load, then reads the value. The release store and
 * the acquire load that reads it order the write of the value before the
 * read: this program is correct, on every machine, and prints 42 every run.
 *
 * ThreadSanitizer agrees. Helgrind and DRD report a data race on the value.
 * Who is right?
 *
 * The spin yields the processor, so that under Valgrind (which runs one
 * thread at a time) the producer gets to run.
 *
 * Usage: handoff [VALUE]   the value handed over (default 42)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int data;			/* plain: handed over by the flag */
static atomic_int ready;
static int value = 42;			/* what the producer computes: set by main */

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "handoff: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void *producer(void *arg)
{
	(void)arg;
	data = value;
	atomic_store_explicit(&ready, 1, memory_order_release);
	return NULL;
}

static void *consumer(void *arg)
{
	int *seen = arg;

	while (!atomic_load_explicit(&ready, memory_order_acquire))
		sched_yield();
	*seen = data;			/* <-- look here */
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t p, c;
	int seen = 0;
	char *end = NULL;

	if (argc > 1)
		value = (int)strtol(argv[1], &end, 10);
	if (argc > 2 || (end && (end == argv[1] || *end))) {
		fprintf(stderr, "usage: handoff [VALUE, a whole number]\n");
		return 2;
	}

	check(pthread_create(&c, NULL, consumer, &seen), "pthread_create");
	check(pthread_create(&p, NULL, producer, NULL), "pthread_create");
	check(pthread_join(p, NULL), "pthread_join");
	check(pthread_join(c, NULL), "pthread_join");
	printf("consumer read %d\n", seen);
	return 0;
}
