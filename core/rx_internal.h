/* rx_internal — the compiled program shared by rx_compile.c (parser and code generator) and
 * rx.c (the Pike VM): rune classes as sorted, merged ranges and a flat instruction array. */
#ifndef POCKETC_CORE_RX_INTERNAL_H
#define POCKETC_CORE_RX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rx.h"

#define PB_RX_MAX_RUNE 0x10FFFFu

struct pb_rx_range {
	unsigned lo, hi;
};

struct pb_rx_cls {
	struct pb_rx_range *r;
	size_t n;
};

enum pb_rx_op { PB_RX_OP_CLASS, PB_RX_OP_SPLIT, PB_RX_OP_JMP, PB_RX_OP_BOL, PB_RX_OP_EOL, PB_RX_OP_MATCH };

struct pb_rx_inst {
	enum pb_rx_op op;
	int x, y; /* SPLIT: both targets; JMP: x */
	int cls;
};

struct pb_rx {
	struct pb_rx_inst *prog;
	int nprog, capprog;
	struct pb_rx_cls *classes;
	int nclasses, capclasses;
};

/* True when rune r is in class c (binary search over the ranges). */
bool pb_rx_cls_has(const struct pb_rx_cls *c, unsigned r);

#endif
