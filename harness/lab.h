#ifndef RACELAB_LAB_H
#define RACELAB_LAB_H
/*
 * lab.ini: what an exercise is and what each checker must report.
 * See docs/lab-ini.md and docs/design.md. Parsed with inih.
 *
 * A struct lab owns every string in it. Expectations are indexed like
 * tools[] (tools.h).
 */
#include "expect.h"
#include "strbuf.h"
#include "strvec.h"
#include "tools.h"

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
	int concurrent;		/* workers alive together at least once; 0 when not set */
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

/*
 * A case ([case NAME]): one more run of the program(s) with other inputs
 * and the oracle those inputs call for, so that a fix is checked on more
 * than the one input its README shows. What a case does not set is the
 * exercise's own: every field below is resolved when the file is loaded.
 * The exercise's own run is the implicit case "default".
 */
#define LAB_MAX_CASES 8

struct case_prog {
	struct strvec args;	/* the program's, or the case's `args` */
	struct strvec env;	/* the program's, or the case's `env` */
	char *stdin_path;	/* absolute: a file beside lab.ini fed on stdin; NULL: none */
	struct oracle oracle;	/* the program's, with the keys the case sets replaced */
};

struct lab_case {
	char *name;
	int hidden;		/* verify and grading only: not in the student handout */
	int tool_mask;		/* bit i: tools[i] runs it; default native and noise */
	struct case_prog progs[LAB_MAX_PROGRAMS];	/* [0] for a one-program exercise */
	int line;		/* of its section header */
	int end_line;		/* its section's last line (before the next header) */
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
	int partial_per_checker;	/* partial = per-checker (grade.h); default none */
	struct strvec requires;	/* e.g. "sched-fifo" */
	struct oracle oracle;
	struct expectation buggy[NTOOLS];	/* indexed like tools[] */
	struct expectation fixed[NTOOLS];
	int has_fixed;		/* a [fixed] section was written */
	struct program programs[LAB_MAX_PROGRAMS];	/* none: one program (sources, args, oracle) */
	size_t nprograms;
	struct lab_case cases[LAB_MAX_CASES];	/* in file order */
	size_t ncases;
};

/*
 * Parse `path`. On error returns -1 and puts one line per problem into
 * err, each "PATH:LINE: problem"; the lab is still released safely.
 */
int lab_load(const char *path, struct lab *lab, struct strbuf *err);
void lab_release(struct lab *lab);
/*
 * The files a student hands in: [exercise] sources, then those of each
 * checked [program] (a given program, such as 34's client, is the lab's),
 * each once. Pushed onto out as copies.
 */
void lab_student_files(const struct lab *lab, struct strvec *out);
/* The checkers lab.ini names: a [buggy] line that is not skip (bit i: tools[i]). */
int lab_tool_mask(const struct lab *lab);

#endif
