/*
 * Wrong fixes and right ones for exercises 27, 28, 30, 31 and 32
 * (tests/wrongfix/, the verdicts in its README.md): each patch changes
 * the exercise's solution the way a student might, and racelab must
 * reject it with the diagnostic named, or accept it. Each runs only
 * under the checkers its verdict is about: mostly the native run, whose
 * watch and oracle are all that see processes, FIFOs and queues; noise
 * where the verdict is about timing, TSan where a fix keeps a thread.
 */
#include <criterion/criterion.h>

#include "wrongfix.h"

TestSuite(wrongfix4, .timeout = 300);

static const char *const native[] = { "native", NULL };
static const char *const native_noise[] = { "native", "noise", NULL };
static const char *const native_tsan[] = { "native", "tsan", NULL };

/* 27: a sleep moves the client's opens later; the cycle stays. */
Test(wrongfix4, sleeping_before_the_opens_still_hangs)
{
	expect_rejected("27-fifo-open-order", "square.c", "27-sleep-first.patch", "--tool native",
			native, "deadlock");
}

/* 27: each side opens its write end first: the opposite orders again. */
Test(wrongfix4, both_opening_their_write_end_first_still_hangs)
{
	expect_rejected("27-fifo-open-order", "square.c", "27-write-end-first.patch",
			"--tool native", native, "deadlock");
}

/* 27, the server in the client's order: one order is all it takes. */
Test(wrongfix4, the_server_in_the_clients_order_is_a_right_fix)
{
	expect_accepted_by("27-fifo-open-order", "square.c", "27-server-in-client-order.patch",
			   "--tool native", native, "deadlock");
}

/* 27, a non-blocking open for reading, then poll until the server wrote. */
Test(wrongfix4, a_nonblocking_read_open_and_poll_is_a_right_fix)
{
	expect_accepted_by("27-fifo-open-order", "square.c", "27-nonblock-read-open.patch",
			   "--tool native", native, "deadlock");
}

/* 28: a semaphore made for one process: the child is never woken. */
Test(wrongfix4, a_semaphore_not_shared_between_processes_hangs_the_child)
{
	expect_rejected("28-shm-lost-updates", "visits.c", "28-pshared-zero.patch", "--tool native",
			native, "deadlock");
}

/* 28: a mutex in ordinary memory: fork gives each process its own copy. */
Test(wrongfix4, a_lock_outside_the_shared_memory_excludes_nothing)
{
	expect_rejected("28-shm-lost-updates", "visits.c", "28-private-lock.patch", "--tool native",
			native, "wrong-output");
}

/* 28: volatile reads and writes the shared memory, still in two steps. */
Test(wrongfix4, a_volatile_counter_still_loses_an_update)
{
	expect_rejected("28-shm-lost-updates", "visits.c", "28-volatile.patch", "--tool native",
			native, "wrong-output");
}

/* 28, a PTHREAD_PROCESS_SHARED mutex in the shared memory: right. */
Test(wrongfix4, a_process_shared_mutex_is_a_right_fix)
{
	expect_accepted_by("28-shm-lost-updates", "visits.c", "28-process-shared-mutex.patch",
			   "--tool native", native, "wrong-output");
}

/* 28, one atomic add instead of the read and the write: right. */
Test(wrongfix4, an_atomic_add_is_a_right_fix)
{
	expect_accepted_by("28-shm-lost-updates", "visits.c", "28-atomic-add.patch", "--tool native",
			   native, "wrong-output");
}

/* 28, a named semaphore, unlinked at once: right. */
Test(wrongfix4, a_named_semaphore_is_a_right_fix)
{
	expect_accepted_by("28-shm-lost-updates", "visits.c", "28-named-semaphore.patch",
			   "--tool native", native, "wrong-output");
}

/* 30: ten messages, the system's cap, for fourteen sent before any reader. */
Test(wrongfix4, the_largest_queue_still_fills_up)
{
	expect_rejected("30-mq-full", "jobs.c", "30-largest-queue.patch", "--tool native", native,
			"deadlock");
}

/* 30: the workers come before the stops, but after the twelve jobs. */
Test(wrongfix4, starting_the_workers_before_the_stops_is_too_late)
{
	expect_rejected("30-mq-full", "jobs.c", "30-workers-before-stops.patch", "--tool native",
			native, "deadlock");
}

/* 30: batches of a queue's worth never block, but no worker shares the jobs. */
Test(wrongfix4, batches_without_workers_are_serialized)
{
	expect_rejected("30-mq-full", "jobs.c", "30-batches.patch", "--tool native", native,
			"serialized");
}

/*
 * 30: reader processes instead of threads share the jobs and get the sum
 * right: lab.ini's concurrent = 2 counts forked workers like threads.
 */
Test(wrongfix4, reader_processes_are_a_right_fix)
{
	static const char *const under[] = { "native", "noise", NULL };

	expect_accepted_by("30-mq-full", "jobs.c", "30-reader-processes.patch",
			   "--tool native --tool noise", under, "serialized");
}

/* 31: the client asks, then waits for "ready": it reads the answer instead. */
Test(wrongfix4, waiting_for_ready_after_the_question_still_hangs)
{
	expect_rejected("31-socket-both-read", "squares.c", "31-ready-after-question.patch",
			"--tool native", native, "deadlock");
}

/*
 * 31, a known gap: the client waits 100 ms for a "ready" that never
 * comes, then asks anyway. Slower by a timeout per question, and right.
 */
Test(wrongfix4, a_timeout_on_ready_is_accepted)
{
	expect_accepted_by("31-socket-both-read", "squares.c", "31-ready-timeout.patch",
			   "--tool native", native, "deadlock");
}

/*
 * 31, the server sends "ready" before each question: right, if it takes
 * the client's hang-up after the last "ready" (EPIPE or ECONNRESET, as the
 * schedule falls) as the end. Noise tries both orders.
 */
Test(wrongfix4, a_server_that_says_ready_is_a_right_fix)
{
	expect_accepted_by("31-socket-both-read", "squares.c", "31-server-says-ready.patch",
			   "--tool native --tool noise", native_noise, "deadlock");
}

/* 32: the child gives up the lock it inherited locked: no line. */
Test(wrongfix4, a_trylock_that_gives_up_loses_the_line)
{
	expect_rejected("32-fork-locked-mutex", "forklog.c", "32-trylock-give-up.patch",
			"--tool native", native, "wrong-output");
}

/*
 * 32: a sleep before fork "so the flusher finishes first". The flusher
 * holds the lock until main forks (or waits for the lock itself), as a
 * busy flusher may: the sleep moves nothing, the child inherits the held
 * lock in every run, and under noise too.
 */
Test(wrongfix4, sleeping_before_fork_still_deadlocks)
{
	expect_rejected("32-fork-locked-mutex", "forklog.c", "32-sleep-before-fork.patch",
			"--tool native --tool noise", native_noise, "deadlock");
}

/*
 * 32: the child unlocks the mutex it inherited, or initializes it afresh.
 * glibc lets any thread unlock a default mutex, so the native run passes;
 * Helgrind and DRD see the child touch a lock the flusher holds.
 */
static void misuse_to_valgrind(const char *fix)
{
	json_t *doc = check_with("32-fork-locked-mutex", "forklog.c", fix,
				 "--tool native --tool helgrind --tool drd");

	expect_pass(doc, "native", "deadlock");
	expect_fail(doc, "helgrind", "mutex-misuse");
	expect_fail(doc, "drd", "mutex-misuse");
	json_decref(doc);
}

Test(wrongfix4, unlocking_the_inherited_lock_is_misuse_to_helgrind_and_drd)
{
	misuse_to_valgrind("32-unlock-in-child.patch");
}

Test(wrongfix4, reinitializing_the_inherited_lock_is_misuse_to_helgrind_and_drd)
{
	misuse_to_valgrind("32-init-in-child.patch");
}

/* 32, the child writes its line with write(2) and takes no lock: right. */
Test(wrongfix4, writing_without_the_lock_in_the_child_is_a_right_fix)
{
	expect_accepted_by("32-fork-locked-mutex", "forklog.c", "32-write-directly.patch",
			   "--tool native --tool tsan", native_tsan, "deadlock");
}

/* 32, every child forked before the flusher starts: right. */
Test(wrongfix4, forking_before_any_thread_is_a_right_fix)
{
	expect_accepted_by("32-fork-locked-mutex", "forklog.c", "32-fork-first.patch",
			   "--tool native --tool tsan", native_tsan, "deadlock");
}
