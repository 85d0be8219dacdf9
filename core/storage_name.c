/* storage_name — stored names of uploads, mirroring filesystem.normalizeName and
 * inflector.Snakecase of PocketBase (see storage.h for the rule). Go's regexp classes \w and
 * \W are ASCII-only and every byte of a multi-byte or invalid UTF-8 sequence counts as \W,
 * so the whole rule works on bytes. */
#include "core/storage.h"

#include <string.h>

#include "core/random.h"

#define NAME_INPUT_MAX 300  /* normalizeName first keeps the last 300 bytes */
#define EXT_MAX 20          /* extension characters kept (after the dot) */
#define BASE_MAX 100        /* base bytes kept */
#define BASE_MIN 3          /* shorter bases get RANDOM_LEN more random characters */
#define RANDOM_LEN 10

static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || is_upper(c); }

/* the characters extInvalidCharsRegex keeps: \w . * - + = # */
static bool ext_char_ok(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '.' || c == '*' || c == '-' || c == '+' || c == '=' || c == '#';
}

/* extractExtension: offset of the extension's first dot in s[0..n), or n when there is none */
static size_t ext_start(const char *s, size_t n)
{
	size_t primary = n, secondary = n;
	for (size_t i = n; i-- > 0;)
		if (s[i] == '.') {
			primary = i;
			break;
		}
	if (primary == n)
		return n;
	for (size_t i = primary; i-- > 0;)
		if (s[i] == '.') {
			secondary = i;
			break;
		}
	return secondary != n ? secondary : primary;
}

/* "." + Trim(clean(ext), ".") into out (cap >= n + 2); returns its length */
static size_t clean_ext(const char *ext, size_t n, char *out)
{
	size_t w = 0;
	out[w++] = '.';
	size_t first = w;
	for (size_t i = 0; i < n; i++)
		if (ext_char_ok((unsigned char)ext[i]))
			out[w++] = ext[i];
	size_t b = first, e = w;
	while (b < e && out[b] == '.')
		b++;
	while (e > b && out[e - 1] == '.')
		e--;
	memmove(out + first, out + b, e - b);
	w = first + (e - b);
	out[w] = '\0';
	return w;
}

/* Snakecase of s[0..n) appended to out (room for 2n bytes); returns the length written */
static size_t snakecase(const char *s, size_t n, char *out)
{
	size_t w = 0, i = 0;
	while (i < n) {
		/* skip a run of separators: [\W_]+ */
		while (i < n && !is_alnum((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		if (w > 0)
			out[w++] = '_';
		size_t start = i;
		for (; i < n && is_alnum((unsigned char)s[i]); i++) {
			unsigned char c = (unsigned char)s[i];
			if (is_upper(c) && i > start && !is_upper((unsigned char)s[i - 1]))
				out[w++] = '_';
			out[w++] = (char)(is_upper(c) ? c + ('a' - 'A') : c);
		}
	}
	return w;
}

int pb_storage_file_name_ext(const char *original, const char *detected_ext, char *out, size_t cap)
{
	if (!out || cap == 0)
		return -1;
	out[0] = '\0';
	if (!original)
		original = "";
	size_t n = strlen(original);
	const char *name = n > NAME_INPUT_MAX ? original + (n - NAME_INPUT_MAX) : original;
	n = strlen(name);

	/* extension */
	size_t es = ext_start(name, n);
	char ext[NAME_INPUT_MAX + 2];
	size_t elen = clean_ext(name + es, n - es, ext);
	if (elen == 1) {
		/* nothing usable in the name: the detected extension, as given */
		const char *d = detected_ext ? detected_ext : "";
		size_t dl = strlen(d);
		if (dl > NAME_INPUT_MAX)
			d += dl - NAME_INPUT_MAX, dl = NAME_INPUT_MAX;
		memcpy(ext, d, dl);
		ext[dl] = '\0';
		elen = dl;
	}
	if (elen > EXT_MAX) {
		/* keep the last 20 characters, dots trimmed */
		const char *tail = ext + (elen - EXT_MAX);
		size_t tl = EXT_MAX;
		while (tl > 0 && *tail == '.')
			tail++, tl--;
		while (tl > 0 && tail[tl - 1] == '.')
			tl--;
		char tmp[EXT_MAX + 2];
		tmp[0] = '.';
		memcpy(tmp + 1, tail, tl);
		elen = tl + 1;
		memcpy(ext, tmp, elen);
		ext[elen] = '\0';
	}

	/* base: the name without the extension, dots trimmed, snake_cased */
	size_t bb = 0, be = es;
	while (bb < be && name[bb] == '.')
		bb++;
	while (be > bb && name[be - 1] == '.')
		be--;
	char base[2 * NAME_INPUT_MAX + RANDOM_LEN + 1];
	size_t blen = snakecase(name + bb, be - bb, base);
	if (blen < BASE_MIN) {
		if (pb_random_string(base + blen, RANDOM_LEN, PB_ALPHABET_ID) != 0)
			return -1;
		blen += RANDOM_LEN;
	} else if (blen > BASE_MAX) {
		blen = BASE_MAX;
	}

	size_t total = blen + 1 + RANDOM_LEN + elen;
	if (total + 1 > cap)
		return -1;
	memcpy(out, base, blen);
	out[blen] = '_';
	if (pb_random_string(out + blen + 1, RANDOM_LEN, PB_ALPHABET_ID) != 0) {
		out[0] = '\0';
		return -1;
	}
	memcpy(out + blen + 1 + RANDOM_LEN, ext, elen);
	out[total] = '\0';
	return 0;
}

int pb_storage_file_name(const char *original, char *out, size_t cap)
{
	return pb_storage_file_name_ext(original, NULL, out, cap);
}
