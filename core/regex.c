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

int pb_regex_match(const char *pattern, const char *subject, size_t len)
{
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
