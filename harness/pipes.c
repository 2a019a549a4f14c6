#include "pipes.h"
#include "proc.h"
#include "strbuf.h"
#include "util.h"
#include "watch.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A pipe end held by a process: which pipe (its inode), which descriptor, how. */
struct end {
	pid_t pid;
	int fd;
	dev_t dev;
	ino_t ino;
	int writes;		/* opened for writing (O_WRONLY or O_RDWR) */
};

struct ends {
	struct end *v;
	size_t n, alloc;
};

/* The access mode of descriptor fd of pid from its fdinfo "flags:" (octal), or -1. */
static int access_mode(struct strbuf *sb, pid_t pid, int fd)
{
	const char *p;

	if (proc_read(sb, "/proc/%d/fdinfo/%d", pid, fd) < 0 || !(p = strstr(sb->buf, "flags:")))
		return -1;
	return (int)(strtol(p + 6, NULL, 8) & O_ACCMODE);
}

struct end_scan {
	struct ends *out;
	struct strbuf sb;
};

static int note_end(pid_t pid, int fd, const char *path, void *data)
{
	struct end_scan *es = data;
	struct stat st;
	int mode;

	if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode) && (mode = access_mode(&es->sb, pid, fd)) >= 0) {
		ALLOC_GROW(es->out->v, es->out->n + 1, es->out->alloc);
		es->out->v[es->out->n++] = (struct end){ pid, fd, st.st_dev, st.st_ino,
							 mode == O_WRONLY || mode == O_RDWR };
	}
	return 0;
}

/* Every pipe and FIFO end each process holds. */
static void collect_ends(const pid_t *pids, size_t n, struct ends *out)
{
	struct end_scan es = { out, STRBUF_INIT };

	for (size_t i = 0; i < n; i++)
		proc_each_fd(pids[i], note_end, &es);
	strbuf_release(&es.sb);
}

struct readers {
	const struct ends *ends;
	struct end *v;		/* the end each blocked reader reads */
	size_t n, alloc;
	struct strbuf sb;
};

/* A thread of pid blocked reading a pipe end that collect_ends() found. */
static int note_reader(pid_t pid, pid_t tid, void *data)
{
	struct readers *r = data;
	struct proc_syscall sc;
	long nr;

	if (proc_syscall(&r->sb, pid, tid, &sc) < 0)
		return 0;
	nr = sc.nr;
	if (nr != SYS_read && nr != SYS_readv && nr != SYS_pread64)
		return 0;
	for (size_t i = 0; i < r->ends->n; i++) {
		const struct end *e = &r->ends->v[i];

		if (e->pid == pid && e->fd == (int)sc.arg[0]) {
			ALLOC_GROW(r->v, r->n + 1, r->alloc);
			r->v[r->n++] = *e;
		}
	}
	return 0;
}

int pipe_leaks(const pid_t *pids, size_t n, struct strvec *out)
{
	struct ends ends = { NULL, 0, 0 };
	struct readers readers = { &ends, NULL, 0, 0, STRBUF_INIT };
	int found = 0;

	collect_ends(pids, n, &ends);
	for (size_t i = 0; i < n && ends.n; i++)
		proc_each_task(pids[i], note_reader, &readers);
	for (size_t r = 0; r < readers.n; r++) {
		const struct end *rd = &readers.v[r];

		for (size_t i = 0; i < ends.n; i++) {
			const struct end *w = &ends.v[i];
			char rc[20], wc[20];

			if (!w->writes || w->dev != rd->dev || w->ino != rd->ino)
				continue;
			proc_program_name(rd->pid, rc, sizeof(rc));
			proc_program_name(w->pid, wc, sizeof(wc));
			if (w->pid == rd->pid)
				strvec_pushf(out, "process %d (%s) is blocked reading a pipe (descriptor %d) "
					     "and holds a write end of it itself (descriptor %d): the end of "
					     "file it waits for cannot come while that end is open",
					     (int)rd->pid, rc, rd->fd, w->fd);
			else if (waits_for_children(w->pid))
				strvec_pushf(out, "process %d (%s) holds a write end (descriptor %d) of the "
					     "pipe process %d (%s) is blocked reading (descriptor %d), and "
					     "waits for its children instead of writing: the end of file the "
					     "reader waits for cannot come while that end is open",
					     (int)w->pid, wc, w->fd, (int)rd->pid, rc, rd->fd);
			else
				found--;
			found++;
		}
	}
	free(readers.v);
	strbuf_release(&readers.sb);
	free(ends.v);
	return found;
}
