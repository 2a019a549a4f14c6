/*
 * A refused withdrawal that keeps the account locked.
 *
 * Usage: account BALANCE AMOUNT...
 *
 * A bank account starts with BALANCE. Every AMOUNT is a customer at the
 * counter, served by a thread of its own: withdraw() takes the amount from
 * the account, or refuses it when the balance is too low. Every customer
 * who asks for less than the balance is served well, and one who asks for
 * too much is refused; but after the refusal the bank freezes: the other
 * customers and the final statement wait forever, using no CPU.
 *
 * The refused customer's thread has long ended; what it left behind is the
 * account lock, still taken, that nobody will ever release.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CUSTOMERS 64

struct account {
	pthread_mutex_t lock;
	long balance;
	long refused;		/* withdrawals refused for lack of money */
};

struct customer {
	struct account *acct;
	long amount;
};

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "account: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static long parse_arg(const char *s, const char *name)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1000000) {
		fprintf(stderr, "account: %s must be a number from 1 to 1000000, not '%s'\n",
			name, s);
		exit(2);
	}
	return v;
}

/* Take amount from the account; -1 if the balance is too low. */
static int withdraw(struct account *a, long amount)
{
	check(pthread_mutex_lock(&a->lock), "pthread_mutex_lock");
	if (a->balance < amount) {
		a->refused++;
		return -1;	/* <-- look here */
	}
	a->balance -= amount;
	check(pthread_mutex_unlock(&a->lock), "pthread_mutex_unlock");
	return 0;
}

static void *serve(void *arg)
{
	struct customer *c = arg;

	withdraw(c->acct, c->amount);
	return NULL;
}

int main(int argc, char **argv)
{
	struct account acct = { .refused = 0 };
	struct customer c[MAX_CUSTOMERS];
	pthread_t tid[MAX_CUSTOMERS];
	int n = argc - 2;

	if (argc < 3 || n > MAX_CUSTOMERS) {
		fprintf(stderr, "usage: account BALANCE AMOUNT... (at most %d amounts)\n",
			MAX_CUSTOMERS);
		return 2;
	}
	acct.balance = parse_arg(argv[1], "BALANCE");
	check(pthread_mutex_init(&acct.lock, NULL), "pthread_mutex_init");
	for (int i = 0; i < n; i++) {
		c[i].acct = &acct;
		c[i].amount = parse_arg(argv[i + 2], "AMOUNT");
		check(pthread_create(&tid[i], NULL, serve, &c[i]), "pthread_create");
	}
	for (int i = 0; i < n; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");

	check(pthread_mutex_lock(&acct.lock), "pthread_mutex_lock");
	printf("balance = %ld, refused %ld\n", acct.balance, acct.refused);
	check(pthread_mutex_unlock(&acct.lock), "pthread_mutex_unlock");
	return 0;
}
