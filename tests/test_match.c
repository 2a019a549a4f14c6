/*
 * Matching diagnostics against expectations (harness/match.c).
 *
 * Diagnostics are built by hand here: the matcher only sees struct diag,
 * and the parsers that make them from real checker output are tested on
 * their own fixtures. Frames under SRC are user frames (diag_add_frame).
 */
#include <criterion/criterion.h>

#include "match.h"

#define SRC "/SRC"

static struct expectation ex;
static struct diag_list diags = DIAG_LIST_INIT;
static struct match_result r = MATCH_RESULT_INIT;

static void teardown(void)
{
	expect_release(&ex);
	diag_list_clear(&diags);
	match_result_clear(&r);
}

TestSuite(match, .fini = teardown);

static void expect(const char *value)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(expect_parse(value, &ex, &err), 0, "'%s': %s", value, err.buf);
	strbuf_release(&err);
}

/* A diagnostic whose innermost frame is in libc, then the given user frame. */
static struct diag *report(const char *kind, const char *function, const char *file, int line)
{
	struct diag *d = diag_list_push(&diags, kind, kind, "test");

	diag_add_frame(d, "pthread_mutex_lock", "/usr/lib/libc.c", 80, SRC);
	if (file)
		diag_add_frame(d, function, file, line, SRC);
	return d;
}

static void assert_list(const struct strvec *sv, const char *const *want, size_t n)
{
	cr_assert_eq(sv->n, n, "%zu entries, want %zu%s%s", sv->n, n,
		     sv->n ? ": first " : "", sv->n ? sv->v[0] : "");
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(sv->v[i], want[i]);
}

#define ASSERT_LIST(sv, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	assert_list((sv), want_, sizeof(want_) / sizeof(*want_)); \
} while (0)

Test(match, clean_with_nothing_passes)
{
	expect("clean");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(r.unmet.n, 0);
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, clean_with_diagnostics_fails)
{
	expect("clean");
	report("data-race", "worker", SRC "/counter.c", 14);
	diag_list_push(&diags, "crash", "SIGSEGV", "killed");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	cr_assert_eq(r.unmet.n, 0);
	ASSERT_LIST(&r.unexpected, "data-race @ counter.c:14", "crash");
}

Test(match, required_kind_met_anywhere)
{
	expect("data-race");
	report("data-race", "worker", SRC "/counter.c", 14);
	report("data-race", "main", SRC "/counter.c", 30);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(r.unmet.n, 0);
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, required_kind_unmet)
{
	expect("data-race @ counter.c:worker, thread-leak");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	ASSERT_LIST(&r.unmet, "data-race @ counter.c:worker", "thread-leak");
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, place_by_function)
{
	expect("data-race @ counter.c:worker");
	report("data-race", "worker", SRC "/counter.c", 14);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
}

Test(match, place_by_function_wrong_function)
{
	expect("data-race @ counter.c:worker");
	report("data-race", "main", SRC "/counter.c", 14);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	ASSERT_LIST(&r.unmet, "data-race @ counter.c:worker");
	/* its kind is listed, so the diagnostic itself is not unexpected */
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, place_by_function_wrong_file)
{
	expect("data-race @ counter.c:worker");
	report("data-race", "worker", SRC "/other.c", 14);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	ASSERT_LIST(&r.unmet, "data-race @ counter.c:worker");
}

Test(match, place_by_line)
{
	expect("data-race @ counter.c:14");
	report("data-race", "worker", SRC "/counter.c", 15);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	ASSERT_LIST(&r.unmet, "data-race @ counter.c:14");
	match_result_clear(&r);

	report("data-race", "worker", SRC "/counter.c", 14);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(r.unmet.n, 0);
}

Test(match, place_found_in_an_outer_frame)
{
	struct diag *d = report("heap-use-after-free", "list_pop", SRC "/list.c", 40);

	diag_add_frame(d, "worker", SRC "/main.c", 22, SRC);
	expect("heap-use-after-free @ main.c:worker");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
}

Test(match, place_needs_a_user_frame)
{
	struct diag *d = diag_list_push(&diags, "data-race", "data race", "in libc only");

	/* the same file name and function, but not known to be the program's */
	diag_add_frame(d, "worker", "counter.c", 14, NULL);
	cr_assert_str_eq(d->frames[0].file, "counter.c");
	cr_assert_eq(d->frames[0].user, 0);
	diag_list_push(&diags, "data-race", "data race", "no frames at all");
	expect("data-race @ counter.c:worker");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	ASSERT_LIST(&r.unmet, "data-race @ counter.c:worker");
	match_result_clear(&r);
	expect_release(&ex);

	/* without a place the same diagnostics are enough */
	expect("data-race");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
}

Test(match, optional_never_unmet)
{
	expect("data-race?, wrong-output? @ main.c:main");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(r.unmet.n, 0);
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, optional_kind_is_not_unexpected)
{
	expect("deadlock, timeout?");
	report("deadlock", "transfer", SRC "/bank.c", 31);
	report("timeout", NULL, NULL, 0);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, unexpected_kinds)
{
	struct diag *d;

	expect("data-race @ counter.c:worker");
	report("data-race", "worker", SRC "/counter.c", 14);
	report("thread-leak", "main", SRC "/counter.c", 40);
	report("memory-leak", NULL, NULL, 0);
	/* a user frame with no line falls back to the function */
	d = diag_list_push(&diags, "mutex-misuse", "unlock of unlocked", NULL);
	diag_add_frame(d, "release", SRC "/lock.c", 0, SRC);
	cr_assert_eq(match_expectation(&ex, &diags, &r), 0);
	cr_assert_eq(r.unmet.n, 0);
	ASSERT_LIST(&r.unexpected, "thread-leak @ counter.c:40", "memory-leak",
		    "mutex-misuse @ lock.c:release");
}

Test(match, skip_and_unset_leave_result_empty)
{
	struct expectation unset = { 0 };

	report("data-race", "worker", SRC "/counter.c", 14);
	expect("skip not on this machine");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(match_expectation(&unset, &diags, &r), 1);
	cr_assert_eq(r.unmet.n, 0);
	cr_assert_eq(r.unexpected.n, 0);
}

Test(match, result_counts_only_this_call)
{
	/* a result carried over from another checker does not fail this one */
	strvec_push(&r.unmet, "crash");
	expect("clean");
	cr_assert_eq(match_expectation(&ex, &diags, &r), 1);
	cr_assert_eq(r.unmet.n, 1);
}
