/* settings — the application settings (`_params` row "settings") as an immutable,
 * reference-counted snapshot. Mirrors core/settings_model.go and core/settings_query.go of
 * PocketBase v0.39.11:
 *   - load: the stored JSON is applied onto the defaults exactly as Go's json.Unmarshal onto
 *     the default struct (keys matched case-insensitively, unknown keys ignored, nested objects
 *     merged key by key, arrays decoded element-wise onto the existing elements, null leaves
 *     scalars alone and empties arrays); a value that is not JSON is decrypted first when an
 *     encryption key is given (AES-GCM, core/aesgcm.h);
 *   - save: the document in PocketBase's stored form — compact, Go struct order, smtp.password
 *     always present, s3.secret / backups.s3.secret only when non-empty, empty lists as [] —
 *     as a BLOB, or base64 TEXT when encrypted;
 *   - the API view (GET /api/settings): the same document without the three secrets;
 *   - merge (PATCH /api/settings body onto a copy) and validation with PocketBase's nested
 *     error tree.
 * A snapshot is never modified after it is built; a change builds a new one and publishes it
 * (like collections/schema.h). The typed fields below are read-only for every user. */
#ifndef POCKETC_CORE_SETTINGS_H
#define POCKETC_CORE_SETTINGS_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* All strings below are owned by the snapshot, NUL-terminated and never NULL. */
struct pb_settings_strlist {
	char **items;
	size_t n;
};

struct pb_settings_s3 {
	bool enabled;
	char *bucket;
	char *region;
	char *endpoint;
	char *access_key;
	char *secret;
	bool force_path_style;
};

struct pb_settings_smtp {
	bool enabled;
	int64_t port;
	char *host;
	char *username;
	char *password;
	char *auth_method; /* "", "PLAIN" or "LOGIN" ("" means PLAIN) */
	bool tls;
	char *local_name;
};

struct pb_settings_backups {
	char *cron; /* "" = no automatic backups */
	int64_t cron_max_keep;
	struct pb_settings_s3 s3;
};

struct pb_settings_meta {
	char *accent_color;
	char *app_name;
	char *app_url;
	char *sender_name;
	char *sender_address;
	bool hide_controls;
};

struct pb_settings_rate_limit_rule {
	char *label;
	char *audience; /* "", "@guest" or "@auth" */
	int64_t duration; /* seconds */
	int64_t max_requests;
};

struct pb_settings_rules {
	struct pb_settings_rate_limit_rule *items;
	size_t n;
};

struct pb_settings_rate_limits {
	struct pb_settings_rules rules;
	struct pb_settings_strlist excluded_ips;
	bool enabled;
};

struct pb_settings_trusted_proxy {
	struct pb_settings_strlist headers;
	bool use_leftmost_ip;
};

struct pb_settings_batch {
	bool enabled;
	int64_t max_requests;
	int64_t timeout;       /* seconds */
	int64_t max_body_size; /* bytes; <= 0 means PocketBase's ~128 MB fallback */
};

struct pb_settings_logs {
	int64_t max_days; /* 0 disables request logging */
	int64_t min_level;
	bool log_ip;
	bool log_auth_id;
};

struct pb_settings {
	int refcount; /* atomic */
	struct pb_settings_strlist superuser_ips;
	struct pb_settings_smtp smtp;
	struct pb_settings_backups backups;
	struct pb_settings_s3 s3;
	struct pb_settings_meta meta;
	struct pb_settings_rate_limits rate_limits;
	struct pb_settings_trusted_proxy trusted_proxy;
	struct pb_settings_batch batch;
	struct pb_settings_logs logs;
	json_t *doc; /* owned: the stored form (with secrets), built once; see pb_settings_json */
};

/* The defaults of a fresh install (newDefaultSettings). New snapshot, refcount 1. */
struct pb_settings *pb_settings_new_defaults(void);

/* Reads `_params` row "settings" of `db` (ReloadSettings on a fresh app). enc_key = the value
 * of the --encryptionEnv variable, NULL or "" for none. When the row is missing the defaults
 * are returned and *missing (may be NULL) is set to true: the caller then saves them, as
 * PocketBase does. Returns a new snapshot (refcount 1) or NULL with err set (500): "invalid
 * settings db data or missing encryption key" when the value is neither settings JSON nor
 * decryptable, the decryption or SQLite error otherwise. */
struct pb_settings *pb_settings_load(sqlite3 *db, const char *enc_key, bool *missing, struct pb_error *err);

/* Writes `s` (borrowed) into `_params`: UPDATE of value + updated, or an INSERT with created =
 * updated when the row does not exist. enc_key non-empty → encrypted base64 TEXT, else the JSON
 * as a BLOB. Does not validate (PocketBase's Save validates first: call pb_settings_validate).
 * Returns 0 or -1 with err set (500). */
int pb_settings_save(sqlite3 *db, const struct pb_settings *s, const char *enc_key, struct pb_error *err);

/* The stored form as a JSON value. Borrowed from s (valid while the caller holds s). */
const json_t *pb_settings_json(const struct pb_settings *s);

/* The stored form as the exact bytes PocketBase writes (Go encoder, no trailing newline).
 * Caller frees. */
char *pb_settings_dump(const struct pb_settings *s);

/* What GET /api/settings returns: the stored form without smtp.password, s3.secret and
 * backups.s3.secret. New reference (caller decrefs). */
json_t *pb_settings_to_api_json(const struct pb_settings *s);

/* Applies a PATCH body (borrowed JSON object, or NULL / null for "no change") onto a copy of
 * `base` as Go's json decoder does (see the top of this file); secrets absent from the body
 * keep their value, a secret given as "" is cleared (as in PocketBase). A wrong value type
 * anywhere fails the whole merge: NULL with err = 400 "An error occurred while loading the
 * submitted data." and no field data. Returns a new snapshot (refcount 1). */
struct pb_settings *pb_settings_merge(const struct pb_settings *base, const json_t *patch, struct pb_error *err);

/* Settings.PostValidate. Returns 0, or -1 with err = 400 "An error occurred while saving the
 * new settings." and err->data = the nested field errors, keys sorted, e.g.
 * {"meta":{"appName":{"code":"validation_required","message":"Cannot be blank."}}}. */
int pb_settings_validate(const struct pb_settings *s, struct pb_error *err);

/* RateLimitsConfig.FindRateLimitRule: the first rule whose label equals labels[0], else a
 * rule whose label ends in '/' and is a prefix of labels[0] + "/", then the same for
 * labels[1], … A rule only counts when its audience is one of audiences[0..naudiences)
 * (naudiences == 0: any). Returns a rule borrowed from s, or NULL. */
const struct pb_settings_rate_limit_rule *pb_settings_find_rate_limit_rule(const struct pb_settings *s,
                                                                             const char *const *labels, size_t nlabels,
                                                                             const char *const *audiences,
                                                                             size_t naudiences);

/* The collection-rename hook: a copy of `s` where each rate-limit label starting with
 * "<old_name>:" starts with "<new_name>:" instead. Returns a new snapshot, or NULL when no
 * label changes (nothing to save). */
struct pb_settings *pb_settings_rename_collection(const struct pb_settings *s, const char *old_name,
                                                  const char *new_name);

/* The encryption key of `--encryptionEnv NAME`: getenv(NAME), or NULL when NAME is NULL/empty
 * or the variable is unset or empty. Borrowed from the environment. */
const char *pb_settings_encryption_key(const char *env_name);

struct pb_settings *pb_settings_ref(struct pb_settings *s);
void pb_settings_unref(struct pb_settings *s);

/* The process-wide current snapshot. pb_settings_current() returns a new reference (caller
 * unrefs; NULL before the first publish). pb_settings_publish() steals `s` and drops the old
 * snapshot's global reference. */
struct pb_settings *pb_settings_current(void);
void pb_settings_publish(struct pb_settings *s);

#endif
