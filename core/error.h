/* error — the one error value passed through every layer.
 * Mirrors PocketBase's ApiError: an HTTP status, a message (sentenized when written to the
 * wire) and a `data` object of per-field {code, message[, params]} items. Functions that can
 * fail take a `struct pb_error *` (may be NULL when the caller does not care), return
 * 0 / -1 or pointer / NULL, and fill the error on failure. */
#ifndef POCKETC_CORE_ERROR_H
#define POCKETC_CORE_ERROR_H

#include <jansson.h>

#define PB_ERROR_MSG_MAX 512

struct pb_error {
	int status;                     /* HTTP status; 0 = no error set */
	char message[PB_ERROR_MSG_MAX]; /* raw message, sentenized on output */
	json_t *data;                   /* owned; NULL or a JSON object of field errors */
};

#define PB_ERROR_INIT {0, {0}, NULL}

/* Sets status and message (printf-style); keeps any field data already attached.
 * Always returns -1 so callers can `return pb_error_set(...)`. Safe with err == NULL. */
int pb_error_set(struct pb_error *err, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds data[field] = {code, message}; the message is stored as given (sentenize later). */
void pb_error_field(struct pb_error *err, const char *field, const char *code, const char *message);
/* Frees the data and clears the error. */
void pb_error_clear(struct pb_error *err);

/* The default message of a status (PocketBase's table: 400/401/403/404/413/429/500). */
const char *pb_error_default_message(int status);

/* PocketBase "sentenize": trims, upper-cases the first letter, appends '.' unless the text
 * ends in . ? or !. Writes into `out` (size `cap`). An empty input gives "". */
void pb_sentenize(const char *in, char *out, size_t cap);

#endif
