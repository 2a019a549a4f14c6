/*
 * After SV-COMP's pthread reorder_3_bad: setters write a = 1 and then
 * b = -1, each in a critical section of its own; checkers assert they
 * never see the first write without the second. Wrong only when a
 * checker runs between a setter's two sections. The checkers are
 * started after the setters, which a plain run finds done.
 */
#include <assert.h>
#include <pthread.h>

#define SETTERS 2
#define CHECKERS 1

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int a, b;

static void *setter(void *arg)
{
	pthread_mutex_lock(&lock);
	a = 1;
	pthread_mutex_unlock(&lock);
	pthread_mutex_lock(&lock);
	b = -1;
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *checker(void *arg)
{
	pthread_mutex_lock(&lock);
	assert((a == 0 && b == 0) || (a == 1 && b == -1));
	pthread_mutex_unlock(&lock);
	return arg;
}

int main(void)
{
	pthread_t t[SETTERS + CHECKERS];

	for (int i = 0; i < SETTERS; i++)
		pthread_create(&t[i], NULL, setter, NULL);
	for (int i = SETTERS; i < SETTERS + CHECKERS; i++)
		pthread_create(&t[i], NULL, checker, NULL);
	for (int i = 0; i < SETTERS + CHECKERS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
