/* settings_store — reading and writing the `_params` "settings" row (see settings.h).
 * Mirrors BaseApp.ReloadSettings / Settings.loadParam (try the value as JSON first; if that
 * fails and a key is set, decrypt and decode again) and Settings.DBExport (the JSON bytes as a
 * BLOB, or the encrypted base64 string as TEXT; `created` only on insert, `updated` always). */
#include <stdlib.h>
#include <string.h>

#include "core/aesgcm.h"
#include "core/datetime.h"
#include "core/settings.h"
#include "core/settings_defaults.h"
#include "core/settings_internal.h"

/* json.Unmarshal(value, &settings) onto fresh defaults: 0 and *out on success. Go accepts any
 * single JSON value: null changes nothing, an object is applied, anything else is an error. */
static int decode_onto_defaults(const char *value, size_t len, struct pb_settings **out)
{
	json_t *doc = json_loadb(value, len, JSON_DECODE_ANY, NULL);
	if (!doc)
		return -1;
	struct pb_settings *s = pb_settings_new_defaults();
	int rc = pb_settings_fields_decode(s, pb_settings_table, doc);
	json_decref(doc);
	if (rc != 0) {
		pb_settings_unref(s);
		return -1;
	}
	pb_settings_seal(s);
	*out = s;
	return 0;
}

struct pb_settings *pb_settings_load(sqlite3 *db, const char *enc_key, bool *missing, struct pb_error *err)
{
	static const char sql[] = "SELECT `value` FROM `_params` WHERE `id` = ?";
	sqlite3_stmt *st = NULL;
	struct pb_settings *s = NULL;
	if (missing)
		*missing = false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		pb_error_set(err, 500, "failed to read the settings: %s", sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, PB_SETTINGS_PARAM_ID, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		if (missing)
			*missing = true;
		s = pb_settings_new_defaults();
		goto done;
	}
	if (rc != SQLITE_ROW) {
		pb_error_set(err, 500, "failed to read the settings: %s", sqlite3_errmsg(db));
		goto done;
	}
	const char *value = sqlite3_column_blob(st, 0);
	size_t len = (size_t)sqlite3_column_bytes(st, 0);
	if (!value)
		value = "", len = 0;
	if (decode_onto_defaults(value, len, &s) == 0)
		goto done;
	if (!enc_key || !*enc_key) {
		pb_error_set(err, 500, "invalid settings db data or missing encryption key");
		goto done;
	}
	size_t plain_len = 0;
	unsigned char *plain = pb_aesgcm_decrypt(value, len, enc_key, &plain_len, err);
	if (!plain)
		goto done;
	if (decode_onto_defaults((const char *)plain, plain_len, &s) != 0)
		pb_error_set(err, 500, "invalid settings db data");
	free(plain);
done:
	sqlite3_finalize(st);
	return s;
}

static int exec_bound(sqlite3 *db, const char *sql, const char *value, size_t len, bool as_text, const char *now,
                      struct pb_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "failed to save the settings: %s", sqlite3_errmsg(db));
	if (as_text)
		sqlite3_bind_text(st, 1, value, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_blob(st, 1, value, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, PB_SETTINGS_PARAM_ID, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		pb_error_set(err, 500, "failed to save the settings: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

int pb_settings_save(sqlite3 *db, const struct pb_settings *s, const char *enc_key, struct pb_error *err)
{
	static const char update_sql[] = "UPDATE `_params` SET `value` = ?1, `updated` = ?2 WHERE `id` = ?3";
	static const char insert_sql[] =
		"INSERT INTO `_params` (`id`, `value`, `created`, `updated`) VALUES (?3, ?1, ?2, ?2)";
	char *json = pb_settings_dump(s);
	char *value = json;
	bool encrypted = enc_key && *enc_key;
	int rc = -1;
	if (encrypted && !(value = pb_aesgcm_encrypt(json, strlen(json), enc_key, err)))
		goto done;
	size_t len = strlen(value);
	if (len > 0x7fffffff) {
		pb_error_set(err, 500, "failed to save the settings: document too large");
		goto done;
	}
	char now[PB_DATETIME_LEN + 1];
	pb_datetime_format(pb_now_ms(), now);
	rc = exec_bound(db, update_sql, value, len, encrypted, now, err);
	if (rc == 0 && sqlite3_changes(db) == 0)
		rc = exec_bound(db, insert_sql, value, len, encrypted, now, err);
done:
	if (value != json)
		free(value);
	free(json);
	return rc;
}
