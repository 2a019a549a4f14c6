/*
 * parse_sanitizer_log() on logs captured by tests/fixtures/capture.sh from
 * the programs in tests/fixtures/src/, run with racelab's own options.
 * Run from tests/ (the unit binary's working directory).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "strbuf.h"
#include "util.h"

static const struct parse_ctx ctx = { "/SRC", 0 };

static char *load(const char *name, size_t *len)
{
	char *path = xstrfmt("fixtures/reports/%s", name);
	char *text = read_file(path, len);

	cr_assert_not_null(text, "cannot read %s", path);
	free(path);
	return text;
}

static int parse_fixture(const char *name, struct diag_list *l)
{
	size_t len;
	char *text = load(name, &len);
	int n = parse_sanitizer_log(text, len, &ctx, l);

	free(text);
	return n;
}

static void assert_frame(const struct frame *f, const char *fn, const char *file,
			 int line, int user)
{
	cr_assert_str_eq(f->function, fn);
	if (file)
		cr_assert_str_eq(f->file, file);
	else
		cr_assert_null(f->file);
	cr_assert_eq(f->line, line, "%s: line %d, want %d", fn, f->line, line);
	cr_assert_eq(f->user, user, "%s: user %d, want %d", fn, f->user, user);
}

Test(parse_sanitizer, tsan_data_race_first_access_stack)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-race.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	cr_assert_str_eq(l.v[0].tool_kind, "data race");
	/* Which of the two workers comes first depends on the run. */
	cr_assert(!strncmp(l.v[0].message, "Write of size 4 by thread T", 27), "%s", l.v[0].message);
	cr_assert_null(strstr(l.v[0].message, "0x"));
	/* Only the first access's stack: not the previous access, not the creation stacks. */
	cr_assert_eq(l.v[0].nframes, 1);
	assert_frame(&l.v[0].frames[0], "worker", "race.c", 10, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_race_and_thread_leak_in_one_log)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-race-leak.log", &l), 2);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	assert_frame(&l.v[0].frames[0], "racer", "race_leak.c", 18, 1);
	cr_assert_str_eq(l.v[1].kind, "thread-leak");
	cr_assert_str_eq(l.v[1].tool_kind, "thread leak");
	cr_assert_str_eq(l.v[1].message, "thread leak");
	cr_assert_eq(l.v[1].nframes, 2);
	assert_frame(&l.v[1].frames[0], "pthread_create", NULL, 0, 0);
	assert_frame(&l.v[1].frames[1], "main", "race_leak.c", 48, 1);
	cr_assert_str_eq(diag_user_frame(&l.v[1])->function, "main");
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_lock_order_first_acquired_here_stack)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-lock-order.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "lock-order-inversion");
	cr_assert_str_eq(l.v[0].tool_kind, "lock-order-inversion (potential deadlock)");
	cr_assert_eq(l.v[0].nframes, 2);
	assert_frame(&l.v[0].frames[0], "pthread_mutex_lock", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "a_then_b", "lock_order.c", 15, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_unlock_of_unlocked_mutex)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-unlock-unlocked.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "mutex-misuse");
	cr_assert_str_eq(l.v[0].tool_kind, "unlock of an unlocked mutex (or by a wrong thread)");
	cr_assert_eq(l.v[0].nframes, 2);
	assert_frame(&l.v[0].frames[1], "release_twice", "unlock_unlocked.c", 10, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_signal_unsafe_two_reports)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-signal-unsafe.log", &l), 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_str_eq(l.v[i].kind, "signal-unsafe");
		cr_assert_str_eq(l.v[i].tool_kind, "signal-unsafe call inside of a signal");
		cr_assert_eq(l.v[i].nframes, 4);
	}
	assert_frame(&l.v[0].frames[0], "malloc", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "on_usr1", "signal_unsafe.c", 11, 1);
	assert_frame(&l.v[1].frames[0], "free", NULL, 0, 0);
	assert_frame(&l.v[1].frames[1], "on_usr1", "signal_unsafe.c", 13, 1);
	/* A C++ runtime frame: spaces and parentheses in the function name. */
	cr_assert(!strncmp(l.v[0].frames[2].function, "__tsan::CallUserSignalHandler(", 30));
	cr_assert_eq(l.v[0].frames[2].user, 0);
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_segv_is_a_crash)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-segv.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "crash");
	cr_assert_str_eq(l.v[0].tool_kind, "SEGV");
	cr_assert_str_eq(l.v[0].message, "SEGV on unknown address");
	cr_assert_eq(l.v[0].nframes, 4);
	assert_frame(&l.v[0].frames[0], "store", "null_deref.c", 9, 1);
	assert_frame(&l.v[0].frames[2], "start_thread", "nptl/./nptl/pthread_create.c", 442, 0);
	diag_list_clear(&l);
}

/*
 * racelab's TSan options give no report at all for a stack overflow on
 * this machine (the process just dies of SIGSEGV), so there is no captured
 * fixture; these are the three lines TSan prints when it does report one
 * (a WRITE fault, then the nested bug before any stack), with our pids.
 */
Test(parse_sanitizer, tsan_nested_bug_after_write_segv_is_stack_overflow)
{
	static const char log[] =
		"==16246==ERROR: ThreadSanitizer: SEGV on unknown address 0x7f274731c000 "
		"(pc 0x55a482954665 bp 0x00000001fffe sp 0x7f27435fe6c8 T16248)\n"
		"==16246==The signal is caused by a WRITE memory access.\n"
		"ThreadSanitizer: nested bug in the same thread, aborting.\n";
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_sanitizer_log(log, sizeof(log) - 1, &ctx, &l), 1);
	cr_assert_str_eq(l.v[0].kind, "stack-overflow");
	cr_assert_str_eq(l.v[0].tool_kind, "SEGV");
	diag_list_clear(&l);
}

Test(parse_sanitizer, program_output_never_reaches_the_log)
{
	struct diag_list l = DIAG_LIST_INIT;

	/* noisy_race prints fake report headers on stdout and stderr. */
	cr_assert_eq(parse_fixture("tsan-noisy-race.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	cr_assert(!strncmp(l.v[0].message, "Write of size 8 by thread T", 27));
	assert_frame(&l.v[0].frames[0], "chatter", "noisy_race.c", 10, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, asan_heap_use_after_free_in_thread)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("asan-use-after-free.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "heap-use-after-free");
	cr_assert_str_eq(l.v[0].tool_kind, "heap-use-after-free");
	cr_assert_str_eq(l.v[0].message, "READ of size 4 by thread T1");
	/* The access stack only: not "freed by" nor "previously allocated". */
	cr_assert_eq(l.v[0].nframes, 3);
	assert_frame(&l.v[0].frames[0], "reader", "use_after_free.c", 10, 1);
	assert_frame(&l.v[0].frames[2], "clone3",
		     "misc/../sysdeps/unix/sysv/linux/x86_64/clone3.S", 81, 0);
	diag_list_clear(&l);
}

Test(parse_sanitizer, asan_stack_overflow_in_small_thread_stack)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("asan-stack-overflow.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "stack-overflow");
	cr_assert_str_eq(l.v[0].tool_kind, "stack-overflow");
	cr_assert_str_eq(l.v[0].message, "stack-overflow by thread T1");
	cr_assert_gt(l.v[0].nframes, 100);
	assert_frame(&l.v[0].frames[0], "depth", "stack_overflow.c", 7, 1);
	assert_frame(&l.v[0].frames[1], "depth", "stack_overflow.c", 11, 1);
	/* The "Thread T1 created by" stack after SUMMARY is not appended. */
	for (size_t i = 0; i < l.v[0].nframes; i++)
		cr_assert_str_eq(l.v[0].frames[i].function, "depth");
	diag_list_clear(&l);
}

Test(parse_sanitizer, lsan_direct_and_indirect_leaks)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("asan-leaks.log", &l), 2);
	cr_assert_str_eq(l.v[0].kind, "memory-leak");
	cr_assert_str_eq(l.v[0].tool_kind, "Direct leak");
	cr_assert_str_eq(l.v[0].message, "Direct leak of 16 byte(s) in 1 object(s)");
	assert_frame(&l.v[0].frames[0], "__interceptor_malloc", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "make_node", "leaks.c", 16, 1);
	assert_frame(&l.v[0].frames[2], "main", "leaks.c", 31, 1);
	cr_assert_str_eq(l.v[1].kind, "memory-leak");
	cr_assert_str_eq(l.v[1].tool_kind, "Indirect leak");
	cr_assert_str_eq(l.v[1].message, "Indirect leak of 32 byte(s) in 1 object(s)");
	assert_frame(&l.v[1].frames[1], "make_node", "leaks.c", 18, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, ubsan_signed_overflow_through_asan_build)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("asan-ubsan-overflow.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "undefined-behavior");
	cr_assert_str_eq(l.v[0].tool_kind, "signed-integer-overflow");
	cr_assert_str_eq(l.v[0].message,
			 "signed integer overflow: 2147483646 + 2 cannot be represented in type 'int'");
	cr_assert_eq(l.v[0].nframes, 3);
	assert_frame(&l.v[0].frames[0], "add", "ubsan_overflow.c", 12, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, ubsan_without_stack_keeps_header_location)
{
	/* The fixture's header and SUMMARY lines, without the printed stack. */
	size_t len;
	char *text = load("asan-ubsan-overflow.log", &len);
	struct strbuf cut = STRBUF_INIT;
	struct diag_list l = DIAG_LIST_INIT;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "FRAME|", 6))
			strbuf_addf(&cut, "%s\n", line);
	cr_assert_eq(parse_sanitizer_log(cut.buf, cut.len, &ctx, &l), 1);
	cr_assert_str_eq(l.v[0].tool_kind, "signed-integer-overflow");
	cr_assert_eq(l.v[0].nframes, 1);
	cr_assert_null(l.v[0].frames[0].function);
	cr_assert_str_eq(l.v[0].frames[0].file, "ubsan_overflow.c");
	cr_assert_eq(l.v[0].frames[0].line, 12);
	cr_assert_eq(l.v[0].frames[0].user, 1);
	diag_list_clear(&l);
	strbuf_release(&cut);
	free(text);
}

Test(parse_sanitizer, truncated_report_still_counts)
{
	size_t len;
	char *text = load("tsan-race-leak.log", &len);
	char *second = strstr(text, "WARNING: ThreadSanitizer: thread leak");
	struct diag_list l = DIAG_LIST_INIT;

	/* Cut in the middle of the second report's stack: no SUMMARY. */
	cr_assert_not_null(second);
	second = strstr(second, "FRAME|1|");
	cr_assert_not_null(second);
	cr_assert_eq(parse_sanitizer_log(text, second - text, &ctx, &l), 2);
	cr_assert_str_eq(l.v[1].kind, "thread-leak");
	cr_assert_eq(l.v[1].nframes, 1);
	diag_list_clear(&l);
	free(text);
}

Test(parse_sanitizer, not_a_sanitizer_log)
{
	static const char junk[] = "counter = 2000\nhello\n";
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_sanitizer_log(junk, sizeof(junk) - 1, &ctx, &l), -1);
	cr_assert_eq(parse_sanitizer_log("", 0, &ctx, &l), 0);
	cr_assert_eq(l.n, 0);
}

Test(parse_sanitizer, appends_to_existing_list)
{
	struct diag_list l = DIAG_LIST_INIT;

	diag_list_push(&l, "crash", NULL, NULL);
	cr_assert_eq(parse_fixture("tsan-race-leak.log", &l), 2);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.v[0].kind, "crash");
	cr_assert_str_eq(l.v[2].kind, "thread-leak");
	diag_list_clear(&l);
}
