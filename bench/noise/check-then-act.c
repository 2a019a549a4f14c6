/*
 * An atomicity violation: each withdrawal checks the balance under the
 * lock, lets go, and withdraws under the lock again. Two withdrawals of
 * 60 from 100 both pass the check only when one falls between the
 * other's two critical sections.
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int balance = 100;

static void *withdraw(void *arg)
{
	int enough;

	pthread_mutex_lock(&lock);
	enough = balance >= 60;
	pthread_mutex_unlock(&lock);
	if (enough) {
		pthread_mutex_lock(&lock);
		balance -= 60;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

int main(void)
{
	pthread_t x, y;

	pthread_create(&x, NULL, withdraw, NULL);
	pthread_create(&y, NULL, withdraw, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	assert(balance >= 0);
	return 0;
}
