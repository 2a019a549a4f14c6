#include "symbolize.h"
#include "run-command.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A whole batch of one module takes well under a second. */
#define ADDR2LINE_TIMEOUT_MS 30000

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

/*
 * Run a binutils tool (argv[0]) on module, whose last argument it is, and
 * give its output to apply(); returns 0, or -1 when it could not run.
 */
static int run_on_module(struct strvec *args, const char *module, struct sym **batch, size_t n,
			 void (*apply)(struct sym **batch, size_t n, char *text))
{
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf out = STRBUF_INIT;
	int ret;

	for (size_t i = 0; i < args->n; i++)
		strvec_push(&cp.args, args->v[i]);
	env_base(&cp.env, NULL);
	cp.no_rlimits = 1;
	ret = capture_command(&cp, &out, ADDR2LINE_TIMEOUT_MS);
	if (ret == 0)
		apply(batch, n, out.buf);
	else if (ret > 0)
		ret = error("%s failed on %s", args->v[0], module);
	strbuf_release(&out);
	child_process_clear(&cp);
	return ret ? -1 : 0;
}

static int symbolize_module(const char *module, struct sym **batch, size_t n)
{
	struct strvec args = STRVEC_INIT;
	int ret;

	if (access(module, R_OK))
		return 0;	/* gone, or a pseudo module like linux-vdso.so.1 */
	strvec_push(&args, "addr2line");
	strvec_push(&args, "-f");
	strvec_push(&args, "-C");
	strvec_push(&args, "-e");
	strvec_push(&args, module);
	for (size_t i = 0; i < n; i++)
		strvec_pushf(&args, "0x%lx", batch[i]->offset);
	ret = run_on_module(&args, module, batch, n, apply_output);
	strvec_clear(&args);
	return ret;
}

/* Call fn once per distinct module with every entry of v in that module. */
static int each_module(struct sym *v, size_t n,
		       int (*fn)(const char *module, struct sym **batch, size_t n))
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
		if (fn(v[i].module, batch, nb))
			ret = -1;
	}
	free(batch);
	free(done);
	return ret;
}

int symbolize(struct sym *v, size_t n)
{
	return each_module(v, n, symbolize_module);
}

/* --- data: a global variable's name, from nm ---------------------------- */

/* "VALUE SIZE TYPE NAME" lines of nm -S; data symbols with a size only. */
static void apply_nm(struct sym **batch, size_t n, char *text)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long value, size;
		char type, name[256];

		if (sscanf(l, "%lx %lx %c %255s", &value, &size, &type, name) != 4 || !size ||
		    !strchr("bBdDgGsS", type))
			continue;
		for (size_t i = 0; i < n; i++) {
			struct sym *s = batch[i];

			if (s->function || s->offset < value || s->offset - value >= size)
				continue;
			s->function = s->offset == value ? xstrdup(name)
				: xstrfmt("%s+%lu", name, s->offset - value);
		}
	}
}

static int symbolize_data_module(const char *module, struct sym **batch, size_t n)
{
	struct strvec args = STRVEC_INIT;
	int ret;

	if (access(module, R_OK))
		return 0;
	strvec_push(&args, "nm");
	strvec_push(&args, "-S");
	strvec_push(&args, "--defined-only");
	strvec_push(&args, module);
	ret = run_on_module(&args, module, batch, n, apply_nm);
	strvec_clear(&args);
	return ret;
}

int symbolize_data(struct sym *v, size_t n)
{
	return each_module(v, n, symbolize_data_module);
}
