# read_fixture.sh — sourced by read_bench.sh and read_profile.sh: the read benchmark's data set.
# read_fixture BIN DIR PORT N LOGS builds a fresh pb_data in DIR (created by pocketc itself, then
# a `messages` base collection with public rules, N rows and an index on (room, created) written
# straight with sqlite3: the write path is not needed for a read benchmark). LOGS=off sets
# settings.logs.maxDays = 0 (request activity log off).
read_fixture() {
	local bin=$1 dir=$2 port=$3 n=$4 logs=$5 pid
	$bin serve --dir="$dir" --http=127.0.0.1:"$port" >/dev/null 2>&1 & pid=$!
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.05; done
	kill $pid; wait $pid 2>/dev/null || true
	sqlite3 "$dir/data.db" <<SQL
INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options, created, updated)
VALUES ('pbc_bench_msgs', 0, 'base', 'messages',
 '[{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"text3208210256","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"},{"autogeneratePattern":"","help":"","hidden":false,"id":"text1","max":0,"min":0,"name":"room","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"},{"autogeneratePattern":"","help":"","hidden":false,"id":"text2","max":0,"min":0,"name":"body","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"},{"hidden":false,"id":"autodate2990389176","name":"created","onCreate":true,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"},{"hidden":false,"id":"autodate3332085495","name":"updated","onCreate":true,"onUpdate":true,"presentable":false,"system":false,"type":"autodate"}]',
 '["CREATE INDEX \`idx_room_created\` ON \`messages\` (\`room\`, \`created\`)"]', '', '', NULL, NULL, NULL, '{}',
 strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ'));
CREATE TABLE messages (id TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, room TEXT DEFAULT '' NOT NULL, body TEXT DEFAULT '' NOT NULL, created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < $n - 1)
INSERT INTO messages SELECT printf('r%014d', i), 'room' || (i % 100), 'message body number ' || i || ' with some text',
 strftime('%Y-%m-%d %H:%M:%fZ', 1700000000 + i, 'unixepoch'), strftime('%Y-%m-%d %H:%M:%fZ', 1700000000 + i, 'unixepoch') FROM seq;
CREATE INDEX idx_room_created ON messages (room, created);
SQL
	if [ "$logs" = off ]; then
		sqlite3 "$dir/data.db" "UPDATE _params SET value = json_set(CAST(value AS TEXT), '\$.logs.maxDays', 0) WHERE id = 'settings'"
	fi
}
