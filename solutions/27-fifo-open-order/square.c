/*
 * A server and a client that each wait for the other to open a FIFO.
 *
 * Usage: square NUMBER
 *
 * A server (the parent) and its client (a forked child) talk through two
 * named pipes in the current directory: the client sends NUMBER on
 * "requests", the server answers its square on "replies". Each process
 * opens the FIFO it reads from first, then the one it writes to. Nothing
 * is ever sent: both processes stay in open() forever.
 *
 * Opening a FIFO blocks until its other end is opened too: for reading,
 * until some process opens it for writing, and the other way round.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define REQUESTS "requests"
#define REPLIES "replies"

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "square: %s: %s\n", what, strerror(errno));
	exit(1);
}

static FILE *open_fifo(const char *path, int flags)
{
	int fd = open(path, flags);
	FILE *f = fd < 0 ? NULL : fdopen(fd, flags == O_RDONLY ? "r" : "w");

	if (!f)
		die(path);
	return f;
}

static void client(long number)
{
	/* Open in the server's order: requests first, then replies. */
	FILE *requests = open_fifo(REQUESTS, O_WRONLY);
	FILE *replies = open_fifo(REPLIES, O_RDONLY);
	long answer;

	if (fprintf(requests, "%ld\n", number) < 0 || fclose(requests) ||
	    fscanf(replies, "%ld", &answer) != 1 || fclose(replies))
		_exit(1);
	printf("%ld squared is %ld\n", number, answer);
	_exit(fflush(stdout) ? 1 : 0);
}

static void server(void)
{
	FILE *requests = open_fifo(REQUESTS, O_RDONLY);
	FILE *replies = open_fifo(REPLIES, O_WRONLY);
	long number;

	if (fscanf(requests, "%ld", &number) != 1 || fclose(requests))
		die("reading the request");
	if (fprintf(replies, "%ld\n", number * number) < 0 || fclose(replies))
		die("sending the reply");
}

int main(int argc, char **argv)
{
	long number;
	char *end;
	int status;
	pid_t pid;

	errno = 0;
	number = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || labs(number) > 1000000) {
		fprintf(stderr, "usage: square NUMBER (at most 1000000 either way)\n");
		return 2;
	}
	/* Names left by an earlier run that was killed are in the way. */
	if ((unlink(REQUESTS) && errno != ENOENT) || (unlink(REPLIES) && errno != ENOENT))
		die("unlink");
	if (mkfifo(REQUESTS, 0600) || mkfifo(REPLIES, 0600))
		die("mkfifo");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		client(number);

	server();
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "square: the client failed\n");
		return 1;
	}
	if (unlink(REQUESTS) || unlink(REPLIES))
		die("unlink");
	return 0;
}
