/*
 * A one-thread TCP server for the multi-program tests: `echo-server PORT`
 * answers each connection's first line with "ACK line". With LEAK set to 1
 * it never closes a connection (an fd-leak racelab must see); with QUIT it
 * exits as soon as it listens (a server that dies before its clients end);
 * with HANDOFF it hands its first connection to a child that waits for a
 * word the server never sends, and exits (a client waits forever for its
 * reply because its server ended).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LEAK 0
#define QUIT 0
#define HANDOFF 0

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int one = 1, srv;

	if (argc != 2)
		return 2;
	a.sin_port = htons((unsigned short)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(srv, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(srv, 16) < 0) {
		perror("echo-server");
		return 1;
	}
	if (QUIT)
		return 3;
	for (;;) {
		char buf[256], reply[300];
		int c = accept(srv, NULL, NULL);
		ssize_t n;

		if (c < 0)
			continue;
		if (HANDOFF) {
			if (fork() == 0)
				for (;;)
					pause();	/* the word to start never comes */
			return 4;
		}
		n = read(c, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(reply, sizeof(reply), "ACK %s\n", buf);
			if (send(c, reply, strlen(reply), MSG_NOSIGNAL) < 0)
				perror("send");
		}
		if (!LEAK)
			close(c);
	}
}
