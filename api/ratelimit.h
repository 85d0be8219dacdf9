/* ratelimit — PocketBase's settings rate limiter middlewares (apis/middlewares_rate_limit.go):
 * the global pbRateLimit (labels "<METHOD> <path>" and "<path>", limiter key = rule label +
 * audience), its collection-aware replacement on collection routes (labels
 * "<collection>:<tag>"…, "*:<tag>"…, then the global two; limiter key = collection id + route
 * pattern + tags + audience) and the inline check the record CRUD handlers make. Skipped
 * when rate limiting is disabled, for superusers and for real IPs in excludedIPs. The counters
 * live in the app's store (core/ratelimit.h), keyed by the real IP; a request over the limit
 * is answered 429 "Too Many Requests.". */
#ifndef POCKETC_API_RATELIMIT_H
#define POCKETC_API_RATELIMIT_H

#include <stdbool.h>

#include "api/router.h"
#include "collections/collection.h"

/* The middleware at its place in the chain (after security headers, before the body limit):
 * nothing for routes flagged PB_ROUTE_NO_RATE_LIMIT, the collection variant for PocketBase's
 * collection routes (file download, auth flows; the table in ratelimit.c — an unknown
 * collection is answered 404 "Missing or invalid collection context."), the global limiter
 * otherwise. Returns false when the request was answered. */
bool pb_mw_rate_limit(struct pb_req *req);

/* checkCollectionRateLimit with one tag (the record CRUD handlers' inline check). Returns
 * true when the request may go on, false after answering 429. */
bool pb_api_collection_rate_limit(struct pb_req *req, const struct pb_collection *c, const char *tag);

#endif
