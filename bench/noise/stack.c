/*
 * After SV-COMP's pthread stack_bad: a pusher pushes N items, a popper
 * pops N, and the popper trusts that an item is there because the pusher
 * started first. Pops that overtake the pushes underflow the stack; a
 * plain run's pusher, started first, is always ahead.
 */
#include <assert.h>
#include <pthread.h>

#define N 5

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int stack[N], top;

static void *pusher(void *arg)
{
	for (int i = 0; i < N; i++) {
		pthread_mutex_lock(&lock);
		stack[top++] = i;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void *popper(void *arg)
{
	for (int i = 0; i < N; i++) {
		pthread_mutex_lock(&lock);
		assert(top > 0);
		top--;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

int main(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, pusher, NULL);
	pthread_create(&b, NULL, popper, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
