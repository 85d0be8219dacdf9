/* filter_simple — PocketBase's search.SimpleFieldResolver (tools/search/
 * simple_field_resolver.go) for the filter engine: a name is accepted when
 * list.ExistInSliceWithRegex finds it in the allow-list (exact entries, or "^…$" entries as
 * regular expressions); "a" resolves to the column `a` with the automatic NULL fallback,
 * "a.b.c" to JSON_EXTRACT(`a`, '$.b.c') with the fallback disabled, parts that strconv.Atoi
 * accepts written as array indexes ("a.items.0" → '$.items[0]'), every part passed through
 * inflector.Columnify (so ':' and other punctuation are dropped, which also keeps the JSON
 * path literal free of quotes). */
#include "collections/filter_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/regex.h"

static bool allowed(const char *const *fields, const char *name)
{
	size_t n = strlen(name);
	for (; *fields; fields++) {
		const char *f = *fields;
		size_t fl = strlen(f);
		if (fl >= 2 && f[0] == '^' && f[fl - 1] == '$') {
			if (pb_regex_match(f, name, n) == 1)
				return true;
		} else if (strcmp(f, name) == 0) {
			return true;
		}
	}
	return false;
}

/* strconv.Atoi's acceptance of a path part: [+-]?digits (no overflow check needed here:
 * out-of-range numbers are rejected by Go and then written as ".part"). */
static bool go_atoi_ok(const char *s, size_t n)
{
	size_t i = 0;
	if (n && (s[0] == '+' || s[0] == '-'))
		i = 1;
	if (i == n || n - i > 19)
		return false;
	for (size_t j = i; j < n; j++)
		if (s[j] < '0' || s[j] > '9')
			return false;
	if (n - i == 19) { /* compare against 9223372036854775807 / ...808 */
		const char *lim = s[0] == '-' ? "9223372036854775808" : "9223372036854775807";
		return strncmp(s + i, lim, 19) <= 0;
	}
	return true;
}

int fb_resolve_simple(struct fb_build *b, const char *name, struct fb_operand *out)
{
	if (!allowed(b->simple_fields, name))
		return pb_error_set(b->err, 400, "Invalid filter: failed to resolve field \"%s\".", name);
	const char *dot = strchr(name, '.');
	if (!dot) {
		char *col = fb_columnify(name);
		fb_col(&out->id, b->base_alias, col);
		free(col);
		return 0;
	}
	char *head = strndup(name, (size_t)(dot - name));
	if (!head)
		abort();
	char *col = fb_columnify(head);
	struct pb_strbuf path = PB_STRBUF_INIT;
	pb_strbuf_putc(&path, '$');
	for (const char *p = dot + 1;;) {
		const char *e = strchr(p, '.');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *part = strndup(p, len);
		if (!part)
			abort();
		char *cpart = fb_columnify(part);
		if (go_atoi_ok(part, len))
			pb_strbuf_printf(&path, "[%s]", cpart);
		else
			pb_strbuf_printf(&path, ".%s", cpart);
		free(cpart);
		free(part);
		if (!e)
			break;
		p = e + 1;
	}
	out->fallback = FB_DISABLED;
	pb_strbuf_puts(&out->id, "JSON_EXTRACT(");
	fb_col(&out->id, b->base_alias, col);
	pb_strbuf_printf(&out->id, ", '%s')", pb_strbuf_cstr(&path));
	pb_strbuf_deinit(&path);
	free(col);
	free(head);
	return 0;
}
