/* auth_cleanup — expired `_mfas` / `_otps` rows (see auth_cleanup.h). */
#include "collections/auth_cleanup.h"

#include "core/datetime.h"

long long pb_auth_cleanup_expired(sqlite3 *db, const struct pb_schema *s, enum pb_auth_cleanup_kind kind,
                                  int64_t now_ms, struct pb_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM `_mfas` WHERE `collectionRef` = ?1 AND `created` < ?2",
		"DELETE FROM `_otps` WHERE `collectionRef` = ?1 AND `created` < ?2",
	};
	const char *option = kind == PB_AUTH_CLEANUP_MFA ? "mfa" : "otp";
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql[kind], -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "%s", sqlite3_errmsg(db));
	long long total = 0;
	for (size_t i = 0; i < s->ncollections; i++) {
		const struct pb_collection *c = s->collections[i];
		if (c->type != PB_COLLECTION_AUTH)
			continue;
		json_t *d = json_object_get(json_object_get(c->options, option), "duration");
		int64_t secs = json_is_number(d) ? (int64_t)json_number_value(d) : 0;
		char min_valid[PB_DATETIME_LEN + 1];
		pb_datetime_format(now_ms - secs * 1000, min_valid);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, min_valid, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			pb_error_set(err, 500, "%s", sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return -1;
		}
		total += sqlite3_changes(db);
	}
	sqlite3_finalize(st);
	return total;
}
