/* index_sql — ParseIndex / Build (see index_sql.h). The two patterns of tools/dbutils/index.go
 * run on PCRE2 (leftmost-first, like Go's regexp picks its submatches), with Go's \s class
 * ([\t\n\f\r ]) spelled out; the column and name splitting is core/tokenizer. */
#include "collections/index_sql.h"

#include <stdlib.h>
#include <string.h>

#include "core/regex.h"
#include "core/strbuf.h"
#include "core/tokenizer.h"

#define WS "[\\t\\n\\f\\r ]"
#define NWS "[^\\t\\n\\f\\r ]"

static const char index_pattern[] = "(?is)create" WS "+(unique" WS "+)?" WS "*index" WS "*(if" WS "+not" WS
                                    "+exists" WS "+)?(" NWS "*)" WS "+on" WS "+(" NWS "*)" WS "*\\((.*)\\)(?:" WS
                                    "*where" WS "+(.*))?";
static const char column_pattern[] = "(?ims)^(.+?)(?:" WS "+collate" WS "+(\\w+))?(?:" WS "+(asc|desc))?$";

static const char trim_set[] = "`\"'[]\r\n\t\f\v ";

/* strings.Trim(s[0..len), cutset) as a new string. */
static char *trim_dup(const char *s, size_t len, const char *cutset)
{
	size_t a = 0, b = len;
	while (a < b && strchr(cutset, s[a]) && s[a])
		a++;
	while (b > a && strchr(cutset, s[b - 1]) && s[b - 1])
		b--;
	return strndup(s + a, b - a);
}

/* strings.TrimSpace of a group. */
static char *group_trimspace(const char *s, const size_t *ov, int g)
{
	if (ov[2 * g] == (size_t)-1)
		return strdup("");
	return trim_dup(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g], " \t\n\r\f\v");
}

static char *group_dup(const char *s, const size_t *ov, int g)
{
	if (ov[2 * g] == (size_t)-1)
		return strdup("");
	return strndup(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

static void zero(struct pb_index *out)
{
	memset(out, 0, sizeof *out);
	out->schema_name = strdup("");
	out->index_name = strdup("");
	out->table_name = strdup("");
	out->where = strdup("");
}

static void parse_columns(struct pb_index *out, const char *cols)
{
	size_t n = 0;
	char **toks = pb_tokenize(cols, NULL, &n, NULL);
	if (!toks)
		return;
	out->columns = calloc(n ? n : 1, sizeof *out->columns);
	for (size_t i = 0; i < n; i++) {
		size_t ov[8];
		const char *t = toks[i];
		if (pb_regex_submatch(column_pattern, t, strlen(t), 0, ov, 4) <= 0)
			continue;
		char *name = trim_dup(t + ov[2], ov[3] - ov[2], trim_set);
		if (!*name) {
			free(name);
			continue;
		}
		struct pb_index_column *c = &out->columns[out->ncolumns++];
		c->name = name;
		c->collate = group_trimspace(t, ov, 2);
		c->sort = group_dup(t, ov, 3);
		for (char *p = c->sort; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	}
	pb_tokens_free(toks);
}

void pb_index_parse(const char *sql, struct pb_index *out)
{
	zero(out);
	if (!sql)
		return;
	size_t ov[14];
	if (pb_regex_submatch(index_pattern, sql, strlen(sql), 0, ov, 7) <= 0)
		return;
	char *g;
	g = group_trimspace(sql, ov, 1);
	out->unique = *g != 0;
	free(g);
	g = group_trimspace(sql, ov, 2);
	out->optional = *g != 0;
	free(g);

	char *raw_name = group_dup(sql, ov, 3);
	const struct pb_tokenizer_opts dot = {.separators = "."};
	size_t nparts = 0;
	char **parts = pb_tokenize(raw_name, &dot, &nparts, NULL);
	if (parts && nparts == 2) {
		free(out->schema_name);
		out->schema_name = trim_dup(parts[0], strlen(parts[0]), trim_set);
		free(out->index_name);
		out->index_name = trim_dup(parts[1], strlen(parts[1]), trim_set);
	} else if (parts && nparts > 0) {
		free(out->index_name);
		out->index_name = trim_dup(parts[0], strlen(parts[0]), trim_set);
	}
	pb_tokens_free(parts);
	free(raw_name);

	free(out->table_name);
	out->table_name = trim_dup(sql + ov[8], ov[9] - ov[8], trim_set);

	char *cols = group_dup(sql, ov, 5);
	parse_columns(out, cols);
	free(cols);

	free(out->where);
	out->where = group_trimspace(sql, ov, 6);
}

void pb_index_deinit(struct pb_index *idx)
{
	for (size_t i = 0; i < idx->ncolumns; i++) {
		free(idx->columns[i].name);
		free(idx->columns[i].collate);
		free(idx->columns[i].sort);
	}
	free(idx->columns);
	free(idx->schema_name);
	free(idx->index_name);
	free(idx->table_name);
	free(idx->where);
	memset(idx, 0, sizeof *idx);
}

bool pb_index_is_valid(const struct pb_index *idx)
{
	return idx->index_name && *idx->index_name && idx->table_name && *idx->table_name && idx->ncolumns > 0;
}

void pb_index_set(char **member, const char *value)
{
	free(*member);
	*member = strdup(value ? value : "");
}

char *pb_index_build(const struct pb_index *idx)
{
	if (!pb_index_is_valid(idx))
		return strdup("");
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "CREATE ");
	if (idx->unique)
		pb_strbuf_puts(&b, "UNIQUE ");
	pb_strbuf_puts(&b, "INDEX ");
	if (idx->optional)
		pb_strbuf_puts(&b, "IF NOT EXISTS ");
	if (*idx->schema_name)
		pb_strbuf_printf(&b, "`%s`.", idx->schema_name);
	pb_strbuf_printf(&b, "`%s` ON `%s` (", idx->index_name, idx->table_name);
	if (idx->ncolumns > 1)
		pb_strbuf_puts(&b, "\n  ");
	bool has = false;
	for (size_t i = 0; i < idx->ncolumns; i++) {
		const struct pb_index_column *c = &idx->columns[i];
		char *name = trim_dup(c->name, strlen(c->name), " \t\n\r\f\v");
		if (!*name) {
			free(name);
			continue;
		}
		if (has)
			pb_strbuf_puts(&b, ",\n  ");
		if (strchr(c->name, '(') || strchr(c->name, ' '))
			pb_strbuf_puts(&b, name);
		else
			pb_strbuf_printf(&b, "`%s`", name);
		free(name);
		if (*c->collate)
			pb_strbuf_printf(&b, " COLLATE %s", c->collate);
		if (*c->sort) {
			pb_strbuf_putc(&b, ' ');
			for (const char *p = c->sort; *p; p++)
				pb_strbuf_putc(&b, (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p));
		}
		has = true;
	}
	if (has && idx->ncolumns > 1)
		pb_strbuf_putc(&b, '\n');
	pb_strbuf_putc(&b, ')');
	if (*idx->where)
		pb_strbuf_printf(&b, " WHERE %s", idx->where);
	return pb_strbuf_steal(&b);
}

char *pb_index_name_of(const char *sql)
{
	struct pb_index idx;
	pb_index_parse(sql, &idx);
	char *name = strdup(idx.index_name);
	pb_index_deinit(&idx);
	return name;
}
