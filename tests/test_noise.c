/*
 * Schedule noise: seeds as racelab reads them, the stream of decisions a
 * seed gives (the same every time, within its bounds), and the noise
 * checker end to end: a program right only by timing passes natively
 * and fails under noise within the default seeds, a seed is replayed
 * alone, and a correct program passes every seed.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "noise.h"
#include "racelab-json.h"

TestSuite(noise, .timeout = 240);

Test(noise, seeds_are_positive_decimal_numbers)
{
	static const char *const bad[] = {
		"", "0", "-1", "+1", " 1", "1 ", "1x", "0x10", "18446744073709551616",
		"99999999999999999999",
	};
	uint64_t v = 0;

	cr_assert_eq(noise_parse_seed("1", &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(noise_parse_seed("1234", &v), 0);
	cr_assert_eq(v, 1234);
	cr_assert_eq(noise_parse_seed("18446744073709551615", &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		v = 7;
		cr_expect_eq(noise_parse_seed(bad[i], &v), -1, "'%s' accepted", bad[i]);
		cr_expect_eq(v, 7, "'%s' changed the seed", bad[i]);
	}
	cr_assert_eq(noise_parse_seed(NULL, &v), -1);
}

/* splitmix64's published first outputs for the state 1234567. */
Test(noise, the_stream_is_splitmix64)
{
	static const uint64_t want[] = {
		6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL,
		4593380528125082431ULL, 16408922859458223821ULL,
	};
	uint64_t s = 1234567;

	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		cr_assert_eq(noise_next(&s), want[i], "output %zu", i);
}

#define POINTS 20000

/* Every decision of one thread of `seed` over POINTS points, and a child's first ones. */
static void decisions(uint64_t seed, struct noise_action *out, uint64_t *sleeps)
{
	struct noise_profile p;
	struct noise_thread t, child;

	noise_profile_init(&p, seed);
	noise_thread_init(&t, &p, noise_stream(seed, 1));
	for (size_t i = 0; i < POINTS; i++)
		out[i] = noise_decide(&t, &p, (enum noise_point)(i % (NOISE_IO + 1)));
	for (size_t i = 0; i < 16; i++)
		sleeps[i] = noise_sleep_ns(&t, &p, 200000000ULL);
	noise_thread_init(&child, &p, noise_child_stream(&t));
	for (size_t i = 0; i < 16; i++)
		sleeps[16 + i] = noise_sleep_ns(&child, &p, 200000000ULL);
}

Test(noise, a_seed_gives_the_same_decisions_every_time)
{
	static struct noise_action a[POINTS], b[POINTS];
	uint64_t sa[32], sb[32];
	int differ = 0;

	decisions(42, a, sa);
	decisions(42, b, sb);
	for (size_t i = 0; i < POINTS; i++) {
		cr_assert_eq(a[i].what, b[i].what, "point %zu", i);
		cr_assert_eq(a[i].ns, b[i].ns, "point %zu", i);
	}
	cr_assert_arr_eq(sa, sb, sizeof(sa));
	decisions(43, b, sb);
	for (size_t i = 0; i < POINTS && !differ; i++)
		differ = a[i].what != b[i].what || a[i].ns != b[i].ns;
	cr_assert(differ, "seeds 42 and 43 decide the same");
}

Test(noise, threads_and_children_get_streams_of_their_own)
{
	struct noise_profile p;
	struct noise_thread t;
	uint64_t a, b, c;

	noise_profile_init(&p, 7);
	noise_thread_init(&t, &p, noise_stream(7, 1));
	a = noise_child_stream(&t);
	b = noise_child_stream(&t);
	c = noise_stream(7, 2);
	cr_assert_neq(a, b);
	cr_assert_neq(a, noise_stream(7, 1));
	cr_assert_neq(noise_stream(7, 1), c);
	cr_assert_neq(noise_stream(7, 1), noise_stream(8, 1));
}

/* Over many seeds: every delay and scaled sleep within the documented bounds. */
Test(noise, decisions_stay_within_their_bounds)
{
	int shrunk = 0, stretched = 0, zero = 0, yields = 0, stalls = 0;

	for (uint64_t seed = 1; seed <= 300; seed++) {
		struct noise_profile p;
		struct noise_thread t;
		uint64_t short_ns = 0;
		int thread_stalls = 0;

		noise_profile_init(&p, seed);
		cr_assert(p.yield_pm <= 300 && p.delay_pm <= 50 && p.start_pm >= 100 &&
			  p.start_pm <= 900 && p.shrink_pm >= 100 && p.shrink_pm <= 900);
		cr_assert(p.changes >= 1 && p.changes <= NOISE_MAX_CHANGES);
		cr_assert(p.horizon >= NOISE_CHANGE_HORIZON_MIN && p.horizon <= NOISE_CHANGE_HORIZON);
		noise_thread_init(&t, &p, noise_stream(seed, 1));
		for (unsigned k = 0; k < p.changes; k++)
			cr_assert(t.change[k] >= 1 && t.change[k] <= p.horizon);
		for (int i = 0; i < NOISE_CHANGE_HORIZON; i++) {
			int is_change = 0;
			struct noise_action a;

			for (unsigned k = 0; k < p.changes; k++)
				is_change |= t.change[k] == t.step + 1;
			a = noise_decide(&t, &p, i ? NOISE_LOCK : NOISE_START);
			yields += a.what == NOISE_YIELD;
			if (is_change) {
				cr_assert_eq(a.what, NOISE_DELAY);
				cr_assert(a.ns >= NOISE_STALL_MIN_NS && a.ns <= NOISE_STALL_MAX_NS);
				thread_stalls++;
			} else if (a.what == NOISE_DELAY) {
				short_ns += a.ns;
			}
		}
		cr_assert_leq(short_ns, NOISE_DELAY_BUDGET_NS, "seed %llu", (unsigned long long)seed);
		cr_assert(thread_stalls >= 1 && thread_stalls <= (int)p.changes);
		stalls += thread_stalls;
		for (int i = 0; i < 20; i++) {
			uint64_t ns = 200000000ULL, s = noise_sleep_ns(&t, &p, ns);

			if (s < ns) {
				cr_assert_leq(s, ns / 4);
				shrunk++;
				zero += s == 0;
			} else {
				cr_assert_leq(s, ns + (2 * ns < NOISE_STRETCH_MAX_NS ? 2 * ns
						       : NOISE_STRETCH_MAX_NS));
				stretched++;
			}
		}
		cr_assert_eq(noise_timeout_ns(&t, &p, NOISE_TIMEOUT_MAX_NS + 1), NOISE_TIMEOUT_MAX_NS + 1);
		cr_assert_leq(noise_sleep_ns(&t, &p, 10ULL * 1000000000), 10ULL * 1000000000 +
			      NOISE_STRETCH_MAX_NS);
	}
	/* Both directions happen, and a sleep is sometimes skipped altogether. */
	cr_assert(shrunk > 0 && stretched > 0 && zero > 0 && yields > 0 && stalls >= 300);
}

/* --- the noise checker, end to end ---------------------------------------- */

/* racelab with argv, its JSON output; want_code -1: any exit status. */
static json_t *run_json(const char *const *argv, int want_code)
{
	struct out r = racelab(NULL, argv);
	json_t *doc = parse_json(&r);

	if (want_code >= 0)
		cr_assert_eq(r.code, want_code, "exit %d, expected %d", r.code, want_code);
	free(r.stdout_text);
	free(r.stderr_text);
	return doc;
}

static json_int_t int_of(json_t *r, const char *key)
{
	return json_integer_value(json_object_get(r, key));
}

Test(noise, a_sleep_that_orders_threads_fails_under_noise)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "noise",
			       "run/sleep-order.c", NULL };
	json_t *doc = run_json(argv, 1), *native = result_for(doc, NULL, "native");
	json_t *noise = result_for(doc, NULL, "noise");
	json_int_t seed = int_of(noise, "seed"), runs = int_of(noise, "runs");
	char seedtext[32];
	const char *replay[] = { "racelab", "run", "--json", "--seed", seedtext,
				 "run/sleep-order.c", NULL };

	cr_assert_str_eq(status_of(native), "pass");
	cr_assert(json_is_null(json_object_get(native, "seed")));
	cr_assert_str_eq(status_of(noise), "fail");
	cr_assert(has_diag(noise, "crash", NULL, 0), "the assertion's abort is not reported");
	/* Seeds 1, 2, ... in order: the failing one is the last tried. */
	cr_assert(runs >= 1 && runs <= NOISE_DEFAULT_SEEDS, "runs %lld", (long long)runs);
	cr_assert_eq(seed, runs);
	cr_assert_eq(int_of(noise, "failed_runs"), 1);
	json_decref(doc);

	/* --seed alone: the noise checker, that one seed, once (its verdict is the machine's). */
	snprintf(seedtext, sizeof(seedtext), "%lld", (long long)seed);
	doc = run_json(replay, -1);
	cr_assert_eq(json_array_size(json_object_get(doc, "results")), 1);
	noise = result_for(doc, NULL, "noise");
	cr_assert_eq(int_of(noise, "runs"), 1);
	cr_assert_eq(int_of(noise, "seed"), seed);
	json_decref(doc);
}

Test(noise, a_correct_program_passes_every_seed)
{
	const char *all[] = { "racelab", "run", "--json", "--tool", "noise", "run/clean.c", NULL };
	const char *three[] = { "racelab", "run", "--json", "--tool", "noise", "--seeds", "3",
				"--repeat", "2", "run/clean.c", NULL };
	json_t *doc = run_json(all, 0), *r = result_for(doc, NULL, "noise");

	cr_assert_str_eq(status_of(r), "pass");
	cr_assert_eq(int_of(r, "runs"), NOISE_DEFAULT_SEEDS);
	cr_assert_eq(int_of(r, "seed"), 1);	/* the run shown: the first */
	json_decref(doc);
	doc = run_json(three, 0);
	r = result_for(doc, NULL, "noise");
	cr_assert_eq(int_of(r, "runs"), 6);
	json_decref(doc);
}

Test(noise, bad_seed_options_are_usage_errors)
{
	static const char *const zero[] = { "racelab", "run", "--seed", "0", "run/clean.c", NULL };
	static const char *const word[] = { "racelab", "run", "--seed", "abc", "run/clean.c", NULL };
	static const char *const other[] = { "racelab", "run", "--tool", "tsan", "--seed", "5",
					     "run/clean.c", NULL };
	static const char *const nseeds[] = { "racelab", "run", "--seeds", "0", "run/clean.c", NULL };
	const char *const *cases[] = { zero, word, other, nseeds };

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct out r = racelab(NULL, cases[i]);

		cr_expect_eq(r.code, 2, "%s %s: exit %d", cases[i][2], cases[i][3], r.code);
		cr_expect(strstr(r.stderr_text, "--seed") != NULL, "no word of the option");
		free(r.stdout_text);
		free(r.stderr_text);
	}
}
