# write_fixture.sh — the write benchmarks' data (sourced): write_fixture DIR copies PocketBase's
# test fixture to DIR, adds the `message` collection (owner relation to users, body text,
# autodates; create rule `@request.auth.id != '' && owner = @request.auth.id`, list/view rule
# `owner = @request.auth.id`) and sets token to the fixture user 4q1xlclmfloku33's pre-signed
# token from tests/api/helpers.mjs.

write_fixture() {
	local dir=$1
	cp -r ../shared/fixtures/pb-testdata "$dir"
	chmod -R u+w "$dir"
	token=$(grep -o "^  user: '[^']*'" tests/api/helpers.mjs | cut -d"'" -f2)

	sqlite3 "$dir/data.db" <<'SQL'
INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options, created, updated)
VALUES ('pbc_bench_message', 0, 'base', 'message',
 '[{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"text3208210256","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"},{"cascadeDelete":false,"collectionId":"_pb_users_auth_","help":"","hidden":false,"id":"relation1","maxSelect":1,"minSelect":0,"name":"owner","presentable":false,"required":true,"system":false,"type":"relation"},{"autogeneratePattern":"","help":"","hidden":false,"id":"text2","max":0,"min":0,"name":"body","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"},{"hidden":false,"id":"autodate2990389176","name":"created","onCreate":true,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"},{"hidden":false,"id":"autodate3332085495","name":"updated","onCreate":true,"onUpdate":true,"presentable":false,"system":false,"type":"autodate"}]',
 '["CREATE INDEX `idx_message_owner` ON `message` (`owner`)"]',
 'owner = @request.auth.id', 'owner = @request.auth.id', '@request.auth.id != '''' && owner = @request.auth.id', NULL, NULL, '{}',
 strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ'));
CREATE TABLE `message` (`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, `owner` TEXT DEFAULT '' NOT NULL, `body` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL);
CREATE INDEX `idx_message_owner` ON `message` (`owner`);
SQL
}
