// logs_crons_sql.test.mjs — the request activity log as seen through /api/logs (entries
// written by the batching logs writer: data keys, errors with details, what is not logged:
// CORS preflights, successful logs API calls; logIP/logAuthId/maxDays from the settings),
// /api/logs/{id} and /stats, /api/crons (built-in jobs, run now) and the SQL console
// (/api/sql via the SDK: reads, writes through the writer, rollback on error, limits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, raw, tokens, sdkClient } from './helpers.mjs';

let srv, pb;
before(async () => {
  srv = await startServer();
  pb = sdkClient(srv.url, tokens.superuser);
});
after(async () => { await srv.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls the logs list until `filter` matches `n` entries (the writer flushes every <= 3 s).
async function waitLogs(filter, n = 1, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await pb.logs.getList(1, 50, { filter, sort: 'created' });
    if (list.items.length >= n || Date.now() > deadline) return list.items;
    await sleep(250);
  }
}

test('superuser ladder of logs, crons and sql', async () => {
  for (const [method, path] of [['GET', '/api/logs'], ['GET', '/api/logs/stats'], ['GET', '/api/logs/x'],
    ['GET', '/api/crons'], ['POST', '/api/crons/x'], ['POST', '/api/sql']]) {
    let r = await raw(srv.url, path, { method });
    assert.equal(r.status, 401, path);
    r = await raw(srv.url, path, { method, headers: { Authorization: tokens.user } });
    assert.equal(r.status, 403, path);
    assert.equal(r.body, '{"data":{},"message":"The authorized record is not allowed to perform this action.","status":403}\n');
  }
});

test('requests are logged once they are answered', async () => {
  await raw(srv.url, '/api/collections/demo2/records?marker=guest1&perPage=1', { headers: { 'User-Agent': 'ua-test', Referer: 'http://ref.example/' } });
  await raw(srv.url, '/api/collections/nope/records?marker=err1', { headers: { Authorization: tokens.user } });
  await raw(srv.url, '/api/health?marker=pre1', { method: 'OPTIONS', headers: { Origin: 'http://x.example', 'Access-Control-Request-Method': 'GET' } });
  await raw(srv.url, '/api/logs?marker=ok1', { headers: { Authorization: tokens.superuser } });
  await raw(srv.url, '/api/logs/missing?marker=miss1', { headers: { Authorization: tokens.superuser } });

  const [ok] = await waitLogs('data.url ~ "marker=guest1"');
  assert.ok(ok, 'the guest request was logged');
  assert.equal(ok.message, 'GET /api/collections/demo2/records?marker=guest1&perPage=1');
  assert.equal(ok.level, 0);
  assert.deepEqual(Object.keys(ok), ['id', 'created', 'data', 'message', 'level']);
  assert.match(ok.id, /^[a-z0-9]{15}$/);
  assert.match(ok.created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof ok.data.execTime, 'number');
  const { execTime, ...rest } = ok.data;
  // the fixture has logIP off: no userIP/remoteIP
  assert.deepEqual(rest, {
    auth: '', method: 'GET', referer: 'http://ref.example/', status: 200, type: 'request',
    url: '/api/collections/demo2/records?marker=guest1&perPage=1', userAgent: 'ua-test',
  });

  const [failed] = await waitLogs('data.url ~ "marker=err1"');
  assert.equal(failed.level, 8);
  assert.equal(failed.data.status, 404);
  assert.equal(failed.data.auth, 'users');
  assert.equal(failed.data.error, 'Missing collection context.');
  assert.equal(failed.data.details, null);

  const [missing] = await waitLogs('data.url ~ "marker=miss1"');
  assert.equal(missing.level, 8, 'a failed logs API call is logged');
  const one = await pb.logs.getOne(missing.id);
  assert.deepEqual(one, missing);
  // not logged: a CORS preflight, a successful logs API call
  assert.equal((await waitLogs('data.url ~ "marker=pre1"', 1, 500)).length, 0);
  assert.equal((await waitLogs('data.url ~ "marker=ok1"', 1, 500)).length, 0);

  const stats = await pb.logs.getStats({ filter: 'data.url ~ "marker="' });
  assert.ok(stats.length >= 1);
  assert.deepEqual(Object.keys(stats[0]), ['date', 'total']);
  assert.match(stats[0].date, /^\d{4}-\d\d-\d\d \d\d:00:00\.000Z$/);
  assert.equal(stats.reduce((n, s) => n + s.total, 0), 3);
  const bad = await raw(srv.url, '/api/logs/stats?filter=' + encodeURIComponent('nope = 1'), { headers: { Authorization: tokens.superuser } });
  assert.equal(bad.body, '{"data":{},"message":"Invalid filter format.","status":400}\n');
  const view = await raw(srv.url, '/api/logs/' + ok.id, { headers: { Authorization: tokens.superuser } });
  assert.ok(view.body.startsWith(`{"id":"${ok.id}","created":"${ok.created}","data":{"auth":"","execTime":`), view.body);
  assert.ok(view.body.endsWith(`"message":"${ok.message.replace('&', '\\u0026')}","level":0}\n`), view.body);
});

test('settings.logs: logIP, logAuthId, maxDays 0', async () => {
  await pb.settings.update({ logs: { logIP: true, logAuthId: true } });
  await raw(srv.url, '/api/collections/demo2/records?marker=ip1&perPage=1', { headers: { Authorization: tokens.user } });
  const [e] = await waitLogs('data.url ~ "marker=ip1"');
  assert.equal(e.data.userIP, '127.0.0.1');
  assert.equal(e.data.remoteIP, '127.0.0.1');
  assert.equal(e.data.auth, 'users');
  assert.equal(e.data.authId, '4q1xlclmfloku33');

  // maxDays 0: logging off, and the stored logs are pruned
  await pb.settings.update({ logs: { maxDays: 0 } });
  await raw(srv.url, '/api/collections/demo2/records?marker=off1&perPage=1');
  await sleep(3500);
  const all = await pb.logs.getList(1, 1);
  assert.equal(all.totalItems, 0);
  await pb.settings.update({ logs: { maxDays: 5 } });
});

test('crons: built-in jobs and run now', async () => {
  const r = await raw(srv.url, '/api/crons', { headers: { Authorization: tokens.superuser } });
  assert.equal(r.status, 200);
  assert.equal(r.body, '[{"id":"__pbDBOptimize__","expression":"0 0 * * *"},{"id":"__pbMFACleanup__","expression":"0 * * * *"},' +
    '{"id":"__pbOTPCleanup__","expression":"0 * * * *"},{"id":"__pbLogsCleanup__","expression":"0 */6 * * *"}]\n');
  const jobs = await pb.crons.getFullList();
  assert.equal(jobs.length, 4);
  for (const j of jobs) assert.equal(await pb.crons.run(j.id), true);
  const miss = await raw(srv.url, '/api/crons/missing', { method: 'POST', headers: { Authorization: tokens.superuser } });
  assert.equal(miss.status, 404);
  assert.equal(miss.body, '{"data":{},"message":"Missing or invalid cron job.","status":404}\n');
});

test('SQL console', async () => {
  let res = await pb.sql.run('select 1');
  assert.equal(typeof res.execTime, 'number');
  assert.deepEqual({ ...res, execTime: 0 }, { execTime: 0, affectedRows: 0, columns: [{ name: '1', type: '', nullable: true }], rows: [['1']] });
  res = await pb.sql.run("select id, title, 1.5 as f from demo2 where id = 'llvuca81nly1qls'");
  assert.deepEqual(res.columns, [{ name: 'id', type: 'TEXT', nullable: true }, { name: 'title', type: 'TEXT', nullable: true }, { name: 'f', type: '', nullable: true }]);
  assert.deepEqual(res.rows, [['llvuca81nly1qls', 'test1', '1.5']]);

  res = await pb.sql.run('create table test_sql_table(id int primary key);insert into test_sql_table(id)VALUES(1)');
  assert.deepEqual({ ...res, execTime: 0 }, { execTime: 0, affectedRows: 1, columns: [], rows: [] });
  // a failing statement rolls the whole query back
  await assert.rejects(pb.sql.run('insert into test_sql_table(id) values (2); invalid'), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.response.message, 'Failed to execute query. Raw error:\nSQL logic error: near "invalid": syntax error (1).');
    return true;
  });
  res = await pb.sql.run('select count(*) as n from test_sql_table');
  assert.deepEqual(res.rows, [['1']]);
  // a read connection cannot write
  await assert.rejects(pb.sql.run('with x as (select 1) insert into test_sql_table(id) values (3)'), /readonly|read-only/i);

  let r = await raw(srv.url, '/api/sql', { method: 'POST', headers: { Authorization: tokens.superuser, 'Content-Type': 'application/json' }, body: '{"query":""}' });
  assert.equal(r.body, '{"data":{"query":{"code":"validation_required","message":"Cannot be blank."}},"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/sql', { method: 'POST', headers: { Authorization: tokens.superuser, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: 'a'.repeat(5001) }) });
  assert.equal(r.body, '{"data":{"query":{"code":"validation_length_too_long","message":"The length must be no more than 5000.","params":{"max":5000,"min":0}}},"message":"An error occurred while validating the submitted data.","status":400}\n');
  // the limit counts bytes (ozzo's Length): 4990 characters of 9980 bytes are too long, 4990 ASCII
  // characters (5000 bytes with the SQL around them) pass
  r = await raw(srv.url, '/api/sql', { method: 'POST', headers: { Authorization: tokens.superuser, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: `select '${'é'.repeat(4980)}' as id` }) });
  assert.equal(JSON.parse(r.body).data.query.code, 'validation_length_too_long');
  res = await pb.sql.run(`select '${'e'.repeat(4985)}' as id`);
  assert.equal(res.rows[0][0].length, 4985);
});
