#include "tamper-scan.h"
#include "run-command.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nm and addr2line read a binary of a few MB in well under a second. */
#define BINUTILS_TIMEOUT_MS 30000

/* The sanitizers' interface: options and suppression hooks, annotations, report control. */
static const char *const san_prefixes[] = {
	"__tsan_", "__asan_", "__lsan_", "__ubsan_", "__msan_", "__hwasan_", "__sanitizer_",
	"__sancov_", NULL,
};

/* Attributes that turn a sanitizer off, with their leading and trailing "__" removed. */
static const char *const off_attributes[] = {
	"no_sanitize", "no_sanitize_thread", "no_sanitize_address", "no_sanitize_memory",
	"no_sanitize_undefined", "no_address_safety_analysis", "disable_sanitizer_instrumentation",
	NULL,
};

/* The checkers' environment: changing it and running again undoes racelab's options. */
static const char *const checker_env[] = {
	"TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "MSAN_OPTIONS",
	"LD_PRELOAD", "LD_AUDIT", "VALGRIND_OPTS", NULL,
};

/* The first instruction of every Valgrind client request (valgrind.h's preamble). */
#define VALGRIND_PREAMBLE "rolq $3"

static int has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

struct scan {
	const char *srcdir, *incdir;
	struct strvec *out;
	struct strbuf file;	/* the file of the current line, as the linemarker names it */
	int line;
	int own;		/* the current file is the program's */
	int in_pragma;		/* inside a #pragma line */
	struct strbuf lit;	/* adjacent string literals, joined */
	int lit_line;
	char tok[5][64];	/* the last tokens, newest last: exec(argv[0]) */
};

/*
 * The program's own file: neither a system header nor the lab's include/.
 * A file the program included from elsewhere by path is its own too.
 */
static int is_own(const struct scan *s, const char *file)
{
	if (file[0] == '<')
		return 0;	/* <built-in>, <command line> */
	if (has_prefix(file, "/usr/"))
		return 0;
	if (s->incdir && has_prefix(file, s->incdir) && file[strlen(s->incdir)] == '/')
		return 0;
	return 1;
}

static void add(struct scan *s, int line, const char *fmt, const char *what)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s\t%d\t", s->file.buf, line);
	strbuf_addf(&sb, fmt, what);
	/* The same finding once: a macro used twice on one line, a literal seen twice. */
	if (!strvec_has(s->out, sb.buf))
		strvec_push(s->out, sb.buf);
	strbuf_release(&sb);
}

static void push_token(struct scan *s, const char *t, size_t n)
{
	memmove(s->tok[0], s->tok[1], sizeof(s->tok) - sizeof(s->tok[0]));
	if (n >= sizeof(s->tok[4]))
		n = sizeof(s->tok[4]) - 1;
	memcpy(s->tok[4], t, n);
	s->tok[4][n] = '\0';
}

/* exec*(NAME[0]): the program starts itself again (argv[0]), most likely with a changed environment. */
static void check_exec_self(struct scan *s)
{
	if (has_prefix(s->tok[0], "exec") && !strcmp(s->tok[1], "(") &&
	    (isalpha((unsigned char)s->tok[2][0]) || s->tok[2][0] == '_') &&
	    !strcmp(s->tok[3], "[") && !strcmp(s->tok[4], "0"))
		add(s, s->line, "%s(argv[0]): the program runs itself again, where the checker's "
		    "options can be changed", s->tok[0]);
}

static void check_ident(struct scan *s, const char *id, size_t n)
{
	char name[128], bare[128];
	size_t k;

	if (n >= sizeof(name))
		return;
	memcpy(name, id, n);
	name[n] = '\0';
	for (const char *const *p = san_prefixes; *p; p++)
		if (has_prefix(name, *p)) {
			add(s, s->line, "%s: the sanitizer runtime's own interface (its options, "
			    "suppressions, annotations), which can silence the checker", name);
			return;
		}
	if ((has_prefix(name, "Annotate") && isupper((unsigned char)name[8])) ||
	    has_prefix(name, "WTFAnnotate") || has_prefix(name, "ANNOTATE_")) {
		add(s, s->line, "%s: a race detector annotation, which tells the checker to order or "
		    "ignore accesses", name);
		return;
	}
	if (strstr(name, "VG_USERREQ__")) {
		add(s, s->line, "%s: a Valgrind client request, which changes what Valgrind checks "
		    "or reports", name + strspn(name, "_"));
		return;
	}
	/* __no_sanitize__ is no_sanitize */
	k = strspn(name, "_");
	snprintf(bare, sizeof(bare), "%s", name + (k > 2 ? 2 : k));
	k = strlen(bare);
	if (k > 2 && !strcmp(bare + k - 2, "__"))
		bare[k - 2] = '\0';
	for (const char *const *p = off_attributes; *p; p++)
		if (!strcmp(bare, *p)) {
			add(s, s->line, s->in_pragma ?
			    "#pragma clang attribute with %s: turns a sanitizer off for every function "
			    "that follows" : "%s: an attribute that turns a sanitizer off for this code",
			    bare);
			return;
		}
}

/*
 * A path into the run's logs/ ("../logs/tsan.%d"), or a report's name as
 * the checkers write it: tsan.PID, asan.PID, vg.PID.xml.
 */
static int names_report(const char *t)
{
	static const char *const logs[] = { "tsan.", "asan.", "vg.", NULL };

	if (strstr(t, "logs/"))
		return 1;
	for (const char *const *p = logs; *p; p++)
		for (const char *at = strstr(t, *p); at; at = strstr(at + 1, *p)) {
			char next = at[strlen(*p)];

			if ((at == t || !isalnum((unsigned char)at[-1])) &&
			    (isdigit((unsigned char)next) || next == '%'))
				return 1;
		}
	return 0;
}

/* The string literals just read, joined as the compiler joins them. */
static void flush_literal(struct scan *s)
{
	const char *t = s->lit.buf;

	if (!s->lit.len)
		return;
	for (const char *const *p = checker_env; *p; p++)
		if (strstr(t, *p))
			add(s, s->lit_line, "\"%s\": a checker's environment variable, which a program "
			    "changes only to run again without racelab's options", *p);
	if (names_report(t)) {
		char *shown = xstrndup(t, 60);	/* a path: its start says enough */

		add(s, s->lit_line, "\"%s\": names the checkers' reports, which a program opens only "
		    "to remove or forge one", shown);
		free(shown);
	}
	if (strstr(t, "/proc/self/exe"))
		add(s, s->lit_line, "%s: the program runs itself again, where the checker's options "
		    "can be changed", "/proc/self/exe");
	if (strstr(t, VALGRIND_PREAMBLE))
		add(s, s->lit_line, "%s: a Valgrind client request written as inline assembly",
		    "rolq $3, %rdi");
	for (const char *const *p = san_prefixes; *p; p++)
		if (strstr(t, *p)) {
			/* a name in an asm label, an alias or a dlsym() */
			const char *at = strstr(t, *p);
			size_t n = strspn(at, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789_");
			char *name = xstrndup(at, n);

			add(s, s->lit_line, "\"%s\": the sanitizer runtime's own interface, named in "
			    "a string", name);
			free(name);
		}
	strbuf_reset(&s->lit);
}

/* "# 12 \"file.c\" 1 3": the next line is line 12 of file.c. */
static void linemarker(struct scan *s, const char *p, const char *end)
{
	char *num_end;
	long n = strtol(p, &num_end, 10);
	const char *q = num_end;

	if (num_end == p)
		return;
	while (q < end && *q == ' ')
		q++;
	if (q < end && *q == '"') {
		strbuf_reset(&s->file);
		for (q++; q < end && *q != '"'; q++) {
			if (*q == '\\' && q + 1 < end)
				q++;
			strbuf_addch(&s->file, *q);
		}
		s->own = is_own(s, s->file.buf);
	}
	s->line = (int)n - 1;	/* the newline ending the marker moves to line n */
}

static const char *skip_quoted(const char *p, const char *end, char quote, struct strbuf *into)
{
	for (p++; p < end && *p != quote && *p != '\n'; p++) {
		if (*p == '\\' && p + 1 < end) {
			if (into)
				strbuf_addch(into, *p);
			p++;
		}
		if (into)
			strbuf_addch(into, *p);
	}
	return p < end && *p == quote ? p + 1 : p;
}

void tamper_scan_source(const char *text, size_t len, const char *srcdir, const char *incdir,
			struct strvec *out)
{
	struct scan s = { srcdir, incdir, out, STRBUF_INIT, 1, 1, 0, STRBUF_INIT, 0, { "" } };
	const char *p = text, *end = text + len;
	int bol = 1;	/* at the beginning of a line */

	strbuf_addstr(&s.file, "?");
	while (p < end) {
		char c = *p;

		if (c == '\n') {
			s.line++;
			s.in_pragma = 0;
			bol = 1;
			p++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			p++;
			continue;
		}
		if (bol && c == '#') {
			const char *eol = memchr(p, '\n', end - p);
			const char *q = p + 1;

			eol = eol ? eol : end;
			while (q < eol && *q == ' ')
				q++;
			bol = 0;
			if (q < eol && isdigit((unsigned char)*q)) {
				flush_literal(&s);
				linemarker(&s, q, eol);
				p = eol;
				continue;
			}
			if (!strncmp(q, "line", 4) && q + 4 < eol && q[4] == ' ') {
				flush_literal(&s);
				linemarker(&s, q + 5, eol);
				p = eol;
				continue;
			}
			/* #pragma: its tokens are scanned like code */
			s.in_pragma = !strncmp(q, "pragma", 6);
			p = q + (s.in_pragma ? 6 : 0);
			continue;
		}
		bol = 0;
		if (c == '"') {
			if (!s.lit.len)
				s.lit_line = s.line;
			p = skip_quoted(p, end, '"', s.own ? &s.lit : NULL);
			continue;
		}
		flush_literal(&s);
		if (c == '\'') {
			p = skip_quoted(p, end, '\'', NULL);
			push_token(&s, "'", 1);
			continue;
		}
		if (isalpha((unsigned char)c) || c == '_') {
			const char *q = p;

			while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
				q++;
			/* an encoding prefix (L"", u8"") belongs to its literal */
			if (q < end && *q == '"' && q - p <= 2) {
				p = q;
				continue;
			}
			if (s.own)
				check_ident(&s, p, q - p);
			push_token(&s, p, q - p);
			p = q;
			continue;
		}
		if (isdigit((unsigned char)c)) {
			const char *q = p;

			while (q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'))
				q++;
			push_token(&s, p, q - p);
			p = q;
			continue;
		}
		if (c == ']' && s.own)
			check_exec_self(&s);
		push_token(&s, p, 1);
		p++;
	}
	flush_literal(&s);
	strbuf_release(&s.file);
	strbuf_release(&s.lit);
}

/* A name of the sanitizers' interface. */
static int interface_name(const char *name)
{
	for (const char *const *p = san_prefixes; *p; p++)
		if (has_prefix(name, *p))
			return 1;
	return 0;
}

/* A hook the runtime defines weakly for the program to override; never strongly itself. */
static int hook_name(const char *name)
{
	size_t n = strlen(name);

	return interface_name(name) &&
		((n > 16 && !strcmp(name + n - 16, "_default_options")) ||
		 (n > 21 && !strcmp(name + n - 21, "_default_suppressions")) ||
		 !strcmp(name, "__lsan_is_turned_off"));
}

struct sym {
	char name[256];
	char type;
};

static void add_symbol(struct strvec *out, const char *file, int line, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s\t%d\t%s: defined by the program%s, a hook of the sanitizer runtime "
		    "that can change or silence what it reports", file, line, name,
		    *file ? "" : " (in assembly: no line of its sources)");
	if (!strvec_has(out, sb.buf))
		strvec_push(out, sb.buf);
	strbuf_release(&sb);
}

/*
 * The binary's symbols of the sanitizers' interface, and which are the
 * program's: one that addr2line places in a file under srcdir; a hook
 * defined strongly (the runtime's own definitions are weak), which
 * assembly can name without a line of the sources; and, where no runtime
 * is linked in (the native build), every one.
 */
int tamper_scan_binary(const char *binary, const char *srcdir, int runtime, struct strvec *out)
{
	struct child_process nm = CHILD_PROCESS_INIT, a2l = CHILD_PROCESS_INIT;
	struct strbuf syms = STRBUF_INIT, where = STRBUF_INIT;
	struct sym *v = NULL;
	size_t nv = 0, alloc = 0, n = strlen(srcdir);
	char *line, *save = NULL;
	int ret = 0;

	strvec_push(&nm.args, "nm");
	strvec_push(&nm.args, "--defined-only");
	strvec_push(&nm.args, binary);
	env_base(&nm.env, NULL);
	nm.no_rlimits = 1;
	if (capture_command(&nm, &syms, BINUTILS_TIMEOUT_MS) != 0) {
		ret = -1;
		goto out;
	}
	strvec_push(&a2l.args, "addr2line");
	strvec_push(&a2l.args, "-e");
	strvec_push(&a2l.args, binary);
	for (line = strtok_r(syms.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char addr[32], type[4];

		ALLOC_GROW(v, nv + 1, alloc);
		if (sscanf(line, "%31s %3s %255s", addr, type, v[nv].name) != 3 ||
		    !interface_name(v[nv].name))
			continue;
		v[nv++].type = type[0];
		strvec_push(&a2l.args, addr);
	}
	if (!nv)
		goto out;
	env_base(&a2l.env, NULL);
	a2l.no_rlimits = 1;
	if (capture_command(&a2l, &where, BINUTILS_TIMEOUT_MS) != 0) {
		ret = -1;
		goto out;
	}
	save = NULL;
	line = strtok_r(where.buf, "\n", &save);
	for (size_t i = 0; i < nv && line; i++, line = strtok_r(NULL, "\n", &save)) {
		char *colon = strrchr(line, ':');

		if (colon && !strncmp(line, srcdir, n) && line[n] == '/') {
			*colon = '\0';
			add_symbol(out, line + n + 1, atoi(colon + 1), v[i].name);
		} else if (!runtime || (hook_name(v[i].name) && v[i].type != 'W' && v[i].type != 'V' &&
					 v[i].type != 'w' && v[i].type != 'v')) {
			add_symbol(out, "", 0, v[i].name);
		}
	}
out:
	child_process_clear(&nm);
	child_process_clear(&a2l);
	strbuf_release(&syms);
	strbuf_release(&where);
	free(v);
	return ret;
}

int tamper_finding_split(const char *finding, char **file, int *line, const char **message)
{
	const char *tab = strchr(finding, '\t'), *tab2 = tab ? strchr(tab + 1, '\t') : NULL;

	if (!tab2)
		return -1;
	*file = xstrndup(finding, tab - finding);
	*line = atoi(tab + 1);
	*message = tab2 + 1;
	return 0;
}
