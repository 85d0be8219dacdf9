/* validation — building ozzo-style error items (see validation.h). */
#include "core/validation.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

json_t *pb_validation_item(const char *code, const char *message, json_t *params)
{
	size_t n = strlen(message);
	char *text = malloc(n + 2);
	if (!text)
		abort();
	pb_sentenize(message, text, n + 2);
	json_t *item = json_object();
	json_object_set_new(item, "code", json_string(code));
	json_object_set_new(item, "message", json_string(text));
	free(text);
	if (params && json_object_size(params) > 0)
		json_object_set_new(item, "params", params);
	else
		json_decref(params);
	return item;
}

json_t *pb_validation_length(int64_t min, int64_t max)
{
	char msg[96];
	const char *code;
	if (min == 0 && max > 0) {
		code = "validation_length_too_long";
		snprintf(msg, sizeof msg, "the length must be no more than %" PRId64, max);
	} else if (min > 0 && max == 0) {
		code = "validation_length_too_short";
		snprintf(msg, sizeof msg, "the length must be no less than %" PRId64, min);
	} else if (min > 0 && max > 0 && min == max) {
		code = "validation_length_invalid";
		snprintf(msg, sizeof msg, "the length must be exactly %" PRId64, min);
	} else if (min > 0 && max > 0) {
		code = "validation_length_out_of_range";
		snprintf(msg, sizeof msg, "the length must be between %" PRId64 " and %" PRId64, min, max);
	} else {
		code = "validation_length_empty_required";
		snprintf(msg, sizeof msg, "the value must be empty");
	}
	return pb_validation_item(code, msg, json_pack("{sIsI}", "max", (json_int_t)max, "min", (json_int_t)min));
}

json_t *pb_validation_min(int64_t threshold)
{
	char msg[64];
	snprintf(msg, sizeof msg, "must be no less than %" PRId64, threshold);
	return pb_validation_item(PB_VCODE_MIN, msg, json_pack("{sI}", "threshold", (json_int_t)threshold));
}

json_t *pb_validation_max(int64_t threshold)
{
	char msg[64];
	snprintf(msg, sizeof msg, "must be no greater than %" PRId64, threshold);
	return pb_validation_item(PB_VCODE_MAX, msg, json_pack("{sI}", "threshold", (json_int_t)threshold));
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *pb_validation_sorted(const json_t *tree)
{
	if (!tree)
		return NULL;
	if (json_is_array(tree)) {
		json_t *out = json_array();
		for (size_t i = 0; i < json_array_size(tree); i++)
			json_array_append_new(out, pb_validation_sorted(json_array_get(tree, i)));
		return out;
	}
	if (!json_is_object(tree))
		return json_deep_copy(tree);
	size_t n = json_object_size(tree), i = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys)
		abort();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)tree, k, v) keys[i++] = k;
	qsort(keys, n, sizeof *keys, key_cmp);
	json_t *out = json_object();
	for (i = 0; i < n; i++)
		json_object_set_new(out, keys[i], pb_validation_sorted(json_object_get(tree, keys[i])));
	free(keys);
	return out;
}

json_t *pb_validation_finish(json_t *errs)
{
	json_t *sorted = json_object_size(errs) ? pb_validation_sorted(errs) : NULL;
	json_decref(errs);
	return sorted;
}
