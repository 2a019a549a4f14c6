/*
 * Two stages, two locks: the writer publishes stage 1 under `a`, then
 * stage 2 under `b`; a reader that sees stage 1 assumes stage 2 is done.
 * Wrong only when the reader runs between the writer's two stages: a
 * window of a few instructions, which a plain run almost never hits
 * (the writer, started first, is done before the reader starts).
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int stage1, stage2;

static void *writer(void *arg)
{
	pthread_mutex_lock(&a);
	stage1 = 1;
	pthread_mutex_unlock(&a);
	pthread_mutex_lock(&b);
	stage2 = stage1 + 1;
	pthread_mutex_unlock(&b);
	return arg;
}

static void *reader(void *arg)
{
	pthread_mutex_lock(&a);
	if (stage1) {
		pthread_mutex_lock(&b);
		assert(stage2 == 2);
		pthread_mutex_unlock(&b);
	}
	pthread_mutex_unlock(&a);
	return arg;
}

int main(void)
{
	pthread_t w, r;

	pthread_create(&w, NULL, writer, NULL);
	pthread_create(&r, NULL, reader, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	return 0;
}
