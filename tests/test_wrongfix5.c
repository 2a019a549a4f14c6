/*
 * Wrong fixes and right ones for exercises 19 to 24 (tests/wrongfix/, the
 * verdicts in its README.md): each patch changes the exercise's solution
 * the way a student might, and racelab must reject it with the diagnostic
 * named, or accept it. Each runs only under the checkers its verdict is
 * about.
 */
#include <criterion/criterion.h>

#include "wrongfix.h"

TestSuite(wrongfix5, .timeout = 300);

static const char *const native[] = { "native", NULL };
static const char *const tsan[] = { "tsan", NULL };
static const char *const asan[] = { "asan", NULL };
static const char *const native_tsan[] = { "native", "tsan", NULL };
static const char *const tsan_asan[] = { "tsan", "asan", NULL };
static const char *const tsan_helgrind[] = { "tsan", "helgrind", NULL };

/*
 * 19: nobody frees the reply. Memcheck finds the block unreachable;
 * LeakSanitizer, in this program, still finds a pointer to it and says
 * nothing (a gap of ASan's, not of racelab's: Memcheck rejects the fix).
 */
Test(wrongfix5, never_freeing_the_reply_leaks_it)
{
	json_t *doc = check_with("19-use-after-free-detached", "sender.c", "19-never-free.patch",
			       "--tool memcheck --tool asan");

	expect_status(doc, "memcheck", "fail", "memory-leak", 1);
	expect_status(doc, "asan", "pass", "memory-leak", 0);
	json_decref(doc);
}

/* 19: the sender's first step copies the reply, after main has freed it. */
Test(wrongfix5, copying_the_reply_first_thing_reads_it_freed)
{
	expect_rejected("19-use-after-free-detached", "sender.c", "19-copy-at-start.patch",
			   "--tool asan", asan, "heap-use-after-free");
}

/* 19: a sleep before main's free orders nothing: the staging starts the sender after it. */
Test(wrongfix5, sleeping_before_the_free_still_frees_too_early)
{
	expect_rejected("19-use-after-free-detached", "sender.c", "19-sleep-before-free.patch",
			   "--tool tsan --tool asan", tsan_asan, "heap-use-after-free");
}

/* 19, a joinable sender and the free after the join: right, if slower. */
Test(wrongfix5, joining_before_the_free_is_a_right_fix)
{
	expect_accepted_by("19-use-after-free-detached", "sender.c", "19-join-then-free.patch",
			   "--tool asan", asan, "heap-use-after-free");
}

/* 19, the sender's own copy, which it frees; main frees the reply. */
Test(wrongfix5, a_copy_for_the_sender_is_a_right_fix)
{
	expect_accepted_by("19-use-after-free-detached", "sender.c", "19-own-copy.patch",
			   "--tool asan", asan, "heap-use-after-free");
}

/* 19, a count of holders under a mutex: the last one frees. */
Test(wrongfix5, a_reference_count_is_a_right_fix)
{
	expect_accepted_by("19-use-after-free-detached", "sender.c", "19-refcount.patch",
			   "--tool asan", asan, "heap-use-after-free");
}

/* 20: volatile still loads and stores the whole byte, under two locks. */
Test(wrongfix5, volatile_bit_fields_still_share_a_byte)
{
	expect_rejected("20-bit-fields", "link.c", "20-volatile.patch", "--tool tsan", tsan,
			   "data-race");
}

/* 20: unsigned char bit-fields are still two nibbles of one byte. */
Test(wrongfix5, byte_sized_bit_fields_still_share_a_byte)
{
	expect_rejected("20-bit-fields", "link.c", "20-char-fields.patch", "--tool tsan", tsan,
			   "data-race");
}

/* 20, two ordinary members: two memory locations, two locks. */
Test(wrongfix5, ordinary_members_are_a_right_fix)
{
	expect_accepted_by("20-bit-fields", "link.c", "20-plain-members.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 20, a zero-width bit-field between them: the same, the layout kept otherwise. */
Test(wrongfix5, a_zero_width_bit_field_is_a_right_fix)
{
	expect_accepted_by("20-bit-fields", "link.c", "20-zero-width.patch",
			   "--tool tsan --tool helgrind", tsan_helgrind, "data-race");
}

/* 21: write(2) for the log line; malloc and free stay in the handler. */
Test(wrongfix5, write_instead_of_printf_keeps_malloc_in_the_handler)
{
	expect_rejected("21-signal-unsafe", "reload.c", "21-write-not-printf.patch", "--tool tsan",
			   tsan, "signal-unsafe");
}

/* 21: a volatile pointer does nothing about a malloc inside a malloc. */
Test(wrongfix5, a_volatile_config_keeps_malloc_in_the_handler)
{
	expect_rejected("21-signal-unsafe", "reload.c", "21-volatile-config.patch", "--tool tsan",
			   tsan, "signal-unsafe");
}

/* 21: a mutex in the handler; the handler runs on the thread that may hold it. */
Test(wrongfix5, a_mutex_in_the_handler_keeps_malloc_in_it)
{
	expect_rejected("21-signal-unsafe", "reload.c", "21-mutex-in-handler.patch", "--tool tsan",
			   tsan, "signal-unsafe");
}

/* 21, sigwait in a thread of its own: the signal is a return, not a delivery. */
Test(wrongfix5, sigwait_in_a_thread_is_a_right_fix)
{
	expect_accepted_by("21-signal-unsafe", "reload.c", "21-sigwait-thread.patch",
			   "--tool native --tool tsan", native_tsan, "signal-unsafe");
}

/* 21, signalfd: the signal read from a descriptor. */
Test(wrongfix5, signalfd_is_a_right_fix)
{
	expect_accepted_by("21-signal-unsafe", "reload.c", "21-signalfd.patch",
			   "--tool native --tool tsan", native_tsan, "signal-unsafe");
}

/* 21, the self-pipe: the handler only writes a byte. */
Test(wrongfix5, a_self_pipe_is_a_right_fix)
{
	expect_accepted_by("21-signal-unsafe", "reload.c", "21-self-pipe.patch",
			   "--tool native --tool tsan", native_tsan, "signal-unsafe");
}

/*
 * 22: a timed wait for the right fork, the meal given up on a timeout. No
 * hang, but meals are lost; TSan adds no lock order for a timed lock, so
 * it reports no inversion either.
 */
Test(wrongfix5, giving_up_the_meal_on_a_timeout_loses_meals)
{
	json_t *doc = check_with("22-dining-philosophers", "dining.c", "22-timedlock-right.patch",
			       "--tool native --tool tsan");

	expect_status(doc, "native", "fail", "wrong-output", 1);
	expect_status(doc, "tsan", "fail", "lock-order-inversion", 0);
	cr_expect(has_kind(doc, "tsan", "wrong-output"), "tsan: no wrong-output");
	json_decref(doc);
}

/*
 * 22, a known gap: the left fork put down before the right one is taken.
 * No cycle, so no hang and no inversion, and each philosopher's meals are
 * its own: nothing shows that the meal no longer holds both forks.
 */
Test(wrongfix5, putting_the_left_fork_down_first_is_accepted)
{
	expect_accepted_by("22-dining-philosophers", "dining.c", "22-put-left-down.patch",
			   "--tool native --tool tsan", native_tsan, "lock-order-inversion");
}

/*
 * 22, a right fix that leaves the ring of fork orders in place: native
 * accepts it, at the README's table and at [case three-philosophers];
 * TSan reports the ring, which it cannot know is unreachable.
 */
static void expect_right_but_ring_reported(const char *fix)
{
	json_t *doc = check_with("22-dining-philosophers", "dining.c", fix,
			       "--tool native --tool tsan");
	int has;

	expect_pass(doc, "native", "deadlock");
	cr_expect_str_eq(case_verdict(doc, "native", "three-philosophers", "deadlock", &has),
			 "pass", "native [case three-philosophers]");
	expect_status(doc, "tsan", "fail", "lock-order-inversion", 1);
	json_decref(doc);
}

/* 22, a waiter letting only seats - 1 philosophers reach for forks. */
Test(wrongfix5, a_waiter_is_right_but_tsan_reports_the_ring)
{
	expect_right_but_ring_reported("22-waiter.patch");
}

/* 22, all or nothing: the right fork by trylock, the left put down on EBUSY. */
Test(wrongfix5, trylock_and_put_down_is_a_right_fix)
{
	expect_accepted_by("22-dining-philosophers", "dining.c", "22-trylock.patch",
			   "--tool native --tool tsan", native_tsan, "lock-order-inversion");
}

/* 22, even philosophers left first, odd ones right first: no cycle. */
Test(wrongfix5, odd_and_even_orders_are_a_right_fix)
{
	expect_accepted_by("22-dining-philosophers", "dining.c", "22-odd-even.patch",
			   "--tool native --tool tsan", native_tsan, "lock-order-inversion");
}

/* 22, one lock held while picking up both forks (TSan does not count it). */
Test(wrongfix5, a_table_lock_is_right_but_tsan_reports_the_ring)
{
	expect_right_but_ring_reported("22-table-lock.patch");
}

/* 23: volatile hits: still a load, an add and a store under a shared lock. */
Test(wrongfix5, volatile_hits_still_race_under_the_read_lock)
{
	expect_rejected("23-write-under-read-lock", "cache.c", "23-volatile-hits.patch",
			   "--tool tsan", tsan, "data-race");
}

/* 23: a POSIX rwlock cannot be upgraded: the reader waits for itself. */
Test(wrongfix5, upgrading_the_read_lock_hangs)
{
	expect_rejected("23-write-under-read-lock", "cache.c", "23-upgrade.patch", "--tool native",
			   native, "deadlock");
}

/*
 * 23, a known gap: each reader joined before the next starts. No two
 * lookups overlap, so nothing races; 23's lab.ini asks for no concurrency.
 */
Test(wrongfix5, readers_taking_turns_are_accepted)
{
	expect_accepted_by("23-write-under-read-lock", "cache.c", "23-readers-take-turns.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 23, the write lock in lookup(): right, if the rwlock is then a mutex. */
Test(wrongfix5, the_write_lock_in_lookup_is_a_right_fix)
{
	expect_accepted_by("23-write-under-read-lock", "cache.c", "23-write-lock.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 23, a counter per entry per reader, added up after the joins. */
Test(wrongfix5, per_thread_counters_are_a_right_fix)
{
	expect_accepted_by("23-write-under-read-lock", "cache.c", "23-per-thread.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 23, an atomic counter: TSan models the read-modify-write. */
Test(wrongfix5, an_atomic_counter_is_a_right_fix)
{
	expect_accepted_by("23-write-under-read-lock", "cache.c", "23-atomic.patch", "--tool tsan",
			   tsan, "data-race");
}

/*
 * 24: relaxed instead of release/acquire. Now the race on data is real and
 * TSan reports it; Helgrind says what it said before (which a fix may).
 */
Test(wrongfix5, a_relaxed_flag_makes_the_race_real)
{
	json_t *doc = check_with("24-atomics-false-positive", "handoff.c", "24-relaxed.patch",
			       "--tool tsan --tool helgrind");

	expect_status(doc, "tsan", "fail", "data-race", 1);
	expect_status(doc, "helgrind", "pass", "data-race", 1);
	json_decref(doc);
}

/* 24: a volatile flag: a real race on the flag, and no ordering for data. */
Test(wrongfix5, a_volatile_flag_races)
{
	expect_rejected("24-atomics-false-positive", "handoff.c", "24-volatile-flag.patch",
			   "--tool tsan", tsan, "data-race");
}

/*
 * 24: data made atomic to please Helgrind: still correct, so accepted;
 * Helgrind goes on reporting the flag, which a fix may leave.
 */
Test(wrongfix5, an_atomic_data_still_leaves_helgrind_a_flag_to_report)
{
	json_t *doc = check_with("24-atomics-false-positive", "handoff.c", "24-atomic-data.patch",
			       "--tool tsan --tool helgrind");

	expect_pass(doc, "tsan", "data-race");
	expect_status(doc, "helgrind", "pass", "data-race", 1);
	json_decref(doc);
}

/* 24, the hand-off under a mutex and a condition variable: every checker understands it. */
Test(wrongfix5, a_mutex_and_condvar_hand_off_is_a_right_fix)
{
	expect_accepted_by("24-atomics-false-positive", "handoff.c", "24-mutex-condvar.patch",
			   "--tool tsan --tool helgrind", tsan_helgrind, "data-race");
}

/*
 * 24: Valgrind's annotations name the edge, but a client request in a
 * student's file is tampering with the checker: rejected whatever it says.
 */
Test(wrongfix5, annotating_the_edge_counts_as_tampering)
{
	expect_rejected("24-atomics-false-positive", "handoff.c", "24-annotate.patch",
			   "--tool tsan", tsan, "tamper");
}
