/*
 * Two withdrawals that both pass the balance check.
 *
 * A joint account holds 100. Two cash machines serve its two owners at the
 * same moment, each asking for 60. The account is "thread-safe": every
 * function that touches the balance takes the account's lock. Yet both
 * machines pay out and the balance ends at -20.
 *
 * Each access is locked, so no access races with another and no race
 * detector has anything to report. The bug is in what happens *between*
 * two locked steps: the answer to "is there enough money?" is stale by the
 * time the money is taken.
 *
 * The schedule is staged (stage.h) so that every run behaves the same:
 * machine 0 looks at the balance, then machine 1 looks, then both act on
 * what they saw.
 *
 * Usage: atm [AMOUNT]   each owner asks for AMOUNT, 1 to 100 (default 60)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage.h"

struct machine {
	int n;
	int paid;
};

static long balance = 100;
static long request = 60;		/* each owner's request: set by main, then only read */
static pthread_mutex_t account_lock = PTHREAD_MUTEX_INITIALIZER;
static stage_t st = STAGE_INIT;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "atm: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/* Does the account hold at least amount? */
static int covers(long amount)
{
	int ok;

	check(pthread_mutex_lock(&account_lock), "pthread_mutex_lock");
	ok = balance >= amount;
	check(pthread_mutex_unlock(&account_lock), "pthread_mutex_unlock");
	return ok;
}

static void take(long amount)
{
	check(pthread_mutex_lock(&account_lock), "pthread_mutex_lock");
	balance -= amount;
	check(pthread_mutex_unlock(&account_lock), "pthread_mutex_unlock");
}

static void *machine(void *arg)
{
	struct machine *m = arg;
	int ok;

	if (m->n == 1)
		stage_wait(&st, 1);	/* machine 1 looks after machine 0 */
	ok = covers(request);
	stage_reach(&st, m->n + 1);
	stage_wait(&st, 2);		/* both have looked before either acts */
	if (ok)
		take(request);		/* <-- look here */
	m->paid = ok;
	return NULL;
}

int main(int argc, char **argv)
{
	struct machine m[2] = { { .n = 0 }, { .n = 1 } };
	pthread_t t[2];
	long paid = 0;

	if (argc > 1)
		request = atol(argv[1]);
	if (argc > 2 || request < 1 || request > 100) {
		fprintf(stderr, "usage: atm [AMOUNT, 1 to 100]\n");
		return 2;
	}

	for (int i = 0; i < 2; i++)
		check(pthread_create(&t[i], NULL, machine, &m[i]), "pthread_create");
	for (int i = 0; i < 2; i++) {
		check(pthread_join(t[i], NULL), "pthread_join");
		paid += m[i].paid ? request : 0;
	}
	printf("paid out %ld, balance %ld\n", paid, balance);
	return 0;
}
