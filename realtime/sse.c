/* sse — the SSE wire format of PocketBase's subscriptions.Message.WriteSSE
 * ("id:<clientId>\nevent:<name>\ndata:<payload>\n\n", the id always being the client id) and
 * the one place a message is queued on a client's stream. Also the small helpers the broker
 * shares (hash, clock). */
#include <time.h>

#include "realtime/realtime_internal.h"

void pb_sse_frame(struct pb_strbuf *out, const char *id, const char *name, size_t name_len, const char *data,
                  size_t data_len)
{
	pb_strbuf_puts(out, "id:");
	pb_strbuf_puts(out, id);
	pb_strbuf_puts(out, "\nevent:");
	pb_strbuf_append(out, name, name_len);
	pb_strbuf_puts(out, "\ndata:");
	pb_strbuf_append(out, data, data_len);
	pb_strbuf_puts(out, "\n\n");
}

int pb_rt_client_write(struct pb_rt_client *c, struct pb_strbuf *scratch, const char *name, size_t name_len,
                       const char *data, size_t data_len)
{
	if (c->doomed)
		return -1;
	pb_strbuf_reset(scratch);
	pb_sse_frame(scratch, c->id, name, name_len, data, data_len);
	if (c->shard->hub->t->write(c->conn, scratch->data, scratch->len) != 0) {
		c->doomed = true;
		return -1;
	}
	c->active_ms = pb_rt_now_ms();
	c->shard->stats.messages++;
	return 0;
}

uint64_t pb_rt_hash64(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int64_t pb_rt_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
