/* filter_cache — a per-thread memo of compiled filters (rules), so a rule evaluated again and
 * again by the same requester (every create of a user under `owner = @request.auth.id`) is
 * not lexed, parsed and resolved each time. Exact by construction: a compiled filter is a
 * function of the schema snapshot, the collection, the expression, the ctx flags and — through
 * the @request.* identifiers only — of the request; while compiling, every @request.* identifier
 * records the request values it reads (the top-level value it names, plus the auth record's
 * collection and id for @request.auth.*), and an entry is reused only when the new request
 * gives the same values (same JSON types, same bytes, same key order). Filters using datetime
 * macros (@now, …) are never memoised (they depend on the clock), nor are compilations that
 * fail or that start with a non-empty query. Entries hold a reference to their schema snapshot;
 * entries of another snapshot are dropped when a request of a new snapshot asks. The memo is
 * owned by one thread (a worker) and never shared. */
#ifndef POCKETC_COLLECTIONS_FILTER_CACHE_H
#define POCKETC_COLLECTIONS_FILTER_CACHE_H

#include <stddef.h>

#include "collections/filter.h"

#define PB_FILTER_CACHE_SIZE 32

struct pb_filter_cache_entry;

struct pb_filter_cache {
	struct pb_filter_cache_entry *e[PB_FILTER_CACHE_SIZE]; /* owned, NULL = free slot */
	unsigned long tick;
	unsigned long hits, misses; /* counters for tests and profiles */
};

void pb_filter_cache_init(struct pb_filter_cache *fc);
/* Frees every entry (and releases their schema references). */
void pb_filter_cache_deinit(struct pb_filter_cache *fc);

/* pb_filter_to_sql through the memo fc (ctx->cache is ignored). Same contract: appends the SQL
 * to out, adds joins and bound values to ctx->query, 0 or -1 with err. */
int pb_filter_cache_to_sql(struct pb_filter_cache *fc, const struct pb_filter_ctx *ctx, const char *expr,
                           struct pb_strbuf *out, struct pb_error *err);

/* ---- internal: called by the filter resolver while a memoised compilation runs ----------- */

/* Records the request values `name` (an @request.* identifier, modifiers included) reads. */
void pb_filter_trace_request(struct pb_filter_trace *t, const struct pb_request_info *req, const char *name);
/* The compilation depends on something else than the request (the clock): not memoised. */
void pb_filter_trace_uncacheable(struct pb_filter_trace *t);

#endif
