#include "consequence.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* -1 for a cause that leads back to i or outside the list, else i's cause. */
static int valid_cause(const struct diag_list *l, size_t i)
{
	int c = l->v[i].cause;

	/* at most n steps up: a chain longer than the list is a cycle */
	for (size_t steps = 0; c >= 0; steps++) {
		if ((size_t)c >= l->n || (size_t)c == i || steps >= l->n)
			return -1;
		c = l->v[c].cause;
	}
	return l->v[i].cause;
}

/* Append i and, depth first, its consequences to order[]. */
static void place(const struct diag_list *l, size_t i, size_t *order, size_t *n)
{
	order[(*n)++] = i;
	for (size_t k = 0; k < l->n; k++)
		if (l->v[k].cause == (int)i)
			place(l, k, order, n);
}

void consequences_fold(struct diag_list *l)
{
	size_t *order, *where, n = 0;
	struct diag *v;

	if (l->n < 2) {
		if (l->n)
			l->v[0].cause = -1;
		return;
	}
	/* First cut what cannot be a cause, so that place() terminates. */
	{
		int *keep = xcalloc(l->n, sizeof(*keep));

		for (size_t i = 0; i < l->n; i++)
			keep[i] = valid_cause(l, i);
		for (size_t i = 0; i < l->n; i++)
			l->v[i].cause = keep[i];
		free(keep);
	}
	order = xcalloc(l->n, sizeof(*order));
	where = xcalloc(l->n, sizeof(*where));
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].cause < 0)
			place(l, i, order, &n);
	v = xcalloc(l->n, sizeof(*v));
	for (size_t k = 0; k < l->n; k++) {
		v[k] = l->v[order[k]];
		where[order[k]] = k;
	}
	for (size_t k = 0; k < l->n; k++)
		if (v[k].cause >= 0)
			v[k].cause = (int)where[v[k].cause];
	memcpy(l->v, v, l->n * sizeof(*v));
	free(v);
	free(where);
	free(order);
}

int consequence_depth(const struct diag_list *l, size_t i)
{
	int depth = 0;

	for (int c = l->v[i].cause; c >= 0 && (size_t)c < l->n && (size_t)depth < l->n;
	     c = l->v[c].cause)
		depth++;
	return depth;
}
