/*
 * lab.ini: reading an exercise's description (see lab.h, docs/lab-ini.md).
 *
 * inih splits lines into sections and name=value pairs, but Debian's build
 * gives the handler no line number and never reports a section that has
 * no keys (an empty [fixed] means something). So the file is fed to inih
 * through our own reader: it counts lines, notes how inih will read each
 * one (section header, pair, continuation, malformed) and reports the
 * syntax errors inih would only count. Values are collected first and
 * checked afterwards, so that continuation lines are joined before a value
 * is judged and every problem of the file is reported in one go.
 */
#include "lab.h"
#include "lab-int.h"
#include "diag.h"
#include "util.h"

#include <ini.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * Characters that start a comment after a blank. inih's default build
 * knows only ';'; '#' is stripped by us, so both work whatever the build.
 */
#define INLINE_COMMENT ";#"
#define START_COMMENT ";#"

const char *const lab_sections[] = { "exercise", "oracle", "buggy", "fixed", "program", "case" };
_Static_assert(sizeof(lab_sections) / sizeof(*lab_sections) == NSECTIONS, "NSECTIONS out of date");

static const char *const known_requires[] = { "sched-fifo" };

/*
 * Environment racelab sets for every run (the sandbox, the checkers'
 * options, the observer): a program's env may not set them.
 */
static const char *const reserved_env[] = {
	"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LD_PRELOAD", "TSAN_OPTIONS",
	"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "VALGRIND_OPTS",
};

int reserved(const char *assignment)
{
	size_t n = strcspn(assignment, "=");

	if (!strncmp(assignment, "RACELAB_", 8))
		return 1;
	for (size_t i = 0; i < sizeof(reserved_env) / sizeof(*reserved_env); i++)
		if (strlen(reserved_env[i]) == n && !strncmp(assignment, reserved_env[i], n))
			return 1;
	return 0;
}

__attribute__((format(printf, 3, 4)))
void report(struct load *st, int line, const char *fmt, ...)
{
	struct problem *p;
	va_list ap;

	ALLOC_GROW(st->problems, st->nerr + 1, st->alloc_problems);
	p = &st->problems[st->nerr];
	p->line = line;
	p->seq = st->nerr++;
	strbuf_init(&p->msg, 0);
	va_start(ap, fmt);
	strbuf_vaddf(&p->msg, fmt, ap);
	va_end(ap);
}

static int problem_cmp(const void *a_, const void *b_)
{
	const struct problem *a = a_, *b = b_;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Problems are found in two passes (syntax while reading, values after),
 * so they are put back in file order for the author.
 */
static void flush_problems(struct load *st)
{
	if (st->nerr)
		qsort(st->problems, st->nerr, sizeof(*st->problems), problem_cmp);
	for (size_t i = 0; i < st->nerr; i++) {
		strbuf_addf(st->err, "%s:%d: %s\n", st->lab->path,
			    st->problems[i].line, st->problems[i].msg.buf);
		strbuf_release(&st->problems[i].msg);
	}
	free(st->problems);
}

static const char *section_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (strlen(lab_sections[i]) == len && !strncmp(lab_sections[i], name, len))
			return lab_sections[i];
	return NULL;
}

struct section_seen *seen_find(struct load *st, const char *name)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (st->seen[i].name && !strcmp(st->seen[i].name, name))
			return &st->seen[i];
	return NULL;
}

/* Like inih: the first of `chars`, or a comment prefix after a blank, or NUL. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
	int was_space = 0;

	for (; *s; s++) {
		if (chars && strchr(chars, *s))
			break;
		if (was_space && strchr(INLINE_COMMENT, *s))
			break;
		was_space = isspace((unsigned char)*s);
	}
	return s;
}

int valid_section_name(const char *s, size_t len)
{
	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

int named_section(struct load *st, const char **name, size_t *len, const char *what,
		  const char *example)
{
	st->section = NULL;
	st->ignoring = 1;	/* until the caller has taken the section */
	while (*len && isspace((unsigned char)**name)) {
		(*name)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*name)[*len - 1]))
		(*len)--;
	if (valid_section_name(*name, *len))
		return 1;
	report(st, st->lineno, "[%s NAME] needs a name of letters, digits, '-' or '_' (e.g. [%s %s])",
	       what, what, example);
	return 0;
}

/* "[program NAME]": one more program of a multi-program exercise. */
static void enter_program(struct load *st, const char *name, size_t len)
{
	struct lab *lab = st->lab;
	struct program *p;

	if (!named_section(st, &name, &len, "program", "server"))
		return;
	for (size_t i = 0; i < lab->nprograms; i++)
		if (strlen(lab->programs[i].name) == len && !strncmp(lab->programs[i].name, name, len)) {
			report(st, st->lineno, "section [program %.*s] appears twice (first at line %d)",
			       (int)len, name, lab->programs[i].line);
			return;
		}
	if (lab->nprograms == LAB_MAX_PROGRAMS) {
		report(st, st->lineno, "too many [program] sections (at most %d)", LAB_MAX_PROGRAMS);
		return;
	}
	p = &lab->programs[lab->nprograms];
	memset(p, 0, sizeof(*p));
	p->name = xstrndup(name, len);
	p->line = st->lineno;
	p->checked = 1;
	st->program = (int)lab->nprograms++;
	st->section = "program";
	st->ignoring = 0;
}

static void enter_section(struct load *st, const char *name, size_t len)
{
	const char *known = section_find(name, len);
	struct section_seen *prev;

	st->has_pair = 0;
	st->last_entry = -1;
	st->program = -1;
	if (len >= 7 && !strncmp(name, "program", 7) && (len == 7 || isspace((unsigned char)name[7]))) {
		enter_program(st, name + 7, len - 7);
		return;
	}
	if (len >= 4 && !strncmp(name, "case", 4) && (len == 4 || isspace((unsigned char)name[4]))) {
		enter_case(st, name + 4, len - 4);
		return;
	}
	st->section = known;
	st->ignoring = !known || !strcmp(known, "program") || !strcmp(known, "case");
	if (st->ignoring) {
		report(st, st->lineno, "unknown section [%.*s] (known: [exercise], [oracle], [buggy], [fixed], "
		       "[program NAME], [case NAME])", (int)len, name);
		return;
	}
	prev = seen_find(st, known);
	if (prev) {
		report(st, st->lineno, "section [%s] appears twice (first at line %d)",
		       known, prev->line);
		return;
	}
	for (size_t i = 0; i < NSECTIONS; i++) {
		if (!st->seen[i].name) {
			st->seen[i].name = known;
			st->seen[i].line = st->lineno;
			break;
		}
	}
	if (!strcmp(known, "fixed"))
		st->lab->has_fixed = 1;
}

/* A header (or the end of the file) after line `last` ends every case section still open. */
static void close_cases(struct lab *lab, int last)
{
	for (size_t i = 0; i < lab->ncases; i++)
		if (!lab->cases[i].end_line)
			lab->cases[i].end_line = last;
}

/*
 * Decide how inih will read `line` (mirroring its rules: comment first,
 * then continuation, then header, then pair) and note section headers,
 * which inih never shows the handler when they have no keys.
 */
static enum line_type classify(struct load *st, const char *line)
{
	const char *p = line, *end;
	size_t len;

	if (st->lineno == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (*p && isspace((unsigned char)*p))
		p++;
	len = strlen(p);
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (!len || strchr(START_COMMENT, *p))
		return LINE_BLANK;
	if (p > line && st->has_pair)
		return LINE_CONTINUATION;
	if (*p == '[') {
		end = find_chars_or_comment(p + 1, "]");
		if (*end != ']') {
			report(st, st->lineno, "missing ']' in section header");
			/* keys below belong to no section we can name */
			st->section = NULL;
			st->ignoring = 1;
			st->has_pair = 0;
			return LINE_BAD;
		}
		close_cases(st->lab, st->lineno - 1);
		enter_section(st, p + 1, end - p - 1);
		return LINE_SECTION;
	}
	end = find_chars_or_comment(p, "=:");
	if (*end != '=' && *end != ':') {
		report(st, st->lineno, "expected 'key = value' or '[section]'");
		return LINE_BAD;
	}
	return LINE_PAIR;
}

/*
 * inih's reader: one line per call, like fgets. A line that does not fit
 * inih's buffer (or holds a NUL) is reported and handed over as blank,
 * where inih would silently cut it.
 */
static char *lab_reader(char *str, int num, void *stream)
{
	struct load *st = stream;
	const char *line = st->pos, *eol;
	size_t len;

	if (st->pos >= st->end || num < 2)
		return NULL;
	eol = memchr(line, '\n', st->end - line);
	len = eol ? (size_t)(eol - line) + 1 : (size_t)(st->end - line);
	st->pos += len;
	st->lineno++;

	if (memchr(line, '\0', len)) {
		report(st, st->lineno, "line contains a NUL byte");
	} else if (len > (size_t)num - 1) {
		report(st, st->lineno, "line too long (at most %d characters)", num - 2);
	} else {
		memcpy(str, line, len);
		str[len] = '\0';
		st->type = classify(st, str);
		return str;
	}
	st->type = LINE_BLANK;
	strcpy(str, "\n");
	return str;
}

static void strip_comment(struct strbuf *sb, const char *value)
{
	const char *end = find_chars_or_comment(value, NULL);

	strbuf_add(sb, value, end - value);
	strbuf_rtrim(sb);
}

/* "exercise", or "program server" for [program server]: for messages. */
const char *section_label(struct load *st, const char *section, int program)
{
	static char buf[64];

	if (program < 0)
		return section;
	if (!strcmp(section, "case"))
		snprintf(buf, sizeof(buf), "case %s", st->lab->cases[program].name);
	else
		snprintf(buf, sizeof(buf), "program %s", st->lab->programs[program].name);
	return buf;
}

struct entry *entry_find(struct load *st, const char *section, int program,
				 const char *name)
{
	for (size_t i = 0; i < st->nentries; i++)
		if (!strcmp(st->entries[i].section, section) && st->entries[i].program == program &&
		    !strcmp(st->entries[i].name, name))
			return &st->entries[i];
	return NULL;
}

static void add_entry(struct load *st, const char *name, const char *value)
{
	struct entry *e = entry_find(st, st->section, st->program, name);

	if (e) {
		report(st, st->lineno, "[%s] duplicate key '%s' (first at line %d)",
		       section_label(st, st->section, st->program), name, e->line);
		st->last_entry = -1;
		return;
	}
	ALLOC_GROW(st->entries, st->nentries + 1, st->alloc_entries);
	e = &st->entries[st->nentries];
	e->section = st->section;
	e->program = st->program;
	e->name = xstrdup(name);
	strbuf_init(&e->value, 0);
	strip_comment(&e->value, value);
	e->line = st->lineno;
	e->continued = 0;
	st->last_entry = (long)st->nentries++;
}

static int lab_handler(void *user, const char *section, const char *name,
		       const char *value)
{
	struct load *st = user;

	(void)section;	/* the reader tracks sections, including empty ones */
	switch (st->type) {
	case LINE_CONTINUATION:
		if (st->last_entry >= 0) {
			struct entry *e = &st->entries[st->last_entry];
			strbuf_addch(&e->value, ' ');
			strip_comment(&e->value, value);
			e->continued = 1;
		}
		return 1;
	case LINE_PAIR:
		break;
	default:
		/* inih read the line differently than we did: it is reported */
		return 1;
	}
	if (!*name) {
		report(st, st->lineno, "missing key before '='");
		return 1;
	}
	st->has_pair = 1;
	st->last_entry = -1;
	if (st->ignoring)
		return 1;
	if (!st->section) {
		report(st, st->lineno, "'%s' is outside any section (start with [exercise])", name);
		return 1;
	}
	add_entry(st, name, value);
	return 1;
}

int entry_int(struct load *st, const struct entry *e, long min, long max, long *out)
{
	const char *sec = section_label(st, e->section, e->program);

	if (!parse_long(e->value.buf, min, max, out))
		return 0;
	if (max == INT_MAX)	/* no upper bound worth telling */
		report(st, e->line, "[%s] %s: '%s' is not a whole number of at least %ld",
		       sec, e->name, e->value.buf, min);
	else
		report(st, e->line, "[%s] %s: '%s' is not a whole number from %ld to %ld",
		       sec, e->name, e->value.buf, min, max);
	return -1;
}

static void set_string(char **dst, const struct entry *e)
{
	free(*dst);
	*dst = xstrdup(e->value.buf);
}

void set_sources(struct load *st, const struct entry *e, struct strvec *dst)
{
	const char *sec = section_label(st, e->section, e->program);
	struct strvec words = STRVEC_INIT;

	strvec_split(&words, e->value.buf);
	if (!words.n)
		report(st, e->line, "[%s] sources: at least one file is required", sec);
	for (size_t i = 0; i < words.n; i++) {
		const char *w = words.v[i];

		/* sources are copied and built inside a sandbox directory */
		if (strchr(w, '/') || strstr(w, "..") || !strcmp(w, "."))
			report(st, e->line, "[%s] sources: '%s' must be a plain file name (no '/' or '..')",
			       sec, w);
		else if (strvec_has(dst, w))
			report(st, e->line, "[%s] sources: '%s' is listed twice", sec, w);
		else
			strvec_push(dst, w);
	}
	strvec_clear(&words);
}

static void set_requires(struct load *st, const struct entry *e)
{
	struct strvec words = STRVEC_INIT;

	strvec_split(&words, e->value.buf);
	for (size_t i = 0; i < words.n; i++) {
		size_t k;

		for (k = 0; k < sizeof(known_requires) / sizeof(*known_requires); k++)
			if (!strcmp(words.v[i], known_requires[k]))
				break;
		if (k == sizeof(known_requires) / sizeof(*known_requires))
			report(st, e->line, "[exercise] requires: unknown requirement '%s' (known: sched-fifo)",
			       words.v[i]);
		else
			strvec_push(&st->lab->requires, words.v[i]);
	}
	strvec_clear(&words);
}

static void apply_exercise(struct load *st, const struct entry *e)
{
	struct lab *lab = st->lab;
	const char *k = e->name;
	long v;

	if (!strcmp(k, "title")) {
		set_string(&lab->title, e);
	} else if (!strcmp(k, "class")) {
		if (!bug_kind_find(e->value.buf))
			report(st, e->line, "[exercise] class: unknown kind '%s'", e->value.buf);
		else
			set_string(&lab->klass, e);
	} else if (!strcmp(k, "sources")) {
		set_sources(st, e, &lab->sources);
	} else if (!strcmp(k, "args")) {
		strvec_split(&lab->args, e->value.buf);
	} else if (!strcmp(k, "cflags")) {
		strvec_split(&lab->cflags, e->value.buf);
	} else if (!strcmp(k, "requires")) {
		set_requires(st, e);
	} else if (!strcmp(k, "timeout")) {
		if (!entry_int(st, e, 1, 3600, &v))
			lab->timeout_s = (unsigned)v;
	} else if (!strcmp(k, "stall")) {
		if (!entry_int(st, e, 100, 60000, &v))
			lab->stall_ms = (unsigned)v;
	} else if (!strcmp(k, "points")) {
		if (!entry_int(st, e, 0, 1000000, &v))
			lab->points = (int)v;
	} else if (!strcmp(k, "partial")) {
		if (!strcmp(e->value.buf, "none") || !strcmp(e->value.buf, "per-checker"))
			lab->partial_per_checker = !strcmp(e->value.buf, "per-checker");
		else
			report(st, e->line, "[exercise] partial: '%s' is not none or per-checker",
			       e->value.buf);
	} else {
		report(st, e->line, "[exercise] unknown key '%s' (known: title, class, sources, args, "
		       "timeout, stall, cflags, points, partial, requires)", k);
	}
}

static void set_stdout_re(struct load *st, const struct entry *e, struct oracle *o)
{
	const char *sec = section_label(st, e->section, e->program);
	regex_t re;
	int rc;

	if (e->continued) {
		/* joining lines with a blank would silently change the regex */
		report(st, e->line, "[%s] stdout: the regular expression must be on one line", sec);
		return;
	}
	rc = regcomp(&re, e->value.buf, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);
	if (rc) {
		size_t n = regerror(rc, &re, NULL, 0);
		char *msg = xmalloc(n);

		regerror(rc, &re, msg, n);
		report(st, e->line, "[%s] stdout: bad regular expression '%s': %s",
		       sec, e->value.buf, msg);
		free(msg);
		return;
	}
	regfree(&re);
	set_string(&o->stdout_re, e);
}

/* The oracle keys [oracle] and [program NAME] share. Returns 1 when known. */
int apply_oracle_key(struct load *st, const struct entry *e, struct oracle *o)
{
	long v;

	if (!strcmp(e->name, "stdout")) {
		set_stdout_re(st, e, o);
	} else if (!strcmp(e->name, "count")) {
		if (!entry_int(st, e, 1, INT_MAX, &v))
			o->count = (int)v;
	} else if (!strcmp(e->name, "exit")) {
		if (!entry_int(st, e, 0, 255, &v)) {
			o->has_exit = 1;
			o->exit_code = (int)v;
		}
	} else if (!strcmp(e->name, "threads")) {
		if (!entry_int(st, e, 1, INT_MAX, &v))
			o->threads = (int)v;
	} else if (!strcmp(e->name, "concurrent")) {
		if (!entry_int(st, e, 1, INT_MAX, &v))
			o->concurrent = (int)v;
	} else {
		return 0;
	}
	return 1;
}

static void apply_oracle(struct load *st, const struct entry *e)
{
	if (!apply_oracle_key(st, e, &st->lab->oracle))
		report(st, e->line, "[oracle] unknown key '%s' (known: stdout, count, exit, threads, concurrent)", e->name);
}

static void apply_expectation(struct load *st, const struct entry *e,
			      struct expectation *set)
{
	const struct tool *t = tool_find(e->name);
	struct strbuf msg = STRBUF_INIT;

	if (!t) {
		struct strbuf known = STRBUF_INIT;

		for (size_t i = 0; i < ntools; i++)
			strbuf_addf(&known, "%s%s", i ? ", " : "", tools[i].name);
		report(st, e->line, "[%s] unknown checker '%s' (known: %s)",
		       e->section, e->name, known.buf);
		strbuf_release(&known);
		return;
	}
	if (expect_parse(e->value.buf, &set[t - tools], &msg))
		report(st, e->line, "[%s] %s: %s", e->section, e->name, msg.buf);
	strbuf_release(&msg);
}

static void apply_entry(struct load *st, const struct entry *e)
{
	if (!strcmp(e->section, "exercise"))
		apply_exercise(st, e);
	else if (!strcmp(e->section, "oracle"))
		apply_oracle(st, e);
	else if (!strcmp(e->section, "program"))
		apply_program(st, e);
	else if (!strcmp(e->section, "case"))
		;	/* resolve_cases(), once the rest is known */
	else if (!strcmp(e->section, "buggy"))
		apply_expectation(st, e, st->lab->buggy);
	else
		apply_expectation(st, e, st->lab->fixed);
}

static void check_required(struct load *st)
{
	const struct section_seen *ex = seen_find(st, "exercise");

	if (!ex)
		report(st, 1, "no [exercise] section: it must name the sources");
	else if (!entry_find(st, "exercise", -1, "sources"))
		report(st, ex->line, "[exercise] has no 'sources' (the files a student edits)");
}

static void load_clear(struct load *st)
{
	for (size_t i = 0; i < st->nentries; i++) {
		free(st->entries[i].name);
		strbuf_release(&st->entries[i].value);
	}
	free(st->entries);
}

int lab_load(const char *path, struct lab *lab, struct strbuf *err)
{
	struct load st;
	char *buf;
	size_t len;
	int rc;

	memset(lab, 0, sizeof(*lab));
	lab->path = xstrdup(path);
	lab->timeout_s = 10;
	lab->stall_ms = DEFAULT_STALL_MS;
	lab->points = 10;

	buf = read_file(path, &len);
	if (!buf) {
		strbuf_addf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}

	memset(&st, 0, sizeof(st));
	st.lab = lab;
	st.err = err;
	st.pos = buf;
	st.end = buf + len;
	st.last_entry = -1;
	st.program = -1;
	rc = ini_parse_stream(lab_reader, &st, lab_handler, &st);
	if (rc < 0 && !st.nerr)
		report(&st, st.lineno, "cannot parse (inih error %d)", rc);
	else if (rc > 0 && !st.nerr)
		/* inih saw a problem our reader did not: still an error */
		report(&st, rc, "syntax error");

	close_cases(lab, st.lineno);
	for (size_t i = 0; i < st.nentries; i++)
		apply_entry(&st, &st.entries[i]);
	check_required(&st);
	check_programs(&st);
	resolve_cases(&st);
	flush_problems(&st);

	load_clear(&st);
	free(buf);
	return st.nerr ? -1 : 0;
}

void lab_release(struct lab *lab)
{
	free(lab->path);
	free(lab->title);
	free(lab->klass);
	strvec_clear(&lab->sources);
	strvec_clear(&lab->args);
	strvec_clear(&lab->cflags);
	strvec_clear(&lab->requires);
	free(lab->oracle.stdout_re);
	for (size_t i = 0; i < lab->nprograms; i++) {
		struct program *p = &lab->programs[i];

		free(p->name);
		strvec_clear(&p->sources);
		strvec_clear(&p->args);
		strvec_clear(&p->env);
		free(p->oracle.stdout_re);
	}
	for (size_t i = 0; i < lab->ncases; i++)
		case_release(&lab->cases[i]);
	for (size_t i = 0; i < NTOOLS; i++) {
		expect_release(&lab->buggy[i]);
		expect_release(&lab->fixed[i]);
	}
	memset(lab, 0, sizeof(*lab));
}

void lab_student_files(const struct lab *lab, struct strvec *out)
{
	for (size_t k = 0; k < lab->sources.n; k++)
		if (!strvec_has(out, lab->sources.v[k]))
			strvec_push(out, lab->sources.v[k]);
	for (size_t p = 0; p < lab->nprograms; p++)
		for (size_t k = 0; lab->programs[p].checked && k < lab->programs[p].sources.n; k++)
			if (!strvec_has(out, lab->programs[p].sources.v[k]))
				strvec_push(out, lab->programs[p].sources.v[k]);
}

int lab_tool_mask(const struct lab *lab)
{
	int mask = 0;

	for (size_t i = 0; i < NTOOLS; i++)
		if (lab->buggy[i].type != EXPECT_UNSET && lab->buggy[i].type != EXPECT_SKIP)
			mask |= 1 << i;
	return mask;
}
