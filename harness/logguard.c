#include "logguard.h"
#include "strbuf.h"
#include "tools.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

static int refused;	/* fanotify refused once: not tried again */

struct logguard *logguard_new(const char *dir)
{
	struct logguard *g;
	int fan;

	if (refused)
		return NULL;
	fan = fanotify_init(FAN_CLOEXEC | FAN_NONBLOCK | FAN_CLASS_NOTIF,
			    O_RDONLY | O_CLOEXEC | O_LARGEFILE | O_NOATIME);
	if (fan >= 0 && fanotify_mark(fan, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD,
				      AT_FDCWD, dir) < 0) {
		int e = errno;

		close(fan);
		fan = -1;
		errno = e;
	}
	if (fan < 0) {
		warning("sandbox: cannot watch the checkers' reports (fanotify: %s): a report the "
			"program removes or plants is not seen (docs/sandbox.md)", strerror(errno));
		refused = 1;
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	g->fan = fan;
	g->dir = xstrdup(dir);
	return g;
}

static struct log_file *find(struct logguard *g, const struct stat *st)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].dev == st->st_dev && g->v[i].ino == st->st_ino)
			return &g->v[i];
	return NULL;
}

/* The name under dir the kernel gives fd now, or NULL (elsewhere, or unknown). */
static char *name_of(const struct logguard *g, int fd)
{
	char link[64], path[4096];
	size_t n = strlen(g->dir);
	ssize_t k;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	k = readlink(link, path, sizeof(path) - 1);
	if (k <= 0)
		return NULL;
	path[k] = '\0';
	if (k >= 10 && !strcmp(path + k - 10, " (deleted)"))
		path[k - 10] = '\0';
	if (strncmp(path, g->dir, n) || path[n] != '/' || strchr(path + n + 1, '/'))
		return NULL;
	return xstrdup(path + n + 1);
}

/* A file written in dir: hold it the first time, note its size every time. */
static void take(struct logguard *g, int fd, pid_t writer)
{
	struct stat st;
	struct log_file *f;
	char *name;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || writer == getpid()) {
		close(fd);	/* a FIFO, or racelab's own file (its suppressions) */
		return;
	}
	if ((f = find(g, &st))) {
		if (st.st_size > f->max_size)
			f->max_size = st.st_size;
		close(fd);
		return;
	}
	name = name_of(g, fd);
	/* Valgrind's gdbserver files are no report, and Valgrind removes them itself. */
	if (name && !strncmp(name, VGDB_PREFIX "-", strlen(VGDB_PREFIX) + 1)) {
		free(name);
		close(fd);
		return;
	}
	ALLOC_GROW(g->v, g->n + 1, g->alloc);
	f = &g->v[g->n++];
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->max_size = st.st_size;
	f->name = name ? name : xstrdup("?");
}

void logguard_poll(struct logguard *g)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	ssize_t n;

	if (!g)
		return;
	while ((n = read(g->fan, buf, sizeof(buf))) > 0) {
		struct fanotify_event_metadata *m = (struct fanotify_event_metadata *)buf;

		for (; FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n))
			if (m->fd >= 0)
				take(g, m->fd, m->pid);
	}
}

/* The pid a checker's log name carries (tsan.N, asan.N, vg.N.xml, vg.N.log), or -1. */
static long name_pid(const char *name)
{
	const char *p = NULL;
	char *end;
	long pid;

	if (!strncmp(name, "tsan.", 5) || !strncmp(name, "asan.", 5))
		p = name + 5;
	else if (!strncmp(name, "vg.", 3))
		p = name + 3;
	if (!p || *p < '0' || *p > '9')
		return -1;
	pid = strtol(p, &end, 10);
	if (p == name + 5 ? *end != '\0' : strcmp(end, ".xml") && strcmp(end, ".log"))
		return -1;
	return pid;
}

/* A name some checker writes: a report with a pid, the preload's notes. */
static int known_name(const char *name)
{
	size_t n = strlen(name);

	return name_pid(name) >= 0 || (!strncmp(name, "watch.", 6) && n >= 9 &&
				       !strcmp(name + n - 4, ".log"));
}

/* What is there now starts a report, as a checker reopening its log after an exec writes one. */
static int starts_report(const char *text)
{
	return !strncmp(text, "==", 2) || !strncmp(text, "<?xml", 5) ||
	       !strncmp(text, "WARNING:", 8) || strstr(text, "runtime error") != NULL;
}

static void judge(struct logguard *g, struct log_file *f, pid_t last_pid)
{
	struct stat st, now;
	char *path = xstrfmt("%s/%s", g->dir, f->name);
	long pid = name_pid(f->name);

	if (fstat(f->fd, &st) == 0) {
		if (st.st_size > f->max_size)
			f->max_size = st.st_size;
		if (!st.st_nlink)
			f->tamper |= LOG_REMOVED;
		else if (lstat(path, &now) < 0 || now.st_dev != f->dev || now.st_ino != f->ino)
			f->tamper |= LOG_MOVED;
	}
	if (!known_name(f->name) || (last_pid > 0 && pid >= 0 && (pid < 2 || pid > last_pid)))
		f->tamper |= LOG_PLANTED;
	if ((off_t)f->len < f->max_size && !starts_report(f->text))
		f->tamper |= LOG_CUT;
	if (!f->len && (!strncmp(f->name, "tsan.", 5) || !strncmp(f->name, "asan.", 5)))
		f->tamper |= LOG_CUT;
	free(path);
}

void logguard_finish(struct logguard *g, pid_t last_pid)
{
	if (!g)
		return;
	logguard_poll(g);
	for (size_t i = 0; i < g->n; i++) {
		struct log_file *f = &g->v[i];
		struct strbuf sb = STRBUF_INIT;
		off_t off = 0;

		for (;;) {
			ssize_t k;

			strbuf_grow(&sb, 65536);
			k = pread(f->fd, sb.buf + sb.len, sb.alloc - sb.len - 1, off);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			strbuf_setlen(&sb, sb.len + (size_t)k);
			off += k;
		}
		free(f->text);
		f->text = strbuf_detach(&sb, &f->len);
		judge(g, f, last_pid);
	}
}

const char *log_tamper_text(unsigned bit)
{
	switch (bit) {
	case LOG_REMOVED: return "was removed";
	case LOG_MOVED: return "was moved or replaced";
	case LOG_CUT: return "was emptied or cut short";
	case LOG_PLANTED: return "was planted (no checker writes it for a process of this run)";
	default: return "was changed";
	}
}

void logguard_free(struct logguard *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		close(g->v[i].fd);
		free(g->v[i].name);
		free(g->v[i].text);
	}
	free(g->v);
	free(g->dir);
	close(g->fan);
	free(g);
}
