/*
 * Not hostile: a forked child ends with _exit(), as a child should (it
 * must not run its parent's exit handlers or flush its parent's buffers),
 * and the parent returns from main. No tamper: racelab judges only the
 * processes it started.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		_exit(7);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		perror("waitpid");
		return 1;
	}
	printf("%d\n", WEXITSTATUS(status));
	return 0;
}
