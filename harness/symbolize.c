#include "symbolize.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %XX-decode s[0..n); NULL when an escape is malformed or decodes to NUL. */
static char *percent_decode(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] != '%') {
			strbuf_addch(&sb, s[i]);
			continue;
		}
		if (i + 2 >= n)
			goto bad;
		hi = hexval((unsigned char)s[i + 1]);
		lo = hexval((unsigned char)s[i + 2]);
		if (hi < 0 || lo < 0 || !(hi | lo))
			goto bad;
		strbuf_addch(&sb, hi << 4 | lo);
		i += 2;
	}
	return strbuf_detach(&sb, NULL);
bad:
	strbuf_release(&sb);
	return NULL;
}

int sym_parse(const char *token, struct sym *s)
{
	const char *plus = strrchr(token, '+');
	char *end;

	memset(s, 0, sizeof(*s));
	if (!plus || plus == token || strncmp(plus + 1, "0x", 2) || !plus[3])
		return -1;
	errno = 0;
	s->offset = strtoul(plus + 3, &end, 16);
	if (errno || *end)
		return -1;
	s->module = percent_decode(token, plus - token);
	return s->module ? 0 : -1;
}

void sym_release(struct sym *s)
{
	free(s->module);
	free(s->function);
	free(s->file);
	memset(s, 0, sizeof(*s));
}

/* Run argv with stdout into out (stdin and stderr on /dev/null). */
static int run_capture(char *const *argv, struct strbuf *out)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, ret = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return error_errno("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	errno = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (errno) {
		close(pipefd[0]);
		return error_errno("cannot run %s", argv[0]);
	}
	for (;;) {
		ssize_t n;
		strbuf_grow(out, 4096);
		n = read(pipefd[0], out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				ret = error_errno("reading from %s", argv[0]);
			break;
		}
		strbuf_setlen(out, out->len + n);
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno("waitpid");
	if (!ret && !(WIFEXITED(status) && !WEXITSTATUS(status)))
		ret = error("%s failed", argv[0]);
	return ret;
}

/* "file:line" or "file:line (discriminator N)"; "??" parts stay unknown. */
static void set_location(struct sym *s, const char *text)
{
	const char *colon = strrchr(text, ':');
	char *end;
	long line;

	if (!colon || colon == text)
		return;
	line = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || (*end && *end != ' '))
		return;
	if (!(colon - text == 2 && !strncmp(text, "??", 2)))
		s->file = xstrndup(text, colon - text);
	s->line = line > 0 && line < 1000000000 ? (int)line : 0;
}

/* Two output lines per address, in order: function, then file:line. */
static void apply_output(struct sym **batch, size_t n, char *text)
{
	char *save = NULL, *fn, *loc;

	for (size_t i = 0; i < n; i++) {
		fn = strtok_r(i ? NULL : text, "\n", &save);
		loc = fn ? strtok_r(NULL, "\n", &save) : NULL;
		if (!loc)
			return;
		if (strcmp(fn, "??"))
			batch[i]->function = xstrdup(fn);
		set_location(batch[i], loc);
	}
}

static int symbolize_module(const char *module, struct sym **batch, size_t n)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;
	int ret;

	if (access(module, R_OK))
		return 0;	/* gone, or a pseudo module like linux-vdso.so.1 */
	strvec_push(&argv, "addr2line");
	strvec_push(&argv, "-f");
	strvec_push(&argv, "-C");
	strvec_push(&argv, "-e");
	strvec_push(&argv, module);
	for (size_t i = 0; i < n; i++)
		strvec_pushf(&argv, "0x%lx", batch[i]->offset);
	ret = run_capture(strvec_argv(&argv), &out);
	if (!ret)
		apply_output(batch, n, out.buf);
	strbuf_release(&out);
	strvec_clear(&argv);
	return ret;
}

int symbolize(struct sym *v, size_t n)
{
	struct sym **batch = xcalloc(n ? n : 1, sizeof(*batch));
	char *done = xcalloc(n ? n : 1, 1);
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		size_t nb = 0;
		if (done[i] || !v[i].module)
			continue;
		for (size_t j = i; j < n; j++) {
			if (!done[j] && v[j].module && !strcmp(v[j].module, v[i].module)) {
				batch[nb++] = &v[j];
				done[j] = 1;
			}
		}
		if (symbolize_module(v[i].module, batch, nb))
			ret = -1;
	}
	free(batch);
	free(done);
	return ret;
}
