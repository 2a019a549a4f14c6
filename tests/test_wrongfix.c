/*
 * Wrong fixes are rejected and right ones accepted (tests/wrongfix/):
 * each patch changes the solution of a copy of the real exercise, which
 * becomes the student's file, and `racelab check` must give the verdict
 * tests/wrongfix/README.md states.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "wrongfix.h"

TestSuite(wrongfix, .timeout = 300);

static const char *const native_only[] = { "native", NULL };

Test(wrongfix, joining_each_worker_before_the_next_is_serialized)
{
	static const char *const under[] = { "native", "tsan", NULL };

	expect_serialized("01-counter-race", "counter.c", "01-join-each.patch",
			  "--tool native --tool tsan", under);
}

Test(wrongfix, an_atomic_counter_is_a_right_fix)
{
	expect_accepted("01-counter-race", "counter.c", "01-atomic.patch", "data-race");
}

Test(wrongfix, a_server_that_joins_each_client_is_serialized)
{
	expect_serialized("34-tcp-echo-server", "thread_serv.c", "34-join-not-detach.patch",
			  "--tool native", native_only);
}

Test(wrongfix, a_server_without_threads_is_serialized)
{
	expect_serialized("34-tcp-echo-server", "thread_serv.c", "34-no-threads.patch",
			  "--tool native", native_only);
}

Test(wrongfix, one_lock_held_over_each_whole_loop_is_serialized)
{
	/* Measured natively, shown under every checker: make check-race runs them all. */
	static const char *const under[] = { "native", "tsan", "asan", "helgrind", "drd", "memcheck",
					     "noise", NULL };

	/* Up to three runs: a loaded machine once measured one below the rule. */
	expect_serialized("01-counter-race", "counter.c", "01-lock-whole-loop.patch", "--tool all --repeat 3",
			  under);
}

Test(wrongfix, only_tsan_still_shows_the_serialized_workers)
{
	json_t *doc = check_with("01-counter-race", "counter.c", "01-lock-whole-loop.patch",
				 "--tool tsan --repeat 3");
	int has;

	cr_expect_str_eq(verdict(doc, "tsan", "serialized", &has), "fail");
	cr_expect(has, "no serialized diagnostic under tsan");
	cr_expect_str_eq(verdict(doc, "native", "serialized", &has), "missing",
			 "the native probe is not reported when it was not asked for");
	json_decref(doc);
}

/* Under TSan alone, the student reads where `serialized` was measured. */
Test(wrongfix, a_serialized_verdict_says_where_it_was_measured)
{
	char *out = check_text("01-counter-race", "counter.c", "01-lock-whole-loop.patch",
			       "--tool tsan");

	cr_expect(strstr(out, "    tsan      BUG    measured in the native run of the same fix\n"),
		  "%s", out);
	cr_expect(strstr(out, "serialized"), "%s", out);
	free(out);
}

/*
 * Right only by timing: the usual timing lets the producer queue job 2
 * during the 200 ms sleep, so the native run passes; schedule noise
 * shrinks the sleep or delays the producer, and the consumer takes from
 * the empty queue. Not in every seed: the default 20 missed it once in
 * three loaded runs, so the test gives noise 100 (it stops at the first
 * seed that fails).
 */
Test(wrongfix, sleeping_before_taking_is_rejected_under_noise)
{
	json_t *doc = check_with("17-condvar-if", "jobs.c", "17-sleep-then-take.patch",
				 "--tool native --tool noise --seeds 100");
	int has;

	cr_expect_str_eq(verdict(doc, "native", "wrong-output", &has), "pass");
	cr_expect_str_eq(verdict(doc, "noise", "wrong-output", &has), "fail");
	cr_expect(has, "no wrong-output diagnostic under noise");
	json_decref(doc);
}

/*
 * 01's [case long-loops] counts 100 times longer, so that the whole-loop
 * hold is nearly all of each worker's time: rejected in every run, not
 * by a share measured near the rule.
 */
Test(wrongfix, one_lock_over_long_loops_is_serialized_every_run)
{
	for (int run = 0; run < 3; run++) {
		json_t *doc = check_with("01-counter-race", "counter.c", "01-lock-whole-loop.patch",
					 "--tool native");
		int has;

		cr_expect_str_eq(case_verdict(doc, "native", "long-loops", "serialized", &has), "fail",
				 "run %d", run);
		cr_expect(has, "run %d", run);
		json_decref(doc);
	}
}

Test(wrongfix, counting_locally_then_adding_once_is_a_right_fix)
{
	expect_accepted("01-counter-race", "counter.c", "01-count-locally.patch", "serialized");
}

/*
 * 02, taking the money out under one lock and putting it in under the
 * other: no lock is held while another is awaited, so nothing hangs, and
 * every access is locked. The transfer is no longer atomic, but nothing
 * in this program looks between the two halves: every checker accepts
 * it, and 02's NOTES say so.
 */
Test(wrongfix, releasing_the_first_account_first_is_accepted)
{
	expect_accepted("02-deadlock-abba", "bank.c", "02-unlock-first.patch", "deadlock");
}

/*
 * 02, trylock on the second account and back off: it never hangs, but
 * Helgrind records a successful trylock like a lock, so the clerks still
 * take a and b in opposite orders; TSan does not count it.
 */
Test(wrongfix, trylock_and_back_off_is_still_an_inversion_to_helgrind)
{
	json_t *doc = check_with("02-deadlock-abba", "bank.c", "02-trylock-back-off.patch",
				 "--tool native --tool tsan --tool helgrind");
	int has;

	cr_expect_str_eq(verdict(doc, "native", "deadlock", &has), "pass");
	cr_expect_str_eq(verdict(doc, "tsan", "lock-order-inversion", &has), "pass");
	cr_expect_str_eq(verdict(doc, "helgrind", "lock-order-inversion", &has), "fail");
	cr_expect(has, "no lock-order-inversion under helgrind");
	json_decref(doc);
}

Test(wrongfix, ordering_the_accounts_by_address_is_a_right_fix)
{
	expect_accepted("02-deadlock-abba", "bank.c", "02-order-by-address.patch",
			"lock-order-inversion");
}

Test(wrongfix, one_lock_for_the_whole_bank_is_a_right_fix)
{
	expect_accepted("02-deadlock-abba", "bank.c", "02-one-bank-lock.patch", "deadlock");
}

/*
 * The impolite philosopher blocks on fork 0 while the polite one, who
 * holds it, waits at the barrier for him: a cycle of waiting, seen by the
 * watch under every checker; native and tsan are the cheapest.
 */
Test(wrongfix, one_impolite_philosopher_deadlocks)
{
	static const char *const under[] = { "native", "tsan", NULL };

	expect_rejected("03-livelock-polite", "forks.c", "03-one-impolite.patch",
			"--tool native --tool tsan", under, "deadlock");
}

/* A yield after each failure, in both: still in step, still never eating. */
Test(wrongfix, yielding_after_a_failure_still_livelocks)
{
	static const char *const under[] = { "native", "tsan", NULL };

	expect_rejected("03-livelock-polite", "forks.c", "03-yield-after-failure.patch",
			"--tool native --tool tsan", under, "livelock");
}

/*
 * 17 with more consumers (lab.ini [case three-consumers]): a consumer that
 * waits a second time when the job it woke for is gone is right with two
 * consumers, and takes job 0 from the empty queue with three.
 */
Test(wrongfix, waiting_twice_instead_of_a_loop_fails_with_three_consumers)
{
	json_t *doc = check_with("17-condvar-if", "jobs.c", "17-wait-twice.patch", "--tool native");
	int has;

	cr_expect_str_eq(verdict(doc, "native", "wrong-output", &has), "pass");
	cr_expect_str_eq(case_verdict(doc, "native", "three-consumers", "wrong-output", &has), "fail");
	cr_expect(has, "the three consumers' case names the wrong output");
	json_decref(doc);
}

/* A program that prints the README's answer is right for two consumers only. */
Test(wrongfix, printing_the_expected_answer_fails_another_case)
{
	json_t *doc = check_with("17-condvar-if", "jobs.c", "17-print-the-answer.patch", "--tool native");
	int has;

	cr_expect_str_eq(verdict(doc, "native", "wrong-output", &has), "pass");
	cr_expect_str_eq(case_verdict(doc, "native", "three-consumers", "wrong-output", &has), "fail");
	cr_expect(has);
	cr_expect_str_eq(case_verdict(doc, "native", "eight-consumers", "wrong-output", &has), "fail");
	cr_expect(has);
	json_decref(doc);
}

/* 03's NOTES: computing the order (the lower-numbered fork first) is the same fix. */
Test(wrongfix, taking_the_lower_numbered_fork_first_is_a_right_fix)
{
	expect_accepted("03-livelock-polite", "forks.c", "03-lower-fork-first.patch", "livelock");
}

/* 34's NOTES: the descriptor passed by value shares nothing. */
Test(wrongfix, passing_the_descriptor_by_value_is_a_right_fix)
{
	expect_accepted("34-tcp-echo-server", "thread_serv.c", "34-fd-by-value.patch", "data-race");
}

/*
 * 34's NOTES: an atomic counter instead of the mutex. A lone atomic
 * read-modify-write is accepted by every checker, Helgrind and DRD too
 * (they report atomics only when they publish other data: exercise 24).
 */
Test(wrongfix, an_atomic_client_counter_is_a_right_fix)
{
	expect_accepted("34-tcp-echo-server", "thread_serv.c", "34-atomic-counter.patch", "data-race");
}
