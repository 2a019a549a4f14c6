#include "assert-stack.h"

#include <criterion/criterion.h>

void assert_frame(const struct frame *f, const char *fn, const char *file, int line, int user)
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

void assert_module(const struct frame *f, const char *module)
{
	if (module)
		cr_assert_str_eq(f->module, module);
	else
		cr_assert_null(f->module);
}

const struct related *related(const struct diag *d, size_t i, const char *what, size_t n)
{
	cr_assert_lt(i, d->nrelated, "related stack %zu of %zu", i, d->nrelated);
	cr_assert_str_eq(d->related[i].what, what);
	cr_assert_eq(d->related[i].nframes, n, "%s: %zu frames, want %zu", what,
		     d->related[i].nframes, n);
	return &d->related[i];
}
