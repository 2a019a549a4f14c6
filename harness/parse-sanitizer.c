/*
 * The sanitizer log parser: one log_path file written by TSan, or by the
 * ASan runtime with LSan and UBSan in it (see parse.h and tools.c).
 *
 * A log is a sequence of reports. Each report starts with a header line
 * (WARNING: ThreadSanitizer:, ERROR: AddressSanitizer:, a "Direct leak"
 * block of LeakSanitizer, or UBSan's FILE:LINE:COL: runtime error:) and
 * yields one diagnostic. Its frames are the primary stack: the first run
 * of frame lines after the header (the first access for a race, the first
 * "acquired here" for a lock-order inversion, the leak's allocation).
 * Every later run of frame lines is a related stack, named by the line
 * just before it ("Previous write of size 4 at 0x.. by thread T1:",
 * "freed by thread T0 here:", "Thread T1 (tid=9, running) created by main
 * thread at:"), tidied: addresses, tids and the colon dropped, the first
 * letter in lower case. ASan prints the creating thread's stack of a
 * stack overflow or a deadly signal after its SUMMARY line: it still
 * belongs to that report. Lines without a stack after them (locations,
 * shadow bytes) are context we do not keep. TSan names a free that raced
 * with a use the "previous write": with a free() frame innermost, that
 * stack is called "freed by ..." here.
 *
 * Mapping choices where the vocabulary has no exact kind (documented here
 * because exercises' lab.ini depend on them):
 * - ASan global-buffer-overflow, bad-free, alloc-dealloc-mismatch,
 *   use-after-poison, container-overflow, memcpy-param-overlap and other
 *   kinds outside the vocabulary: undefined-behavior (all are UB in C;
 *   no memory kind is stretched to cover them). tool_kind keeps ASan's word.
 * - ASan stack-buffer-underflow and dynamic-stack-buffer-overflow:
 *   stack-buffer-overflow (the vocabulary's "past the end (or start)").
 * - TSan warnings outside the known list: undefined-behavior, with TSan's
 *   words as tool_kind; "data race on vptr" and "race on external object"
 *   are data races, "mutex held in the wrong context" is mutex misuse.
 * - A deadly signal (SEGV, BUS, FPE, ILL, ...) is a crash. TSan cannot
 *   report its own stack overflow: it faults on a WRITE and then prints
 *   "nested bug in the same thread" before any stack; that pair is taken
 *   as stack-overflow.
 *
 * A run racelab killed (ctx->killed) needs nothing special: the
 * sanitizers print nothing when killed by SIGTERM or SIGKILL.
 */
#include "parse.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum report_tool { R_NONE, R_TSAN, R_ASAN, R_LSAN, R_UBSAN };

struct san_state {
	const struct parse_ctx *ctx;
	struct diag_list *out;
	struct diag *cur;	/* the report being read, or NULL */
	enum report_tool tool;
	int frames_seen;	/* the primary stack has started */
	int frames_done;	/* ...and ended: later stacks are related stacks */
	char *header;		/* the last line before a stack: what the stack is */
	struct related *rel;	/* the related stack being read, or NULL */
	int have_access;	/* message already taken from an access line */
	int write_fault;	/* deadly signal "caused by a WRITE" */
	char *ubsan_file;	/* UBSan header location, for a stackless report */
	int ubsan_line;
	int recognized;		/* saw anything a sanitizer writes */
};

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char *tsan_kind(const char *what)
{
	static const struct { const char *prefix, *kind; } map[] = {
		{ "data race", "data-race" },
		{ "race on external object", "data-race" },
		{ "heap-use-after-free", "heap-use-after-free" },
		{ "lock-order-inversion", "lock-order-inversion" },
		{ "thread leak", "thread-leak" },
		{ "unlock of an unlocked mutex", "mutex-misuse" },
		{ "destroy of a locked mutex", "mutex-misuse" },
		{ "double lock of a mutex", "mutex-misuse" },
		{ "use of an invalid mutex", "mutex-misuse" },
		{ "read lock of a write locked mutex", "mutex-misuse" },
		{ "read unlock of a write locked mutex", "mutex-misuse" },
		{ "mutex held in the wrong context", "mutex-misuse" },
		{ "signal-unsafe call inside of a signal", "signal-unsafe" },
		{ "signal handler spoils errno", "signal-unsafe" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (starts_with(what, map[i].prefix))
			return map[i].kind;
	return "undefined-behavior";
}

static int is_deadly_signal(const char *what)
{
	static const char *const sigs[] = { "SEGV", "BUS", "FPE", "ILL", "ABRT", "TRAP" };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		if (!strcmp(what, sigs[i]))
			return 1;
	return 0;
}

static const char *asan_kind(const char *what)
{
	static const char *const same[] = {
		"heap-use-after-free", "double-free", "heap-buffer-overflow",
		"stack-buffer-overflow", "stack-use-after-return",
		"stack-use-after-scope", "stack-overflow",
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(*same); i++)
		if (!strcmp(what, same[i]))
			return same[i];
	if (!strcmp(what, "stack-buffer-underflow") ||
	    !strcmp(what, "dynamic-stack-buffer-overflow"))
		return "stack-buffer-overflow";
	if (is_deadly_signal(what))
		return "crash";
	return "undefined-behavior";
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

static int is_free(const char *fn)
{
	return fn && (!strcmp(fn, "free") || !strcmp(fn, "cfree") || !strcmp(fn, "realloc") ||
		      !strncmp(fn, "operator delete", 15));
}

/* TSan: "previous write of size 8 by main thread" in free() -> "freed by main thread" */
static void name_tsan_frees(struct diag *d)
{
	for (size_t i = 0; i < d->nrelated; i++) {
		struct related *r = &d->related[i];
		const char *by = strstr(r->what, " by ");

		if (!strncmp(r->what, "previous write ", 15) && by && r->nframes &&
		    is_free(r->frames[0].function)) {
			char *what = xstrfmt("freed%s", by);

			free(r->what);
			r->what = what;
		}
	}
}

static void end_report(struct san_state *st)
{
	struct diag *d = st->cur;

	/* UBSan without print_stacktrace still names the faulting line. */
	if (d && !d->nframes && st->ubsan_file)
		diag_add_frame(d, NULL, st->ubsan_file, st->ubsan_line, st->ctx->srcdir);
	if (d && st->tool == R_TSAN && !strcmp(d->kind, "heap-use-after-free"))
		name_tsan_frees(d);
	free(st->ubsan_file);
	st->ubsan_file = NULL;
	free(st->header);
	st->header = NULL;
	st->rel = NULL;
	st->cur = NULL;
	st->tool = R_NONE;
	st->frames_seen = st->frames_done = st->have_access = st->write_fault = 0;
}

static void begin_report(struct san_state *st, enum report_tool tool, const char *kind,
			 const char *tool_kind, const char *message)
{
	end_report(st);
	st->cur = diag_list_push(st->out, kind, tool_kind, message);
	st->tool = tool;
}

/* "FRAME|%n|%f|%s|%l|%c|%m|%o", racelab's stack_trace_format. */
static int parse_custom_frame(const char *line, char **fn, char **file, int *lineno,
			      char **module)
{
	const char *f[8];
	size_t flen[8];
	const char *p = line;
	int n = 0;

	if (!starts_with(line, "FRAME|"))
		return 0;
	while (n < 8) {
		const char *bar = strchr(p, '|');

		f[n] = p;
		flen[n] = bar ? (size_t)(bar - p) : strlen(p);
		n++;
		if (!bar)
			break;
		p = bar + 1;
	}
	if (n < 5)
		return 0;
	*fn = (flen[2] && strncmp(f[2], "<null>", flen[2])) ? xstrndup(f[2], flen[2]) : NULL;
	*file = (flen[3] && strncmp(f[3], "<null>", flen[3])) ? xstrndup(f[3], flen[3]) : NULL;
	*lineno = atoi(f[4]);
	*module = n > 6 && flen[6] ? xstrndup(f[6], flen[6]) : NULL;
	return 1;
}

/*
 * The default formats, for logs written without racelab's options:
 * ASan "#N 0xPC in FUNC FILE:LINE:COL" and TSan "#N FUNC FILE:LINE:COL (mod+0x..)".
 * FUNC may contain spaces, so the location is the last word before any
 * "(module+offset)" groups.
 */
static int parse_default_frame(const char *line, char **fn, char **file, int *lineno,
			       char **module)
{
	const char *p = line, *end, *loc, *colon;

	while (*p == ' ')
		p++;
	if (*p != '#' || !isdigit((unsigned char)p[1]))
		return 0;
	p = strchr(p, ' ');
	if (!p)
		return 0;
	p++;
	if (starts_with(p, "0x")) {
		const char *in = strstr(p, " in ");

		if (!in)
			return 0;
		p = in + 4;
	}
	end = p + strlen(p);
	*module = NULL;
	while (end > p && end[-1] == ')') {
		const char *open = end, *plus;

		while (open > p && *open != '(')
			open--;
		if (open <= p || open[-1] != ' ')
			break;
		plus = memmem(open, end - open, "+0x", 3);
		if (plus) {
			free(*module);
			*module = xstrndup(open + 1, plus - open - 1);
		}
		end = open - 1;
	}
	loc = end;
	while (loc > p && loc[-1] != ' ')
		loc--;
	*lineno = 0;
	*file = NULL;
	if (loc > p && (starts_with(loc, "<null>") || memchr(loc, ':', end - loc))) {
		colon = memchr(loc, ':', end - loc);
		if (colon) {
			*file = xstrndup(loc, colon - loc);
			*lineno = atoi(colon + 1);
		}
		end = loc - 1;
	}
	*fn = end > p && strncmp(p, "<null>", end - p) ? xstrndup(p, end - p) : NULL;
	return 1;
}

/*
 * "  Thread T1 'name' (tid=9, running) created by main thread at:" ->
 * "thread T1 'name' created by main thread at": groups in parentheses
 * that hold an address or an id, addresses and the final colon go; so
 * does the capital of a first word that is not a name like T1.
 */
static char *tidy_what(const char *line)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = line;
	char *what;
	size_t n;

	while (*p == ' ')
		p++;
	while (*p) {
		const char *close = *p == '(' ? strchr(p, ')') : NULL;

		if (close && (memmem(p, close - p, "0x", 2) || memmem(p, close - p, "tid=", 4) ||
			      memmem(p, close - p, "pid=", 4))) {
			p = close + 1;
			continue;
		}
		strbuf_addch(&sb, *p++);
	}
	what = message_without_addresses(sb.buf, sb.len);
	strbuf_release(&sb);
	n = strlen(what);
	while (n && (what[n - 1] == ':' || what[n - 1] == ' '))
		what[--n] = '\0';
	if (isupper((unsigned char)what[0]) && islower((unsigned char)what[1]))
		what[0] = tolower((unsigned char)what[0]);
	if (!strcmp(what, "and")) {	/* TSan's second stack of a mutex report */
		free(what);
		what = xstrdup("and at");
	}
	return what;
}

static void take_header(struct san_state *st, const char *line)
{
	free(st->header);
	st->header = xstrdup(line);
}

/* The primary stack's own header names it only when it ends in a colon. */
static void name_primary(struct san_state *st)
{
	size_t n = st->header ? strlen(st->header) : 0;

	if (n && st->header[n - 1] == ':')
		st->cur->frames_what = tidy_what(st->header);
}

static int take_frame(struct san_state *st, const char *line)
{
	char *fn = NULL, *file = NULL, *module = NULL;
	struct frame *f = NULL;
	int lineno = 0;

	if (!parse_custom_frame(line, &fn, &file, &lineno, &module) &&
	    !parse_default_frame(line, &fn, &file, &lineno, &module))
		return 0;
	if (st->cur && !st->frames_done) {
		if (!st->frames_seen)
			name_primary(st);
		st->frames_seen = 1;
		f = diag_add_frame(st->cur, fn, file, lineno, st->ctx->srcdir);
	} else if (st->cur && (st->rel || st->header)) {
		if (!st->rel) {
			char *what = tidy_what(st->header);

			st->rel = diag_add_related(st->cur, what);
			free(what);
		}
		f = related_add_frame(st->rel, fn, file, lineno, st->ctx->srcdir);
	}
	if (f)
		frame_set_module(f, module);
	free(st->header);
	st->header = NULL;
	free(fn);
	free(file);
	free(module);
	return 1;
}

/* Skip a "==1234==" prefix. */
static const char *skip_pid(const char *line)
{
	const char *p = line;

	if (p[0] != '=' || p[1] != '=' || !isdigit((unsigned char)p[2]))
		return line;
	p += 2;
	while (isdigit((unsigned char)*p))
		p++;
	return starts_with(p, "==") ? p + 2 : line;
}

/* "data race (pid=42)" -> "data race" */
static char *strip_pid_suffix(const char *what)
{
	const char *paren = strstr(what, " (pid=");

	return paren ? xstrndup(what, paren - what) : xstrdup(what);
}

static void tsan_warning(struct san_state *st, const char *what)
{
	char *tk = strip_pid_suffix(what);

	begin_report(st, R_TSAN, tsan_kind(tk), tk, tk);
	free(tk);
}

/*
 * "SEGV on unknown address 0x0 (pc 0x.. bp .. sp .. T1)" -> "SEGV on unknown address";
 * "stack-overflow on address 0x.. (pc .. T1)" -> "stack-overflow by thread T1"
 * (ASan numbers its threads T0, T1...; TSan puts the OS thread id there).
 */
static char *signal_message(enum report_tool tool, const char *what)
{
	const char *paren = strstr(what, " (pc ");
	char *head = paren ? xstrndup(what, paren - what) : xstrdup(what);
	struct strbuf sb = STRBUF_INIT;
	char *msg = message_without_addresses(head, strlen(head));
	size_t n = strlen(msg);
	const char *t;

	free(head);
	if (n > 11 && !strcmp(msg + n - 11, " on address"))
		msg[n - 11] = '\0';
	strbuf_addstr(&sb, msg);
	free(msg);
	if (tool == R_ASAN && paren && (t = strrchr(paren, ' ')) && t[1] == 'T')
		strbuf_addf(&sb, " by thread %.*s", (int)strcspn(t + 1, ")"), t + 1);
	return strbuf_detach(&sb, NULL);
}

/* ERROR: {Thread,Address,UndefinedBehavior}Sanitizer: KIND ... */
static void sanitizer_error(struct san_state *st, enum report_tool tool, const char *what)
{
	size_t n = strcspn(what, " :");
	char *tk = xstrndup(what, n);
	char *msg;
	const char *kind;

	if (starts_with(what, "attempting double-free")) {
		set_str(&tk, "double-free");
	} else if (starts_with(what, "attempting free on address which was not malloc()-ed")) {
		set_str(&tk, "bad-free");
	}
	if (is_deadly_signal(tk))
		kind = "crash";
	else
		kind = tool == R_ASAN ? asan_kind(tk) : tsan_kind(tk);
	msg = signal_message(tool, what);
	if (is_deadly_signal(tk) || !strcmp(tk, "stack-overflow"))
		begin_report(st, tool, kind, tk, msg);
	else
		begin_report(st, tool, kind, tk, tk);
	free(msg);
	free(tk);
}

/* "Write of size 4 at 0x.. by thread T2 (mutexes: write M0):" (TSan) or
 * "READ of size 4 at 0x.. thread T1" (ASan) -> "... of size 4 by thread T2" */
static int access_line(struct san_state *st, const char *line)
{
	const char *p = line, *at, *who;
	struct strbuf sb = STRBUF_INIT;

	while (*p == ' ')
		p++;
	if (!st->cur || st->have_access || st->frames_seen)
		return 0;
	if (!(starts_with(p, "Read ") || starts_with(p, "Write ") || starts_with(p, "Atomic ") ||
	      starts_with(p, "READ ") || starts_with(p, "WRITE ")) ||
	    !strstr(p, " of size ") || !(at = strstr(p, " at 0x")))
		return 0;
	strbuf_add(&sb, p, at - p);
	if (strstr(at, "main thread")) {
		strbuf_addstr(&sb, " by main thread");
	} else if ((who = strstr(at, "thread T"))) {
		who += strlen("thread ");
		strbuf_addstr(&sb, " by thread ");
		strbuf_add(&sb, who, strcspn(who, " :("));
	}
	free(st->cur->message);
	st->cur->message = strbuf_detach(&sb, NULL);
	st->have_access = 1;
	return 1;
}

/* "FILE:LINE:COL: runtime error: MSG" */
static int ubsan_header(struct san_state *st, const char *line)
{
	const char *re = strstr(line, ": runtime error: ");
	const char *p;
	char *msg;
	int lineno = 0;

	if (!re)
		return 0;
	/* FILE:LINE:COL -- walk back over ":COL" and ":LINE". */
	p = re;
	for (int i = 0; i < 2 && p > line; i++) {
		const char *q = p;

		while (q > line && isdigit((unsigned char)q[-1]))
			q--;
		if (q == p || q == line || q[-1] != ':')
			return 0;
		lineno = atoi(q);
		p = q - 1;
	}
	re += strlen(": runtime error: ");
	msg = message_without_addresses(re, strlen(re));
	begin_report(st, R_UBSAN, "undefined-behavior", "runtime error", msg);
	free(msg);
	st->ubsan_file = xstrndup(line, p - line);
	st->ubsan_line = lineno;
	return 1;
}

/* "Direct leak of 32 byte(s) in 1 object(s) allocated from:" */
static int leak_header(struct san_state *st, const char *line)
{
	const char *from;
	char *msg;

	if (!starts_with(line, "Direct leak of ") && !starts_with(line, "Indirect leak of "))
		return 0;
	from = strstr(line, " allocated from");
	msg = from ? xstrndup(line, from - line) : xstrdup(line);
	begin_report(st, R_LSAN, "memory-leak",
		     line[0] == 'D' ? "Direct leak" : "Indirect leak", msg);
	free(msg);
	return 1;
}

/* SUMMARY: AddressSanitizer: KIND ... names ASan's and UBSan's canonical kind. */
static void summary(struct san_state *st, const char *line)
{
	const char *p = strchr(line + strlen("SUMMARY: "), ':');
	char *tk;

	if (st->cur && p && (st->tool == R_ASAN || st->tool == R_UBSAN)) {
		p++;
		while (*p == ' ')
			p++;
		tk = xstrndup(p, strcspn(p, " "));
		if (*tk && !isdigit((unsigned char)*tk) && strcmp(tk, "undefined-behavior")) {
			set_str(&st->cur->tool_kind, tk);
			if (st->tool == R_ASAN)
				set_str(&st->cur->kind, asan_kind(tk));
		}
		free(tk);
	}
	/* An LSan block continues until the next leak block; an ASan report
	 * may still print the stack that created the faulting thread. */
	if (st->tool == R_ASAN && st->cur)
		st->frames_done = 1;
	else if (st->tool != R_LSAN)
		end_report(st);
}

static void parse_line(struct san_state *st, const char *raw)
{
	const char *line = skip_pid(raw);

	if (starts_with(line, "WARNING: ThreadSanitizer: ")) {
		st->recognized = 1;
		tsan_warning(st, line + strlen("WARNING: ThreadSanitizer: "));
	} else if (starts_with(line, "ERROR: ThreadSanitizer: ")) {
		st->recognized = 1;
		sanitizer_error(st, R_TSAN, line + strlen("ERROR: ThreadSanitizer: "));
	} else if (starts_with(line, "ERROR: AddressSanitizer: ")) {
		st->recognized = 1;
		sanitizer_error(st, R_ASAN, line + strlen("ERROR: AddressSanitizer: "));
	} else if (starts_with(line, "ERROR: UndefinedBehaviorSanitizer: ")) {
		st->recognized = 1;
		sanitizer_error(st, R_ASAN, line + strlen("ERROR: UndefinedBehaviorSanitizer: "));
	} else if (starts_with(line, "ERROR: LeakSanitizer: ")) {
		st->recognized = 1;
		end_report(st);
	} else if (leak_header(st, line) || ubsan_header(st, line)) {
		st->recognized = 1;
	} else if (starts_with(line, "SUMMARY: ")) {
		st->recognized = 1;
		summary(st, line);
	} else if (strstr(line, "ThreadSanitizer: nested bug in the same thread")) {
		st->recognized = 1;
		if (st->cur && st->tool == R_TSAN && !strcmp(st->cur->kind, "crash") &&
		    st->write_fault && !st->cur->nframes)
			set_str(&st->cur->kind, "stack-overflow");
	} else if (strstr(line, "Sanitizer:DEADLYSIGNAL") || starts_with(line, "LLVMSymbolizer")) {
		st->recognized = 1;	/* noise between or inside reports */
	} else if (starts_with(line, "The signal is caused by a ")) {
		if (strstr(line, "WRITE"))
			st->write_fault = 1;
	} else if (strstr(line, "ABORTING") && line != raw) {
		end_report(st);		/* ==PID==ABORTING: nothing more of this report */
	} else if (take_frame(st, line) || access_line(st, line)) {
		;
	} else {
		/* Any other line (usually blank) ends the stack being read, and
		 * may name the next one. */
		if (st->frames_seen)
			st->frames_done = 1;
		st->rel = NULL;
		if (*line) {
			take_header(st, line);
		} else {
			free(st->header);
			st->header = NULL;
		}
	}
	if (starts_with(line, "==================") || strstr(line, "Sanitizer: reported "))
		st->recognized = 1;
}

int parse_sanitizer_log(const char *text, size_t len, const struct parse_ctx *ctx,
			struct diag_list *out)
{
	struct san_state st = { .ctx = ctx, .out = out };
	struct strbuf line = STRBUF_INIT;
	size_t before = out->n, i = 0;
	int blank = 1;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		strbuf_reset(&line);
		strbuf_add(&line, text + i, n);
		strbuf_rtrim(&line);
		if (line.len)
			blank = 0;
		parse_line(&st, line.buf);
		i += n + (nl ? 1 : 0);
	}
	end_report(&st);
	strbuf_release(&line);
	if (!st.recognized && !blank)
		return -1;
	return (int)(out->n - before);
}
