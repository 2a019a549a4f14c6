#ifndef RACELAB_TOOLS_H
#define RACELAB_TOOLS_H
/*
 * The checkers: how each one builds a program and how it runs it.
 *
 * racelab owns every checker option. A run gets a private log directory;
 * sanitizers write there through log_path (one file per process,
 * LOGDIR/<tool>.<pid>) and Valgrind writes XML there (LOGDIR/vg.<pid>.xml,
 * text in LOGDIR/vg.<pid>.log), so the program's own stdout and stderr
 * never mix with a report.
 */
#include "strvec.h"

enum flavor {
	FLAVOR_NATIVE,		/* cc -g -O0 -pthread: native, helgrind, drd, memcheck */
	FLAVOR_TSAN,		/* clang -fsanitize=thread */
	FLAVOR_ASAN,		/* clang -fsanitize=address,undefined */
	FLAVOR_COUNT
};

/* Each checker's index in tools[], lab.ini's expectations and tool masks. */
enum tool_id {
	TOOL_NATIVE,
	TOOL_TSAN,
	TOOL_ASAN,
	TOOL_HELGRIND,
	TOOL_DRD,
	TOOL_MEMCHECK,
	TOOL_NOISE,
	NTOOLS
};

struct tool {
	enum tool_id id;
	const char *name;
	enum flavor flavor;
	int valgrind;		/* runs under valgrind --tool=name */
	int is_default;		/* in the default set (docs/design.md: native, tsan, asan, helgrind) */
	const char *what;	/* one line for --help and list */
};

extern const struct tool tools[];
extern const size_t ntools;

const struct tool *tool_find(const char *name);
/*
 * The native build with racelab's observer preloaded (native, noise):
 * threads counted, concurrency measured, judged on the program's own
 * exit status and output.
 */
int tool_observed(const struct tool *t);
/*
 * The exit status a checker gives a process it reported something in
 * (TSan 66, Valgrind 99), replacing the program's own; -1 when it keeps
 * the program's (ASan's 1 cannot be told from a program's).
 */
int tool_report_status(const struct tool *t);
/* Valgrind's gdbserver pipes are LOGDIR/VGDB_PREFIX-...: vgdb --vgdb-prefix finds them. */
#define VGDB_PREFIX "vgdb"

/* Flavor name used in build paths: "native", "tsan", "asan". */
const char *flavor_name(enum flavor f);
/* Compiler and flags for a flavor (compiler first). */
void flavor_cc(enum flavor f, struct strvec *argv);

/*
 * Prepare one run: push the command prefix that goes before the program
 * (valgrind and its options, or nothing) onto argv, and the environment
 * entries the checker needs ("NAME=value") onto env.
 */
void tool_prepare(const struct tool *t, const char *logdir, struct strvec *argv,
		  struct strvec *env);

/* The exact option strings (exposed for tests and fixture capture). */
char *tool_tsan_options(const char *logdir);
char *tool_asan_options(const char *logdir);
char *tool_lsan_options(void);
char *tool_ubsan_options(const char *logdir);

#endif
