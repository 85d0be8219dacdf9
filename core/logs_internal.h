/* logs_internal — the queue node of the `_logs` writer (core/logs.h), shared by logs.c and
 * logs_request.c: one allocation per entry holding the header and either the message and the
 * stored data text, or — for a request entry — the raw request fields the worker copied, which
 * the writer thread formats into the message and data text (pb_logs_request_format), so the
 * request path only copies a few strings. */
#ifndef POCKETC_CORE_LOGS_INTERNAL_H
#define POCKETC_CORE_LOGS_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/logs.h"

/* The strings of a queued request entry (struct pb_request_log's, in this order). */
enum pb_log_request_field {
	PB_LOGF_METHOD, PB_LOGF_PATH, PB_LOGF_QUERY, PB_LOGF_URL, PB_LOGF_REFERER, PB_LOGF_USER_AGENT,
	PB_LOGF_AUTH_COLLECTION, PB_LOGF_AUTH_ID, PB_LOGF_USER_IP, PB_LOGF_REMOTE_IP, PB_LOGF_ERROR,
	PB_LOGF_DETAILS, /* the details as their stored JSON text */
	PB_LOGF_META,    /* the meta value as its stored JSON text */
	PB_LOGF_COUNT
};

/* The non-string fields of a queued request entry and where its strings are. */
struct pb_log_request_fields {
	double exec_time_ms;
	int status;
	bool has_exec_time, log_ip, log_auth_id;
	uint32_t absent;                /* bit f: field f is NULL */
	uint32_t at[PB_LOGF_COUNT];     /* field f: its NUL-terminated text at message + at[f] */
};

struct pb_log_entry {
	struct pb_log_entry *next;
	int level;
	int64_t created_ms;
	json_t *data;     /* owned; may be NULL ({}) */
	const char *text; /* or: the stored data text, inside this allocation after the message */
	size_t text_len;
	size_t len;
	size_t alloc;     /* PB_LOG_ENTRY_BUF: a recyclable buffer of the writer's spare list; else 0 */
	bool request;     /* message[] holds the strings of `req` (len bytes in all), not a message */
	struct pb_log_request_fields req;
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

/* The message and stored data text of a request entry (e->request), as logRequest builds
 * them: one new buffer "message\0text\0" (caller frees) with *message_len, and the text at
 * *text_at with *text_len. Never NULL. */
char *pb_logs_request_format(const struct pb_log_entry *e, size_t *message_len, size_t *text_at, size_t *text_len);

/* Queues `e` (a malloc'ed entry, taken over: freed here when it is not queued) with
 * created_ms = now. Returns what pb_logs_addn returns. */
int pb_logs_enqueue(struct pb_logs *l, struct pb_log_entry *e);

#endif
