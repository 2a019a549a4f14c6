#include "net.h"
#include "proc.h"
#include "strbuf.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* TCP states as the kernel numbers them in /proc/net/tcp. */
#define TCP_STATE_CLOSE_WAIT 0x08
#define TCP_STATE_LISTEN 0x0A

/* Ports handed out by this process, so parallel runs never get the same one. */
static int *given;
static size_t ngiven, alloc_given;

static int was_given(int port)
{
	for (size_t i = 0; i < ngiven; i++)
		if (given[i] == port)
			return 1;
	return 0;
}

/*
 * Ports the kernel never hands out for outgoing connections: below and
 * above net.ipv4.ip_local_port_range. A port picked from the ephemeral
 * range could be taken, between the pick and the server's bind, by any
 * connect() on the machine (another run's client, say); outside it only a
 * bind() can take it.
 */
static void quiet_ranges(unsigned *lo1, unsigned *hi1, unsigned *lo2, unsigned *hi2)
{
	unsigned lo = 32768, hi = 60999;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	if (f) {
		if (fscanf(f, "%u %u", &lo, &hi) != 2 || lo > hi || hi > 65535)
			lo = 32768, hi = 60999;
		fclose(f);
	}
	*lo1 = 10000;
	*hi1 = lo > 10000 ? lo - 1 : 0;
	*lo2 = hi + 1;
	*hi2 = 65535;
}

/* 0 when port is free on the loopback address right now. */
static int try_bind(unsigned port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	ret = bind(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	return ret;
}

int port_pick(void)
{
	static unsigned seed;
	unsigned lo1, hi1, lo2, hi2, n1, n2;

	quiet_ranges(&lo1, &hi1, &lo2, &hi2);
	n1 = hi1 >= lo1 ? hi1 - lo1 + 1 : 0;
	n2 = hi2 >= lo2 ? hi2 - lo2 + 1 : 0;
	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	for (int attempt = 0; n1 + n2 && attempt < 256; attempt++) {
		unsigned k = (unsigned)rand_r(&seed) % (n1 + n2);
		unsigned port = k < n1 ? lo1 + k : lo2 + (k - n1);

		if (was_given((int)port) || try_bind(port) < 0)
			continue;
		ALLOC_GROW(given, ngiven + 1, alloc_given);
		given[ngiven++] = (int)port;
		return (int)port;
	}
	return error("no free loopback port outside the ephemeral range");
}

struct sock {
	unsigned long inode;
	pid_t pid;
	int fd;
};

struct socks {
	struct sock *v;
	size_t n, alloc;
};

static int note_socket(pid_t pid, int fd, const char *path, void *data)
{
	struct socks *out = data;
	char link[64];
	ssize_t len = readlink(path, link, sizeof(link) - 1);
	unsigned long ino;

	if (len <= 0)
		return 0;
	link[len] = '\0';
	if (sscanf(link, "socket:[%lu]", &ino) != 1)
		return 0;
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	out->v[out->n++] = (struct sock){ ino, pid, fd };
	return 0;
}

/* Every socket descriptor of the processes, by inode. */
static void collect_sockets(const pid_t *pids, size_t n, struct socks *out)
{
	for (size_t i = 0; i < n; i++)
		proc_each_fd(pids[i], note_socket, out);
}

static const struct sock *sock_find(const struct socks *s, unsigned long inode)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].inode == inode)
			return &s->v[i];
	return NULL;
}

struct tcp_row {
	unsigned local_port, remote_port, state;
	unsigned long inode;
};

/*
 * Call fn for every row of the TCP tables (IPv4 and IPv6) as the process
 * pid sees them (its network namespace). Stops when fn returns nonzero,
 * and returns that value.
 */
static int tcp_rows(pid_t pid, int (*fn)(const struct tcp_row *, void *), void *data)
{
	static const char *const tables[] = { "tcp", "tcp6" };
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	for (size_t t = 0; t < 2 && !ret; t++) {
		char *path = xstrfmt("/proc/%d/net/%s", (int)pid, tables[t]);
		char *line, *save = NULL;

		strbuf_reset(&sb);
		if (strbuf_read_file(&sb, path) < 0) {
			free(path);
			continue;
		}
		free(path);
		line = strtok_r(sb.buf, "\n", &save);	/* the header */
		while (!ret && (line = strtok_r(NULL, "\n", &save))) {
			struct tcp_row r;

			if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%x %x %*s %*s %*s %*s %*s %lu",
				   &r.local_port, &r.remote_port, &r.state, &r.inode) == 4)
				ret = fn(&r, data);
		}
	}
	strbuf_release(&sb);
	return ret;
}

struct listen_ctx {
	const struct socks *socks;
	unsigned port;
};

static int is_listener(const struct tcp_row *r, void *data)
{
	const struct listen_ctx *c = data;

	return r->state == TCP_STATE_LISTEN && r->local_port == c->port &&
		sock_find(c->socks, r->inode) != NULL;
}

int tcp_listening(const pid_t *pids, size_t n, int port)
{
	struct socks socks = { NULL, 0, 0 };
	struct listen_ctx c = { &socks, (unsigned)port };
	int ret = 0;

	collect_sockets(pids, n, &socks);
	if (socks.n)
		ret = tcp_rows(pids[0], is_listener, &c);
	free(socks.v);
	return ret;
}

/* The rows in state CLOSE_WAIT: read once, each table costs a walk of the kernel's whole hash. */
struct waits {
	struct tcp_row *v;
	size_t n, alloc;
};

static int keep_close_wait(const struct tcp_row *r, void *data)
{
	struct waits *w = data;

	if (r->state == TCP_STATE_CLOSE_WAIT) {
		ALLOC_GROW(w->v, w->n + 1, w->alloc);
		w->v[w->n++] = *r;
	}
	return 0;
}

static int sock_cmp(const void *a_, const void *b_)
{
	const struct sock *a = a_, *b = b_;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

int tcp_closed_by_peer(const pid_t *pids, size_t n, const char *who, struct strvec *out)
{
	struct socks socks = { NULL, 0, 0 };
	struct waits waits = { NULL, 0, 0 };
	int found = 0;

	collect_sockets(pids, n, &socks);
	if (socks.n)
		tcp_rows(pids[0], keep_close_wait, &waits);
	/* Report in descriptor order, whatever the order of the kernel's table. */
	qsort(socks.v, socks.n, sizeof(*socks.v), sock_cmp);
	for (size_t i = 0; i < socks.n; i++)
		for (size_t k = 0; k < waits.n; k++) {
			const struct sock *s = &socks.v[i];
			const struct tcp_row *r = &waits.v[k];

			if (r->inode != s->inode)
				continue;
			strvec_pushf(out, "%s (process %d) still holds descriptor %d, a connection "
				     "(port %u, peer port %u) its peer closed: it never closed its end "
				     "(TCP state CLOSE_WAIT)", who, (int)s->pid, s->fd, r->local_port,
				     r->remote_port);
			found++;
		}
	free(socks.v);
	free(waits.v);
	return found;
}
