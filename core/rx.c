/* rx — matching for core/rx (see rx.h): UTF-8 decoding as Go does it, and a Pike VM that runs
 * the compiled program over the text rune by rune with two deduplicated thread lists. */
#include "core/rx.h"

#include <stdlib.h>
#include <string.h>

#include "core/rx_internal.h"

/* ---- UTF-8 --------------------------------------------------------------------------------- */

unsigned pb_rx_decode_rune(const char *str, size_t len, size_t *size)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0];
	*size = 1;
	if (c < 0x80)
		return c;
	int n;
	unsigned r, min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1, r = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2, r = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3, r = c & 0x07, min = 0x10000;
	} else
		return 0xFFFD;
	if (len < (size_t)n + 1)
		return 0xFFFD;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0xFFFD;
		r = (r << 6) | (s[i] & 0x3F);
	}
	if (r < min || r > PB_RX_MAX_RUNE || (r >= 0xD800 && r <= 0xDFFF))
		return 0xFFFD;
	*size = (size_t)n + 1;
	return r;
}

bool pb_rx_cls_has(const struct pb_rx_cls *c, unsigned r)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r < c->r[mid].lo)
			hi = mid;
		else if (r > c->r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Adds a Perl class letter (d, s, w; upper case = negated) to c. Returns false if unknown. */

/* ---- Pike VM ------------------------------------------------------------------------------- */

struct tlist {
	int *dense, *sparse;
	int n;
};

static bool tl_has(const struct tlist *l, int pc)
{
	int i = l->sparse[pc];
	return i >= 0 && i < l->n && l->dense[i] == pc;
}

static void tl_put(struct tlist *l, int pc)
{
	l->sparse[pc] = l->n;
	l->dense[l->n++] = pc;
}

/* Follows jumps, splits and anchors from pc at text position pos (of len), adding the
 * reachable CLASS / MATCH instructions to l. `stack` has room for 2 * nprog + 2 entries. */
static void add_thread(const struct pb_rx *rx, struct tlist *l, int *stack, int pc, size_t pos, size_t len)
{
	int top = 0;
	stack[top++] = pc;
	while (top) {
		pc = stack[--top];
		if (tl_has(l, pc))
			continue;
		tl_put(l, pc);
		const struct pb_rx_inst *in = &rx->prog[pc];
		switch (in->op) {
		case PB_RX_OP_JMP: stack[top++] = in->x; break;
		case PB_RX_OP_SPLIT:
			stack[top++] = in->y;
			stack[top++] = in->x;
			break;
		case PB_RX_OP_BOL:
			if (pos == 0)
				stack[top++] = pc + 1;
			break;
		case PB_RX_OP_EOL:
			if (pos == len)
				stack[top++] = pc + 1;
			break;
		case PB_RX_OP_CLASS:
		case PB_RX_OP_MATCH: break;
		}
	}
}

bool pb_rx_match(const struct pb_rx *rx, const char *s, size_t len)
{
	if (!rx)
		return false;
	int n = rx->nprog;
	/* Two sparse sets (dense + sparse arrays each) and one work stack. A pc is pushed at most
	 * once plus twice per newly added instruction, so 2n + 2 stack entries suffice. */
	int *mem = malloc((size_t)(6 * n + 2) * sizeof *mem);
	if (!mem)
		abort();
	for (int i = 0; i < 2 * n; i++)
		mem[2 * n + i] = -1; /* the sparse halves; dense halves are only read below n */
	struct tlist cur = {mem, mem + 2 * n, 0}, nxt = {mem + n, mem + 3 * n, 0};
	int *stack = mem + 4 * n;
	bool matched = false;
	size_t pos = 0;
	for (;;) {
		add_thread(rx, &cur, stack, 0, pos, len);
		for (int i = 0; i < cur.n; i++)
			if (rx->prog[cur.dense[i]].op == PB_RX_OP_MATCH) {
				matched = true;
				goto done;
			}
		if (pos >= len)
			break;
		size_t size;
		unsigned r = pb_rx_decode_rune(s + pos, len - pos, &size);
		nxt.n = 0;
		for (int i = 0; i < cur.n; i++) {
			const struct pb_rx_inst *in = &rx->prog[cur.dense[i]];
			if (in->op == PB_RX_OP_CLASS && pb_rx_cls_has(&rx->classes[in->cls], r))
				add_thread(rx, &nxt, stack, cur.dense[i] + 1, pos + size, len);
		}
		pos += size;
		struct tlist t = cur;
		cur = nxt;
		nxt = t;
	}
done:
	free(mem);
	return matched;
}

bool pb_rx_match_once(const char *pattern, const char *s, size_t len)
{
	struct pb_rx *rx = pb_rx_compile(pattern);
	bool ok = pb_rx_match(rx, s, len);
	pb_rx_free(rx);
	return ok;
}
