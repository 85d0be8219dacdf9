/* read_ctx — what every record read (list, view, expand, rule probes, visibility export) needs:
 * the schema snapshot the request holds, the worker's statement cache over its read
 * connection, and who is asking. Mirrors the (app, requestInfo) pair PocketBase threads
 * through its record handlers and EnrichRecords. Everything is borrowed; the struct is
 * cheap to copy (expand copies it to switch the request context to "expand"). */
#ifndef POCKETC_COLLECTIONS_READ_CTX_H
#define POCKETC_COLLECTIONS_READ_CTX_H

#include "collections/request_info.h"
#include "collections/schema.h"
#include "core/stmt_cache.h"

struct pb_filter_cache;

struct pb_read_ctx {
	const struct pb_schema *schema;     /* borrowed snapshot */
	struct pb_stmt_cache *stmts;        /* borrowed: worker's cache over its read connection (stmts->db) */
	const struct pb_request_info *req;  /* borrowed: who asks (auth, superuser, query, headers, context) */
	struct pb_filter_cache *filters;    /* borrowed, optional: the calling thread's memo of compiled
	                                     * rules (collections/filter_cache.h); NULL = none */
};

#endif
