/* fuzz_fields_pick — libFuzzer target for the `fields` picker, its tokenizer, the :excerpt
 * modifier and the HTML parser. The input's first line is a `fields` expression; the rest is
 * used both as a string value (HTML for :excerpt) and, when it parses, as the JSON value
 * being picked, in single and list mode. Any crash, leak or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collections/fields_pick.h"
#include "core/json_write.h"

static void run(const char *fields, const json_t *value, bool is_list)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_fields_pick *p = pb_fields_pick_parse(fields, &err);
	pb_error_clear(&err);
	json_t *out = pb_fields_pick_apply(p, value, is_list);
	free(pb_json_dumps(out));
	json_decref(out);
	pb_fields_pick_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char *nl = memchr(s, '\n', size);
	const char *rest = nl ? nl + 1 : "";
	size_t rest_len = nl ? size - (size_t)(nl + 1 - s) : 0;
	if (nl)
		*nl = '\0';

	json_t *doc = json_object();
	json_object_set_new(doc, "h", json_stringn_nocheck(rest, rest_len)); /* bytes as they came */
	json_object_set_new(doc, "id", json_string("r1"));
	run(s, doc, false);
	run("h:excerpt(40,true),id", doc, false);
	run("*:excerpt(3)", doc, false);
	json_decref(doc);

	json_t *parsed = json_loadb(rest, rest_len, JSON_DECODE_ANY, NULL);
	if (parsed) {
		run(s, parsed, false);
		run(s, parsed, true);
		json_decref(parsed);
	}
	free(s);
	return 0;
}
