#include "options.h"
#include "noise.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char common_options_help[] =
"Options:\n"
"  --tool T       run checker T (repeatable; see below), or all\n"
"  -j N           run N programs at once (default: the number of CPUs)\n"
"  --repeat N     run every program N times; a result passes only if all do\n"
"  --timeout S    seconds for one run (default: lab.ini's timeout, or 10)\n"
"  --stall MS     ms without progress before a hang is named (default 750,\n"
"                 four times that for a livelock under Valgrind)\n"
"  --json         print the results as JSON (docs/design.md) on stdout\n"
"  --no-color     no colors (also when NO_COLOR is set or not on a terminal)\n"
"  --keep         keep every run's directory (program output, checker logs)\n"
"  --seeds N      seeds one noise result tries, stopping at the first that\n"
"                 fails (default 20; times --repeat); a buggy program in\n"
"                 verify gets one seed a repeat: its bug shows at once\n"
"  --seed S       replay noise seed S only (implies --tool noise without --tool)\n"
"  --case NAME    run only lab.ini's [case NAME] of each fix (check, verify);\n"
"                 `default` is the exercise's own run\n"
"  -v             show every diagnostic in full, with the watch's thread dump\n"
"  -h, --help     this text\n";

void options_usage(FILE *out)
{
	fputs(common_options_help, out);
	fputs("\nCheckers (* the default set):\n", out);
	for (size_t i = 0; i < ntools; i++)
		fprintf(out, "  %-9s%c %s\n", tools[i].name, tools[i].is_default ? '*' : ' ',
			tools[i].what);
}

int default_tool_mask(void)
{
	int m = 0;

	for (size_t i = 0; i < ntools; i++)
		if (tools[i].is_default)
			m |= 1 << i;
	return m;
}

int all_tool_mask(void)
{
	return (1 << ntools) - 1;
}

int selected_tools(const struct common_opts *o, int defaults)
{
	return o->tool_mask ? o->tool_mask : defaults;
}

static int parse_uint(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return error("%s: '%s' is not a number from %ld to %ld", opt, s, min, max);
	*out = v;
	return 0;
}

int parse_common(int argc, char **argv, struct common_opts *o)
{
	static const struct option longopts[] = {
		{ "tool", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "stall", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "keep", no_argument, NULL, 'k' },
		{ "seeds", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'E' },
		{ "case", required_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = 0, no_color = 0;
	long v;
	const char *nc = getenv("NO_COLOR");

	memset(o, 0, sizeof(*o));
	o->repeat = 1;
	o->seeds = NOISE_DEFAULT_SEEDS;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	/* Everything after "--" belongs to the program (racelab run). */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			for (int k = i + 1; k < argc; k++)
				strvec_push(&o->program_args, argv[k]);
			argc = i;
			break;
		}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!strcmp(optarg, "all")) {
				o->tool_mask = all_tool_mask();
			} else {
				const struct tool *t = tool_find(optarg);
				if (!t) {
					ret = error("--tool: unknown checker '%s' (racelab --help "
						    "lists them)", optarg);
					break;
				}
				o->tool_mask |= 1 << (t - tools);
			}
			break;
		case 'j':
			if (parse_uint("-j", optarg, 1, 256, &v) < 0)
				ret = -1;
			else
				o->jobs = (int)v;
			break;
		case 'r':
			if (parse_uint("--repeat", optarg, 1, 10000, &v) < 0)
				ret = -1;
			else
				o->repeat = (int)v;
			break;
		case 'T':
			if (parse_uint("--timeout", optarg, 1, 3600, &v) < 0)
				ret = -1;
			else
				o->timeout_s = (unsigned)v;
			break;
		case 's':
			if (parse_uint("--stall", optarg, 100, 600000, &v) < 0)
				ret = -1;
			else
				o->stall_ms = (unsigned)v;
			break;
		case 'J': o->json = 1; break;
		case 'C': no_color = 1; break;
		case 'k': o->keep = 1; break;
		case 'S':
			if (parse_uint("--seeds", optarg, 1, 100000, &v) < 0)
				ret = -1;
			else
				o->seeds = (int)v;
			break;
		case 'E':
			if (noise_parse_seed(optarg, &o->seed) < 0)
				ret = error("--seed: '%s' is not a number from 1 to %llu", optarg,
					    (unsigned long long)UINT64_MAX);
			break;
		case 'K':
			free(o->only_case);
			o->only_case = xstrdup(optarg);
			break;
		case 'v': o->verbose = 1; break;
		case 'h': o->help = 1; break;
		default:
			if (optopt)
				ret = error("%s: option '-%c' %s (see --help)", argv[0], optopt,
					    strchr("j", optopt) ? "needs a value" : "is unknown");
			else
				ret = error("%s: unknown option or missing value: '%s' (see --help)",
					    argv[0], argv[optind - 1]);
		}
	}
	/* A seed is replayed by the noise checker: alone, it names it. */
	if (o->seed && !o->tool_mask)
		o->tool_mask = 1 << TOOL_NOISE;
	else if (o->seed && !(o->tool_mask & (1 << TOOL_NOISE)))
		ret = error("--seed replays a seed of the noise checker: add --tool noise");
	if (o->only_case && strcmp(argv[0], "check") && strcmp(argv[0], "verify"))
		ret = error("--case: only racelab check and verify run lab.ini's cases");
	for (int i = optind; i < argc; i++)
		strvec_push(&o->positional, argv[i]);
	o->color = !no_color && !(nc && *nc) && isatty(1) && !o->json;
	return ret;
}

void common_opts_clear(struct common_opts *o)
{
	strvec_clear(&o->positional);
	strvec_clear(&o->program_args);
	free(o->only_case);
	o->only_case = NULL;
}
