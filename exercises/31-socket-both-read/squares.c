/*
 * A client and a server that both wait for the other to speak first.
 *
 * Usage: squares COUNT
 *
 * The server (the parent) and its client (a forked child) talk over a
 * Unix-domain socket pair, one line at a time. The server's protocol is
 * "the client asks, the server answers": it reads a number and writes back
 * its square, until the client hangs up. The client asks for the squares of
 * 1 to COUNT and prints them on one line.
 *
 * The client was first written for an older server that sent "ready"
 * before each question, and it still waits for that line. The new server
 * sends nothing until it is asked.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* err is an errno value, or 0 for a broken protocol */
static void fail(const char *what, int err)
{
	fprintf(stderr, "squares: %s%s%s\n", what, err ? ": " : "", err ? strerror(err) : "");
	exit(1);
}

/* One line without its newline; 0 at end of file. Byte by byte, so that
 * nothing after the newline is taken from the socket. */
static int get_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while ((r = read(fd, buf + n, 1)) == 1 && buf[n] != '\n')
		if (++n == size - 1)
			fail("line too long", 0);
	if (r < 0)
		fail("read", errno);
	buf[n] = '\0';
	if (r == 0 && n)
		fail("line cut short", 0);
	return r == 1;
}

static int server(int fd)
{
	char line[32];
	int answered = 0;

	while (get_line(fd, line, sizeof(line))) {
		long n = strtol(line, NULL, 10);

		if (dprintf(fd, "%ld\n", n * n) < 0)
			fail("write", errno);
		answered++;
	}
	return answered;
}

static void client(int fd, long count)
{
	char line[32];

	printf("squares:");
	for (long i = 1; i <= count; i++) {
		if (!get_line(fd, line, sizeof(line)))	/* <-- look here: wait for "ready" */
			fail("server hung up", 0);
		if (dprintf(fd, "%ld\n", i) < 0)
			fail("write", errno);
		if (!get_line(fd, line, sizeof(line)))
			fail("server hung up", 0);
		printf(" %s", line);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	int sv[2], status, answered;
	long count = 0;
	char *end = NULL;
	pid_t pid;

	if (argc == 2)
		count = strtol(argv[1], &end, 10);
	if (count < 1 || count > 1000 || *end) {
		fprintf(stderr, "usage: squares COUNT (a number from 1 to 1000)\n");
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		fail("socketpair", errno);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork", errno);
	if (pid == 0) {		/* the client: keeps sv[1] */
		if (close(sv[0]))
			fail("close", errno);
		client(sv[1], count);
		if (close(sv[1]))
			fail("close", errno);
		exit(0);
	}
	if (close(sv[1]))	/* the server: keeps sv[0] */
		fail("close", errno);
	answered = server(sv[0]);
	if (close(sv[0]))
		fail("close", errno);
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid", errno);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "squares: the client failed\n");
		return 1;
	}
	printf("server answered %d questions\n", answered);
	return 0;
}
