#ifndef RACELAB_LAB_H
#define RACELAB_LAB_H
/*
 * lab.ini: what an exercise is and what each checker must report.
 * See DESIGN.md "lab.ini" and docs/lab-ini.md. Parsed with inih.
 *
 * A struct lab owns every string in it. Expectations are indexed like
 * tools[] (tools.h).
 */
#include "strbuf.h"
#include "strvec.h"
#include "tools.h"

struct expect_item {
	char *kind;		/* vocabulary kind */
	int optional;		/* written "kind?" */
	char *file;		/* "@ file:function" or "@ file:line"; NULL when absent */
	char *function;		/* NULL when a line was given */
	int line;		/* 0 when a function was given */
};

enum expect_type {
	EXPECT_UNSET = 0,	/* not written in lab.ini */
	EXPECT_CLEAN,		/* no diagnostics */
	EXPECT_SKIP,		/* do not run this checker */
	EXPECT_KINDS,		/* the listed kinds */
};

struct expectation {
	enum expect_type type;
	struct expect_item *items;
	size_t n, alloc;
	char *reason;		/* text after "skip", may be NULL */
};

/*
 * How long the watch waits without progress before it names a hang: long
 * enough that no correct program here blocks that long with nothing to
 * wake it, short enough that a hang is named within a second of forming.
 */
#define DEFAULT_STALL_MS 750

struct oracle {
	char *stdout_re;	/* extended regex; NULL when not set */
	int count;		/* at least this many lines match stdout_re; 0 means 1 */
	int has_exit;
	int exit_code;
	int threads;		/* 0 when not set */
};

/*
 * A program of a multi-program exercise ([program NAME]): a server and its
 * clients, say. Servers start first; clients start once every server
 * listens on {port}; the run ends when every client has ended, and then
 * the servers are stopped. Expectations apply to the run as a whole.
 */
enum prog_role { ROLE_MAIN = 0, ROLE_SERVER, ROLE_CLIENT };

#define LAB_MAX_PROGRAMS 8
#define PORT_PLACEHOLDER "{port}"

struct program {
	char *name;
	enum prog_role role;	/* ROLE_MAIN only while unset (an error) */
	struct strvec sources;	/* built together, in the exercise's directory */
	struct strvec args;	/* {port} stands for the run's loopback port */
	struct strvec env;	/* NAME=value added to the run's environment; {port} too */
	int checked;		/* runs under the checker (default); else natively */
	struct oracle oracle;	/* on this program's output and exit */
	int line;		/* of its section header */
};

struct lab {
	char *path;		/* the lab.ini read */
	char *title, *klass;
	struct strvec sources;
	struct strvec args;
	struct strvec cflags;
	unsigned timeout_s;	/* default 10 */
	unsigned stall_ms;	/* default DEFAULT_STALL_MS */
	int points;		/* default 10 */
	struct strvec requires;	/* e.g. "sched-fifo" */
	struct oracle oracle;
	struct expectation buggy[NTOOLS];	/* indexed like tools[] */
	struct expectation fixed[NTOOLS];
	int has_fixed;		/* a [fixed] section was written */
	struct program programs[LAB_MAX_PROGRAMS];	/* none: one program (sources, args, oracle) */
	size_t nprograms;
};

/*
 * Parse `path`. On error returns -1 and puts one line per problem into
 * err, each "PATH:LINE: problem"; the lab is still released safely.
 */
int lab_load(const char *path, struct lab *lab, struct strbuf *err);
void lab_release(struct lab *lab);

/*
 * Parse one expectation value ("clean", "skip [reason]", or
 * "kind[?] [@ file:function|file:line], ..."; items are separated by
 * commas or blanks). Returns 0 or -1 with a message in err.
 */
int expect_parse(const char *value, struct expectation *e, struct strbuf *err);
void expect_release(struct expectation *e);
/* Render back, e.g. "data-race @ counter.c:worker, wrong-output?". */
void expect_format(const struct expectation *e, struct strbuf *out);

#endif
