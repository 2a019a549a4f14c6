/*
 * parse_valgrind_xml() on XML captured by tests/fixtures/capture.sh from
 * the programs in tests/fixtures/src/, run with racelab's Valgrind argv.
 * Run from tests/ (the unit binary's working directory).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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

static void assert_frame(const struct frame *f, const char *fn, const char *file,
			 int line, int user)
{
	if (fn)
		cr_assert_str_eq(f->function, fn);
	else
		cr_assert_null(f->function);
	if (file)
		cr_assert_str_eq(f->file, file);
	else
		cr_assert_null(f->file);
	cr_assert_eq(f->line, line, "%s: line %d, want %d", fn, f->line, line);
	cr_assert_eq(f->user, user, "%s: user %d, want %d", fn, f->user, user);
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
	/* The first stack only: the conflicting access's stack is not appended. */
	cr_assert_eq(l.v[0].nframes, 4);
	assert_frame(&l.v[0].frames[0], "worker", "race.c", 10, 1);
	assert_frame(&l.v[0].frames[1], NULL, NULL, 0, 0);	/* ??? in the preload */
	assert_frame(&l.v[0].frames[2], "start_thread", "./nptl/./nptl/pthread_create.c", 442, 0);
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
	/* Not the "first observed at" stack of pthread_mutex_init. */
	cr_assert_eq(l.v[0].nframes, 5);
	assert_frame(&l.v[0].frames[0], "pthread_mutex_unlock@*", NULL, 0, 0);
	assert_frame(&l.v[0].frames[1], "release_twice", "unlock_unlocked.c", 10, 1);
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

	cr_assert_eq(parse_fixture("memcheck-use-after-free.xml", &ctx, &l, &info), 1);
	assert_clean_finish(&info, 1);
	cr_assert_str_eq(l.v[0].kind, "heap-use-after-free");
	cr_assert_str_eq(l.v[0].tool_kind, "InvalidRead");
	cr_assert_str_eq(l.v[0].message, "Invalid read of size 4");
	/* The access stack, not the free or the allocation. */
	cr_assert_eq(l.v[0].nframes, 3);
	assert_frame(&l.v[0].frames[0], "reader", "use_after_free.c", 10, 1);
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
