/*
 * Wrong fixes and right ones for exercises 19 to 24 (tests/wrongfix/, the
 * verdicts in its README.md): each patch changes the exercise's solution
 * the way a student might, and racelab must reject it with the diagnostic
 * named, or accept it. Each runs only under the checkers its verdict is
 * about.
 */
#include <criterion/criterion.h>

#include "wrongfix.h"

TestSuite(wrongfix4, .timeout = 300);

static const char *const native[] = { "native", NULL };
static const char *const tsan[] = { "tsan", NULL };
static const char *const asan[] = { "asan", NULL };
static const char *const native_tsan[] = { "native", "tsan", NULL };
static const char *const tsan_asan[] = { "tsan", "asan", NULL };

/*
 * 19: nobody frees the reply. Memcheck finds the block unreachable;
 * LeakSanitizer, in this program, still finds a pointer to it and says
 * nothing (a gap of ASan's, not of racelab's: Memcheck rejects the fix).
 */
Test(wrongfix4, never_freeing_the_reply_leaks_it)
{
	json_t *doc = check_with("19-use-after-free-detached", "sender.c", "19-never-free.patch",
			       "--tool memcheck --tool asan");

	expect_status(doc, "memcheck", "fail", "memory-leak", 1);
	expect_status(doc, "asan", "pass", "memory-leak", 0);
	json_decref(doc);
}

/* 19: the sender's first step copies the reply, after main has freed it. */
Test(wrongfix4, copying_the_reply_first_thing_reads_it_freed)
{
	expect_rejected("19-use-after-free-detached", "sender.c", "19-copy-at-start.patch",
			   "--tool asan", asan, "heap-use-after-free");
}

/* 19: a sleep before main's free orders nothing: the staging starts the sender after it. */
Test(wrongfix4, sleeping_before_the_free_still_frees_too_early)
{
	expect_rejected("19-use-after-free-detached", "sender.c", "19-sleep-before-free.patch",
			   "--tool tsan --tool asan", tsan_asan, "heap-use-after-free");
}

/* 19, a joinable sender and the free after the join: right, if slower. */
Test(wrongfix4, joining_before_the_free_is_a_right_fix)
{
	expect_accepted_by("19-use-after-free-detached", "sender.c", "19-join-then-free.patch",
			   "--tool tsan --tool asan", tsan_asan, "heap-use-after-free");
}

/* 19, the sender's own copy, which it frees; main frees the reply. */
Test(wrongfix4, a_copy_for_the_sender_is_a_right_fix)
{
	expect_accepted_by("19-use-after-free-detached", "sender.c", "19-own-copy.patch",
			   "--tool tsan --tool asan", tsan_asan, "heap-use-after-free");
}

/* 19, a count of holders under a mutex: the last one frees. */
Test(wrongfix4, a_reference_count_is_a_right_fix)
{
	expect_accepted_by("19-use-after-free-detached", "sender.c", "19-refcount.patch",
			   "--tool tsan --tool asan", tsan_asan, "heap-use-after-free");
}

/* 20: volatile still loads and stores the whole byte, under two locks. */
Test(wrongfix4, volatile_bit_fields_still_share_a_byte)
{
	expect_rejected("20-bit-fields", "link.c", "20-volatile.patch", "--tool tsan", tsan,
			   "data-race");
}

/* 20: unsigned char bit-fields are still two nibbles of one byte. */
Test(wrongfix4, byte_sized_bit_fields_still_share_a_byte)
{
	expect_rejected("20-bit-fields", "link.c", "20-char-fields.patch", "--tool tsan", tsan,
			   "data-race");
}

/* 20, two ordinary members: two memory locations, two locks. */
Test(wrongfix4, ordinary_members_are_a_right_fix)
{
	expect_accepted_by("20-bit-fields", "link.c", "20-plain-members.patch",
			   "--tool native --tool tsan", native_tsan, "data-race");
}

/* 20, a zero-width bit-field between them: the same, the layout kept otherwise. */
Test(wrongfix4, a_zero_width_bit_field_is_a_right_fix)
{
	static const char *const tsan_helgrind[] = { "tsan", "helgrind", NULL };

	expect_accepted_by("20-bit-fields", "link.c", "20-zero-width.patch",
			   "--tool tsan --tool helgrind", tsan_helgrind, "data-race");
}

/* 21: write(2) for the log line; malloc and free stay in the handler. */
Test(wrongfix4, write_instead_of_printf_keeps_malloc_in_the_handler)
{
	expect_rejected("21-signal-unsafe", "reload.c", "21-write-not-printf.patch", "--tool tsan",
			   tsan, "signal-unsafe");
}

/* 21: a volatile pointer does nothing about a malloc inside a malloc. */
Test(wrongfix4, a_volatile_config_keeps_malloc_in_the_handler)
{
	expect_rejected("21-signal-unsafe", "reload.c", "21-volatile-config.patch", "--tool tsan",
			   tsan, "signal-unsafe");
}

/* 21: a mutex in the handler; the handler runs on the thread that may hold it. */
Test(wrongfix4, a_mutex_in_the_handler_keeps_malloc_in_it)
{
	expect_rejected("21-signal-unsafe", "reload.c", "21-mutex-in-handler.patch", "--tool tsan",
			   tsan, "signal-unsafe");
}

/* 21, sigwait in a thread of its own: the signal is a return, not a delivery. */
Test(wrongfix4, sigwait_in_a_thread_is_a_right_fix)
{
	expect_accepted_by("21-signal-unsafe", "reload.c", "21-sigwait-thread.patch",
			   "--tool native --tool tsan", native_tsan, "signal-unsafe");
}

/* 21, signalfd: the signal read from a descriptor. */
Test(wrongfix4, signalfd_is_a_right_fix)
{
	expect_accepted_by("21-signal-unsafe", "reload.c", "21-signalfd.patch",
			   "--tool native --tool tsan", native_tsan, "signal-unsafe");
}

/* 21, the self-pipe: the handler only writes a byte. */
Test(wrongfix4, a_self_pipe_is_a_right_fix)
{
	expect_accepted_by("21-signal-unsafe", "reload.c", "21-self-pipe.patch",
			   "--tool native --tool tsan", native_tsan, "signal-unsafe");
}
