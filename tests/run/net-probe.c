/*
 * Looks at its network: exits 0 when the loopback interface is the only
 * one and nothing beyond it can be reached, 1 otherwise (and says why).
 */
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct ifaddrs *all, *i;
	struct sockaddr_in out = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s, bad = 0;

	if (getifaddrs(&all) < 0)
		return 1;
	for (i = all; i; i = i->ifa_next)
		if (strcmp(i->ifa_name, "lo")) {
			printf("interface %s\n", i->ifa_name);
			bad = 1;
		}
	freeifaddrs(all);
	/* 192.0.2.1 is TEST-NET-1: routed nowhere, but a route to it exists on most hosts */
	inet_pton(AF_INET, "192.0.2.1", &out.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&out, sizeof(out)) == 0) {
		printf("192.0.2.1 is reachable\n");
		bad = 1;
	}
	return bad;
}
