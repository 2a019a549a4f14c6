#ifndef RACELAB_CMDS_H
#define RACELAB_CMDS_H
/*
 * One subcommand per file: cmd_NAME(argc, argv) with argv[0] the
 * subcommand's name; returns the process exit code (docs/design.md).
 */
#include "result.h"	/* enum variant */

int cmd_list(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_handout(int argc, char **argv);

/* Shared by the commands that run programs (cmd-common.c). */
struct summary;
struct common_opts;
int exit_code_for(const struct summary *s);
char *bin_cache_dir(const char *root);
/*
 * Planning runs (cmd-check.c): one task per checker in mask for the
 * exercise's program(s) built from dir, as `variant` ("buggy", "fixed",
 * "submission"), each checked against lab.ini's expectation for it.
 */
struct sched;
struct exercise;
struct plan {
	struct sched *sched;
	const struct common_opts *o;
	int mask;
	int lab_tools;		/* each exercise under the checkers its lab.ini names */
};
void plan_variant(struct plan *p, struct exercise *e, enum variant variant, const char *dir);

/*
 * How often a task runs: --repeat times; for the noise checker, each run
 * a seed of its own (--seeds of them, times --repeat), or --seed replayed.
 */
struct task;
void plan_runs(struct task *t, const struct common_opts *o);

/* 1 when SCHED_FIFO is allowed for the run user; else 0 with the reason in *why. */
int realtime_allowed(char **why);

#endif
