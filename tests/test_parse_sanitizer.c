/*
 * parse_sanitizer_log() on logs captured by tests/fixtures/capture.sh from
 * the programs in tests/fixtures/src/, run with racelab's own options.
 * Run from tests/ (the unit binary's working directory).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "assert-stack.h"
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

Test(parse_sanitizer, tsan_data_race_first_access_stack)
{
	struct diag_list l = DIAG_LIST_INIT;

	cr_assert_eq(parse_fixture("tsan-race.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	cr_assert_str_eq(l.v[0].tool_kind, "data race");
	/* Which of the two workers comes first depends on the run. */
	cr_assert(!strncmp(l.v[0].message, "Write of size 4 by thread T", 27), "%s", l.v[0].message);
	cr_assert_null(strstr(l.v[0].message, "0x"));
	/* The main stack is the first access's only. */
	cr_assert_eq(l.v[0].nframes, 1);
	assert_frame(&l.v[0].frames[0], "worker", "race.c", 10, 1);
	assert_module(&l.v[0].frames[0], "race.tsan");
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_data_race_both_accesses_and_both_threads)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("tsan-race.log", &l), 1);
	cr_assert_str_eq(l.v[0].message, "Write of size 4 by thread T2");
	cr_assert_null(l.v[0].frames_what);	/* the message says what the main stack is */
	/* "Location is global 'counter'" has no stack: it is no related stack. */
	cr_assert_eq(l.v[0].nrelated, 3);
	r = related(&l.v[0], 0, "previous write of size 4 by thread T1", 1);
	assert_frame(&r->frames[0], "worker", "race.c", 10, 1);
	assert_module(&r->frames[0], "race.tsan");
	r = related(&l.v[0], 1, "thread T2 created by main thread at", 2);
	assert_frame(&r->frames[0], "pthread_create", NULL, 0, 0);
	assert_module(&r->frames[0], "race.tsan");
	assert_frame(&r->frames[1], "main", "race.c", 19, 1);
	r = related(&l.v[0], 2, "thread T1 created by main thread at", 2);
	assert_frame(&r->frames[1], "main", "race.c", 18, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, tsan_heap_race_location_mutex_and_threads)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("tsan-race-heap.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	cr_assert_str_eq(l.v[0].message, "Read of size 8 by thread T2");
	cr_assert_eq(l.v[0].nframes, 1);
	assert_frame(&l.v[0].frames[0], "auditor", "account_race.c", 36, 1);
	cr_assert_eq(l.v[0].nrelated, 5);
	/* The locks each side held stay: one side locked, the other did not. */
	r = related(&l.v[0], 0, "previous write of size 8 by thread T1 (mutexes: write M0)", 1);
	assert_frame(&r->frames[0], "depositor", "account_race.c", 24, 1);
	r = related(&l.v[0], 1, "location is heap block of size 48 allocated by main thread", 2);
	assert_frame(&r->frames[0], "calloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "account_race.c", 42, 1);
	r = related(&l.v[0], 2, "mutex M0 created at", 2);
	assert_frame(&r->frames[0], "pthread_mutex_init", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "account_race.c", 45, 1);
	r = related(&l.v[0], 3, "thread T2 created by main thread at", 2);
	assert_frame(&r->frames[1], "main", "account_race.c", 47, 1);
	r = related(&l.v[0], 4, "thread T1 created by main thread at", 2);
	assert_frame(&r->frames[1], "main", "account_race.c", 46, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, default_stack_format_gives_the_same_stacks)
{
	struct diag_list l = DIAG_LIST_INIT, ours = DIAG_LIST_INIT;

	/* The same program and race, TSan's own frame format. */
	cr_assert_eq(parse_fixture("tsan-race-heap-default.log", &l), 1);
	cr_assert_eq(parse_fixture("tsan-race-heap.log", &ours), 1);
	cr_assert_str_eq(l.v[0].message, ours.v[0].message);
	assert_frame(&l.v[0].frames[0], "auditor", "account_race.c", 36, 1);
	cr_assert_eq(l.v[0].nrelated, ours.v[0].nrelated);
	for (size_t i = 0; i < l.v[0].nrelated; i++) {
		const struct related *a = &l.v[0].related[i], *b = &ours.v[0].related[i];

		cr_assert_str_eq(a->what, b->what);
		cr_assert_eq(a->nframes, b->nframes);
		for (size_t k = 0; k < a->nframes; k++)
			assert_frame(&a->frames[k], b->frames[k].function, b->frames[k].file,
				     b->frames[k].line, b->frames[k].user);
	}
	/* A symbolized frame names no module there; an unsymbolized one does. */
	assert_module(&l.v[0].frames[0], NULL);
	assert_module(&l.v[0].related[1].frames[0], "account_race.tsan");
	diag_list_clear(&l);
	diag_list_clear(&ours);
}

Test(parse_sanitizer, tsan_free_in_another_thread_is_named_freed)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("tsan-free-race.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "heap-use-after-free");
	cr_assert_str_eq(l.v[0].message, "Read of size 4 by main thread");
	assert_frame(&l.v[0].frames[0], "main", "free_race.c", 33, 1);
	cr_assert_eq(l.v[0].nrelated, 2);
	/* TSan says "Previous write of size 8 ... by thread T1": the free. */
	r = related(&l.v[0], 0, "freed by thread T1", 2);
	assert_frame(&r->frames[0], "free", NULL, 0, 0);
	assert_frame(&r->frames[1], "freer", "free_race.c", 16, 1);
	r = related(&l.v[0], 1, "thread T1 created by main thread at", 2);
	assert_frame(&r->frames[1], "main", "free_race.c", 30, 1);
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
	/* The leak's one stack is the creation: named by its header. */
	cr_assert_str_eq(l.v[1].frames_what, "thread T3 created by main thread at");
	cr_assert_eq(l.v[1].nrelated, 0);
	/* The race before it keeps its own related stacks. */
	cr_assert_eq(l.v[0].nrelated, 3);
	related(&l.v[0], 0, "previous write of size 4 by thread T1", 1);
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

Test(parse_sanitizer, tsan_lock_order_both_acquisition_orders)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("tsan-lock-order.log", &l), 1);
	cr_assert_str_eq(l.v[0].frames_what,
			 "mutex M1 acquired here while holding mutex M0 in thread T1");
	cr_assert_eq(l.v[0].nrelated, 5);
	/* One order: M0 at line 14, then M1 at line 15 (the main stack)... */
	r = related(&l.v[0], 0, "mutex M0 previously acquired by the same thread here", 2);
	assert_frame(&r->frames[0], "pthread_mutex_lock", NULL, 0, 0);
	assert_frame(&r->frames[1], "a_then_b", "lock_order.c", 14, 1);
	/* ... the other: M1 at line 24, then M0 at line 25. */
	r = related(&l.v[0], 1, "mutex M0 acquired here while holding mutex M1 in thread T2", 2);
	assert_frame(&r->frames[1], "b_then_a", "lock_order.c", 25, 1);
	r = related(&l.v[0], 2, "mutex M1 previously acquired by the same thread here", 2);
	assert_frame(&r->frames[1], "b_then_a", "lock_order.c", 24, 1);
	r = related(&l.v[0], 3, "thread T1 created by main thread at", 2);
	assert_frame(&r->frames[1], "main", "lock_order.c", 38, 1);
	r = related(&l.v[0], 4, "thread T2 created by main thread at", 2);
	assert_frame(&r->frames[1], "main", "lock_order.c", 40, 1);
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
	cr_assert_null(l.v[0].frames_what);
	cr_assert_eq(l.v[0].nrelated, 1);
	assert_frame(&related(&l.v[0], 0, "mutex M0 created at", 2)->frames[1],
		     "main", "unlock_unlocked.c", 18, 1);
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
	/* The main stack is the access only. */
	cr_assert_eq(l.v[0].nframes, 3);
	assert_frame(&l.v[0].frames[0], "reader", "use_after_free.c", 10, 1);
	assert_frame(&l.v[0].frames[2], "clone3",
		     "misc/../sysdeps/unix/sysv/linux/x86_64/clone3.S", 81, 0);
	assert_module(&l.v[0].frames[2], "libc.so.6");
	diag_list_clear(&l);
}

Test(parse_sanitizer, asan_use_after_free_free_allocation_and_thread)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("asan-use-after-free.log", &l), 1);
	/* "is located 12 bytes inside of 40-byte region" has no stack; the
	 * shadow bytes after SUMMARY are no stack either. */
	cr_assert_eq(l.v[0].nrelated, 3);
	r = related(&l.v[0], 0, "freed by thread T0 here", 3);
	assert_frame(&r->frames[0], "free", NULL, 0, 0);
	assert_module(&r->frames[0], "use_after_free.asan");
	assert_frame(&r->frames[1], "main", "use_after_free.c", 19, 1);
	assert_frame(&r->frames[2], "__libc_start_call_main",
		     "csu/../sysdeps/nptl/libc_start_call_main.h", 58, 0);
	assert_module(&r->frames[2], "libc.so.6");
	r = related(&l.v[0], 1, "previously allocated by thread T0 here", 3);
	assert_frame(&r->frames[0], "__interceptor_calloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "use_after_free.c", 16, 1);
	r = related(&l.v[0], 2, "thread T1 created by T0 here", 3);
	assert_frame(&r->frames[0], "pthread_create", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "use_after_free.c", 20, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, asan_heap_buffer_overflow_allocation_and_thread)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("asan-heap-overflow.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "heap-buffer-overflow");
	cr_assert_str_eq(l.v[0].tool_kind, "heap-buffer-overflow");
	cr_assert_str_eq(l.v[0].message, "WRITE of size 4 by thread T1");
	cr_assert_eq(l.v[0].nframes, 3);
	assert_frame(&l.v[0].frames[0], "fill", "heap_overflow.c", 12, 1);
	cr_assert_eq(l.v[0].nrelated, 2);
	r = related(&l.v[0], 0, "allocated by thread T0 here", 3);
	assert_frame(&r->frames[0], "__interceptor_malloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "heap_overflow.c", 18, 1);
	r = related(&l.v[0], 1, "thread T1 created by T0 here", 3);
	assert_frame(&r->frames[1], "main", "heap_overflow.c", 21, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, asan_stack_buffer_overflow_names_the_frame)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("asan-stack-buffer.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "stack-buffer-overflow");
	cr_assert_str_eq(l.v[0].message, "WRITE of size 4 by thread T1");
	assert_frame(&l.v[0].frames[0], "fill", "stack_buffer.c", 13, 1);
	/* The frame that owns the array (a line without a colon names it),
	 * then the thread: "This frame has 1 object(s)" has no stack. */
	cr_assert_eq(l.v[0].nrelated, 2);
	r = related(&l.v[0], 0, "address is located in stack of thread T1 at offset 64 in frame", 1);
	assert_frame(&r->frames[0], "fill", "stack_buffer.c", 9, 1);
	r = related(&l.v[0], 1, "thread T1 created by T0 here", 3);
	assert_frame(&r->frames[1], "main", "stack_buffer.c", 22, 1);
	diag_list_clear(&l);
}

Test(parse_sanitizer, asan_double_free_both_frees_and_allocation)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct related *r;

	cr_assert_eq(parse_fixture("asan-double-free.log", &l), 1);
	cr_assert_str_eq(l.v[0].kind, "double-free");
	cr_assert_str_eq(l.v[0].message, "double-free");
	cr_assert_eq(l.v[0].nframes, 4);
	assert_frame(&l.v[0].frames[0], "free", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "cleanup", "double_free.c", 8, 1);
	cr_assert_eq(l.v[0].nrelated, 3);
	r = related(&l.v[0], 0, "freed by thread T0 here", 3);
	assert_frame(&r->frames[1], "main", "double_free.c", 17, 1);
	r = related(&l.v[0], 1, "previously allocated by thread T0 here", 3);
	assert_frame(&r->frames[0], "strdup", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "double_free.c", 14, 1);
	r = related(&l.v[0], 2, "thread T1 created by T0 here", 3);
	assert_frame(&r->frames[1], "main", "double_free.c", 18, 1);
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
	/* The "Thread T1 created by" stack after SUMMARY is not in the main
	 * stack: it is the report's related stack. */
	for (size_t i = 0; i < l.v[0].nframes; i++)
		cr_assert_str_eq(l.v[0].frames[i].function, "depth");
	cr_assert_eq(l.v[0].nrelated, 1);
	assert_frame(&related(&l.v[0], 0, "thread T1 created by T0 here", 3)->frames[1],
		     "main", "stack_overflow.c", 28, 1);
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
	/* A leak's one stack is its allocation: the main stack, nothing related. */
	for (size_t i = 0; i < 2; i++) {
		cr_assert_eq(l.v[i].nrelated, 0);
		cr_assert_null(l.v[i].frames_what);
	}
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
