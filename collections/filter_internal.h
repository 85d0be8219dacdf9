/* filter_internal — what the filter modules (lexer/parser aside) share: the per-build state,
 * the pending parameter table, SQL "fragments" and resolved operands.
 *
 * A fragment is SQL text in which a value is referenced by a marker "\x01<index>\x02" into
 * the build's parameter table instead of a placeholder. Only when the whole expression is
 * final are markers turned into `?N` (and values bound in the pb_query), so a value that the
 * NULL/'' normalisation drops is never bound, a value repeated in the text (multi-match
 * subqueries) is bound once, and LIKE wrapping can rewrite a value before it is bound. This
 * mirrors dbx's named `{:p}` params that PocketBase's resolver results carry. */
#ifndef POCKETC_COLLECTIONS_FILTER_INTERNAL_H
#define POCKETC_COLLECTIONS_FILTER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "collections/filter.h"
#include "collections/filter_cache.h"
#include "collections/filter_parser.h"

#define FB_MARK_START '\x01'
#define FB_MARK_END '\x02'
#define FB_MAX_NESTED_RELS 6

enum fb_fallback { FB_AUTO, FB_DISABLED, FB_ENFORCED };

struct fb_param {
	enum pb_bind_kind kind;
	char *text;   /* owned (TEXT) */
	size_t len;
	int64_t i;
	double f;
	int bound;    /* 0 until bound: then its ?N number */
};

/* A correlated "multi-match" subquery listing every value of a multi-valued operand. */
struct fb_mm {
	bool active;
	char *target_alias;     /* owned: alias of the outer row */
	char *from_table;       /* owned */
	char *from_alias;       /* owned */
	struct pb_strbuf joins; /* fragment: "LEFT JOIN … ON …" items separated by spaces */
	struct pb_strbuf value; /* fragment: value expression */
};

struct fb_operand {
	struct pb_strbuf id;          /* fragment: the SQL expression */
	enum fb_fallback fallback;
	bool opaque;                  /* values inside `id` don't count as this operand's params */
	size_t extra_params;          /* non-empty values carried but not referenced by `id` (body :each) */
	struct fb_mm mm;
	char *email_guard;            /* owned alias: wrap as ((expr) AND (alias.emailVisibility = TRUE)) */
};

struct fb_rule_join {
	const struct pb_collection *collection; /* borrowed */
	char *alias;                            /* owned */
};

struct fb_build {
	const struct pb_filter_ctx *ctx;
	struct pb_error *err;
	struct fb_param *params; /* owned */
	size_t nparams, params_cap;
	unsigned *alias_seq;     /* shared counter for __sm/__ml/__mr aliases */
	const struct pb_collection *base; /* borrowed: collection plain names resolve in */
	const char *base_alias;  /* borrowed: its SQL alias */
	const char *join_suffix; /* borrowed: appended to every join alias ("" normally) */
	bool allow_hidden;       /* PocketBase's allowHiddenFields */
	struct fb_rule_join *rule_joins; /* owned: joined collections whose list rule applies */
	size_t nrule_joins, rule_joins_cap;
	const char *const *simple_fields; /* borrowed: non-NULL = SimpleFieldResolver mode */
};

/* --- filter_frag.c --- */
void fb_init(struct fb_build *b, const struct pb_filter_ctx *ctx, const struct pb_collection *base,
             const char *base_alias, bool allow_hidden, unsigned *alias_seq, struct pb_error *err);
/* Frees the parameter table and rule joins (the pb_query is untouched). */
void fb_deinit(struct fb_build *b);
/* New pending values; return their index. Text is copied. */
size_t fb_param_text(struct fb_build *b, const char *s, size_t len);
size_t fb_param_float(struct fb_build *b, double v);
size_t fb_param_int(struct fb_build *b, int64_t v);
/* Appends a marker for param `idx` to a fragment. */
void fb_mark(struct pb_strbuf *frag, size_t idx);
/* Number of distinct params referenced by a fragment, and whether one is NULL or "". */
size_t fb_frag_params(const struct fb_build *b, const char *frag, bool *has_empty);
/* Applies `fn` to each distinct param referenced by a fragment. */
void fb_frag_each_param(struct fb_build *b, const char *frag, void (*fn)(struct fb_param *p));
/* Appends `frag` to `out` turning markers into ?N (binding values in ctx->query on first use). */
void fb_materialize(struct fb_build *b, const char *frag, size_t len, struct pb_strbuf *out);
/* Registers a LEFT JOIN `table_frag` `alias` [ON on_frag] unless the alias is already joined
 * (both are fragments, materialized at once).
 * `c` (may be NULL) is the joined collection: when hidden fields are not allowed a null
 * list rule is an error and a non-empty one is remembered as a rule join. Returns 0/-1. */
int fb_join(struct fb_build *b, const char *table_frag, const char *alias, const char *on_frag,
            const struct pb_collection *c);
void fb_operand_init(struct fb_operand *o);
void fb_operand_deinit(struct fb_operand *o);
void fb_mm_deinit(struct fb_mm *m);
/* Appends `alias`.`col` (identifier quoting). */
void fb_col(struct pb_strbuf *out, const char *alias, const char *col);
/* The json_each(CASE …) / json_array_length(…) / JSON_EXTRACT wrappers of tools/dbutils. */
void fb_json_each(struct pb_strbuf *out, const char *alias, const char *col);
void fb_json_array_length(struct pb_strbuf *out, const char *alias, const char *col);
void fb_json_extract(struct pb_strbuf *out, const char *alias, const char *col, const char *path);
/* malloc'ed concatenation of up to 4 strings (NULLs skipped). */
char *fb_cat(const char *a, const char *b, const char *c, const char *d);
/* Builds the multi-match subquery SQL fragment of `m` into out. */
void fb_mm_sql(const struct fb_mm *m, struct pb_strbuf *out);

/* --- filter_resolver.c / filter_request.c --- */
/* Resolves a field identifier (plain, relation path, @collection.*, @request.*). On success
 * fills `out` (initialised by the caller). Returns 0, or -1 with b->err. */
int fb_resolve_identifier(struct fb_build *b, const char *name, struct fb_operand *out);
/* SimpleFieldResolver (filter_simple.c): used by fb_resolve_identifier when b->simple_fields
 * is set. */
int fb_resolve_simple(struct fb_build *b, const char *name, struct fb_operand *out);
/* inflector.Columnify: drops every char outside [\w.*@#-]. Newly allocated. */
char *fb_columnify(const char *s);
/* @request.* (filter_request.c): called by the resolver for names starting with "@request.". */
int fb_resolve_request(struct fb_build *b, const char *name, struct fb_operand *out);
/* Shared runner entry used by both files: resolves props[0..n) as a field path starting at
 * collection `c` with alias `alias`; `mm` is the runner's multi-match state (taken over). */
struct fb_runner {
	struct fb_build *b;
	char **props;  /* borrowed */
	size_t nprops;
	const struct pb_collection *col;
	char *alias;     /* owned */
	bool nullify_missing;
	bool with_mm;
	char *mm_alias;  /* owned */
	struct fb_mm mm;
};
void fb_runner_init(struct fb_runner *r, struct fb_build *b);
void fb_runner_deinit(struct fb_runner *r);
int fb_runner_process(struct fb_runner *r, struct fb_operand *out);
/* splitModifier: 0 ok (modifier may be ""), -1 unknown modifier. `name` is newly allocated. */
int fb_split_modifier(struct fb_build *b, const char *prop, char **name, const char **modifier);

/* Select, file and relation fields (multi-valued types: :each / :length apply). */
bool fb_is_multivaluer(const struct pb_field *f);
/* Splits `name` on '.' into *n newly allocated strings (fb_free_props frees them all). */
char **fb_split_dots(const char *name, size_t *n);
void fb_free_props(char **v, size_t n);

/* Go's strconv.FormatFloat(v, 'f', -1, 64) into buf (≥ 400 bytes); pb_json_format_float_fixed. */
void fb_format_float(double v, char *buf, size_t cap);

/* --- filter_macros.c --- */
/* If `name` is a datetime macro (@now, @todayStart, …) fills `out` with its bound value and
 * returns 1; returns 0 otherwise. */
int fb_macro(struct fb_build *b, const char *name, struct fb_operand *out);
/* The value of macro `name` at `now_ms` (Unix milliseconds): returns 1 with a datetime string
 * in buf, 2 with an integer in *ival, 0 when `name` is not a macro. */
int fb_macro_value(const char *name, int64_t now_ms, char *buf, size_t cap, int64_t *ival);

/* --- filter_functions.c --- */
int fb_resolve_function(struct fb_build *b, const struct pb_foperand *fn, struct fb_operand *out);

/* --- filter_sql.c --- */
int fb_resolve_operand(struct fb_build *b, const struct pb_foperand *o, struct fb_operand *out);
/* Parses and renders `src` into the fragment `out`. `budget` counts comparisons left. */
int fb_build_string(struct fb_build *b, const char *src, size_t len, struct pb_strbuf *out, int *budget);
/* Renders the list-rule constraints of b's rule joins into `out` (fragment-free final SQL,
 * joined with " AND "); appends nothing when there are none. Returns 0/-1. */
int fb_rule_constraints(struct fb_build *b, struct pb_strbuf *out);

#endif
