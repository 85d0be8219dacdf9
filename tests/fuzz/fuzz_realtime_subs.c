/* fuzz_realtime_subs — libFuzzer target for the subscription strings a realtime POST carries:
 * the input is split at '\n' into topics (NUL bytes kept), parsed as DefaultClient.Subscribe
 * does (url.Parse + the `options` query parameter + lenient JSON + snake_cased headers), and
 * every parsed option value must be a string; the header-name snake-caser runs on the whole
 * input too. Any crash, leak or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "realtime/realtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *topics[64];
	size_t lens[64], n = 0, start = 0;
	for (size_t i = 0; i <= size && n < 64; i++)
		if (i == size || s[i] == '\n') {
			topics[n] = s + start;
			lens[n++] = i - start;
			start = i + 1;
		}
	struct pb_rt_subs *subs = pb_rt_subs_parse(topics, lens, n);
	for (size_t i = 0; i < pb_rt_subs_count(subs); i++) {
		json_t *maps[2] = {pb_rt_subs_query(subs, i), pb_rt_subs_headers(subs, i)};
		for (int k = 0; k < 2; k++) {
			const char *key;
			json_t *v;
			json_object_foreach(maps[k], key, v)
			{
				if (!json_is_string(v))
					abort();
			}
		}
	}
	pb_rt_subs_free(subs);
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_rt_snakecase(s, size, &b);
	for (size_t i = 0; i < b.len; i++)
		if (!(b.data[i] == '_' || (b.data[i] >= '0' && b.data[i] <= '9') || (b.data[i] >= 'a' && b.data[i] <= 'z')))
			abort();
	pb_strbuf_deinit(&b);
	return 0;
}
