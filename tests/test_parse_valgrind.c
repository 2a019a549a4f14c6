/*
 * parse_valgrind_xml() on XML captured by tests/fixtures/capture.sh from
 * the programs in tests/fixtures/src/, run with racelab's Valgrind argv.
 * Run from tests/ (the unit binary's working directory).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "assert-stack.h"
#include "parse.h"
#include "strbuf.h"
#include "util.h"

static const struct parse_ctx ctx = { "/SRC", 0 };
static const struct parse_ctx killed_ctx = { "/SRC", 1 };

static char *load(const char *name, size_t *len)
{
	char *path = xstrfmt("fixtures/reports/%s", name);
	char *text = read_file(path, len);

	cr_assert_not_null(text, "cannot read %s", path);
	free(path);
	return text;
}

static int parse_fixture(const char *name, const struct parse_ctx *c,
			 struct diag_list *l, struct vg_info *info)
{
	size_t len;
	char *text = load(name, &len);
	int n = parse_valgrind_xml(text, len, c, l, info);

	free(text);
	return n;
}

/* The diagnostic whose first user frame is at file:line. */
static const struct diag *diag_at(const struct diag_list *l, const char *file, int line)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct frame *f = diag_user_frame(&l->v[i]);

		if (f && !strcmp(f->file, file) && f->line == line)
			return &l->v[i];
	}
	cr_assert_fail("no diagnostic at %s:%d", file, line);
	return NULL;
}

static void assert_clean_finish(const struct vg_info *info, int nerrors)
{
	cr_assert_gt(info->pid, 0);
	cr_assert_gt(info->ppid, 0);
	cr_assert_eq(info->finished, 1);
	cr_assert_eq(info->fatal_signal, 0);
	cr_assert_eq(info->nerrors, nerrors);
}

Test(parse_valgrind, helgrind_race)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("helgrind-race.xml", &ctx, &l, &info), 2);
	assert_clean_finish(&info, 2);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	cr_assert_str_eq(l.v[0].tool_kind, "Race");
	cr_assert_str_eq(l.v[0].message, "Possible data race during read of size 4 by thread #3");
	cr_assert_str_eq(l.v[1].message, "Possible data race during write of size 4 by thread #3");
	/* The main stack is the first access only. */
	cr_assert_eq(l.v[0].nframes, 4);
	assert_frame(&l.v[0].frames[0], "worker", "race.c", 10, 1);
	assert_module(&l.v[0].frames[0], "race.native");
	assert_frame(&l.v[0].frames[1], NULL, NULL, 0, 0);	/* ??? in the preload */
	assert_module(&l.v[0].frames[1], "vgpreload_helgrind-amd64-linux.so");
	assert_frame(&l.v[0].frames[2], "start_thread", "./nptl/./nptl/pthread_create.c", 442, 0);
	assert_module(&l.v[0].frames[2], "libc.so.6");
	diag_list_clear(&l);
}

Test(parse_valgrind, helgrind_race_conflicting_access_and_thread_creations)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct related *r;

	cr_assert_eq(parse_fixture("helgrind-race.xml", &ctx, &l, &info), 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_null(l.v[i].frames_what);
		cr_assert_eq(l.v[i].nrelated, 3);
		/* "This conflicts with a previous write ..." */
		r = related(&l.v[i], 0, "previous write of size 4 by thread #2", 4);
		assert_frame(&r->frames[0], "worker", "race.c", 10, 1);
		assert_frame(&r->frames[3], "clone",
			     "./misc/../sysdeps/unix/sysv/linux/x86_64/clone.S", 100, 0);
		/* Each thread the error names, from its <announcethread>. */
		r = related(&l.v[i], 1, "thread #3 created at", 6);
		assert_frame(&r->frames[0], "clone",
			     "./misc/../sysdeps/unix/sysv/linux/x86_64/clone.S", 76, 0);
		assert_frame(&r->frames[3], "pthread_create@@GLIBC_2.34",
			     "./nptl/./nptl/pthread_create.c", 831, 0);
		assert_frame(&r->frames[5], "main", "race.c", 19, 1);
		assert_module(&r->frames[5], "race.native");
		r = related(&l.v[i], 2, "thread #2 created at", 6);
		assert_frame(&r->frames[5], "main", "race.c", 18, 1);
	}
	diag_list_clear(&l);
}

Test(parse_valgrind, helgrind_heap_race_names_the_block)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct diag *d;
	const struct related *r;

	/* The relaxed flag the threads wait on is a race for Helgrind too. */
	cr_assert_eq(parse_fixture("helgrind-race-heap.xml", &ctx, &l, &info), 2);
	d = diag_at(&l, "account_race.c", 36);
	cr_assert_str_eq(d->message, "Possible data race during read of size 8 by thread #3");
	/* The trailing "Block was alloc'd by thread #1" has no stack: it names
	 * the block's allocator. The root thread #1 has no creation stack. */
	cr_assert_eq(d->nrelated, 4);
	r = related(d, 0, "previous write of size 8 by thread #2", 4);
	assert_frame(&r->frames[0], "depositor", "account_race.c", 24, 1);
	r = related(d, 1, "address is 40 bytes inside a block of size 48 alloc'd by thread #1", 2);
	assert_frame(&r->frames[0], "calloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "account_race.c", 42, 1);
	r = related(d, 2, "thread #3 created at", 6);
	assert_frame(&r->frames[5], "main", "account_race.c", 47, 1);
	r = related(d, 3, "thread #2 created at", 6);
	assert_frame(&r->frames[5], "main", "account_race.c", 46, 1);
	/* The first race names the same threads: announced once, used twice. */
	d = diag_at(&l, "account_race.c", 34);
	cr_assert_eq(d->nrelated, 3);
	related(d, 1, "thread #3 created at", 6);
	related(d, 2, "thread #2 created at", 6);
	diag_list_clear(&l);
}

Test(parse_valgrind, helgrind_lock_order)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("helgrind-lock-order.xml", &ctx, &l, &info), 1);
	assert_clean_finish(&info, 1);
	cr_assert_str_eq(l.v[0].kind, "lock-order-inversion");
	cr_assert_str_eq(l.v[0].tool_kind, "LockOrder");
	cr_assert(!strncmp(l.v[0].message, "Thread #3: lock order \"", 23), "%s", l.v[0].message);
	assert_frame(&l.v[0].frames[1], "b_then_a", "lock_order.c", 25, 1);
	cr_assert_str_eq(diag_user_frame(&l.v[0])->function, "b_then_a");
	diag_list_clear(&l);
}

/*
 * Helgrind's XML has the required order's two acquisitions but, of the
 * observed order, only the acquisition that broke it (the main stack):
 * the text log's "Observed (incorrect) order is: acquisition of lock at"
 * stack has no XML counterpart in Valgrind 3.19.
 */
Test(parse_valgrind, helgrind_lock_order_required_order_and_first_uses)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct related *r;

	cr_assert_eq(parse_fixture("helgrind-lock-order.xml", &ctx, &l, &info), 1);
	cr_assert_eq(l.v[0].nrelated, 5);
	r = related(&l.v[0], 0, "required order was established by acquisition of lock", 5);
	assert_frame(&r->frames[1], "a_then_b", "lock_order.c", 14, 1);
	r = related(&l.v[0], 1, "followed by a later acquisition of lock", 5);
	assert_frame(&r->frames[1], "a_then_b", "lock_order.c", 15, 1);
	r = related(&l.v[0], 2, "lock was first observed", 2);
	assert_frame(&r->frames[0], "pthread_mutex_init", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "lock_order.c", 36, 1);
	r = related(&l.v[0], 3, "lock was first observed", 2);
	assert_frame(&r->frames[1], "main", "lock_order.c", 37, 1);
	r = related(&l.v[0], 4, "thread #3 created at", 6);
	assert_frame(&r->frames[5], "main", "lock_order.c", 40, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, helgrind_unlock_foreign_and_exit_holding_lock)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("helgrind-unlock-foreign.xml", &ctx, &l, &info), 2);
	assert_clean_finish(&info, 2);
	cr_assert_str_eq(l.v[0].kind, "mutex-misuse");
	cr_assert_str_eq(l.v[0].tool_kind, "UnlockForeign");
	cr_assert_str_eq(l.v[0].message, "Thread #2 unlocked lock currently held by thread #1");
	assert_frame(&l.v[0].frames[1], "steal_unlock", "unlock_foreign.c", 8, 1);
	/* Threads #2 and #1 are named; only #2 has a creation stack. */
	cr_assert_eq(l.v[0].nrelated, 2);
	assert_frame(&related(&l.v[0], 0, "lock was first observed", 2)->frames[1],
		     "main", "unlock_foreign.c", 16, 1);
	assert_frame(&related(&l.v[0], 1, "thread #2 created at", 6)->frames[5],
		     "main", "unlock_foreign.c", 18, 1);
	cr_assert_eq(l.v[1].nrelated, 0);
	/* main still holds the lock at exit: a real misuse, not a kill artefact. */
	cr_assert_str_eq(l.v[1].kind, "mutex-misuse");
	cr_assert_str_eq(l.v[1].tool_kind, "Misc");
	cr_assert_str_eq(l.v[1].message, "Thread #1: Exiting thread still holds 1 lock");
	cr_assert_null(diag_user_frame(&l.v[1]));
	diag_list_clear(&l);
}

Test(parse_valgrind, helgrind_killed_run_drops_the_kill_and_what_follows)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("helgrind-abba-killed.xml", &killed_ctx, &l, &info), 0);
	cr_assert_eq(info.fatal_signal, 15);
	cr_assert_eq(info.finished, 1);
	cr_assert_eq(info.nerrors, 2);

	/* The same document when racelab did not kill it: all is reported. */
	cr_assert_eq(parse_fixture("helgrind-abba-killed.xml", &ctx, &l, &info), 3);
	cr_assert_str_eq(l.v[0].kind, "crash");
	cr_assert_str_eq(l.v[0].tool_kind, "SIGTERM");
	cr_assert_str_eq(l.v[0].message, "killed by SIGTERM");
	cr_assert_str_eq(l.v[1].message, "Thread #2: Exiting thread still holds 1 lock");
	cr_assert_str_eq(l.v[1].kind, "mutex-misuse");
	cr_assert_str_eq(diag_user_frame(&l.v[1])->function, "take");
	diag_list_clear(&l);
}

Test(parse_valgrind, drd_conflicting_access)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("drd-race.xml", &ctx, &l, &info), 3);
	assert_clean_finish(&info, 3);
	for (size_t i = 0; i < l.n; i++) {
		cr_assert_str_eq(l.v[i].kind, "data-race");
		cr_assert_str_eq(l.v[i].tool_kind, "ConflictingAccess");
		cr_assert_str_eq(l.v[i].frames[0].function, "worker");
		cr_assert_str_eq(l.v[i].frames[0].file, "race.c");
	}
	cr_assert_str_eq(l.v[0].message, "Conflicting load by thread 3 size 4");
	cr_assert_str_eq(l.v[1].message, "Conflicting store by thread 3 size 4");
	/* The other thread had ended: DRD no longer has its segment's stacks
	 * (its text log says "thread finished, call stack no longer available"). */
	for (size_t i = 0; i < l.n; i++)
		cr_assert_eq(l.v[i].nrelated, 0);
	diag_list_clear(&l);
}

Test(parse_valgrind, drd_other_segment_of_a_running_thread)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct diag *d;
	const struct related *r;

	/* Main reads the block the still running worker freed (--free-is-write). */
	cr_assert_eq(parse_fixture("drd-free-race.xml", &ctx, &l, &info), 4);
	d = diag_at(&l, "free_race.c", 33);
	cr_assert_str_eq(d->kind, "data-race");
	cr_assert_str_eq(d->message, "Conflicting load by thread 1 size 4");
	cr_assert_eq(d->nframes, 1);
	/* The other thread's segment: its accesses happened between these two. */
	cr_assert_eq(d->nrelated, 2);
	r = related(d, 0, "other segment start", 3);
	assert_frame(&r->frames[0], "clone", "./misc/../sysdeps/unix/sysv/linux/x86_64/clone.S",
		     83, 0);
	assert_frame(&r->frames[1], NULL, "./nptl/./nptl/pthread_create.c", 238, 0);
	assert_frame(&r->frames[2], NULL, NULL, 0, 0);
	assert_module(&r->frames[2], NULL);
	r = related(d, 1, "other segment end", 4);
	assert_frame(&r->frames[0], "freer", "free_race.c", 18, 1);
	/* DRD's XML names no thread for the other segment and announces none. */
	d = diag_at(&l, "free_race.c", 18);
	cr_assert_eq(d->nrelated, 2);
	assert_frame(&related(d, 0, "other segment start", 2)->frames[1], "main", "free_race.c",
		     30, 1);
	assert_frame(&related(d, 1, "other segment end", 5)->frames[4], "main", "free_race.c",
		     35, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, drd_mutex_error)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("drd-unlock-unlocked.xml", &ctx, &l, &info), 1);
	assert_clean_finish(&info, 1);
	cr_assert_str_eq(l.v[0].kind, "mutex-misuse");
	cr_assert_str_eq(l.v[0].tool_kind, "MutexErr");
	cr_assert_str_eq(l.v[0].message,
			 "Mutex not locked by calling thread: mutex, recursion count 0, owner 2.");
	/* The "first observed at" stack of pthread_mutex_init is a related one. */
	cr_assert_eq(l.v[0].nframes, 5);
	assert_frame(&l.v[0].frames[0], "pthread_mutex_unlock@*", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "release_twice", "unlock_unlocked.c", 10, 1);
	cr_assert_eq(l.v[0].nrelated, 1);
	assert_frame(&related(&l.v[0], 0, "mutex was first observed at", 2)->frames[0],
		     "pthread_mutex_init@*", NULL, 0, 0);
	assert_frame(&l.v[0].related[0].frames[1], "main", "unlock_unlocked.c", 18, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_leaks_and_unjoined_thread)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("memcheck-leaks.xml", &ctx, &l, &info), 3);
	assert_clean_finish(&info, 3);
	cr_assert_str_eq(l.v[0].kind, "memory-leak");
	cr_assert_str_eq(l.v[0].tool_kind, "Leak_IndirectlyLost");
	cr_assert_str_eq(l.v[0].message, "32 bytes in 1 blocks are indirectly lost");
	assert_frame(&l.v[0].frames[0], "malloc", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "make_node", "leaks.c", 18, 1);
	cr_assert_str_eq(l.v[1].kind, "memory-leak");
	cr_assert_str_eq(l.v[1].tool_kind, "Leak_DefinitelyLost");
	cr_assert_str_eq(l.v[1].message,
			 "48 (16 direct, 32 indirect) bytes in 1 blocks are definitely lost");
	assert_frame(&l.v[1].frames[1], "make_node", "leaks.c", 16, 1);
	cr_assert_str_eq(l.v[2].kind, "thread-leak");
	cr_assert_str_eq(l.v[2].tool_kind, "Leak_PossiblyLost");
	cr_assert_str_eq(l.v[2].message, "272 bytes in 1 blocks are possibly lost");
	cr_assert_str_eq(diag_user_frame(&l.v[2])->function, "main");
	/* A leak's one stack is its allocation: the main stack. */
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(l.v[i].nrelated, 0);
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_stack_overflow_in_thread)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("memcheck-stack-overflow.xml", &ctx, &l, &info), 2);
	cr_assert_eq(info.fatal_signal, 11);
	cr_assert_eq(info.finished, 1);
	cr_assert_eq(info.nerrors, 1);
	cr_assert_str_eq(l.v[0].kind, "stack-overflow");
	cr_assert_str_eq(l.v[0].tool_kind, "SIGSEGV");
	cr_assert_str_eq(l.v[0].message, "killed by SIGSEGV: Bad permissions for mapped region");
	assert_frame(&l.v[0].frames[0], "depth", "stack_overflow.c", 7, 1);
	/* The thread never returned, so it was never joined either. */
	cr_assert_str_eq(l.v[1].kind, "thread-leak");
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_null_write_is_a_crash)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_fixture("memcheck-segv.xml", &ctx, &l, &info), 3);
	cr_assert_eq(info.fatal_signal, 11);
	cr_assert_eq(info.nerrors, 2);
	/* "not stack'd, malloc'd or (recently) free'd" is no use after free. */
	cr_assert_str_eq(l.v[0].kind, "undefined-behavior");
	cr_assert_str_eq(l.v[0].tool_kind, "InvalidWrite");
	cr_assert_str_eq(l.v[0].message, "Invalid write of size 4");
	cr_assert_str_eq(l.v[1].kind, "crash");
	cr_assert_str_eq(l.v[1].message, "killed by SIGSEGV: Access not within mapped region");
	assert_frame(&l.v[1].frames[0], "store", "null_deref.c", 9, 1);
	cr_assert_eq(l.v[1].nframes, 3);
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_one_frame_null_write_is_no_stack_overflow)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct diag *crash = NULL;

	/* One frame, like an overflowing thread, but the address is not mapped
	 * at all: a NULL write, not a guard page. */
	cr_assert_geq(parse_fixture("memcheck-segv-main.xml", &ctx, &l, &info), 1);
	cr_assert_eq(info.fatal_signal, 11);
	for (size_t i = 0; i < l.n; i++) {
		cr_assert_str_neq(l.v[i].kind, "stack-overflow");
		if (!strcmp(l.v[i].kind, "crash"))
			crash = &l.v[i];
	}
	cr_assert_not_null(crash);
	cr_assert_str_eq(crash->message, "killed by SIGSEGV: Access not within mapped region");
	assert_frame(&crash->frames[0], "main", "null_main.c", 8, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_read_after_free)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct related *r;

	cr_assert_eq(parse_fixture("memcheck-use-after-free.xml", &ctx, &l, &info), 1);
	assert_clean_finish(&info, 1);
	cr_assert_str_eq(l.v[0].kind, "heap-use-after-free");
	cr_assert_str_eq(l.v[0].tool_kind, "InvalidRead");
	cr_assert_str_eq(l.v[0].message, "Invalid read of size 4");
	/* The main stack is the access; the free and the allocation follow. */
	cr_assert_eq(l.v[0].nframes, 3);
	assert_frame(&l.v[0].frames[0], "reader", "use_after_free.c", 10, 1);
	cr_assert_eq(l.v[0].nrelated, 2);
	r = related(&l.v[0], 0, "address is 12 bytes inside a block of size 40 free'd", 2);
	assert_frame(&r->frames[0], "free", NULL, 0, 0);
	assert_module(&r->frames[0], "vgpreload_memcheck-amd64-linux.so");
	assert_frame(&r->frames[1], "main", "use_after_free.c", 19, 1);
	r = related(&l.v[0], 1, "block was alloc'd at", 2);
	assert_frame(&r->frames[0], "calloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "use_after_free.c", 16, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_heap_overflow_allocation)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct related *r;

	cr_assert_eq(parse_fixture("memcheck-heap-overflow.xml", &ctx, &l, &info), 1);
	assert_clean_finish(&info, 1);
	cr_assert_str_eq(l.v[0].kind, "heap-buffer-overflow");
	cr_assert_str_eq(l.v[0].tool_kind, "InvalidWrite");
	cr_assert_str_eq(l.v[0].message, "Invalid write of size 4");
	assert_frame(&l.v[0].frames[0], "fill", "heap_overflow.c", 12, 1);
	cr_assert_eq(l.v[0].nrelated, 1);
	r = related(&l.v[0], 0, "address is 0 bytes after a block of size 40 alloc'd", 2);
	assert_frame(&r->frames[0], "malloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "main", "heap_overflow.c", 18, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, memcheck_double_free_first_free_and_allocation)
{
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;
	const struct related *r;

	cr_assert_eq(parse_fixture("memcheck-double-free.xml", &ctx, &l, &info), 1);
	cr_assert_str_eq(l.v[0].kind, "double-free");
	cr_assert_str_eq(l.v[0].tool_kind, "InvalidFree");
	assert_frame(&l.v[0].frames[1], "cleanup", "double_free.c", 8, 1);
	cr_assert_eq(l.v[0].nrelated, 2);
	r = related(&l.v[0], 0, "address is 0 bytes inside a block of size 6 free'd", 2);
	assert_frame(&r->frames[1], "main", "double_free.c", 17, 1);
	r = related(&l.v[0], 1, "block was alloc'd at", 3);
	assert_frame(&r->frames[0], "malloc", NULL, 0, 0);
	assert_frame(&r->frames[1], "strdup", "./string/./string/strdup.c", 42, 0);
	assert_frame(&r->frames[2], "main", "double_free.c", 14, 1);
	diag_list_clear(&l);
}

Test(parse_valgrind, truncated_document_keeps_complete_errors)
{
	size_t len;
	char *text = load("helgrind-race.xml", &len);
	const char *second = strstr(strstr(text, "<error>") + 1, "<error>");
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	/* Cut inside the second error, as a SIGKILL during the write would. */
	cr_assert_not_null(second);
	cr_assert_eq(parse_valgrind_xml(text, second - text + 40, &ctx, &l, &info), 1);
	cr_assert_str_eq(l.v[0].kind, "data-race");
	cr_assert_eq(info.finished, 0);
	cr_assert_eq(info.nerrors, 1);
	cr_assert_gt(info.pid, 0);
	diag_list_clear(&l);
	free(text);
}

Test(parse_valgrind, stops_at_first_end_of_document)
{
	size_t len;
	char *text = load("drd-unlock-unlocked.xml", &len);
	struct strbuf sb = STRBUF_INIT;
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	/* A forked child appending to the same file. */
	strbuf_add(&sb, text, len);
	strbuf_addstr(&sb, "\n<error><kind>MutexErr</kind></error><stack>\n");
	cr_assert_eq(parse_valgrind_xml(sb.buf, sb.len, &ctx, &l, &info), 1);
	cr_assert_eq(info.nerrors, 1);
	diag_list_clear(&l);
	strbuf_release(&sb);
	free(text);
}

Test(parse_valgrind, garbage_is_an_error)
{
	static const char junk[] = "==123== Helgrind, a thread error detector\n";
	struct diag_list l = DIAG_LIST_INIT;
	struct vg_info info;

	cr_assert_eq(parse_valgrind_xml(junk, sizeof(junk) - 1, &ctx, &l, &info), -1);
	cr_assert_eq(parse_valgrind_xml("", 0, &ctx, &l, &info), -1);
	cr_assert_eq(l.n, 0);
}

/*
 * A forked child writes its own XML document into the parent's file
 * (Valgrind 3.19 keeps the inherited descriptor): three children of
 * tests/run/zombie.c nest their documents inside the parent's.
 */
Test(parse_valgrind, forked_children_documents_are_split_out)
{
	size_t len;
	char *text = load("memcheck-fork-nested.xml", &len);
	struct strvec docs = STRVEC_INIT;
	int pids[4] = { 0 }, finished = 0;

	cr_assert_eq(valgrind_split_docs(text, len, &docs), 4);
	for (size_t i = 0; i < docs.n; i++) {
		struct diag_list l = DIAG_LIST_INIT;
		struct vg_info info;

		memset(&info, 0, sizeof(info));
		cr_assert_geq(parse_valgrind_xml(docs.v[i], strlen(docs.v[i]), &ctx, &l, &info), 0,
			      "document %zu does not parse", i);
		pids[i] = info.pid;
		finished += info.finished;
		diag_list_clear(&l);
	}
	/* The children come out first (innermost first), the parent last, whole. */
	cr_assert_eq(pids[0], 3848);
	cr_assert_eq(pids[1], 3849);
	cr_assert_eq(pids[2], 3850);
	cr_assert_eq(pids[3], 3845);
	cr_assert_eq(finished, 4);
	strvec_clear(&docs);
	free(text);
}

/*
 * Exercise 32's buggy program under Memcheck, stopped by racelab in its
 * deadlock (captured by racelab check 32 --tool memcheck): parent and
 * child share one XML file and wrote into it at once, so the parent's
 * fatal SIGTERM landed inside the child's document. The child's leaks
 * come after its own SIGTERM and are dropped; the parent's document keeps
 * its never-joined flusher as a thread-leak. It is the kill's doing all
 * the same, which is why racelab folds what a stopped process reported at
 * exit under the hang by the process's pid (collect.c), not by where the
 * fatal signal landed (test_consequence.c runs it).
 */
Test(parse_valgrind, a_killed_parents_leak_outlives_its_misplaced_signal)
{
	size_t len;
	char *text = load("memcheck-fork-killed.xml", &len);
	struct strvec docs = STRVEC_INIT;

	cr_assert_eq(valgrind_split_docs(text, len, &docs), 2);
	for (size_t i = 0; i < docs.n; i++) {
		struct diag_list l = DIAG_LIST_INIT;
		struct vg_info info;

		memset(&info, 0, sizeof(info));
		cr_assert_geq(parse_valgrind_xml(docs.v[i], strlen(docs.v[i]), &killed_ctx, &l, &info), 0);
		if (info.pid == 4) {
			cr_expect_eq(info.fatal_signal, SIGTERM, "the child's own kill");
			cr_expect_eq(l.n, 0, "the child's leaks follow its kill: dropped");
		} else {
			cr_expect_eq(info.pid, 2);
			cr_expect_eq(info.ppid, 0);
			cr_assert_eq(l.n, 1, "the parent's leak is left");
			cr_expect_str_eq(l.v[0].kind, "thread-leak");
			cr_expect_str_eq(diag_user_frame(&l.v[0])->file, "forklog.c");
			cr_expect_eq(diag_user_frame(&l.v[0])->line, 100);
		}
		diag_list_clear(&l);
	}
	strvec_clear(&docs);
	free(text);
}

Test(parse_valgrind, open_descriptors_are_fd_leaks_but_not_racelabs_own)
{
	size_t len;
	char *text = load("memcheck-fdleak.log", &len);
	struct diag_list l = DIAG_LIST_INIT;

	/* fds 5 and 6 are the program's pipe; 3 and 4 are Valgrind's log and XML. */
	cr_assert_eq(parse_valgrind_fds(text, len, NULL, &ctx, &l), 2);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.v[0].kind, "fd-leak");
	cr_assert_str_eq(l.v[0].tool_kind, "FdNotClosed");
	cr_assert_str_eq(l.v[0].message, "file descriptor 6 left open at exit");
	cr_assert_str_eq(l.v[1].message, "file descriptor 5 left open at exit");
	diag_list_clear(&l);
	free(text);
}

Test(parse_valgrind, open_descriptors_get_the_stacks_of_the_xml_in_order)
{
	size_t len, xlen;
	char *text = load("memcheck-fd-stacks.log", &len);
	char *xml = load("memcheck-fd-stacks.xml", &xlen);
	struct diag_list stacks = DIAG_LIST_INIT, l = DIAG_LIST_INIT;
	const struct frame *f;

	/*
	 * The log lists 7 (/dev/null), 6, 5 (the pipe), then four inherited
	 * ones (the capturing shell's and Valgrind's files): the XML has one
	 * bare <stack> for each of the first three, in that order.
	 */
	cr_assert_eq(valgrind_fd_stacks(xml, xlen, &ctx, &stacks), 3);
	cr_assert_eq(parse_valgrind_fds(text, len, &stacks, &ctx, &l), 3);
	cr_assert_str_eq(l.v[0].message, "file descriptor 7 /dev/null left open at exit");
	f = diag_user_frame(&l.v[0]);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->function, "open_null");
	cr_assert_str_eq(f->file, "fd_leak.c");
	cr_assert_eq(f->line, 13);
	for (size_t i = 1; i < 3; i++) {
		f = diag_user_frame(&l.v[i]);
		cr_assert_not_null(f, "fd %zu has no user frame", i);
		cr_assert_str_eq(f->function, "make_pipe");
		cr_assert_eq(f->line, 8);
	}
	cr_assert_str_eq(l.v[1].message, "file descriptor 6 left open at exit");
	cr_assert_str_eq(l.v[2].message, "file descriptor 5 left open at exit");
	/* the errors of the document are parse_valgrind_xml()'s, not these */
	for (size_t i = 0; i < stacks.n; i++)
		cr_assert_str_eq(stacks.v[i].kind, "fd-leak");
	diag_list_clear(&stacks);
	diag_list_clear(&l);
	free(text);
	free(xml);
}
