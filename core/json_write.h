/* json_write — the one JSON encoder of pocketc, byte-exact with Go's encoding/json.
 * PocketBase writes every response with json.Encoder (SetEscapeHTML(true), the default):
 * compact output, `<` `>` `&` U+2028 U+2029 escaped as \u003c \u003e \u0026 \u2028 \u2029,
 * control bytes as \n \r \t \b \f (short forms, Go >= 1.22) or \u00XX (lower-case hex),
 * each invalid UTF-8 byte as \ufffd, DEL verbatim, float64 in strconv's shortest form
 * ('f' for 1e-6 <= |x| < 1e21, else 'e' with the exponent's leading zero dropped: 1e-7,
 * 1e+21). Objects are written in their stored (insertion) order: struct-backed Go values
 * keep their declaration order, map-backed ones are sorted — pb_json_sorted_copy and
 * pb_json_object_set_sorted_new help callers build the latter. */
#ifndef POCKETC_CORE_JSON_WRITE_H
#define POCKETC_CORE_JSON_WRITE_H

#include <jansson.h>
#include <stddef.h>

#include "core/strbuf.h"

/* Buffer sizes that always suffice for the two float formatters below. */
#define PB_JSON_FLOAT_MAX 32
#define PB_JSON_FLOAT_FIXED_MAX 400

/* Appends the Go encoding of `v` (borrowed) to `out`, without the trailing newline that
 * json.Encoder adds. A NULL `v` and non-finite reals (which jansson cannot normally hold and
 * Go cannot encode) are written as `null`. Never fails; aborts on out of memory. */
void pb_json_write(struct pb_strbuf *out, const json_t *v);

/* Appends `len` bytes of `s` (borrowed, need not be NUL-terminated or valid UTF-8) as a Go
 * JSON string literal, quotes included. */
void pb_json_write_string(struct pb_strbuf *out, const char *s, size_t len);

/* pb_json_write into a new malloc'd NUL-terminated string; caller frees. Never NULL. */
char *pb_json_dumps(const json_t *v);

/* Go's JSON text of a float64 into buf (cap >= PB_JSON_FLOAT_MAX): "0", "-0", "1.5", "0.1",
 * "1e+21", "1e-7", "5e-324". NaN and ±Inf (not encodable in Go) give "null". */
void pb_json_format_float(double v, char *buf, size_t cap);

/* Go's strconv.FormatFloat(v, 'f', -1, 64) into buf (cap >= PB_JSON_FLOAT_FIXED_MAX): the
 * shortest round-trip digits without an exponent ("1e21" → "1000000000000000000000"),
 * "NaN", "+Inf", "-Inf". */
void pb_json_format_float_fixed(double v, char *buf, size_t cap);

/* Go's strconv.FormatFloat(v, 'g', -1, 64) into buf (cap >= PB_JSON_FLOAT_MAX): shortest
 * digits, %e form (two-digit exponent at least) when the exponent is < -4 or >= 6: "1.5",
 * "100000", "1e+06", "1.5e-05", "NaN", "+Inf". (database/sql's float → string conversion.) */
void pb_json_format_float_general(double v, char *buf, size_t cap);

/* Sets obj[key] = value, stealing `value` (also on the no-op paths: obj not an object, NULL
 * key). An existing key keeps its position; a new key is inserted before the first key that
 * sorts after it byte-wise (later keys are moved behind it), so an object whose keys are in
 * byte-wise order stays so. Aborts on out of memory. */
void pb_json_object_set_sorted_new(json_t *obj, const char *key, json_t *value);

/* A deep copy of `v` (borrowed) in which every object's keys are in byte-wise order, as Go
 * produces when it encodes a map[string]any. Returns a new reference (NULL only for a NULL
 * `v`); aborts on out of memory. */
json_t *pb_json_sorted_copy(const json_t *v);

#endif
