/*
 * Two transfers that wait for each other forever.
 *
 * Usage: bank AMOUNT [AMOUNT2]
 *
 * Two accounts, each with its own lock. A transfer locks the account it
 * takes money from, then the one it gives money to. Clerk 0 moves AMOUNT
 * from a to b while clerk 1 moves AMOUNT2 (default: AMOUNT) from b to a,
 * twice each. The first
 * round goes well; the second never ends.
 *
 * The schedule is staged so that every run behaves the same. Round 1: the
 * clerks take turns, so each lock order is used once without overlap.
 * Round 2: both transfer at once; after taking its first lock each clerk
 * says so and waits, at most HOLD_MS, until the other has said so too. The
 * wait is bounded because when both lock in the same order, the other clerk
 * cannot take its first lock while this one holds it, and never says so.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOLD_MS 300

struct account {
	int id;
	long balance;
	pthread_mutex_t lock;
};

struct clerk {
	int n;
	struct account *from, *to;
};

static long amount[2];		/* what clerk n moves */
static sem_t done[2];		/* round 1: clerk n finished its transfer */
static sem_t holds[2];		/* round 2: clerk n holds its first lock */

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "bank: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/* Say that we hold our first lock; give the other clerk HOLD_MS to do so. */
static void meet(struct clerk *c)
{
	struct timespec until;

	if (sem_post(&holds[c->n]) || clock_gettime(CLOCK_REALTIME, &until))
		check(errno, "sem_post/clock_gettime");
	until.tv_nsec += HOLD_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	if (sem_timedwait(&holds[1 - c->n], &until) && errno != ETIMEDOUT)
		check(errno, "sem_timedwait");
}

static void transfer(struct clerk *c, int round)
{
	/* Every clerk locks the account with the smaller id first. */
	struct account *first = c->from->id < c->to->id ? c->from : c->to;
	struct account *second = first == c->from ? c->to : c->from;

	check(pthread_mutex_lock(&first->lock), "pthread_mutex_lock");
	if (round == 2)
		meet(c);
	check(pthread_mutex_lock(&second->lock), "pthread_mutex_lock");
	c->from->balance -= amount[c->n];
	c->to->balance += amount[c->n];
	check(pthread_mutex_unlock(&second->lock), "pthread_mutex_unlock");
	check(pthread_mutex_unlock(&first->lock), "pthread_mutex_unlock");
}

/* 1 to 1000, else 0. */
static long parse_amount(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || end == s || *end || v < 1 || v > 1000 ? 0 : v;
}

static void *clerk(void *arg)
{
	struct clerk *c = arg;

	/* Round 1: clerk 1 waits for clerk 0, then clerk 0 for clerk 1. */
	if (c->n == 1 && sem_wait(&done[0]))
		check(errno, "sem_wait");
	transfer(c, 1);
	if (sem_post(&done[c->n]) || (c->n == 0 && sem_wait(&done[1])))
		check(errno, "sem_post/sem_wait");
	transfer(c, 2);
	return NULL;
}

int main(int argc, char **argv)
{
	struct account a = { .id = 1, .balance = 1000 }, b = { .id = 2, .balance = 1000 };
	struct clerk c[2] = { { 0, &a, &b }, { 1, &b, &a } };
	pthread_t t[2];

	amount[0] = argc == 2 || argc == 3 ? parse_amount(argv[1]) : 0;
	amount[1] = argc == 3 ? parse_amount(argv[2]) : amount[0];
	if (!amount[0] || !amount[1]) {
		fprintf(stderr, "usage: bank AMOUNT [AMOUNT2] (numbers from 1 to 1000)\n");
		return 2;
	}
	check(pthread_mutex_init(&a.lock, NULL), "pthread_mutex_init");
	check(pthread_mutex_init(&b.lock, NULL), "pthread_mutex_init");
	for (int i = 0; i < 2; i++)
		if (sem_init(&done[i], 0, 0) || sem_init(&holds[i], 0, 0))
			check(errno, "sem_init");
	for (int i = 0; i < 2; i++)
		check(pthread_create(&t[i], NULL, clerk, &c[i]), "pthread_create");
	for (int i = 0; i < 2; i++)
		check(pthread_join(t[i], NULL), "pthread_join");

	printf("transfers done: a = %ld, b = %ld\n", a.balance, b.balance);
	return 0;
}
