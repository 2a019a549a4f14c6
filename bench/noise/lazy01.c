/*
 * After SV-COMP's pthread lazy01_bad: two threads add 1 and 2 to a
 * counter under a lock, a third asserts the counter never reached 3.
 * The checker is started first (the benchmark starts it last, which a
 * plain run already fails), so it fails only when both adders run before
 * the checker takes the lock.
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int data;

static void *add1(void *arg)
{
	pthread_mutex_lock(&lock);
	data += 1;
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *add2(void *arg)
{
	pthread_mutex_lock(&lock);
	data += 2;
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *checker(void *arg)
{
	pthread_mutex_lock(&lock);
	assert(data < 3);
	pthread_mutex_unlock(&lock);
	return arg;
}

int main(void)
{
	pthread_t c, a, b;

	pthread_create(&c, NULL, checker, NULL);
	pthread_create(&a, NULL, add1, NULL);
	pthread_create(&b, NULL, add2, NULL);
	pthread_join(c, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
