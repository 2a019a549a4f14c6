/*
 * The client of echo-server.c: `echo-client PORT N` makes N connections in
 * turn, sends one line on each and prints the reply.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 0;

	if (n <= 0)
		return 2;
	for (int i = 0; i < n; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		char msg[64], buf[256];
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		ssize_t got;

		a.sin_port = htons((unsigned short)atoi(argv[1]));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
			perror("echo-client");
			return 1;
		}
		snprintf(msg, sizeof(msg), "hello %d\n", i);
		if (write(fd, msg, strlen(msg)) < 0 || (got = read(fd, buf, sizeof(buf) - 1)) <= 0) {
			perror("echo-client");
			return 1;
		}
		buf[got] = '\0';
		printf("reply: %s", buf);
		close(fd);
	}
	return 0;
}
