/* test.h — a minimal unit-test harness for ctest executables.
 * CHECK records a failure and continues; the TEST_MAIN's exit code is the failure count
 * (capped), and the last line printed is "N passed, M failed". */
#ifndef POCKETC_TESTS_UNIT_TEST_H
#define POCKETC_TESTS_UNIT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                                  \
	do {                                                                             \
		if (cond) {                                                                  \
			test_passed++;                                                           \
		} else {                                                                     \
			test_failed++;                                                           \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                            \
	} while (0)

#define CHECK_STR(actual, expected)                                                                      \
	do {                                                                                                 \
		const char *a_ = (actual), *e_ = (expected);                                                     \
		if (a_ && e_ && strcmp(a_, e_) == 0) {                                                           \
			test_passed++;                                                                               \
		} else {                                                                                         \
			test_failed++;                                                                               \
			fprintf(stderr, "%s:%d: expected\n  [%s]\ngot\n  [%s]\n", __FILE__, __LINE__, e_ ? e_ : "(null)", \
			        a_ ? a_ : "(null)");                                                                 \
		}                                                                                                \
	} while (0)

/* Removes a test's scratch directory (made with mkdtemp) and everything in it; true when done. */
static inline int test_remove_dir(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0;
}

#define TEST_DONE()                                                   \
	do {                                                              \
		printf("%d passed, %d failed\n", test_passed, test_failed);   \
		return test_failed > 100 ? 100 : test_failed;                 \
	} while (0)

#endif
