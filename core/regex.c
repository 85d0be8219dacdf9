/* regex — PCRE2 with Go RE2-like options (see regex.h). */
#include "core/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DFA_WORKSPACE 4096

static pcre2_code *compile(const char *pattern, int *errcode, PCRE2_SIZE *erroff)
{
	return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, errcode, erroff, NULL);
}

static bool class_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* The whole-value character-class patterns (`^[a-z0-9]+$`, PocketBase's id pattern, and the
 * like: `^[` ASCII letters/digits/_ and ranges of them `]` `+` or `*` `$`) are matched without
 * PCRE2: the value matches when every byte is in the class (and, for `+`, it is not empty).
 * That is exactly what PCRE2 answers for them (no other byte, nor any non-ASCII character, is
 * in such a class). Returns 1/0, or -1 when the pattern has another shape. */
static int match_simple_class(const char *p, const char *subject, size_t len)
{
	if (p[0] != '^' || p[1] != '[')
		return -1;
	bool in[128] = {false};
	size_t i = 2;
	if (p[i] == ']')
		return -1;
	while (p[i] && p[i] != ']') {
		char a = p[i];
		if (!class_char(a))
			return -1;
		if (p[i + 1] == '-' && p[i + 2] && p[i + 2] != ']') {
			char b = p[i + 2];
			if (!class_char(b) || b < a)
				return -1;
			for (int c = a; c <= b; c++)
				if (class_char((char)c))
					in[c] = true;
				else
					return -1; /* a range across punctuation: leave it to PCRE2 */
			i += 3;
		} else {
			in[(unsigned char)a] = true;
			i++;
		}
	}
	if (p[i] != ']' || (p[i + 1] != '+' && p[i + 1] != '*') || p[i + 2] != '$' || p[i + 3])
		return -1;
	if (p[i + 1] == '+' && len == 0)
		return 0;
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)subject[k];
		if (c >= 128 || !in[c])
			return 0;
	}
	return 1;
}

int pb_regex_match(const char *pattern, const char *subject, size_t len)
{
	int simple = match_simple_class(pattern, subject, len);
	if (simple >= 0)
		return simple;
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = compile(pattern, &errcode, &erroff);
	if (!re)
		return -1;
	/* DFA matching explores alternatives in parallel like RE2, so nested quantifiers (as in
	 * govalidator's URL pattern) cannot backtrack exponentially; patterns it cannot run fall
	 * back to the backtracking matcher. */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc = -1;
	if (md) {
		int *ws = malloc(DFA_WORKSPACE * sizeof *ws);
		rc = ws ? pcre2_dfa_match(re, (PCRE2_SPTR)subject, len, 0, 0, md, NULL, ws, DFA_WORKSPACE) : -1;
		free(ws);
		if (rc == PCRE2_ERROR_DFA_UFUNC || rc == PCRE2_ERROR_DFA_UITEM || rc == PCRE2_ERROR_DFA_UCOND ||
		    rc == PCRE2_ERROR_DFA_WSSIZE || rc == PCRE2_ERROR_DFA_RECURSE || rc == PCRE2_ERROR_DFA_UINVALID_UTF)
			rc = pcre2_match(re, (PCRE2_SPTR)subject, len, 0, 0, md, NULL);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc >= 0 ? 1 : 0;
}

int pb_regex_check(const char *pattern, char *msg, size_t cap)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = compile(pattern, &errcode, &erroff);
	if (re) {
		pcre2_code_free(re);
		return 0;
	}
	if (msg && cap) {
		PCRE2_UCHAR buf[256];
		pcre2_get_error_message(errcode, buf, sizeof buf);
		snprintf(msg, cap, "%s at offset %zu", (const char *)buf, (size_t)erroff);
	}
	return -1;
}

int pb_regex_submatch(const char *pattern, const char *subject, size_t len, size_t start, size_t *ovec,
                      int ngroups)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = compile(pattern, &errcode, &erroff);
	if (!re)
		return -1;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = md ? pcre2_match(re, (PCRE2_SPTR)subject, len, start, 0, md, NULL) : -1;
	int n = 0;
	if (rc > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		uint32_t have = pcre2_get_ovector_count(md);
		for (int i = 0; i < ngroups; i++) {
			bool set = (uint32_t)i < have && i < rc && ov[2 * i] != PCRE2_UNSET;
			ovec[2 * i] = set ? (size_t)ov[2 * i] : (size_t)-1;
			ovec[2 * i + 1] = set ? (size_t)ov[2 * i + 1] : (size_t)-1;
		}
		n = rc;
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return n;
}
