/* test_random — CSPRNG strings and record ids (core/random.c): lengths, alphabet membership,
 * argument errors, every character reachable, and no modulo bias for alphabet sizes that do
 * not divide 256 (the rejection step of security.RandomStringWithAlphabet's uniform choice);
 * record ids strictly increasing in creation order across threads, their time prefix the
 * clock's microseconds, their tail random. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/random.h"
#include "tests/unit/test.h"

static int only_from(const char *s, const char *alphabet)
{
	return strspn(s, alphabet) == strlen(s);
}

#define IDS_EACH 20000 /* ids made by each thread */

struct id_run {
	char (*ids)[PB_RECORD_ID_LEN + 1];
};

static void *make_ids(void *arg)
{
	struct id_run *r = arg;
	r->ids = malloc(sizeof *r->ids * IDS_EACH);
	for (int i = 0; i < IDS_EACH; i++)
		if (pb_random_id(r->ids[i]) != 0)
			r->ids[i][0] = '\0';
	return NULL;
}

static int cmp_id(const void *a, const void *b) { return strcmp(a, b); }

int main(void)
{
	char buf[256];

	/* lengths and alphabet */
	CHECK(pb_random_string(buf, 50, PB_ALPHABET_ALNUM) == 0);
	CHECK(strlen(buf) == 50 && only_from(buf, PB_ALPHABET_ALNUM));
	CHECK(strlen(PB_ALPHABET_ALNUM) == 62 && strlen(PB_ALPHABET_ID) == 36);
	memset(buf, 'Z', sizeof buf);
	CHECK(pb_random_string(buf, 0, PB_ALPHABET_ALNUM) == 0 && buf[0] == '\0');
	CHECK(pb_random_string(buf, 5, "x") == 0);
	CHECK_STR(buf, "xxxxx");
	CHECK(pb_random_string(buf, 200, "ab") == 0 && strlen(buf) == 200 && only_from(buf, "ab"));

	/* argument errors */
	CHECK(pb_random_string(buf, 10, "") == -1 && buf[0] == '\0');
	CHECK(pb_random_string(buf, 10, NULL) == -1);

	/* record ids: 15 chars of [a-z0-9], fresh each time */
	char id1[PB_RECORD_ID_LEN + 1], id2[PB_RECORD_ID_LEN + 1];
	CHECK(pb_random_id(id1) == 0 && pb_random_id(id2) == 0);
	CHECK(strlen(id1) == 15 && only_from(id1, PB_ALPHABET_ID));
	CHECK(strlen(id2) == 15 && only_from(id2, PB_ALPHABET_ID));
	CHECK(strcmp(id1, id2) != 0);

	/* ids sort in creation order, across threads: each thread's ids increase, and all are
	 * distinct (the time prefix never repeats) */
	enum { THREADS = 4, EACH = IDS_EACH };
	struct id_run runs[THREADS];
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, make_ids, &runs[t]) == 0);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	char (*all)[PB_RECORD_ID_LEN + 1] = malloc(sizeof *all * THREADS * EACH);
	int ordered = 1, formed = 1;
	for (int t = 0; t < THREADS; t++) {
		for (int i = 0; i < EACH; i++) {
			formed &= strlen(runs[t].ids[i]) == 15 && only_from(runs[t].ids[i], PB_ALPHABET_ID);
			ordered &= i == 0 || strcmp(runs[t].ids[i - 1], runs[t].ids[i]) < 0;
			memcpy(all[t * EACH + i], runs[t].ids[i], sizeof *all);
		}
		free(runs[t].ids);
	}
	CHECK(formed);
	CHECK(ordered);
	qsort(all, THREADS * EACH, sizeof *all, cmp_id);
	int distinct = 1, tails_differ = 0;
	for (int i = 1; i < THREADS * EACH; i++) {
		distinct &= strcmp(all[i - 1], all[i]) != 0;
		tails_differ += strcmp(all[i - 1] + PB_RECORD_ID_TIME_CHARS, all[i] + PB_RECORD_ID_TIME_CHARS) != 0;
	}
	CHECK(distinct);
	CHECK(tails_differ > THREADS * EACH * 99 / 100); /* the tail is not a counter */
	free(all);

	/* the prefix is the clock in microseconds (base 36, digits in byte order) */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long before = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	CHECK(pb_random_id(id1) == 0);
	long long prefix = 0;
	for (int d = 0; d < PB_RECORD_ID_TIME_CHARS; d++)
		prefix = prefix * 36 + (id1[d] <= '9' ? id1[d] - '0' : id1[d] - 'a' + 10);
	CHECK(prefix >= before && prefix < before + 60LL * 1000000);

	/* two 50-char secrets never collide in practice */
	char s1[51], s2[51];
	CHECK(pb_random_string(s1, 50, PB_ALPHABET_ALNUM) == 0 && pb_random_string(s2, 50, PB_ALPHABET_ALNUM) == 0);
	CHECK(strcmp(s1, s2) != 0);

	/* every alnum character appears; counts near the mean (62 * 400 draws: mean 400, sd ~20) */
	enum { PER = 400 };
	size_t n = 62 * PER;
	char *big = malloc(n + 1);
	CHECK(pb_random_string(big, n, PB_ALPHABET_ALNUM) == 0);
	long counts[256] = {0};
	for (size_t i = 0; i < n; i++)
		counts[(unsigned char)big[i]]++;
	int all_seen = 1, in_range = 1;
	for (const char *a = PB_ALPHABET_ALNUM; *a; a++) {
		long c = counts[(unsigned char)*a];
		all_seen &= c > 0;
		in_range &= c > PER - 150 && c < PER + 150;
	}
	CHECK(all_seen);
	CHECK(in_range);
	free(big);

	/* bias: with a 200-char alphabet, plain `byte % 200` would pick the first 56 characters twice
	 * as often as the others; rejection sampling keeps the two groups level */
	char alpha200[201];
	for (int i = 0; i < 200; i++)
		alpha200[i] = (char)(i + 1);
	alpha200[200] = '\0';
	n = 200 * 200;
	big = malloc(n + 1);
	CHECK(pb_random_string(big, n, alpha200) == 0);
	long low = 0, high = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned char)big[i] - 1u;
		if (v < 56)
			low++;
		else
			high++;
	}
	double ratio = ((double)low / 56) / ((double)high / 144);
	CHECK(ratio > 0.9 && ratio < 1.1);
	free(big);

	/* a 256-byte alphabet (longer than 255 distinct bytes needs repeats) is accepted, 257 is not */
	char a257[258];
	memset(a257, 'q', 257);
	a257[257] = '\0';
	CHECK(pb_random_string(buf, 3, a257) == -1);
	a257[256] = '\0';
	CHECK(pb_random_string(buf, 3, a257) == 0);
	CHECK_STR(buf, "qqq");
	TEST_DONE();
}
