/*
 * A threaded TCP echo server, as in the course notes.
 *
 * Usage: thread_serv PORT
 *
 * It listens on 127.0.0.1:PORT and starts one thread per client, which
 * reads one line, answers "ACK <line>" and counts the client. One client at
 * a time, it works. With several at once some clients are never answered,
 * and the server keeps every connection its clients have closed.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int clnt_cnt;		/* under cnt_lock: clients served so far, by all threads */
static pthread_mutex_t cnt_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, int err)
{
	fprintf(stderr, "server: %s: %s\n", what, strerror(err));
	exit(1);
}

/* The client is counted before any socket I/O: ThreadSanitizer treats all
 * sockets as one synchronization object (a write on any socket releases it,
 * a read or accept on any acquires it), so after a reply the threads could
 * look ordered and a race hide. Here only pthread_create orders them.
 * Threads print with dprintf: one write per line, no stdio buffer shared. */
static void *handle_clnt(void *arg)
{
	int sock = *(int *)arg;
	char msg[100], reply[sizeof(msg) + 8];
	size_t len = 0;
	ssize_t n = 0;
	int clients, rc;

	free(arg);
	if ((rc = pthread_mutex_lock(&cnt_lock)))
		fail("pthread_mutex_lock", rc);
	clients = ++clnt_cnt;
	if ((rc = pthread_mutex_unlock(&cnt_lock)))
		fail("pthread_mutex_unlock", rc);
	while (len < sizeof(msg) - 1 && !memchr(msg, '\n', len) &&
	       (n = read(sock, msg + len, sizeof(msg) - 1 - len)) > 0)
		len += n;
	if (n < 0)
		dprintf(STDERR_FILENO, "server: read: %s\n", strerror(errno));
	if (n > 0) {		/* a line, not the end of the connection */
		msg[len] = '\0';
		len = snprintf(reply, sizeof(reply), "ACK %.*s\n", (int)strcspn(msg, "\n"), msg);
		if (send(sock, reply, len, MSG_NOSIGNAL) != (ssize_t)len)
			dprintf(STDERR_FILENO, "server: send: %s\n", strerror(errno));
		else
			dprintf(STDOUT_FILENO, "server: served client on fd %d (%d clients so far)\n", sock, clients);
	}
	if (close(sock))
		dprintf(STDERR_FILENO, "server: close: %s\n", strerror(errno));
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int serv_sock, clnt_sock, rc, on = 1;
	char *end;
	long port = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	pthread_t t;

	if (argc != 2 || *end || port < 1 || port > 65535) {
		fprintf(stderr, "usage: thread_serv PORT (a number from 1 to 65535)\n");
		return 2;
	}
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((serv_sock = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		fail("socket", errno);
	if (setsockopt(serv_sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)))
		fail("setsockopt", errno);
	if (bind(serv_sock, (struct sockaddr *)&addr, sizeof(addr)))
		fail("bind", errno);
	if (listen(serv_sock, 16))
		fail("listen", errno);
	printf("server: listening on port %ld\n", port);
	fflush(stdout);

	for (;;) {
		if ((clnt_sock = accept(serv_sock, NULL, NULL)) < 0)
			fail("accept", errno);
		int *p = malloc(sizeof(*p));	/* this thread's own copy, freed by it */
		if (!p)
			fail("malloc", ENOMEM);
		*p = clnt_sock;
		if ((rc = pthread_create(&t, NULL, handle_clnt, p)))
			fail("pthread_create", rc);
		if ((rc = pthread_detach(t)))
			fail("pthread_detach", rc);
	}
}
