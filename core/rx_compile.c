/* rx_compile — the RE2-subset parser and Pike-VM code generator of core/rx (see rx.h): a
 * recursive-descent parser builds a small syntax tree, which is compiled to class / split /
 * jump / anchor / match instructions. Counted repetitions are expanded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rx_internal.h"
#include "core/text.h"

#define RX_MAX_REPEAT 1000

enum nkind { N_EMPTY, N_CLASS, N_CAT, N_ALT, N_REPEAT, N_BOL, N_EOL };

struct node {
	enum nkind kind;
	int a, b;     /* CAT/ALT: operands; REPEAT: a = child */
	int min, max; /* REPEAT; max -1 = unbounded */
	int cls;      /* CLASS */
};

struct parser {
	const char *p, *end;
	struct node *nodes;
	int nnodes, capnodes;
	struct pb_rx *rx;
	bool failed;
};

/* ---- classes ------------------------------------------------------------------------------- */

static int range_cmp(const void *a, const void *b)
{
	const struct pb_rx_range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void cls_add(struct pb_rx_cls *c, unsigned lo, unsigned hi)
{
	c->r = realloc(c->r, (c->n + 1) * sizeof *c->r);
	if (!c->r)
		abort();
	c->r[c->n].lo = lo;
	c->r[c->n].hi = hi;
	c->n++;
}

/* Sorts and merges the ranges; with `negate`, replaces them by their complement. */
static void cls_finish(struct pb_rx_cls *c, bool negate)
{
	if (c->n)
		qsort(c->r, c->n, sizeof *c->r, range_cmp);
	size_t w = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (w && c->r[i].lo <= c->r[w - 1].hi + 1) {
			if (c->r[i].hi > c->r[w - 1].hi)
				c->r[w - 1].hi = c->r[i].hi;
		} else
			c->r[w++] = c->r[i];
	}
	c->n = w;
	if (!negate)
		return;
	struct pb_rx_cls out = {NULL, 0};
	unsigned next = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->r[i].lo > next)
			cls_add(&out, next, c->r[i].lo - 1);
		next = c->r[i].hi + 1;
	}
	if (next <= PB_RX_MAX_RUNE)
		cls_add(&out, next, PB_RX_MAX_RUNE);
	free(c->r);
	*c = out;
}

static bool cls_add_perl(struct pb_rx_cls *c, char letter)
{
	struct pb_rx_cls tmp = {NULL, 0};
	switch (letter | 0x20) {
	case 'd': cls_add(&tmp, '0', '9'); break;
	case 's':
		cls_add(&tmp, '\t', '\n');
		cls_add(&tmp, '\f', '\r');
		cls_add(&tmp, ' ', ' ');
		break;
	case 'w':
		cls_add(&tmp, '0', '9');
		cls_add(&tmp, 'A', 'Z');
		cls_add(&tmp, 'a', 'z');
		cls_add(&tmp, '_', '_');
		break;
	default: return false;
	}
	cls_finish(&tmp, letter >= 'A' && letter <= 'Z');
	for (size_t i = 0; i < tmp.n; i++)
		cls_add(c, tmp.r[i].lo, tmp.r[i].hi);
	free(tmp.r);
	return true;
}

static int new_class(struct parser *ps, struct pb_rx_cls c)
{
	struct pb_rx *rx = ps->rx;
	if (rx->nclasses == rx->capclasses) {
		rx->capclasses = rx->capclasses ? rx->capclasses * 2 : 16;
		rx->classes = realloc(rx->classes, (size_t)rx->capclasses * sizeof *rx->classes);
		if (!rx->classes)
			abort();
	}
	rx->classes[rx->nclasses] = c;
	return rx->nclasses++;
}

/* ---- parser -------------------------------------------------------------------------------- */

static int new_node(struct parser *ps, enum nkind kind)
{
	if (ps->nnodes == ps->capnodes) {
		ps->capnodes = ps->capnodes ? ps->capnodes * 2 : 64;
		ps->nodes = realloc(ps->nodes, (size_t)ps->capnodes * sizeof *ps->nodes);
		if (!ps->nodes)
			abort();
	}
	struct node *n = &ps->nodes[ps->nnodes];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	return ps->nnodes++;
}

static int binary(struct parser *ps, enum nkind kind, int a, int b)
{
	int n = new_node(ps, kind);
	ps->nodes[n].a = a;
	ps->nodes[n].b = b;
	return n;
}

static int class_node(struct parser *ps, struct pb_rx_cls c)
{
	int n = new_node(ps, N_CLASS);
	ps->nodes[n].cls = new_class(ps, c);
	return n;
}

static unsigned next_rune(struct parser *ps)
{
	size_t size;
	unsigned r = pb_rx_decode_rune(ps->p, (size_t)(ps->end - ps->p), &size);
	ps->p += size;
	return r;
}

/* Parses the escape after a backslash. Either sets *rune (a single character) and returns 1,
 * or adds a Perl class to *perl and returns 2; 0 on error. */
static int parse_escape(struct parser *ps, unsigned *rune, struct pb_rx_cls *perl)
{
	if (ps->p >= ps->end)
		return 0;
	char c = *ps->p++;
	switch (c) {
	case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
		cls_add_perl(perl, c);
		return 2;
	case 't': *rune = '\t'; return 1;
	case 'n': *rune = '\n'; return 1;
	case 'r': *rune = '\r'; return 1;
	case 'f': *rune = '\f'; return 1;
	case 'v': *rune = '\v'; return 1;
	case 'a': *rune = '\a'; return 1;
	case 'x': {
		unsigned v = 0;
		if (ps->p < ps->end && *ps->p == '{') {
			ps->p++;
			int digits = 0;
			while (ps->p < ps->end && *ps->p != '}') {
				int h = pb_text_hex_value(*ps->p++);
				if (h < 0 || ++digits > 6)
					return 0;
				v = v * 16 + (unsigned)h;
			}
			if (ps->p >= ps->end || digits == 0)
				return 0;
			ps->p++;
		} else {
			if (ps->end - ps->p < 2 || pb_text_hex_value(ps->p[0]) < 0 || pb_text_hex_value(ps->p[1]) < 0)
				return 0;
			v = (unsigned)(pb_text_hex_value(ps->p[0]) * 16 + pb_text_hex_value(ps->p[1]));
			ps->p += 2;
		}
		if (v > PB_RX_MAX_RUNE)
			return 0;
		*rune = v;
		return 1;
	}
	default:
		/* Go allows escaping any ASCII punctuation; letters and digits are errors. */
		if ((unsigned char)c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9')) {
			*rune = (unsigned char)c;
			return 1;
		}
		return 0;
	}
}

static int parse_class(struct parser *ps)
{
	struct pb_rx_cls c = {NULL, 0};
	bool negate = false;
	if (ps->p < ps->end && *ps->p == '^') {
		negate = true;
		ps->p++;
	}
	bool first = true;
	while (ps->p < ps->end && (*ps->p != ']' || first)) {
		first = false;
		unsigned lo;
		if (*ps->p == '\\') {
			ps->p++;
			int k = parse_escape(ps, &lo, &c);
			if (k == 0)
				goto fail;
			if (k == 2)
				continue;
		} else
			lo = next_rune(ps);
		unsigned hi = lo;
		if (ps->end - ps->p >= 2 && ps->p[0] == '-' && ps->p[1] != ']') {
			ps->p++;
			if (*ps->p == '\\') {
				ps->p++;
				struct pb_rx_cls dummy = {NULL, 0};
				int k = parse_escape(ps, &hi, &dummy);
				free(dummy.r);
				if (k != 1)
					goto fail;
			} else
				hi = next_rune(ps);
			if (hi < lo)
				goto fail;
		}
		cls_add(&c, lo, hi);
	}
	if (ps->p >= ps->end)
		goto fail;
	ps->p++; /* ']' */
	cls_finish(&c, negate);
	return class_node(ps, c);
fail:
	free(c.r);
	ps->failed = true;
	return -1;
}

static int parse_alt(struct parser *ps);

static int parse_atom(struct parser *ps)
{
	char c = *ps->p;
	if (c == '(') {
		ps->p++;
		if (ps->end - ps->p >= 2 && ps->p[0] == '?' && ps->p[1] == ':')
			ps->p += 2;
		else if (ps->p < ps->end && *ps->p == '?') {
			ps->failed = true; /* flags and named groups are outside the subset */
			return -1;
		}
		int n = parse_alt(ps);
		if (ps->failed || ps->p >= ps->end || *ps->p != ')') {
			ps->failed = true;
			return -1;
		}
		ps->p++;
		return n;
	}
	if (c == '[') {
		ps->p++;
		return parse_class(ps);
	}
	if (c == '^') {
		ps->p++;
		return new_node(ps, N_BOL);
	}
	if (c == '$') {
		ps->p++;
		return new_node(ps, N_EOL);
	}
	struct pb_rx_cls cl = {NULL, 0};
	if (c == '.') {
		ps->p++;
		cls_add(&cl, '\n', '\n');
		cls_finish(&cl, true);
		return class_node(ps, cl);
	}
	if (c == '*' || c == '+' || c == '?' || c == ')') {
		ps->failed = true;
		return -1;
	}
	unsigned r;
	if (c == '\\') {
		ps->p++;
		int k = parse_escape(ps, &r, &cl);
		if (k == 0) {
			free(cl.r);
			ps->failed = true;
			return -1;
		}
		if (k == 2) {
			cls_finish(&cl, false);
			return class_node(ps, cl);
		}
	} else
		r = next_rune(ps);
	cls_add(&cl, r, r);
	return class_node(ps, cl);
}

/* Parses "{n}", "{n,}" or "{n,m}" at ps->p. Returns false (consuming nothing) if the text is
 * not a valid repetition, in which case Go reads the brace as a literal. */
static bool parse_braces(struct parser *ps, int *min, int *max)
{
	const char *q = ps->p + 1;
	long a = 0, b;
	int digits = 0;
	while (q < ps->end && *q >= '0' && *q <= '9' && digits < 5)
		a = a * 10 + (*q++ - '0'), digits++;
	if (!digits || q >= ps->end)
		return false;
	if (*q == '}') {
		b = a;
	} else if (*q == ',') {
		q++;
		if (q < ps->end && *q == '}')
			b = -1;
		else {
			b = 0, digits = 0;
			while (q < ps->end && *q >= '0' && *q <= '9' && digits < 5)
				b = b * 10 + (*q++ - '0'), digits++;
			if (!digits || q >= ps->end || *q != '}')
				return false;
		}
	} else
		return false;
	ps->p = q + 1;
	*min = (int)a;
	*max = (int)b;
	return true;
}

static int parse_repeat(struct parser *ps)
{
	int atom = parse_atom(ps);
	bool repeated = false;
	while (!ps->failed && ps->p < ps->end) {
		int min, max;
		char c = *ps->p;
		if (c == '*')
			min = 0, max = -1, ps->p++;
		else if (c == '+')
			min = 1, max = -1, ps->p++;
		else if (c == '?')
			min = 0, max = 1, ps->p++;
		else if (c == '{') {
			if (!parse_braces(ps, &min, &max))
				break;
			if (min > RX_MAX_REPEAT || max > RX_MAX_REPEAT || (max >= 0 && max < min)) {
				ps->failed = true;
				return -1;
			}
		} else
			break;
		if (repeated) {
			ps->failed = true; /* Go: invalid nested repetition operator */
			return -1;
		}
		repeated = true;
		if (ps->p < ps->end && *ps->p == '?')
			ps->p++; /* non-greedy: same language */
		int n = new_node(ps, N_REPEAT);
		ps->nodes[n].a = atom;
		ps->nodes[n].min = min;
		ps->nodes[n].max = max;
		atom = n;
	}
	return atom;
}

static int parse_cat(struct parser *ps)
{
	int acc = new_node(ps, N_EMPTY);
	while (!ps->failed && ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
		int r = parse_repeat(ps);
		if (ps->failed)
			return -1;
		acc = binary(ps, N_CAT, acc, r);
	}
	return acc;
}

static int parse_alt(struct parser *ps)
{
	int acc = parse_cat(ps);
	while (!ps->failed && ps->p < ps->end && *ps->p == '|') {
		ps->p++;
		int r = parse_cat(ps);
		acc = binary(ps, N_ALT, acc, r);
	}
	return acc;
}

/* ---- compiler ------------------------------------------------------------------------------ */

static int emit(struct pb_rx *rx, enum pb_rx_op op)
{
	if (rx->nprog == rx->capprog) {
		rx->capprog = rx->capprog ? rx->capprog * 2 : 256;
		rx->prog = realloc(rx->prog, (size_t)rx->capprog * sizeof *rx->prog);
		if (!rx->prog)
			abort();
	}
	struct pb_rx_inst *in = &rx->prog[rx->nprog];
	memset(in, 0, sizeof *in);
	in->op = op;
	return rx->nprog++;
}

static void gen(struct pb_rx *rx, const struct node *nodes, int n)
{
	const struct node *nd = &nodes[n];
	switch (nd->kind) {
	case N_EMPTY: break;
	case N_CLASS: {
		int pc = emit(rx, PB_RX_OP_CLASS);
		rx->prog[pc].cls = nd->cls;
		break;
	}
	case N_BOL: emit(rx, PB_RX_OP_BOL); break;
	case N_EOL: emit(rx, PB_RX_OP_EOL); break;
	case N_CAT:
		gen(rx, nodes, nd->a);
		gen(rx, nodes, nd->b);
		break;
	case N_ALT: {
		int split = emit(rx, PB_RX_OP_SPLIT);
		rx->prog[split].x = rx->nprog;
		gen(rx, nodes, nd->a);
		int jmp = emit(rx, PB_RX_OP_JMP);
		rx->prog[split].y = rx->nprog;
		gen(rx, nodes, nd->b);
		rx->prog[jmp].x = rx->nprog;
		break;
	}
	case N_REPEAT: {
		for (int i = 0; i < nd->min; i++)
			gen(rx, nodes, nd->a);
		if (nd->max < 0) {
			int split = emit(rx, PB_RX_OP_SPLIT);
			rx->prog[split].x = rx->nprog;
			gen(rx, nodes, nd->a);
			int jmp = emit(rx, PB_RX_OP_JMP);
			rx->prog[jmp].x = split;
			rx->prog[split].y = rx->nprog;
		} else if (nd->max > nd->min) {
			int opt = nd->max - nd->min;
			int *splits = malloc((size_t)opt * sizeof *splits);
			if (!splits)
				abort();
			for (int i = 0; i < opt; i++) {
				splits[i] = emit(rx, PB_RX_OP_SPLIT);
				rx->prog[splits[i]].x = rx->nprog;
				gen(rx, nodes, nd->a);
			}
			for (int i = 0; i < opt; i++)
				rx->prog[splits[i]].y = rx->nprog;
			free(splits);
		}
		break;
	}
	}
}

struct pb_rx *pb_rx_compile(const char *pattern)
{
	struct pb_rx *rx = calloc(1, sizeof *rx);
	if (!rx)
		abort();
	struct parser ps = {pattern, pattern + strlen(pattern), NULL, 0, 0, rx, false};
	int root = parse_alt(&ps);
	if (ps.failed || ps.p != ps.end) {
		free(ps.nodes);
		pb_rx_free(rx);
		return NULL;
	}
	gen(rx, ps.nodes, root);
	emit(rx, PB_RX_OP_MATCH);
	free(ps.nodes);
	return rx;
}

void pb_rx_free(struct pb_rx *rx)
{
	if (!rx)
		return;
	for (int i = 0; i < rx->nclasses; i++)
		free(rx->classes[i].r);
	free(rx->classes);
	free(rx->prog);
	free(rx);
}
