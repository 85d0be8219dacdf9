/* list_params — the list query parameters of a request (?page, ?perPage, ?skipTotal, ?filter,
 * ?sort) read the way PocketBase's list endpoints read them (collections/list_query.h for the
 * Go strconv rules), for the list handlers outside the record API (collections, logs). */
#ifndef POCKETC_API_LIST_PARAMS_H
#define POCKETC_API_LIST_PARAMS_H

#include "api/http.h"
#include "collections/list_query.h"

/* Fills p from req's query (filter and sort borrowed from req). Returns 0, or -1 after
 * answering the 400 of a malformed number or bool. */
int pb_api_list_params(struct pb_req *req, struct pb_list_params *p);

#endif
