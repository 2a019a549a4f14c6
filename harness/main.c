/*
 * racelab: a concurrency bug lab. Dispatches to one subcommand per file.
 */
#include "cmds.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
"usage: racelab <command> [options] [args]\n"
"\n"
"Commands:\n"
"  list                        the exercises, their bug class and status\n"
"  check [EX...]               your exercises: is each bug gone?\n"
"  verify [EX...]              buggy versions show what lab.ini expects,\n"
"                              solutions are clean and correct\n"
"  run [--tool T]... FILE.c... [-- ARGS]\n"
"                              any program under every checker, one report\n"
"  grade SUBMISSION...         score students' submissions (docs/grading.md)\n"
"  handout DIR                 make a copy of the lab a student handout (hidden\n"
"                              cases out; make dist-student)\n"
"\n"
"Run 'racelab <command> --help' for a command's options.\n"
"Exit status: 0 all expectations met (run: nothing found), 1 not met (bugs\n"
"found), 2 usage or input error, 3 a checker or dependency is missing or broke.\n";

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{ "list", cmd_list },
	{ "check", cmd_check },
	{ "verify", cmd_verify },
	{ "run", cmd_run },
	{ "grade", cmd_grade },
	{ "handout", cmd_handout },
};

/*
 * A reader that went away (racelab check | head) must not kill racelab
 * before it has stopped its runs and removed its work directory: a write
 * to it fails instead (EPIPE), and a running scheduler stops (sched_run).
 * A handler, not SIG_IGN, which every program racelab runs would inherit:
 * exec resets a handler, so they get SIGPIPE as they would anywhere.
 */
static void on_sigpipe(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigaction(SIGPIPE, &sa, NULL);
	if (argc < 2) {
		fputs(usage, stderr);
		return RACELAB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	error("'%s' is not a racelab command (see racelab --help)", argv[1]);
	return RACELAB_EXIT_USAGE;
}
