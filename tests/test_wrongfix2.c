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
static const char *const native_tsan_helgrind[] = { "native", "tsan", "helgrind", NULL };

/* 04: the attribute is set up, then not passed: the bus has no inheritance. */
Test(wrongfix2, an_attribute_never_passed_is_still_an_inversion)
{
	expect_rejected("04-priority-inversion", "inversion.c", "04-attr-not-passed.patch",
			"--tool native", native_only, "priority-inversion");
}

/*
 * 04, a known gap: low created above medium. Medium cannot preempt it, so
 * nothing runs between low's priority and high's while high waits; the
 * design is changed, not fixed, and the preload cannot tell.
 */
Test(wrongfix2, raising_lows_priority_is_accepted)
{
	expect_accepted_by("04-priority-inversion", "inversion.c", "04-raise-low.patch",
			   "--tool native", native_only, "priority-inversion");
}

Test(wrongfix2, a_priority_ceiling_is_a_right_fix)
{
	expect_accepted_by("04-priority-inversion", "inversion.c", "04-priority-ceiling.patch",
			   "--tool native", native_only, "priority-inversion");
}

/* 05: the worker frees its result, main then reads it: ASan sees the read. */
Test(wrongfix2, freeing_the_result_in_the_worker_is_a_use_after_free)
{
	expect_rejected("05-leaked-results", "results.c", "05-free-in-worker.patch", "--tool asan",
			asan_only, "heap-use-after-free");
}

/*
 * 05: a pointer to the worker's local: its frame is gone when main reads.
 * ASan stops the read every time, but how it names it depends on what
 * became of the dead thread's fake stack by then: unmapped (a SEGV, most
 * runs), or already reused for another worker's frames (a use after
 * return, or another report of ASan's; 2 in about 300 runs here).
 */
Test(wrongfix2, returning_a_local_result_is_stopped_by_asan)
{
	json_t *doc = check_with("05-leaked-results", "results.c", "05-return-local.patch",
				 "--tool asan");
	int has;

	cr_expect_str_eq(verdict(doc, "asan", "crash", &has), "fail");
	cr_expect(has || has_kind(doc, "asan", "stack-use-after-return") ||
		  has_kind(doc, "asan", "undefined-behavior"), "no report of ASan at the read");
	json_decref(doc);
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

	expect_pass(doc, "native", "stack-overflow");
	expect_fail(doc, "asan", "stack-overflow");
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

/* 09: the display spins on a volatile flag: nothing orders the sensor's writes before its reads. */
Test(wrongfix2, a_volatile_flag_still_races)
{
	expect_rejected("09-flag-publication", "station.c", "09-volatile-flag.patch", "--tool tsan",
			tsan_only, "data-race");
}

/* 09: a lock orders only the threads that take it; the display does not. */
Test(wrongfix2, locking_only_in_the_sensor_still_races)
{
	expect_rejected("09-flag-publication", "station.c", "09-lock-only-sensor.patch", "--tool tsan",
			tsan_only, "data-race");
}

/*
 * 09, release/acquire on an atomic flag: right, and TSan says so; Helgrind
 * and DRD do not see the release/acquire pair and report races.
 */
Test(wrongfix2, release_acquire_is_right_for_tsan_only)
{
	json_t *doc = check_with("09-flag-publication", "station.c", "09-release-acquire.patch",
				 "--tool tsan --tool helgrind --tool drd");

	expect_pass(doc, "tsan", "data-race");
	expect_fail(doc, "helgrind", "data-race");
	expect_fail(doc, "drd", "data-race");
	json_decref(doc);
}

Test(wrongfix2, a_semaphore_is_a_right_fix)
{
	static const char *const under[] = { "native", "tsan", "helgrind", "drd", NULL };

	expect_accepted_by("09-flag-publication", "station.c", "09-semaphore.patch",
			   "--tool native --tool tsan --tool helgrind --tool drd", under, "data-race");
}

/* 10: a sleep lets the ovens end; it does not join them. */
Test(wrongfix2, sleeping_before_return_still_leaks_the_threads)
{
	expect_rejected("10-thread-leak", "ovens.c", "10-sleep-before-return.patch", "--tool tsan",
			tsan_only, "thread-leak");
}

/* 10: the oven left unjoined is still leaked. */
Test(wrongfix2, joining_only_some_ovens_still_leaks)
{
	expect_rejected("10-thread-leak", "ovens.c", "10-join-some.patch", "--tool tsan", tsan_only,
			"thread-leak");
}

/*
 * 10, a known gap: detached ovens free themselves, so no checker reports
 * a leak, though main no longer knows they have ended.
 */
Test(wrongfix2, detaching_the_ovens_is_accepted)
{
	static const char *const under[] = { "native", "tsan", "memcheck", NULL };

	expect_accepted_by("10-thread-leak", "ovens.c", "10-detach.patch",
			   "--tool native --tool tsan --tool memcheck", under, "thread-leak");
}

Test(wrongfix2, counts_returned_through_the_joins_are_a_right_fix)
{
	expect_accepted_by("10-thread-leak", "ovens.c", "10-join-instead-of-board.patch",
			   "--tool native --tool tsan", native_tsan, "thread-leak");
}

/* 11, a known gap: a recursive mutex ends the hang, and neither native nor TSan objects. */
Test(wrongfix2, a_recursive_mutex_is_accepted)
{
	expect_accepted_by("11-self-deadlock", "stock.c", "11-recursive-mutex.patch",
			   "--tool native --tool tsan", native_tsan, "deadlock");
}

/* 11: an error-checking mutex makes the relock fail with EDEADLK; check() exits. */
Test(wrongfix2, an_errorcheck_mutex_finds_the_bug_and_fails)
{
	expect_rejected("11-self-deadlock", "stock.c", "11-errorcheck-mutex.patch", "--tool native",
			native_only, "wrong-output");
}

Test(wrongfix2, a_running_total_is_a_right_fix)
{
	expect_accepted_by("11-self-deadlock", "stock.c", "11-running-total.patch",
			   "--tool native --tool tsan", native_tsan, "deadlock");
}

/* 12: the balance read before the lock races with the other customers' updates. */
Test(wrongfix2, checking_the_balance_before_the_lock_races)
{
	expect_rejected("12-error-path-lock", "account.c", "12-check-before-lock.patch", "--tool tsan",
			tsan_only, "data-race");
}

/* 12: a robust mutex hands EOWNERDEAD to the next locker; check() exits. */
Test(wrongfix2, a_robust_mutex_still_fails)
{
	expect_rejected("12-error-path-lock", "account.c", "12-robust-mutex.patch", "--tool native",
			native_only, "wrong-output");
}

/* 12, a known gap: serve() unlocks what withdraw() kept locked; nothing can tell. */
Test(wrongfix2, unlocking_in_the_caller_is_accepted)
{
	expect_accepted_by("12-error-path-lock", "account.c", "12-unlock-in-serve.patch",
			   "--tool native --tool tsan", native_tsan, "deadlock");
}

Test(wrongfix2, unlocking_before_the_early_return_is_a_right_fix)
{
	expect_accepted_by("12-error-path-lock", "account.c", "12-unlock-before-return.patch",
			   "--tool native --tool tsan", native_tsan, "deadlock");
}

/* 13: a recursive mutex refuses the second unlock (EPERM); check() exits. */
Test(wrongfix2, a_recursive_mutex_refuses_the_second_unlock)
{
	expect_rejected("13-unlock-misuse", "spool.c", "13-recursive-mutex.patch", "--tool native",
			native_only, "wrong-output");
}

/* 13, known gaps: one lock, one unlock per path, only far apart or conditional. */
Test(wrongfix2, unlocking_in_add_job_only_is_accepted)
{
	expect_accepted_by("13-unlock-misuse", "spool.c", "13-callee-unlocks.patch",
			   "--tool native --tool tsan", native_tsan, "mutex-misuse");
}

Test(wrongfix2, skipping_the_unlock_after_a_refusal_is_accepted)
{
	expect_accepted_by("13-unlock-misuse", "spool.c", "13-skip-unlock-on-failure.patch",
			   "--tool native --tool tsan", native_tsan, "mutex-misuse");
}

Test(wrongfix2, add_job_taking_its_own_lock_is_a_right_fix)
{
	expect_accepted_by("13-unlock-misuse", "spool.c", "13-add-job-locks.patch",
			   "--tool native --tool tsan", native_tsan, "mutex-misuse");
}

/* 14: volatile changes nothing between the check and the act (staged: every run). */
Test(wrongfix2, a_volatile_balance_still_pays_twice)
{
	expect_rejected("14-check-then-act", "atm.c", "14-volatile-balance.patch", "--tool native",
			native_only, "wrong-output");
}

/* 14: take() asserts what covers() said: the second machine aborts. */
Test(wrongfix2, asserting_in_take_aborts)
{
	expect_rejected("14-check-then-act", "atm.c", "14-assert-in-take.patch", "--tool native",
			native_only, "crash");
}

Test(wrongfix2, a_compare_and_swap_loop_is_a_right_fix)
{
	expect_accepted_by("14-check-then-act", "atm.c", "14-compare-and-swap.patch",
			   "--tool native --tool tsan", native_tsan, "wrong-output");
}

/* 15: the staging makes main wait for the printer: the sleep only delays the zero copies. */
Test(wrongfix2, sleeping_in_the_printer_still_prints_nothing)
{
	expect_rejected("15-order-violation", "spool.c", "15-sleep-in-printer.patch", "--tool native",
			native_only, "wrong-output");
}

/* 15: the right copies by default, and main's write still races with the read. */
Test(wrongfix2, a_static_default_still_races)
{
	json_t *doc = check_with("15-order-violation", "spool.c", "15-static-default.patch",
				 "--tool native --tool tsan");

	expect_pass(doc, "native", "data-race");
	expect_fail(doc, "tsan", "data-race");
	json_decref(doc);
}

Test(wrongfix2, passing_the_settings_to_the_printer_is_a_right_fix)
{
	expect_accepted_by("15-order-violation", "spool.c", "15-pass-settings.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 16: volatile re-reads the pointer; nothing orders the table before it. */
Test(wrongfix2, a_volatile_table_pointer_still_races)
{
	expect_rejected("16-lazy-init", "lazy.c", "16-volatile-pointer.patch", "--tool tsan", tsan_only,
			"data-race");
}

/* 16: without the inner check, the outer one is still an unlocked read. */
Test(wrongfix2, dropping_the_inner_check_still_races)
{
	expect_rejected("16-lazy-init", "lazy.c", "16-no-inner-check.patch", "--tool tsan", tsan_only,
			"data-race");
}

/* 16: a lock on every call, clean under Helgrind too (unlike pthread_once). */
Test(wrongfix2, locking_on_every_call_is_a_right_fix)
{
	expect_accepted_by("16-lazy-init", "lazy.c", "16-lock-every-call.patch",
			   "--tool native --tool tsan --tool helgrind", native_tsan_helgrind, "data-race");
}
