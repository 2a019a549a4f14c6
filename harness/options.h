#ifndef RACELAB_OPTIONS_H
#define RACELAB_OPTIONS_H
#include <stdio.h>
/*
 * The options every subcommand shares (docs/design.md "Commands").
 */
#include "tools.h"
#include "strvec.h"
#include <stdint.h>

struct common_opts {
	int tool_mask;		/* bit i = tools[i]; 0 = the command's default */
	int jobs;		/* -j; default: number of CPUs */
	int repeat;		/* --repeat; default 1 */
	unsigned timeout_s;	/* --timeout; 0 = lab.ini's (or 10 for run) */
	unsigned stall_ms;	/* --stall; 0 = lab.ini's (or DEFAULT_STALL_MS for run) */
	int json;
	int color;		/* resolved: terminal, NO_COLOR, --no-color */
	int verbose;
	int keep;		/* --keep: keep the run directories */
	int seeds;		/* --seeds: seeds a noise result tries (NOISE_DEFAULT_SEEDS) */
	uint64_t seed;		/* --seed: the one noise seed to replay; 0 = none */
	char *only_case;	/* --case: the one lab.ini case to run (check, verify); NULL = all */
	int help;
	struct strvec positional;
	struct strvec program_args;	/* after "--" (run) */
};

/*
 * Parse argv (argv[0] is the subcommand). Unknown options and bad values
 * are reported with error() and give -1 (exit 2 for the caller).
 */
int parse_common(int argc, char **argv, struct common_opts *o);
void common_opts_clear(struct common_opts *o);
/* The text describing the common options, for each command's --help. */
/* The shared options and the checkers, for every subcommand's --help. */
void options_usage(FILE *out);
/* Tools selected: the mask, or `defaults` (a mask) when none was given. */
int selected_tools(const struct common_opts *o, int defaults);
int default_tool_mask(void);
int all_tool_mask(void);

#endif
