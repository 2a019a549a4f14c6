/*
 * Two zombies, one a bug of its own and one a consequence of the hang
 * (tests/test_watch.c). The first child ends at once and the parent goes
 * on without waiting, blocked reading standard input, until the test has
 * seen that child a zombie and writes a byte; then the parent reaps it,
 * forks a second child that ends at once, and blocks reading standard
 * input for good: a deadlock, with the second child still unreaped.
 * alarm(8) bounds the program if the watch misses it.
 */
#include <sys/wait.h>
#include <unistd.h>

static pid_t child_that_ends(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return pid;
}

int main(void)
{
	pid_t first;
	char c;

	alarm(8);
	if ((first = child_that_ends()) < 0)
		return 1;
	if (read(0, &c, 1) != 1)	/* the test saw the first zombie */
		return 1;
	if (waitpid(first, NULL, 0) != first || child_that_ends() < 0)
		return 1;
	return (int)read(0, &c, 1);	/* never written: stuck for good */
}
