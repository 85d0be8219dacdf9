/* logs_internal — the queue node of the `_logs` writer (core/logs.h), shared by logs.c and
 * logs_request.c so a request entry can be formatted straight into its queue node: one
 * allocation per entry holding the header, the message and the stored data text. */
#ifndef POCKETC_CORE_LOGS_INTERNAL_H
#define POCKETC_CORE_LOGS_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/logs.h"

struct pb_log_entry {
	struct pb_log_entry *next;
	int level;
	int64_t created_ms;
	json_t *data;     /* owned; may be NULL ({}) */
	const char *text; /* or: the stored data text, inside this allocation after the message */
	size_t text_len;
	size_t len;
	size_t alloc;     /* PB_LOG_ENTRY_BUF: a recyclable buffer of the writer's spare list; else 0 */
	char message[]; /* len bytes + NUL [+ text_len bytes + NUL] */
};

/* Bytes before `message` in an entry allocation. */
#define PB_LOG_ENTRY_HEADER offsetof(struct pb_log_entry, message)

/* The size of a recycled entry buffer: room for a typical request entry. */
#define PB_LOG_ENTRY_BUF 1024

/* A buffer of PB_LOG_ENTRY_BUF bytes for a new entry (caller owns it: it becomes the entry
 * handed to pb_logs_enqueue, or is freed with free()). Taken from the writer's spare list of
 * written entries when one is there, so the buffers circulate between the producers and the
 * writer instead of being allocated on one thread and freed on another. Never NULL. */
char *pb_logs_entry_buffer(struct pb_logs *l);

/* Queues `e` (a malloc'ed entry, taken over: freed here when it is not queued) with
 * created_ms = now. Returns what pb_logs_addn returns. */
int pb_logs_enqueue(struct pb_logs *l, struct pb_log_entry *e);

#endif
