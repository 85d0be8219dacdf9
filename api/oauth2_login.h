/* oauth2_login — the state of one auth-with-oauth2 request while it hops between the worker
 * loop, the blocking pool and the writer (see api/record_auth_with_oauth2.c for the order).
 * Owned by the request's flow from pb_oauth2_login_start until the answer is sent. */
#ifndef POCKETC_API_OAUTH2_LOGIN_H
#define POCKETC_API_OAUTH2_LOGIN_H

#include <jansson.h>
#include <stdbool.h>

#include "api/http.h"
#include "collections/oauth2_submit.h"
#include "collections/record_save.h"
#include "core/mime.h"
#include "core/oauth2.h"

struct pb_oauth2_login {
	struct pb_req *req;                /* the exchange (async until answered) */
	const struct pb_collection *c;     /* borrowed from req->schema */
	struct pb_oauth2_provider provider;
	char *code, *verifier;             /* verifier NULL when the provider does not use PKCE */
	char *mfa_id, *auth_id;            /* auth_id: the requester's record of c, or NULL */
	json_t *create_data;               /* owned object or NULL */

	struct pb_oauth2_token token;
	struct pb_oauth2_user user;
	const char *fail_message;          /* a failed pool step: its 400 message */

	/* sign-up */
	json_t *payload;                   /* owned: the create body */
	const char *avatar_field;          /* the mapped file field to download into, or NULL */
	unsigned char *avatar;             /* owned downloaded bytes */
	size_t avatar_len;
	char *avatar_name;
	struct pb_save_upload upload;
	struct pb_mime avatar_mime;
	bool has_save;
	struct pb_record_save save;

	char *random_hash;                 /* bcrypt of a random password for an unverified record */
	struct pb_oauth2_submit submit;
};

/* A new login for req on auth collection c (borrowed). */
struct pb_oauth2_login *pb_oauth2_login_new(struct pb_req *req, const struct pb_collection *c);
void pb_oauth2_login_free(struct pb_oauth2_login *l);
/* Marks req async and runs the flow; the login is freed once the request is answered. */
void pb_oauth2_login_start(struct pb_oauth2_login *l);

#endif
