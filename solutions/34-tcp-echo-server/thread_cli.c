/*
 * The echo server's client: given, correct, not to be edited.
 *
 * Usage: [ECHO_DELAY_MS=LO-HI] thread_cli HOST PORT [N]
 *
 * N threads (1 to 16, default 8) at once each connect, wait a random LO to
 * HI ms (default 1000-5000, the course's 1 to 5 s), send "hello from client
 * I", print the reply and hang up. Exits 0 only if all N replies start with
 * "ACK".
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCLIENTS 16

/* written by main before any thread starts, then only read */
static struct sockaddr_in server;
static long delay_lo = 1000, delay_hi = 5000;
static unsigned seed0;

/* Reports a failed call of client id; returns 0, "no reply". The threads
 * print with dprintf: one write per line, no stdio buffer shared. */
static int warn(int id, const char *what)
{
	dprintf(STDERR_FILENO, "client %d: %s: %s\n", id, what, strerror(errno));
	return 0;
}

/* one exchange on a connected socket; 1 when the server answered ACK */
static int talk(int sock, int id)
{
	unsigned seed = seed0 ^ (unsigned)id;	/* rand_r: no state shared with the other threads */
	long ms = delay_lo + rand_r(&seed) % (delay_hi - delay_lo + 1);
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	char msg[64], reply[128];
	size_t len;
	ssize_t n = 0;

	while (nanosleep(&ts, &ts))
		if (errno != EINTR)
			return warn(id, "nanosleep");
	len = snprintf(msg, sizeof(msg), "hello from client %d\n", id);
	if (send(sock, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
		return warn(id, "send");
	for (len = 0; len < sizeof(reply) - 1 && !memchr(reply, '\n', len); len += n)
		if ((n = read(sock, reply + len, sizeof(reply) - 1 - len)) <= 0)
			break;
	if (n < 0)
		return warn(id, "read");
	reply[len] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	dprintf(STDOUT_FILENO, "client %d: %s\n", id, len ? reply : "no reply, the server hung up");
	return strncmp(reply, "ACK", 3) == 0;
}

static void *client(void *arg)
{
	int id = (int)(intptr_t)arg, ok = 0;
	int sock = socket(AF_INET, SOCK_STREAM, 0);

	if (sock < 0)
		return (void *)(intptr_t)warn(id, "socket");
	if (connect(sock, (struct sockaddr *)&server, sizeof(server)))
		warn(id, "connect");
	else
		ok = talk(sock, id);
	if (close(sock))
		ok = warn(id, "close");
	return (void *)(intptr_t)ok;
}

int main(int argc, char **argv)
{
	const char *delay = getenv("ECHO_DELAY_MS");
	pthread_t tid[MAXCLIENTS];
	char *end = NULL;
	long port = argc >= 3 && argc <= 4 ? strtol(argv[2], &end, 10) : 0;
	int i, rc, replies = 0, clients = argc == 4 ? atoi(argv[3]) : 8;
	void *ok;

	server.sin_family = AF_INET;
	server.sin_port = htons(port);
	if (argc < 3 || argc > 4 || *end || port < 1 || port > 65535 ||
	    inet_pton(AF_INET, argv[1], &server.sin_addr) != 1 ||
	    clients < 1 || clients > MAXCLIENTS) {
		fprintf(stderr, "usage: thread_cli HOST PORT [N] (HOST an IPv4 address, N from 1 to %d)\n",
			MAXCLIENTS);
		return 2;
	}
	if (delay && (sscanf(delay, "%ld-%ld%n", &delay_lo, &delay_hi, &i) != 2 || delay[i] ||
		      delay_lo < 0 || delay_hi < delay_lo || delay_hi > 600000)) {
		fprintf(stderr, "client: ECHO_DELAY_MS must be LO-HI in milliseconds, e.g. 1000-5000\n");
		return 2;
	}
	seed0 = (unsigned)time(NULL);
	for (i = 0; i < clients; i++)
		if ((rc = pthread_create(&tid[i], NULL, client, (void *)(intptr_t)(i + 1)))) {
			fprintf(stderr, "client: pthread_create: %s\n", strerror(rc));
			return 1;
		}
	for (i = 0; i < clients; i++) {
		if ((rc = pthread_join(tid[i], &ok))) {
			fprintf(stderr, "client: pthread_join: %s\n", strerror(rc));
			return 1;
		}
		replies += ok != NULL;
	}
	printf("client: %d of %d replies\n", replies, clients);
	return replies == clients ? 0 : 1;
}
