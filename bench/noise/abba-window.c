/*
 * A lock-order inversion that hangs only when the second thread takes its
 * first lock while the first thread holds only its own: the first thread,
 * started earlier, is normally done before the second begins.
 */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void *ab(void *arg)
{
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	total++;
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	return arg;
}

static void *ba(void *arg)
{
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a);
	total++;
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	return arg;
}

int main(void)
{
	pthread_t x, y;

	pthread_create(&x, NULL, ab, NULL);
	pthread_create(&y, NULL, ba, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	return total != 2;
}
