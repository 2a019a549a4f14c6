/*
 * After SV-COMP's pthread carter01_bad: two threads take two locks in
 * opposite orders, but the second only after a first stage of its own
 * under the first lock; the cycle closes only when the first thread
 * still holds its outer lock as the second reaches its inner one.
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, l = PTHREAD_MUTEX_INITIALIZER;
static int A, B;

static void *t1(void *arg)
{
	pthread_mutex_lock(&m);
	A++;
	if (A == 1) {
		pthread_mutex_lock(&l);
		B++;
		pthread_mutex_unlock(&l);
	}
	pthread_mutex_unlock(&m);
	return arg;
}

static void *t2(void *arg)
{
	for (int i = 0; i < 8; i++) {	/* the first stage: t1 is done by its end */
		pthread_mutex_lock(&l);
		B--;
		pthread_mutex_unlock(&l);
	}
	pthread_mutex_lock(&l);
	pthread_mutex_lock(&m);
	A--;
	pthread_mutex_unlock(&m);
	pthread_mutex_unlock(&l);
	return arg;
}

int main(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, t1, NULL);
	pthread_create(&b, NULL, t2, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
