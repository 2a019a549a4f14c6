/*
 * After SV-COMP's pthread account_bad: a deposit and a withdrawal run in
 * threads of their own, and a third thread checks the final balance as
 * if both were done. It is created last, so a plain run finds them done;
 * it fails only when the deposit or the withdrawal starts late.
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int balance = 100;

static void *deposit(void *arg)
{
	pthread_mutex_lock(&lock);
	balance += 50;
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *withdraw(void *arg)
{
	pthread_mutex_lock(&lock);
	balance -= 30;
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *check(void *arg)
{
	pthread_mutex_lock(&lock);
	assert(balance == 120);
	pthread_mutex_unlock(&lock);
	return arg;
}

int main(void)
{
	pthread_t d, w, c;

	pthread_create(&d, NULL, deposit, NULL);
	pthread_create(&w, NULL, withdraw, NULL);
	pthread_create(&c, NULL, check, NULL);
	pthread_join(d, NULL);
	pthread_join(w, NULL);
	pthread_join(c, NULL);
	return 0;
}
