/* request_info — what a rule or filter can see of the current request (`@request.*`).
 * Mirrors core.RequestInfo: context, method, headers (snake_cased lower-case names, first
 * value), query (first value), body (decoded map) and the auth record. All JSON members are
 * borrowed references owned by whoever built the struct (the HTTP layer); NULL means absent
 * (an empty object for headers/query/body, a guest for auth). */
#ifndef POCKETC_COLLECTIONS_REQUEST_INFO_H
#define POCKETC_COLLECTIONS_REQUEST_INFO_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/collection.h"

struct pb_request_info {
	const char *context;   /* "default", "expand", "realtime", … (NULL = "default") */
	const char *method;    /* "GET", … */
	json_t *headers;       /* object: snake_case name → string */
	json_t *query;         /* object: name → string */
	json_t *body;          /* object or NULL */
	json_t *auth;          /* the auth record as rules see it: every field incl. hidden ones and
	                        * email, never password/tokenKey, plus collectionId and collectionName;
	                        * NULL for a guest */
	const struct pb_collection *auth_collection; /* NULL for a guest; borrowed from the snapshot */
	bool superuser;        /* auth record is in `_superusers` */
};

#endif
