/*
 * Wrong fixes and right ones of exercises 04 to 16 (tests/wrongfix/,
 * whose README states each verdict; wrongfix.h applies the patches).
 * Each runs only the checkers its verdict depends on.
 */
#include <criterion/criterion.h>

#include "wrongfix.h"

TestSuite(wrongfix2, .timeout = 300);

static const char *const native_only[] = { "native", NULL };
static const char *const tsan_only[] = { "tsan", NULL };
static const char *const asan_only[] = { "asan", NULL };
static const char *const native_tsan[] = { "native", "tsan", NULL };
static const char *const native_asan[] = { "native", "asan", NULL };
static const char *const native_tsan_asan[] = { "native", "tsan", "asan", NULL };

/* 05: the worker frees its result, main then reads it: ASan sees the read. */
Test(wrongfix2, freeing_the_result_in_the_worker_is_a_use_after_free)
{
	expect_rejected("05-leaked-results", "results.c", "05-free-in-worker.patch", "--tool asan",
			asan_only, "heap-use-after-free");
}

/* 05: a pointer to the worker's local: its stack is gone when main reads. */
Test(wrongfix2, returning_a_local_result_crashes_under_asan)
{
	expect_rejected("05-leaked-results", "results.c", "05-return-local.patch", "--tool asan",
			asan_only, "crash");
}

/*
 * 05, a known gap: a global array still points to every result, so the
 * leak is "still reachable", which LSan and this lab's Memcheck settings
 * do not report.
 */
Test(wrongfix2, keeping_the_results_in_a_global_array_is_accepted)
{
	static const char *const under[] = { "native", "asan", "memcheck", NULL };

	expect_accepted_by("05-leaked-results", "results.c", "05-global-array.patch",
			   "--tool native --tool asan --tool memcheck", under, "memory-leak");
}

Test(wrongfix2, results_in_the_callers_tasks_are_a_right_fix)
{
	expect_accepted_by("05-leaked-results", "results.c", "05-caller-owned.patch",
			   "--tool native --tool asan", native_asan, "memory-leak");
}

Test(wrongfix2, freeing_every_result_at_the_end_is_a_right_fix)
{
	expect_accepted_by("05-leaked-results", "results.c", "05-free-at-end.patch",
			   "--tool native --tool asan", native_asan, "memory-leak");
}

/* 06: the default 8 MiB is enough for the plain build, not under ASan's redzones. */
Test(wrongfix2, the_default_stack_overflows_under_asan)
{
	json_t *doc = check_with("06-stack-overflow", "deep.c", "06-default-stack.patch",
				 "--tool native --tool asan");
	int has;

	cr_expect_str_eq(verdict(doc, "native", "stack-overflow", &has), "pass");
	cr_expect_str_eq(verdict(doc, "asan", "stack-overflow", &has), "fail");
	cr_expect(has, "no stack-overflow under asan");
	json_decref(doc);
}

/* 06: a smaller name on the 64 KiB stack: the crash only moves deeper. */
Test(wrongfix2, a_smaller_frame_still_overflows)
{
	expect_rejected("06-stack-overflow", "deep.c", "06-smaller-name.patch", "--tool native",
			native_only, "stack-overflow");
}

Test(wrongfix2, an_iterative_walk_is_a_right_fix)
{
	expect_accepted_by("06-stack-overflow", "deep.c", "06-iterative.patch",
			   "--tool native --tool asan", native_asan, "stack-overflow");
}

Test(wrongfix2, a_stack_sized_from_the_depth_is_a_right_fix)
{
	expect_accepted_by("06-stack-overflow", "deep.c", "06-stack-from-depth.patch",
			   "--tool native --tool asan", native_asan, "stack-overflow");
}

/* 07: volatile does not make the two desks wait for each other. */
Test(wrongfix2, a_volatile_till_with_two_locks_still_races)
{
	expect_rejected("07-wrong-lock", "till.c", "07-volatile.patch", "--tool tsan", tsan_only,
			"data-race");
}

/*
 * 07, a known gap: the desks one after the other. No race and the right
 * till, and 07's lab.ini asks for no concurrency, so it passes.
 */
Test(wrongfix2, joining_the_sales_desk_first_is_accepted)
{
	expect_accepted_by("07-wrong-lock", "till.c", "07-join-sales-first.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/*
 * 07: the sales desk takes the returns desk's lock inside its own. Clumsy,
 * but both desks now take returns_lock at every access to the till: one
 * lock orders them, and no checker has anything to say.
 */
Test(wrongfix2, both_locks_in_one_desk_are_a_right_fix)
{
	expect_accepted_by("07-wrong-lock", "till.c", "07-nested-in-one-desk.patch", "--tool tsan",
			   tsan_only, "data-race");
}

Test(wrongfix2, counting_coins_locally_is_a_right_fix)
{
	expect_accepted_by("07-wrong-lock", "till.c", "07-count-locally.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 07: atomic add and sub, nothing else shared: Helgrind and DRD accept it too. */
Test(wrongfix2, an_atomic_till_is_a_right_fix)
{
	static const char *const under[] = { "tsan", "helgrind", "drd", NULL };

	expect_accepted_by("07-wrong-lock", "till.c", "07-atomic.patch",
			   "--tool tsan --tool helgrind --tool drd", under, "data-race");
}

/* 08: a yield makes the press usually read i in time; the read and i++ are still unordered. */
Test(wrongfix2, yielding_after_each_create_still_races)
{
	expect_rejected("08-loop-variable", "presses.c", "08-yield-after-create.patch", "--tool tsan",
			tsan_only, "data-race");
}

/* 08: one variable in the loop body is one stack slot, reused by every iteration. */
Test(wrongfix2, a_variable_in_the_loop_body_still_races)
{
	expect_rejected("08-loop-variable", "presses.c", "08-loop-body-variable.patch", "--tool tsan",
			tsan_only, "data-race");
}

Test(wrongfix2, passing_the_page_by_value_is_a_right_fix)
{
	expect_accepted_by("08-loop-variable", "presses.c", "08-pass-value.patch",
			   "--tool native --tool tsan --tool asan", native_tsan_asan, "data-race");
}

Test(wrongfix2, a_malloced_argument_per_press_is_a_right_fix)
{
	expect_accepted_by("08-loop-variable", "presses.c", "08-malloc-argument.patch",
			   "--tool native --tool tsan --tool asan", native_tsan_asan, "data-race");
}
