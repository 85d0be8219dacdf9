// forward_auth.test.mjs — pocketc's forward auth (--forwardAuthHeader/--forwardAuthProxies/
// --forwardAuthCollection/--forwardAuthCreate): a request from a trusted proxy address with
// the header is authenticated as that email's record (rules, superuser routes, the activity
// log); a valid Authorization token wins; unknown emails stay guests unless creation is on,
// then one record is created (concurrent first requests included) and the request, body and
// all, goes on as that record; from an untrusted address the header is ignored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens, binary } from './helpers.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });
async function start(args) {
  const s = await startServer({ args });
  servers.push(s);
  return s;
}
const asEmail = (email, extra = {}) => ({ headers: { 'Remote-Email': email, ...extra } });
const TEST1 = '/api/collections/users/records/4q1xlclmfloku33'; // viewRule: id = @request.auth.id
const TEST2 = '/api/collections/users/records/oap640cot4yru2s';

test('--help documents the flags', () => {
  const out = execFileSync(binary, ['serve', '--help']).toString();
  for (const f of ['--forwardAuthHeader', '--forwardAuthProxies', '--forwardAuthCollection', '--forwardAuthCreate'])
    assert.ok(out.includes(f), f);
});

test('trusted proxy: the header authenticates as the record with that email', async () => {
  const srv = await start(['--forwardAuthHeader=Remote-Email', '--forwardAuthProxies=10.0.0.0/8,127.0.0.1']);
  assert.equal((await raw(srv.url, TEST1)).status, 404); // guest
  let r = await raw(srv.url, TEST1, asEmail('test@example.com'));
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).email, 'test@example.com');
  assert.equal((await raw(srv.url, TEST1, asEmail('TEST@Example.com'))).status, 200); // case-insensitive
  assert.equal((await raw(srv.url, TEST1, asEmail('test2@example.com'))).status, 404);
  assert.equal((await raw(srv.url, TEST2, asEmail('test2@example.com'))).status, 200);
  // unknown email, no --forwardAuthCreate: a guest, nothing created
  assert.equal((await raw(srv.url, TEST1, asEmail('nobody@example.com'))).status, 404);
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  assert.equal((await pb.collection('users').getList(1, 1, { filter: 'email = "nobody@example.com"' })).totalItems, 0);
  // a valid token wins over the header; an invalid one does not
  assert.equal((await raw(srv.url, TEST1, asEmail('test@example.com', { Authorization: tokens.user2 }))).status, 404);
  assert.equal((await raw(srv.url, TEST2, asEmail('test@example.com', { Authorization: tokens.user2 }))).status, 200);
  assert.equal((await raw(srv.url, TEST1, asEmail('test@example.com', { Authorization: 'invalid' }))).status, 200);
  // auth-refresh hands the forward-authenticated user a regular token of the record
  r = await raw(srv.url, '/api/collections/users/auth-refresh', { method: 'POST', ...asEmail('test@example.com') });
  assert.equal(r.status, 200);
  const { token, record } = JSON.parse(r.body);
  assert.equal(record.id, '4q1xlclmfloku33');
  assert.equal((await raw(srv.url, TEST1, { headers: { Authorization: token } })).status, 200);
  // a forward-authenticated user is no superuser
  r = await raw(srv.url, '/api/settings', asEmail('test@example.com'));
  assert.equal(r.status, 403);
  // the activity log sees the record
  await pb.settings.update({ logs: { logAuthId: true } });
  await raw(srv.url, TEST1 + '?marker=fwd1', asEmail('test@example.com'));
  let entry;
  for (let i = 0; i < 40 && !entry; i++) {
    entry = (await pb.logs.getList(1, 1, { filter: 'data.url ~ "marker=fwd1"' })).items[0];
    if (!entry) await new Promise((ok) => setTimeout(ok, 250));
  }
  assert.ok(entry);
  assert.equal(entry.data.auth, 'users');
  assert.equal(entry.data.authId, '4q1xlclmfloku33');
});

test('superusers behind the proxy (--forwardAuthCollection=_superusers)', async () => {
  const srv = await start(['--forwardAuthHeader=X-Auth-Email', '--forwardAuthProxies=127.0.0.1', '--forwardAuthCollection=_superusers']);
  let r = await raw(srv.url, '/api/settings', { headers: { 'X-Auth-Email': 'test@example.com' } });
  assert.equal(r.status, 200);
  r = await raw(srv.url, '/api/settings', { headers: { 'Remote-Email': 'test@example.com' } }); // another header
  assert.equal(r.status, 401);
});

test('--forwardAuthCreate: created once, through the writer, then authenticated', async () => {
  const srv = await start(['--forwardAuthHeader=Remote-Email', '--forwardAuthProxies=127.0.0.1', '--forwardAuthCreate']);
  const pb = new PocketBase(srv.url);
  pb.autoCancellation(false);
  pb.authStore.save(tokens.superuser, null);
  // five concurrent first requests of one new user
  const first = await Promise.all(Array.from({ length: 5 }, () => raw(srv.url, '/api/health', asEmail('new.user@example.com'))));
  assert.deepEqual(first.map((r) => r.status), [200, 200, 200, 200, 200]);
  const created = await pb.collection('users').getFullList({ filter: 'email = "new.user@example.com"' });
  assert.equal(created.length, 1);
  assert.equal(created[0].verified, true);
  const view = `/api/collections/users/records/${created[0].id}`;
  assert.equal((await raw(srv.url, view)).status, 404);
  assert.equal((await raw(srv.url, view, asEmail('new.user@example.com'))).status, 200);
  // a first request with a body waits for the creation, then runs as the new record
  const r = await raw(srv.url, '/api/collections/demo2/records', {
    method: 'POST',
    headers: { 'Remote-Email': 'second@example.com', 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'by forward auth' }),
  });
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).title, 'by forward auth');
  const second = await pb.collection('users').getFirstListItem('email = "second@example.com"');
  assert.equal((await raw(srv.url, `/api/collections/users/records/${second.id}`, asEmail('second@example.com'))).status, 200);
  // a creation that fails validation leaves the request a guest
  assert.equal((await raw(srv.url, '/api/health', asEmail('not an email'))).status, 200);
  assert.equal((await pb.collection('users').getList(1, 1, { filter: 'email = "not an email"' })).totalItems, 0);
});

test('untrusted address: the header is ignored', async () => {
  // 127.0.0.1 (where the test connects from) is not in the trusted list
  const srv = await start(['--forwardAuthHeader=Remote-Email', '--forwardAuthProxies=10.0.0.0/8,192.168.1.1', '--forwardAuthCreate']);
  assert.equal((await raw(srv.url, TEST1, asEmail('test@example.com'))).status, 404);
  assert.equal((await raw(srv.url, '/api/settings', asEmail('test@example.com'))).status, 401);
  // and nothing is created for an unknown email either
  await raw(srv.url, '/api/health', asEmail('intruder@example.com'));
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  assert.equal((await pb.collection('users').getList(1, 1, { filter: 'email = "intruder@example.com"' })).totalItems, 0);
});
