#include "pipes.h"
#include "strbuf.h"
#include "util.h"
#include "watch.h"

#include <dirent.h>
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

static char *read_text(const char *fmt, int a, int b)
{
	char *path = xstrfmt(fmt, a, b), *text = read_file(path, NULL);

	free(path);
	return text;
}

/* The access mode of descriptor fd of pid from its fdinfo "flags:" (octal), or -1. */
static int access_mode(pid_t pid, int fd)
{
	char *text = read_text("/proc/%d/fdinfo/%d", (int)pid, fd), *p;
	int mode = -1;

	if (text && (p = strstr(text, "flags:")))
		mode = (int)(strtol(p + 6, NULL, 8) & O_ACCMODE);
	free(text);
	return mode;
}

/* Every pipe and FIFO end each process holds. */
static void collect_ends(const pid_t *pids, size_t n, struct ends *out)
{
	for (size_t i = 0; i < n; i++) {
		char *dir = xstrfmt("/proc/%d/fd", (int)pids[i]);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			struct stat st;
			char *path;
			int fd, mode;

			if (de->d_name[0] == '.')
				continue;
			path = xstrfmt("%s/%s", dir, de->d_name);
			fd = atoi(de->d_name);
			if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode) &&
			    (mode = access_mode(pids[i], fd)) >= 0) {
				ALLOC_GROW(out->v, out->n + 1, out->alloc);
				out->v[out->n++] = (struct end){ pids[i], fd, st.st_dev, st.st_ino,
								 mode == O_WRONLY || mode == O_RDWR };
			}
			free(path);
		}
		if (d)
			closedir(d);
		free(dir);
	}
}

/* Calls fn(pid, nr, arg0) for the system call each thread of pid is in; stops when fn returns nonzero. */
static int each_syscall(pid_t pid, int (*fn)(pid_t, long, unsigned long, void *), void *data)
{
	char *dir = xstrfmt("/proc/%d/task", (int)pid);
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	free(dir);
	while (d && !ret && (de = readdir(d))) {
		char *text;
		long nr;
		unsigned long arg0;

		if (de->d_name[0] == '.')
			continue;
		text = read_text("/proc/%d/task/%d/syscall", (int)pid, atoi(de->d_name));
		if (text && sscanf(text, "%ld %lx", &nr, &arg0) == 2)
			ret = fn(pid, nr, arg0, data);
		free(text);
	}
	if (d)
		closedir(d);
	return ret;
}

struct readers {
	const struct ends *ends;
	struct end *v;		/* the end each blocked reader reads */
	size_t n, alloc;
};

static int note_reader(pid_t pid, long nr, unsigned long fd, void *data)
{
	struct readers *r = data;

	if (nr != SYS_read && nr != SYS_readv && nr != SYS_pread64)
		return 0;
	for (size_t i = 0; i < r->ends->n; i++) {
		const struct end *e = &r->ends->v[i];

		if (e->pid == pid && e->fd == (int)fd) {
			ALLOC_GROW(r->v, r->n + 1, r->alloc);
			r->v[r->n++] = *e;
		}
	}
	return 0;
}

static char *comm(pid_t pid)
{
	char *text = read_text("/proc/%d/comm", (int)pid, 0);

	if (!text)
		return xstrdup("?");
	text[strcspn(text, "\n")] = '\0';
	return text;
}

int pipe_leaks(const pid_t *pids, size_t n, struct strvec *out)
{
	struct ends ends = { NULL, 0, 0 };
	struct readers readers = { &ends, NULL, 0, 0 };
	int found = 0;

	collect_ends(pids, n, &ends);
	for (size_t i = 0; i < n && ends.n; i++)
		each_syscall(pids[i], note_reader, &readers);
	for (size_t r = 0; r < readers.n; r++) {
		const struct end *rd = &readers.v[r];

		for (size_t i = 0; i < ends.n; i++) {
			const struct end *w = &ends.v[i];
			char *rc, *wc;

			if (!w->writes || w->dev != rd->dev || w->ino != rd->ino)
				continue;
			rc = comm(rd->pid);
			wc = comm(w->pid);
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
			free(rc);
			free(wc);
			found++;
		}
	}
	free(readers.v);
	free(ends.v);
	return found;
}
