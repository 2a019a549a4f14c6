/*
 * Memcheck's --track-fds text log (parse.h): the descriptors open at exit,
 * each given the stack where it was opened, which Valgrind 3.19 writes
 * into the XML document instead (valgrind_fd_stacks() reads those).
 */
#include "parse.h"
#include "strbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "==123==    at 0x4955B09: pipe (pipe.c:29)" -> pipe, pipe.c, 29 */
static void fd_frame(struct diag *d, const char *line, const char *srcdir)
{
	const char *colon = strstr(line, ": "), *open, *close, *sep;
	char *fn, *file = NULL;
	int lineno = 0;

	if (!colon)
		return;
	colon += 2;
	open = strrchr(colon, '(');
	close = open ? strchr(open, ')') : NULL;
	fn = xstrndup(colon, open && open > colon ? (size_t)(open - colon - 1) : strlen(colon));
	if (open && close && strncmp(open + 1, "in ", 3)) {
		sep = memchr(open, ':', (size_t)(close - open));
		if (sep) {
			file = xstrndup(open + 1, (size_t)(sep - open - 1));
			lineno = atoi(sep + 1);
		}
	}
	diag_add_frame(d, fn, file, lineno, srcdir);
	free(fn);
	free(file);
}

/* One "Open file descriptor N: ..." entry of the text log. */
struct fd_entry {
	int fd;
	int inherited;		/* "<inherited from parent>": no stack in the XML */
	char *what;		/* the text after the colon: a path, a socket's addresses */
	struct diag frames;	/* frames from the text, when the log has them */
};

int parse_valgrind_fds(const char *text, size_t len, const struct diag_list *stacks,
		       const struct parse_ctx *ctx, struct diag_list *out)
{
	char *copy = xstrndup(text, len), *line, *save = NULL;
	struct fd_entry *e = NULL, *cur = NULL;
	size_t n = 0, alloc = 0, next_stack = 0;
	int added = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *body = line, *p;
		int fd;

		/* strip the "==PID==" prefix */
		if (!strncmp(body, "==", 2) && (p = strstr(body + 2, "==")))
			body = p + 2;
		while (*body == ' ')
			body++;
		if (sscanf(body, "Open file descriptor %d:", &fd) == 1) {
			ALLOC_GROW(e, n + 1, alloc);
			cur = &e[n++];
			memset(cur, 0, sizeof(*cur));
			cur->fd = fd;
			p = strchr(body, ':') + 1;
			while (*p == ' ')
				p++;
			cur->what = xstrdup(p);
		} else if (cur && !strcmp(body, "<inherited from parent>")) {
			cur->inherited = 1;
		} else if (cur && (!strncmp(body, "at 0x", 5) || !strncmp(body, "by 0x", 5))) {
			fd_frame(&cur->frames, body, ctx->srcdir);
		} else if (!*body) {
			cur = NULL;
		}
	}
	/*
	 * Valgrind writes, for each descriptor in this order, either where it
	 * was opened (a <stack> in the XML, when --xml=yes) or "<inherited
	 * from parent>" (in the text): the k-th descriptor that was not
	 * inherited owns the k-th stack. Descriptors 0-2 and those inherited
	 * from racelab (Valgrind's own log and XML files) are no leak.
	 */
	for (size_t i = 0; i < n; i++) {
		const struct diag *where = &e[i].frames;
		struct diag *d;
		char *msg;

		if (!e[i].inherited && !where->nframes && stacks && next_stack < stacks->n)
			where = &stacks->v[next_stack++];
		else if (!e[i].inherited && !where->nframes)
			next_stack++;
		if (e[i].inherited || e[i].fd <= 2)
			continue;
		msg = xstrfmt("file descriptor %d%s%s left open at exit", e[i].fd,
			      *e[i].what ? " " : "", e[i].what);
		d = diag_list_push(out, "fd-leak", "FdNotClosed", msg);
		free(msg);
		diag_copy_frames(d, where);
		added++;
	}
	for (size_t i = 0; i < n; i++) {
		free(e[i].what);
		diag_release(&e[i].frames);
	}
	free(e);
	free(copy);
	return added;
}
