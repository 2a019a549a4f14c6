/*
 * Two polite philosophers who never eat.
 *
 * Usage: forks MEALS
 *
 * Two philosophers share a table with two forks, and eating takes both.
 * In every round each philosopher picks up their first fork if it is free,
 * then reaches for the second. Being polite, one who finds the second fork
 * taken puts the first back down and tries again next round. Each wants to
 * eat MEALS times. They are busy all evening, and nobody ever eats.
 *
 * A barrier keeps the rounds in lock step: both philosophers reach for
 * their first fork at the same moment, then both for their second, then
 * both put down what they hold. That makes every run the same; real
 * programs drift in and out of lock step by chance, which is why such
 * bugs come and go.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct philosopher {
	int eaten;
	pthread_mutex_t *first, *second;
};

static pthread_mutex_t forks[2];
static struct philosopher phil[2] = {
	{ 0, &forks[0], &forks[1] },
	{ 0, &forks[1], &forks[0] },	/* <-- look here */
};
static pthread_barrier_t step;
static int meals;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "forks: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void wait_step(void)
{
	int rc = pthread_barrier_wait(&step);

	check(rc == PTHREAD_BARRIER_SERIAL_THREAD ? 0 : rc, "pthread_barrier_wait");
}

/* Pick up a fork if it is free: 1 when we got it. */
static int try_fork(pthread_mutex_t *fork)
{
	int rc = pthread_mutex_trylock(fork);

	check(rc == EBUSY ? 0 : rc, "pthread_mutex_trylock");
	return rc == 0;
}

static void *dine(void *arg)
{
	struct philosopher *p = arg;

	for (;;) {
		int got_first = 0, got_second = 0;

		wait_step();	/* a round starts: both see the same meal counts */
		if (phil[0].eaten == meals && phil[1].eaten == meals)
			return NULL;
		if (p->eaten < meals)
			got_first = try_fork(p->first);
		wait_step();	/* both have reached for their first fork */
		if (got_first)
			got_second = try_fork(p->second);
		wait_step();	/* both have reached for their second fork */
		if (got_second) {
			p->eaten++;
			check(pthread_mutex_unlock(p->second), "pthread_mutex_unlock");
		}
		if (got_first)	/* put it back down, politely */
			check(pthread_mutex_unlock(p->first), "pthread_mutex_unlock");
	}
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	char *end;

	errno = 0;
	meals = argc == 2 ? (int)strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || meals < 1 || meals > 1000) {
		fprintf(stderr, "usage: forks MEALS (a number from 1 to 1000)\n");
		return 2;
	}
	for (int i = 0; i < 2; i++)
		check(pthread_mutex_init(&forks[i], NULL), "pthread_mutex_init");
	check(pthread_barrier_init(&step, NULL, 2), "pthread_barrier_init");
	for (int i = 0; i < 2; i++)
		check(pthread_create(&t[i], NULL, dine, &phil[i]), "pthread_create");
	for (int i = 0; i < 2; i++)
		check(pthread_join(t[i], NULL), "pthread_join");

	printf("both ate %d meals\n", meals);
	return 0;
}
