/*
 * Five philosophers who all hold one fork.
 *
 * Usage: dining [N]   N philosophers and N forks, 2 to 8 (default 5)
 *
 * Five philosophers sit at a round table with a fork between each two of
 * them: philosopher i has fork i on the left and fork (i+1) % 5 on the
 * right. To eat, a philosopher picks up the left fork, then the right one.
 * Each eats twice. The first meal goes well; at the second, everyone holds
 * a left fork and waits for the right one, which the neighbour holds: the
 * program hangs, using no CPU.
 *
 * The schedule is staged so that every run behaves the same. Meal 1: the
 * philosophers eat one at a time, in turn, so every pair of forks is
 * taken once without overlap. Meal 2: all sit down at once; after taking
 * its first fork each philosopher waits, at most HOLD_MS, until all five
 * hold one. The wait is bounded because a philosopher who cannot take its
 * first fork never sits down, and the others must not wait for it forever.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXN 8
#define HOLD_MS 500

static int seats = 5;		/* philosophers, and forks: set by main */
static pthread_mutex_t fork_lock[MAXN];
static int meals[MAXN];		/* philosopher i's meals, written only by i */
static sem_t turn[MAXN];	/* meal 1: philosopher i may eat */
static pthread_barrier_t table;	/* meal 2 starts when everyone has had meal 1 */
static sem_t held[MAXN];	/* meal 2: i holds its first fork; a token per other */

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "dining: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/* Say we hold our first fork; give the others HOLD_MS to take theirs. */
static void sit_down(int i)
{
	struct timespec until;

	for (int k = 0; k < seats - 1; k++)
		if (sem_post(&held[i]))
			check(errno, "sem_post");
	if (clock_gettime(CLOCK_REALTIME, &until))
		check(errno, "clock_gettime");
	until.tv_nsec += HOLD_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	for (int j = 0; j < seats; j++)
		if (j != i && sem_timedwait(&held[j], &until) && errno != ETIMEDOUT)
			check(errno, "sem_timedwait");
}

static void eat(int i, int meal)
{
	int left = i, right = (i + 1) % seats;

	check(pthread_mutex_lock(&fork_lock[left]), "pthread_mutex_lock");
	if (meal == 2)
		sit_down(i);
	check(pthread_mutex_lock(&fork_lock[right]), "pthread_mutex_lock");	/* <-- look here */
	meals[i]++;
	check(pthread_mutex_unlock(&fork_lock[right]), "pthread_mutex_unlock");
	check(pthread_mutex_unlock(&fork_lock[left]), "pthread_mutex_unlock");
}

static void *philosopher(void *arg)
{
	int i = (int)(long)arg;
	int rc;

	/* Meal 1: one at a time, philosopher 0 first. */
	if (sem_wait(&turn[i]))
		check(errno, "sem_wait");
	eat(i, 1);
	if (i + 1 < seats && sem_post(&turn[i + 1]))
		check(errno, "sem_post");
	rc = pthread_barrier_wait(&table);
	if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
		check(rc, "pthread_barrier_wait");
	eat(i, 2);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tid[MAXN];
	int total = 0;

	if (argc > 1)
		seats = atoi(argv[1]);
	if (argc > 2 || seats < 2 || seats > MAXN) {
		fprintf(stderr, "usage: dining [N, 2 to %d]\n", MAXN);
		return 2;
	}

	for (int i = 0; i < seats; i++)
		check(pthread_mutex_init(&fork_lock[i], NULL), "pthread_mutex_init");
	for (int i = 0; i < seats; i++)
		if (sem_init(&turn[i], 0, i == 0) || sem_init(&held[i], 0, 0))
			check(errno, "sem_init");
	check(pthread_barrier_init(&table, NULL, seats), "pthread_barrier_init");
	for (long i = 0; i < seats; i++)
		check(pthread_create(&tid[i], NULL, philosopher, (void *)i), "pthread_create");
	for (int i = 0; i < seats; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");

	for (int i = 0; i < seats; i++)
		total += meals[i];
	printf("%d philosophers ate %d meals\n", seats, total);
	return 0;
}
