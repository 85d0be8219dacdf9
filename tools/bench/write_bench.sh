#!/usr/bin/env bash
# write_bench.sh — the write benchmark of pocketc: authenticated creates into a `message`
# collection guarded by a create rule (`@request.auth.id != '' && owner = @request.auth.id`),
# wrk with 1 thread and 64 keep-alive connections for SECONDS, on a copy of PocketBase's test
# fixture (its users record 4q1xlclmfloku33 and that record's pre-signed token). Prints
# creates/s with p50/p99 beside the raw SQLite ceiling measured in the same run (same row
# shape, one row per transaction, WAL, synchronous=NORMAL) and the ratio. Asserts nothing.
# Usage: tools/bench/write_bench.sh [SECONDS] (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (tools/setup.sh --tests installs it)"; exit 2; }
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
bin=build-bench/pocketc
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
dir="$work/pb_data"
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

port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
$bin serve --dir="$dir" --http=127.0.0.1:$port >/dev/null 2>&1 & pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.05; done

cat >"$work/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$token"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/collections/message/records", nil, '{"owner":"4q1xlclmfloku33","body":"message body number ' .. n .. '"}')
end
LUA
# one probe request: the rule and the record must work before measuring
probe=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $token" -H 'Content-Type: application/json' \
	-d '{"owner":"4q1xlclmfloku33","body":"probe"}' "http://127.0.0.1:$port/api/collections/message/records")
[ "$probe" = 200 ] || { echo "probe create failed with HTTP $probe"; exit 1; }

echo "pocketc write benchmark: authenticated creates under a create rule, wrk 1 thread x 64 connections, ${secs}s, $(nproc) cores"
out=$(wrk -t1 -c64 -d"${secs}s" --latency -s "$work/create.lua" "http://127.0.0.1:$port" 2>&1)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$out" | awk '$1=="50%" {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
kill $pid; wait $pid 2>/dev/null || true; pid=
rows=$(sqlite3 "$dir/data.db" "SELECT COUNT(*) FROM message")
printf "%-28s %10s req/s   p50 %-8s p99 %-8s (%s rows stored, non-2xx: %s)\n" "api-create" "$rps" "$p50" "$p99" "$rows" "${non2xx:-0}"
ceil=$(./build-bench/sqlite_write_ceiling "$work/ceiling.db" "$secs")
echo "$ceil"
c=$(echo "$ceil" | awk '{print $2}')
awk -v a="$rps" -v c="$c" 'BEGIN { printf "api-create / sqlite-1-row-txn = %.2f (target >= 1.00)\n", a / c }'
