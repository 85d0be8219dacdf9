/* record_json — turning a stored row into PocketBase's record JSON.
 * Each column is read leniently and normalised by its field type exactly as PocketBase's
 * field PrepareValue functions do for values coming from the database (NULL → zero value,
 * bool from 1/t/true, numbers from any numeric text, single select/relation/file keeps the
 * last of several values, json text parsed or quoted, geoPoint {lon,lat}, dates in the
 * canonical "YYYY-MM-DD HH:MM:SS.mmmZ" form). Keys come out in byte-wise order (Go map
 * encoding): all visible fields plus collectionId and collectionName. */
#ifndef POCKETC_COLLECTIONS_RECORD_JSON_H
#define POCKETC_COLLECTIONS_RECORD_JSON_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "collections/collection.h"
#include "core/strbuf.h"

struct pb_record_export {
	bool show_hidden;     /* superuser view: hidden fields included */
	bool show_email;      /* auth collections: email included regardless of emailVisibility */
	bool keep_secrets;    /* internal use only: password and tokenKey kept */
	bool no_collection_keys; /* omit collectionId/collectionName (@request.auth builds add them too; keep false) */
};

/* Column index of every field of c in the result columns of st (-1 when absent).
 * Returns a malloc'd array of c->nfields ints; caller frees. */
int *pb_record_colmap(const struct pb_collection *c, sqlite3_stmt *st);
/* The same into the caller's array of c->nfields ints (borrowed). */
void pb_record_colmap_fill(const struct pb_collection *c, sqlite3_stmt *st, int *map);

/* Builds the JSON object of the current row of st. `colmap` from pb_record_colmap. Returns a
 * new reference. */
json_t *pb_record_from_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                           const struct pb_record_export *x);

/* Appends the JSON text of the object pb_record_from_row builds for the current row (the bytes
 * pb_json_write gives for it) to out (borrowed), without building it. */
void pb_record_write_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                         const struct pb_record_export *x, struct pb_strbuf *out);

/* The same, prepared once for many rows of one statement: the keys' JSON texts, the column
 * of each field and what each row shows (export `x` is copied, `colmap` too). Free with
 * pb_row_plan_free. */
struct pb_row_plan;
struct pb_row_plan *pb_row_plan_new(const struct pb_collection *c, const int *colmap, const struct pb_record_export *x);
/* Appends the JSON text of st's current row (as pb_record_write_row) to out (borrowed). */
void pb_row_plan_write(const struct pb_row_plan *p, sqlite3_stmt *st, struct pb_strbuf *out);
void pb_row_plan_free(struct pb_row_plan *p);

/* The normalised JSON value of one column for a field (new reference). */
json_t *pb_field_value_from_column(const struct pb_field *f, sqlite3_stmt *st, int col);

#endif
