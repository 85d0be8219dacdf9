/* field_cast — Go value conversions the field types rely on, applied to jansson values.
 * PocketBase normalises submitted values with github.com/spf13/cast (v1.10) and
 * list.ToUniqueStringSlice, and formats numbers with Go's strconv/fmt/encoding/json. These
 * helpers reproduce those rules for values decoded from JSON (string, number, bool, null,
 * array, object; a NULL pointer is Go's nil). */
#ifndef POCKETC_COLLECTIONS_FIELD_CAST_H
#define POCKETC_COLLECTIONS_FIELD_CAST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

/* cast.ToString: strings as-is, bools "true"/"false", numbers like strconv 'f' -1
 * (12, 1.5, 1e21 → "1000000000000000000000"), nil/null/arrays/objects "". Returns a malloc'd
 * string (caller frees). */
char *pb_cast_to_string(const json_t *v);
/* cast.ToFloat64: numbers, bools 1/0, strings through strconv.ParseFloat ("" or invalid → 0),
 * everything else 0. */
double pb_cast_to_float(const json_t *v);
/* cast.ToBool: bools, numbers != 0, strings through strconv.ParseBool (invalid → false). */
bool pb_cast_to_bool(const json_t *v);
/* strconv.ParseBool's accepted spellings: 1 t T TRUE true True → 1; 0 f F FALSE false False
 * → 0; anything else -1. */
int pb_go_parse_bool(const char *s);
/* strconv.ParseFloat(s, 64): decimal or hex-float syntax, inf/infinity/nan in any case,
 * no surrounding spaces. Returns false (and *out = 0) on syntax error or overflow. */
bool pb_go_parse_float(const char *s, double *out);

/* list.ToUniqueStringSlice: nil → []; a string → [s] unless "" (→ []) or it contains '[' and
 * parses as a JSON array of strings; an array → each element cast to string (an element that
 * cannot be cast, like an object, makes the whole result []); other scalars → [cast]. Empty
 * strings and duplicates are dropped (first occurrence kept). Returns a new array. */
json_t *pb_cast_unique_strings(const json_t *v);

/* Go float text. 'f': strconv.FormatFloat(v,'f',-1,64). 'v': fmt's %v (shortest 'g': exponent
 * form when the decimal exponent is < -4 or >= 6, e.g. 1e6 → "1e+06", 1e-5 → "1e-05"). 'j': encoding/json (fixed for
 * 1e-6 <= |v| < 1e21, else "1e+21" / "1e-7"). NaN/Inf give "NaN"/"+Inf"/"-Inf". */
void pb_go_format_float(double v, char mode, char *buf, size_t cap);

/* Appends Go's json.Marshal text of v: compact, HTML-escaped strings (<, >, & as \u003c…,
 * U+2028/2029 escaped), numbers as Go float64s, object keys byte-wise sorted when `sort_keys`
 * (Go maps) or in stored order otherwise. */
void pb_go_json_append(struct pb_strbuf *out, const json_t *v, bool sort_keys);
/* Same as a malloc'd string (caller frees). */
char *pb_go_json_marshal(const json_t *v, bool sort_keys);

/* Appends s quoted like Go's %q / strconv.Quote. */
void pb_go_quote(struct pb_strbuf *out, const char *s);

/* Number of Unicode code points in s (Go's len([]rune(s)): each invalid byte counts as one). */
size_t pb_utf8_runes(const char *s);

#endif
