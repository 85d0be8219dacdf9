/* strbuf — a growable byte buffer used for SQL text, JSON output and HTTP bodies.
 * The buffer always keeps a terminating NUL after `len` bytes so `data` can be used as
 * a C string. Allocation failure aborts (out of memory is not a recoverable state
 * for a request handler). */
#ifndef POCKETC_CORE_STRBUF_H
#define POCKETC_CORE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct pb_strbuf {
	char *data;    /* owned; NUL-terminated; may be NULL while cap == 0 */
	size_t len;
	size_t cap;
};

#define PB_STRBUF_INIT {NULL, 0, 0}

void pb_strbuf_init(struct pb_strbuf *b);
/* Frees the owned memory; the buffer may be reused after pb_strbuf_init. */
void pb_strbuf_deinit(struct pb_strbuf *b);
void pb_strbuf_reset(struct pb_strbuf *b); /* len = 0, keeps capacity */
/* Grows the buffer for `extra` more bytes (+ the NUL); the out-of-line part of reserve. */
void pb_strbuf_grow(struct pb_strbuf *b, size_t extra);

/* The hot appenders are inline: JSON and SQL writing call them per token. */
static inline void pb_strbuf_reserve(struct pb_strbuf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		pb_strbuf_grow(b, extra);
}

static inline void pb_strbuf_append(struct pb_strbuf *b, const void *data, size_t len)
{
	pb_strbuf_reserve(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static inline void pb_strbuf_puts(struct pb_strbuf *b, const char *s) { pb_strbuf_append(b, s, strlen(s)); }

static inline void pb_strbuf_putc(struct pb_strbuf *b, char c)
{
	pb_strbuf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void pb_strbuf_printf(struct pb_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pb_strbuf_vprintf(struct pb_strbuf *b, const char *fmt, va_list ap);
/* Appends the decimal digits of v (as "%lld", without printf's cost). */
void pb_strbuf_put_int(struct pb_strbuf *b, long long v);
/* Appends the decimal digits of v (no printf). */
void pb_strbuf_put_uint(struct pb_strbuf *b, unsigned long long v);
/* Returns the data (caller owns it, free()) and leaves the buffer empty. Never NULL. */
char *pb_strbuf_steal(struct pb_strbuf *b);
/* A C string view of the buffer ("" when empty); borrowed. */
const char *pb_strbuf_cstr(const struct pb_strbuf *b);

#endif
