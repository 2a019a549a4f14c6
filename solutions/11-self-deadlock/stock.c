/*
 * A stock that locks itself out.
 *
 * Usage: stock CLERKS DELIVERIES
 *
 * A shop keeps its stock on a few shelves behind one lock. Several clerks
 * put deliveries on the shelves at once; each delivery also records the
 * largest stock the shop ever held, which it computes with total(), the
 * same function the shop uses everywhere to count its stock. The first
 * delivery never finishes: the program hangs, using no CPU.
 *
 * total() takes the stock lock, and restock() already holds it. A default
 * pthread mutex is not recursive: the second lock by the same thread waits
 * for the lock to be released, which only that thread could do.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHELVES 4

struct stock {
	pthread_mutex_t lock;
	long items[SHELVES];
	long peak;		/* the largest total ever held */
};

static struct stock shop;
static long deliveries;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "stock: %s: %s\n", what, strerror(rc));
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
		fprintf(stderr, "stock: %s must be a number from 1 to %ld, not '%s'\n",
			name, max, s);
		exit(2);
	}
	return v;
}

/* The number of items on all shelves; the caller holds s->lock. */
static long total_locked(struct stock *s)
{
	long sum = 0;

	for (int i = 0; i < SHELVES; i++)
		sum += s->items[i];
	return sum;
}

/* The number of items on all shelves. */
static long total(struct stock *s)
{
	long sum;

	check(pthread_mutex_lock(&s->lock), "pthread_mutex_lock");
	sum = total_locked(s);
	check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");
	return sum;
}

/* Put n items on a shelf and remember the largest stock held. */
static void restock(struct stock *s, int shelf, long n)
{
	long now;

	check(pthread_mutex_lock(&s->lock), "pthread_mutex_lock");
	s->items[shelf] += n;
	now = total_locked(s);
	if (now > s->peak)
		s->peak = now;
	check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");
}

static void *clerk(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < deliveries; i++)
		restock(&shop, (n + i) % SHELVES, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	long nclerks;
	pthread_t *tid;

	if (argc != 3) {
		fprintf(stderr, "usage: stock CLERKS DELIVERIES\n");
		return 2;
	}
	nclerks = parse_arg(argv[1], "CLERKS", 64);
	deliveries = parse_arg(argv[2], "DELIVERIES", 1000000);

	/* Initialized at run time, as a mutex inside a larger object usually is. */
	check(pthread_mutex_init(&shop.lock, NULL), "pthread_mutex_init");
	tid = calloc(nclerks, sizeof(*tid));
	if (!tid) {
		perror("stock: calloc");
		return 1;
	}
	for (long i = 0; i < nclerks; i++)
		check(pthread_create(&tid[i], NULL, clerk, (void *)i), "pthread_create");
	for (long i = 0; i < nclerks; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");
	free(tid);

	printf("stock = %ld items, peak %ld\n", total(&shop), shop.peak);
	return 0;
}
