/*
 * Wrong fixes and right ones for exercises 18 to 33 (tests/wrongfix/,
 * the verdicts in its README.md): each patch changes the exercise's
 * solution the way a student might, and racelab must reject it with the
 * diagnostic named, or accept it. Each runs only under the checkers its
 * verdict is about.
 */
#include <criterion/criterion.h>

#include "wrongfix.h"

TestSuite(wrongfix3, .timeout = 300);

static const char *const tsan[] = { "tsan", NULL };
static const char *const native_tsan[] = { "native", "tsan", NULL };

/* 18: volatile makes every access go to memory, still in two steps. */
Test(wrongfix3, a_volatile_refcount_still_races)
{
	json_t *doc = check_with("18-refcount", "refcount.c", "18-volatile.patch",
			       "--tool native --tool tsan");

	expect_status(doc, "native", "fail", "wrong-output", 1);
	expect_status(doc, "tsan", "fail", "data-race", 1);
	json_decref(doc);
}

/* 18: an atomic load and an atomic store: TSan is silent, the leak is not. */
Test(wrongfix3, an_atomic_load_then_store_loses_the_decrement_quietly)
{
	json_t *doc = check_with("18-refcount", "refcount.c", "18-atomic-load-store.patch",
			       "--tool native --tool tsan --tool asan");

	expect_status(doc, "native", "fail", "wrong-output", 1);
	expect_status(doc, "tsan", "fail", "data-race", 0);
	expect_status(doc, "asan", "fail", "memory-leak", 1);
	json_decref(doc);
}

/*
 * 18: both workers decrement, then both read 0 and both free. Which of
 * the second worker's steps ASan stops at depends on the schedule: its
 * read of c->version for the message (after the other's free), or its
 * free. Either is the same bug; the verdict never changes.
 */
Test(wrongfix3, testing_the_count_after_the_decrement_frees_twice)
{
	json_t *doc = check_with("18-refcount", "refcount.c", "18-test-after-decrement.patch",
			       "--tool asan");

	cr_expect(has_kind(doc, "asan", "double-free") || has_kind(doc, "asan", "heap-use-after-free"),
		  "asan: neither double-free nor heap-use-after-free");
	expect_status(doc, "asan", "fail", "memory-leak", 0);
	json_decref(doc);
}

/* 18: main frees after the joins: no leak, the race stays. */
Test(wrongfix3, freeing_in_main_leaves_the_race)
{
	expect_rejected("18-refcount", "refcount.c", "18-free-in-main.patch",
			   "--tool tsan", tsan, "data-race");
}

/*
 * 18, the idiomatic count: TSan models the read-modify-write. Helgrind and
 * DRD do not model C11 atomics: they report the free in some runs and not
 * in others, so their verdict is not asserted.
 */
Test(wrongfix3, atomic_fetch_sub_is_a_right_fix)
{
	expect_accepted_by("18-refcount", "refcount.c", "18-atomic-fetch-sub.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 18, a mutex in each object, destroyed before the free. */
Test(wrongfix3, a_lock_per_object_is_a_right_fix)
{
	expect_accepted_by("18-refcount", "refcount.c", "18-lock-per-object.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

static const char *const native[] = { "native", NULL };

/* 26: the close after the loop is never reached: the loop waits for it. */
Test(wrongfix3, closing_the_write_end_after_the_loop_still_hangs)
{
	expect_rejected("26-pipe-no-eof", "lines.c", "26-close-after-loop.patch", "--tool native",
			   native, "deadlock");
}

/* 26: the child's write end was never the problem; the parent's is. */
Test(wrongfix3, closing_only_in_the_child_still_hangs)
{
	expect_rejected("26-pipe-no-eof", "lines.c", "26-close-in-child-only.patch",
			   "--tool native", native, "deadlock");
}

/*
 * 26, a known gap: waiting for the child before reading works while its
 * 1000 lines fit in the pipe (64 KiB); a child that writes more blocks in
 * write while the parent blocks in waitpid. The lab's input is small.
 */
Test(wrongfix3, waiting_before_reading_is_accepted_for_a_small_input)
{
	expect_accepted_by("26-pipe-no-eof", "lines.c", "26-waitpid-first.patch", "--tool native",
			   native, "deadlock");
}

/* 26, pipe2 with O_CLOEXEC and the parent's close kept: right. */
Test(wrongfix3, pipe2_with_cloexec_is_a_right_fix)
{
	expect_accepted_by("26-pipe-no-eof", "lines.c", "26-pipe2-cloexec.patch", "--tool native",
			   native, "fd-leak");
}

/* 33: the consumer holds a write end of its own pipe: no end of file. */
Test(wrongfix3, closing_the_ends_only_in_the_parent_still_hangs)
{
	expect_rejected("33-pipeline-leaked-end", "pipeline.c", "33-close-only-in-parent.patch",
			   "--tool native", native, "deadlock");
}

/* 33: the parent's copy of the write end keeps the pipe open. */
Test(wrongfix3, closing_only_in_the_consumer_still_hangs)
{
	expect_rejected("33-pipeline-leaked-end", "pipeline.c",
			   "33-close-only-in-consumer.patch", "--tool native", native, "deadlock");
}

/* 25: a longer sleep instead of the waits: the workers stay zombies. */
Test(wrongfix3, sleeping_instead_of_waiting_leaves_zombies)
{
	expect_rejected("25-fork-zombies", "workers.c", "25-sleep-instead.patch", "--tool native",
			   native, "zombie");
}

/*
 * 25: the workers collected right after they are forked, before their
 * results are read: they wait for the receipt, the parent waits for them.
 */
Test(wrongfix3, collecting_the_workers_before_reading_hangs)
{
	expect_rejected("25-fork-zombies", "workers.c", "25-wait-before-reading.patch",
			   "--tool native", native, "deadlock");
}

/* 29: msync writes back shared mappings; a private one is never the file's. */
Test(wrongfix3, msync_on_a_private_mapping_leaves_the_file_pending)
{
	expect_rejected("29-mmap-private", "report.c", "29-msync-private.patch", "--tool native",
			   native, "wrong-output");
}

/* 29: the parent's private mapping is its own untouched copy. */
Test(wrongfix3, reading_a_private_mapping_reads_the_parents_copy)
{
	expect_rejected("29-mmap-private", "report.c", "29-private-read-map.patch",
			   "--tool native", native, "wrong-output");
}

/* 29, reading the result through the shared mapping: right. */
Test(wrongfix3, reading_through_the_shared_mapping_is_a_right_fix)
{
	expect_accepted_by("29-mmap-private", "report.c", "29-read-the-map.patch", "--tool native",
			   native, "wrong-output");
}
