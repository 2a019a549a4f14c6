#ifndef RACELAB_OUTCAP_H
#define RACELAB_OUTCAP_H
/*
 * What racelab keeps of a program's output stream: the stream is a pipe
 * racelab reads (start_command's out_pipe/err_pipe), the first OUTCAP_KEEP
 * bytes go to the stream's file, the rest is read, counted and dropped.
 * The program is never stopped for writing too much, and the run's disk
 * and racelab's memory hold at most OUTCAP_KEEP per stream.
 *
 * Ownership: the run owns each struct outcap and the read end it was
 * given (outcap_open takes it); outcap_close closes both.
 */
#include <stddef.h>
#include <stdint.h>

#define OUTCAP_KEEP (1UL << 20)

struct outcap {
	int fd;			/* the pipe's read end (non-blocking), -1 once at EOF */
	int file;		/* where the kept bytes go, -1 when closed */
	unsigned long long kept, dropped;
};

#define OUTCAP_INIT { -1, -1, 0, 0 }

/* Take the read end fd; create path for the kept bytes. 0, or -1 (fd closed). */
int outcap_open(struct outcap *c, int fd, const char *path);
/*
 * Read what the pipe holds now, at most `budget` bytes (a flood must not
 * keep racelab from its other runs). Returns 1 at end of file (every
 * writer gone), else 0.
 */
int outcap_drain(struct outcap *c, size_t budget);
/* Drain until end of file or until timeout_ms pass (a writer still alive). */
void outcap_finish(struct outcap *c, unsigned timeout_ms);
void outcap_close(struct outcap *c);

#endif
