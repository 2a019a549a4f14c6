/*
 * Schedule noise: seeds and the decisions they give (see noise.h and
 * docs/noise.md for the method). Compiled into racelab and into the
 * preload; no system calls, no locks, no allocation.
 */
#include "noise.h"

#define US (1000ULL)
#define MS (1000ULL * 1000)

int noise_parse_seed(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (!v)
		return -1;
	*out = v;
	return 0;
}

uint64_t noise_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t noise_stream(uint64_t seed, uint64_t index)
{
	uint64_t s = seed;

	s = noise_next(&s) ^ (index * 0xd1b54a32d192ed03ULL);
	return noise_next(&s);
}

/*
 * A value in [lo, hi], as likely in [lo, 2lo) as in [2lo, 4lo) and so
 * on: a delay is as often tens of microseconds as milliseconds.
 */
static uint64_t log_uniform(uint64_t *s, uint64_t lo, uint64_t hi)
{
	unsigned span = 0;
	uint64_t base, v;

	while (span < 62 && (lo << (span + 1)) <= hi)
		span++;
	base = lo << (noise_next(s) % (span + 1));
	v = base + noise_next(s) % base;
	return v > hi ? hi : v;
}

void noise_profile_init(struct noise_profile *p, uint64_t seed)
{
	uint64_t s = noise_stream(seed, 0);

	p->seed = seed;
	p->yield_pm = (unsigned)(noise_next(&s) % 301);
	p->delay_pm = (unsigned)(noise_next(&s) % 51);
	p->delay_max_ns = log_uniform(&s, 20 * US, 2 * MS);
	p->start_pm = 100 + (unsigned)(noise_next(&s) % 801);
	p->shrink_pm = 100 + (unsigned)(noise_next(&s) % 801);
	p->changes = 1 + (unsigned)(noise_next(&s) % NOISE_MAX_CHANGES);
	/*
	 * A horizon of 4 puts the change points on a short thread's few
	 * points (a rare-interleaving bug is often a handful of locks in);
	 * 4096 spreads them over a long one.
	 */
	p->horizon = NOISE_CHANGE_HORIZON_MIN;
	for (unsigned k = (unsigned)(noise_next(&s) % 6); k; k--)
		p->horizon *= 4;
}

void noise_thread_init(struct noise_thread *t, const struct noise_profile *p, uint64_t stream)
{
	t->state = stream;
	t->step = 0;
	t->delayed_ns = 0;
	/* PCT gives each thread a random priority: here one in four loses the CPU more often. */
	t->low = noise_next(&t->state) % 4 == 0;
	for (unsigned i = 0; i < NOISE_MAX_CHANGES; i++)
		t->change[i] = i < p->changes ? 1 + noise_next(&t->state) % p->horizon : 0;
}

uint64_t noise_child_stream(struct noise_thread *t)
{
	return noise_next(&t->state);
}

/* A short delay of at most ns, within what is left of the thread's budget. */
static struct noise_action delay(struct noise_thread *t, uint64_t ns)
{
	uint64_t left = NOISE_DELAY_BUDGET_NS - t->delayed_ns;
	struct noise_action a = { NOISE_DELAY, ns < left ? ns : left };

	if (!a.ns)
		return (struct noise_action){ NOISE_YIELD, 0 };
	t->delayed_ns += a.ns;
	return a;
}

struct noise_action noise_decide(struct noise_thread *t, const struct noise_profile *p,
				 enum noise_point where)
{
	unsigned chance = p->delay_pm * (t->low ? 4 : 1), r;

	t->step++;
	/* A priority change point: the thread drops to the lowest priority for a while. */
	for (unsigned i = 0; i < NOISE_MAX_CHANGES; i++)
		if (t->change[i] == t->step)
			return (struct noise_action){ NOISE_DELAY,
				log_uniform(&t->state, NOISE_STALL_MIN_NS, NOISE_STALL_MAX_NS) };
	r = (unsigned)(noise_next(&t->state) % 1000);
	/* A new thread often runs late: its creator gets ahead, or it does (a yield). */
	if (where == NOISE_START)
		return r < p->start_pm ? delay(t, log_uniform(&t->state, 10 * US, 5 * MS))
			: (struct noise_action){ NOISE_YIELD, 0 };
	if (r < chance && t->delayed_ns < NOISE_DELAY_BUDGET_NS)
		return delay(t, log_uniform(&t->state, 5 * US, p->delay_max_ns));
	if (r < chance + p->yield_pm)
		return (struct noise_action){ NOISE_YIELD, 0 };
	return (struct noise_action){ NOISE_NOTHING, 0 };
}

uint64_t noise_sleep_ns(struct noise_thread *t, const struct noise_profile *p, uint64_t ns)
{
	uint64_t extra;

	if (ns > UINT64_MAX / 1025)
		return ns;
	/*
	 * Shrunk, to nothing three times in four, else to at most a
	 * quarter: whoever the sleep waited for is late. A sleep that orders
	 * threads is mostly long enough even at a quarter; at nothing it is
	 * not.
	 */
	if (noise_next(&t->state) % 1000 < p->shrink_pm)
		return noise_next(&t->state) % 4 ? 0 : ns * (noise_next(&t->state) % 257) / 1024;
	/* Stretched up to three times: the sleeper is late. */
	extra = ns * (noise_next(&t->state) % 1025) / 512;
	return ns + (extra < NOISE_STRETCH_MAX_NS ? extra : NOISE_STRETCH_MAX_NS);
}

uint64_t noise_timeout_ns(struct noise_thread *t, const struct noise_profile *p, uint64_t ns)
{
	return ns > NOISE_TIMEOUT_MAX_NS ? ns : noise_sleep_ns(t, p, ns);
}
