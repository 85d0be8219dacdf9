/* strbuf — growable byte buffer (see strbuf.h). */
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pb_strbuf_init(struct pb_strbuf *b) { b->data = NULL, b->len = 0, b->cap = 0; }

void pb_strbuf_deinit(struct pb_strbuf *b)
{
	free(b->data);
	pb_strbuf_init(b);
}

void pb_strbuf_reset(struct pb_strbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void pb_strbuf_grow(struct pb_strbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		abort();
	p[b->len] = '\0'; /* keep the NUL invariant even for a fresh, still empty buffer */
	b->data = p;
	b->cap = cap;
}

void pb_strbuf_vprintf(struct pb_strbuf *b, const char *fmt, va_list ap)
{
	/* one formatting pass when the text fits the spare room (it nearly always does) */
	pb_strbuf_reserve(b, 63);
	size_t room = b->cap - b->len;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(b->data + b->len, room, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		pb_strbuf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void pb_strbuf_put_uint(struct pb_strbuf *b, unsigned long long v)
{
	char buf[24], *e = buf + sizeof buf, *p = e;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	pb_strbuf_append(b, p, (size_t)(e - p));
}

void pb_strbuf_printf(struct pb_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pb_strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *pb_strbuf_steal(struct pb_strbuf *b)
{
	char *p = b->data;
	if (!p) {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	}
	pb_strbuf_init(b);
	return p;
}

void pb_strbuf_put_int(struct pb_strbuf *b, long long v)
{
	if (v < 0)
		pb_strbuf_putc(b, '-');
	pb_strbuf_put_uint(b, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
}

const char *pb_strbuf_cstr(const struct pb_strbuf *b) { return b->data ? b->data : ""; }
