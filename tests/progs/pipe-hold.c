/*
 * A reader blocked on a pipe, and who holds the write end (tests/test_pipes.c):
 *   self    the reader holds a write end itself;
 *   parent  a child reads, the parent holds a write end and waits for it;
 *   writer  a child reads, the parent holds a write end and sleeps (it may
 *           still write: no leak to report).
 * alarm(8) bounds every run.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd[2];
	char c;
	pid_t pid;

	alarm(8);
	if (argc != 2 || pipe(fd) < 0)
		return 2;
	if (!strcmp(argv[1], "self"))
		return (int)read(fd[0], &c, 1);
	if ((pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		close(fd[1]);
		return (int)read(fd[0], &c, 1);
	}
	if (!strcmp(argv[1], "parent"))
		return waitpid(pid, NULL, 0) < 0;
	pause();
	return 0;
}
