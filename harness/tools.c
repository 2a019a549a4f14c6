#include "tools.h"
#include "strbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Distinct from any status the exercises give, so that a report is told apart. */
#define TSAN_REPORT_STATUS 66
#define VALGRIND_REPORT_STATUS 99
#define STR_(x) #x
#define STR(x) STR_(x)

const struct tool tools[] = {
	[TOOL_NATIVE] = { TOOL_NATIVE, "native",   FLAVOR_NATIVE, 0, 1, "plain build, watched for hangs, crashes and output" },
	[TOOL_TSAN] = { TOOL_TSAN, "tsan",     FLAVOR_TSAN,   0, 1, "ThreadSanitizer (clang): races, lock order, mutex misuse, thread leaks" },
	[TOOL_ASAN] = { TOOL_ASAN, "asan",     FLAVOR_ASAN,   0, 1, "AddressSanitizer + LeakSanitizer + UBSan (clang): memory errors, leaks, UB" },
	[TOOL_HELGRIND] = { TOOL_HELGRIND, "helgrind", FLAVOR_NATIVE, 1, 1, "Valgrind Helgrind: races, lock order, pthread API misuse" },
	[TOOL_DRD] = { TOOL_DRD, "drd",      FLAVOR_NATIVE, 1, 0, "Valgrind DRD: races, mutex and condition variable misuse" },
	[TOOL_MEMCHECK] = { TOOL_MEMCHECK, "memcheck", FLAVOR_NATIVE, 1, 0, "Valgrind Memcheck: memory errors, leaks, open descriptors" },
	[TOOL_NOISE] = { TOOL_NOISE, "noise",    FLAVOR_NATIVE, 0, 0, "native, under schedule noise: one run per seed, stops at the first that fails" },
};
const size_t ntools = sizeof(tools) / sizeof(*tools);
_Static_assert(sizeof(tools) / sizeof(*tools) == NTOOLS, "NTOOLS out of date");

const struct tool *tool_find(const char *name)
{
	for (size_t i = 0; i < ntools; i++)
		if (!strcmp(tools[i].name, name))
			return &tools[i];
	return NULL;
}

int tool_observed(const struct tool *t)
{
	return t->id == TOOL_NATIVE || t->id == TOOL_NOISE;
}

int tool_report_status(const struct tool *t)
{
	if (t->flavor == FLAVOR_TSAN)
		return TSAN_REPORT_STATUS;
	return t->valgrind ? VALGRIND_REPORT_STATUS : -1;
}

const char *flavor_name(enum flavor f)
{
	switch (f) {
	case FLAVOR_NATIVE: return "native";
	case FLAVOR_TSAN: return "tsan";
	case FLAVOR_ASAN: return "asan";
	default: return "?";
	}
}

void flavor_cc(enum flavor f, struct strvec *argv)
{
	switch (f) {
	case FLAVOR_NATIVE:
		strvec_split(argv, "cc -g -O0 -pthread");
		break;
	case FLAVOR_TSAN:
		strvec_split(argv, "clang -g -O0 -pthread -fsanitize=thread");
		break;
	case FLAVOR_ASAN:
		strvec_split(argv, "clang -g -O0 -pthread -fsanitize=address,undefined "
			     "-fno-omit-frame-pointer -fno-sanitize-recover=undefined");
		break;
	default:
		die("unknown build flavor %d", (int)f);
	}
}

/*
 * Every security-relevant key is spelled out: the environment wins over a
 * program's __tsan_default_options() only for the keys it names.
 */
#define FRAME_FORMAT "stack_trace_format=\"FRAME|%n|%f|%s|%l|%c|%m|%o\""

char *tool_tsan_options(const char *logdir)
{
	return xstrfmt("report_bugs=1:exitcode=" STR(TSAN_REPORT_STATUS) ":halt_on_error=0:abort_on_error=0:"
		       "report_thread_leaks=1:report_signal_unsafe=1:report_destroy_locked=1:"
		       "report_mutex_bugs=1:detect_deadlocks=1:second_deadlock_stack=1:"
		       "history_size=4:atexit_sleep_ms=50:print_suppressions=1:symbolize=1:"
		       "color=never:die_after_fork=1:log_path=%s/tsan:%s", logdir, FRAME_FORMAT);
}

char *tool_asan_options(const char *logdir)
{
	/*
	 * atexit=1: a process that ends through exit() says so in its log
	 * ("AddressSanitizer exit stats"); one that skipped the exit handlers,
	 * where LeakSanitizer checks, leaves no such line (collect.c).
	 */
	return xstrfmt("exitcode=1:halt_on_error=1:abort_on_error=0:detect_leaks=1:atexit=1:"
		       "leak_check_at_exit=1:detect_stack_use_after_return=1:handle_segv=2:"
		       "handle_abort=1:print_summary=1:print_suppressions=1:symbolize=1:"
		       "color=never:log_path=%s/asan:%s", logdir, FRAME_FORMAT);
}

char *tool_lsan_options(void)
{
	return xstrdup("exitcode=23:report_objects=0:print_suppressions=1");
}

char *tool_ubsan_options(const char *logdir)
{
	return xstrfmt("halt_on_error=1:print_stacktrace=1:report_error_type=1:exitcode=1:"
		       "color=never:log_path=%s/asan", logdir);
}

/*
 * Helgrind reports inside glibc itself, never in a program's code, that
 * racelab suppresses. Each entry says why it is a false positive.
 *
 * A detached thread's stack and TLS go to glibc's stack cache when it
 * ends; when the cache grows past its limit (40 MiB: five 8 MiB stacks),
 * the next pthread_create frees the oldest ones' TLS. The cache is guarded
 * by a lock of glibc's own (lll_lock), which Helgrind does not see, so with
 * --free-is-write=yes that free looks like a write racing with the dead
 * thread's last writes. Every server with detached threads hits it.
 */
static const char helgrind_suppressions[] =
	"{\n"
	"   racelab/glibc-stack-cache-frees-a-detached-thread-tls\n"
	"   Helgrind:Race\n"
	"   ...\n"
	"   fun:__nptl_free_stacks\n"
	"}\n";

/* The suppressions go beside the run's logs, where racelab reads nothing by that name. */
static void push_suppressions(struct strvec *argv, const char *logdir, const char *text)
{
	char *path = xstrfmt("%s/racelab.supp", logdir);

	if (write_file(path, text, strlen(text)) < 0)
		warning("cannot write %s: glibc's own false positives will be reported", path);
	else
		strvec_pushf(argv, "--suppressions=%s", path);
	free(path);
}

static void push_env(struct strvec *env, const char *name, char *value)
{
	strvec_pushf(env, "%s=%s", name, value);
	free(value);
}

void tool_prepare(const struct tool *t, const char *logdir, struct strvec *argv,
		  struct strvec *env)
{
	if (t->flavor == FLAVOR_TSAN) {
		push_env(env, "TSAN_OPTIONS", tool_tsan_options(logdir));
	} else if (t->flavor == FLAVOR_ASAN) {
		push_env(env, "ASAN_OPTIONS", tool_asan_options(logdir));
		push_env(env, "LSAN_OPTIONS", tool_lsan_options());
		push_env(env, "UBSAN_OPTIONS", tool_ubsan_options(logdir));
	}
	if (!t->valgrind)
		return;
	strvec_push(argv, "valgrind");
	strvec_pushf(argv, "--tool=%s", t->name);
	/*
	 * The gdbserver's pipes go into the run's own log directory, never
	 * /tmp (where a killed run would leave them behind): through them
	 * vgdb shows the program's own threads when a run hangs.
	 */
	strvec_split(argv, "--error-exitcode=" STR(VALGRIND_REPORT_STATUS) " --num-callers=30 --fair-sched=try "
		     "--trace-children=yes --child-silent-after-fork=no --vgdb=yes --xml=yes");
	strvec_pushf(argv, "--vgdb-prefix=%s/" VGDB_PREFIX, logdir);
	strvec_pushf(argv, "--xml-file=%s/vg.%%p.xml", logdir);
	strvec_pushf(argv, "--log-file=%s/vg.%%p.log", logdir);
	if (t->id == TOOL_HELGRIND) {
		strvec_split(argv, "--history-level=full --free-is-write=yes");
		push_suppressions(argv, logdir, helgrind_suppressions);
	}
	else if (t->id == TOOL_DRD)
		strvec_split(argv, "--check-stack-var=yes --free-is-write=yes");
	else if (t->id == TOOL_MEMCHECK)
		strvec_split(argv, "--leak-check=full --show-leak-kinds=definite,indirect,possible "
			     "--errors-for-leak-kinds=definite,indirect,possible --track-fds=yes");
	/* A ./.valgrindrc or $VALGRIND_OPTS could add suppressions: the run
	 * happens in an empty directory and VALGRIND_OPTS is not passed. */
}
