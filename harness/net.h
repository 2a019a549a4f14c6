#ifndef RACELAB_NET_H
#define RACELAB_NET_H
/*
 * The network side of a multi-program run: a free loopback port for
 * {port}, whether a server listens on it yet, and which TCP connections a
 * program still holds after their peer closed them.
 *
 * Everything is read from /proc (the descriptors of the run's processes
 * and the TCP tables of their network namespace), never by connecting:
 * a probe connection would be one more client for the server to serve.
 */
#include "strvec.h"
#include <sys/types.h>

/*
 * A loopback TCP port that was free a moment ago, outside the range the
 * kernel picks outgoing connections' ports from (so no connect() can take
 * it before the server binds it), and that this racelab has not handed
 * out before (runs in parallel must not share one). -1 when none is found;
 * the error is reported.
 */
int port_pick(void);

/* 1 when one of the processes pids[0..n) has a TCP socket listening on port. */
int tcp_listening(const pid_t *pids, size_t n, int port);

/*
 * Connections in state CLOSE_WAIT held by the processes pids[0..n): the
 * peer closed its end, this side never closed its descriptor. One line per
 * descriptor onto out, naming `who`, the process and the ports; returns
 * how many.
 */
int tcp_closed_by_peer(const pid_t *pids, size_t n, const char *who, struct strvec *out);

#endif
