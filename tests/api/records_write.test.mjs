// records_write.test.mjs — the records write path through the official SDK and raw HTTP:
// create/update/delete, rules on writes, validation errors, modifiers, uploads, cascades,
// and bad input that must change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, raw, tokens, sdkClient } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const client = (token) => sdkClient(srv.url, token);

const json = (body, extra = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...extra },
  body: JSON.stringify(body),
});

test('create, read back, update with modifiers, delete', async () => {
  const pb = client();
  const rec = await pb.collection('demo2').create({ title: 'write one', active: true });
  assert.match(rec.id, /^[a-z0-9]{15}$/);
  assert.equal(rec.title, 'write one');
  assert.equal(rec.active, true);
  assert.equal(rec.collectionName, 'demo2');
  assert.match(rec.created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(rec.created, rec.updated);
  const again = await pb.collection('demo2').getOne(rec.id);
  assert.deepEqual(again, rec);

  const upd = await pb.collection('demo2').update(rec.id, { title: 'write one b', active: false });
  assert.equal(upd.title, 'write one b');
  assert.equal(upd.active, false);
  assert.equal(upd.created, rec.created);

  assert.equal(await pb.collection('demo2').delete(rec.id), true);
  const r = await raw(srv.url, `/api/collections/demo2/records/${rec.id}`);
  assert.equal(r.status, 404);
  const d = await raw(srv.url, `/api/collections/demo2/records/${rec.id}`, { method: 'DELETE' });
  assert.equal(d.status, 404);
});

test('custom id, id conflicts and id changes', async () => {
  const pb = client();
  const rec = await pb.collection('demo2').create({ id: 'customid0000001', title: 'custom id' });
  assert.equal(rec.id, 'customid0000001');
  let r = await raw(srv.url, '/api/collections/demo2/records', json({ id: 'customid0000001', title: 'x2' }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"id":\{"code":"validation_/);
  r = await raw(srv.url, '/api/collections/demo2/records', json({ id: 'short', title: 'x3' }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"id":\{"code":"validation_min_text_constraint","message":"Must be at least 15 character\(s\)."/);
});

test('validation errors have the exact envelope and change nothing', async () => {
  const before = (await client(tokens.superuser).collection('demo2').getList(1, 1)).totalItems;
  let r = await raw(srv.url, '/api/collections/demo2/records', json({ active: true }));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{"title":{"code":"validation_required","message":"Cannot be blank."}},"message":"Failed to create record.","status":400}\n');
  // unique index on title
  r = await raw(srv.url, '/api/collections/demo2/records', json({ title: 'test1' }));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{"title":{"code":"validation_not_unique","message":"Value must be unique."}},"message":"Failed to create record.","status":400}\n');
  // unsupported content type, broken JSON
  r = await raw(srv.url, '/api/collections/demo2/records', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{},"message":"Unsupported Content-Type.","status":400}\n');
  r = await raw(srv.url, '/api/collections/demo2/records', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":' });
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).message, 'Failed to read the submitted data.');
  r = await raw(srv.url, '/api/collections/demo2/records', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[1,2]' });
  assert.equal(r.status, 400);
  const after = (await client(tokens.superuser).collection('demo2').getList(1, 1)).totalItems;
  assert.equal(after, before);
});

test('rules on writes: null rule 403, create rule 400, update/delete rule 404', async () => {
  // demo1: every write rule is null
  let r = await raw(srv.url, '/api/collections/demo1/records', json({ text: 'x' }));
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"Only superusers can perform this action.","status":403}\n');
  r = await raw(srv.url, '/api/collections/demo1/records/al1h9ijdeojtsjy', { ...json({}), method: 'PATCH' });
  assert.equal(r.status, 403);
  r = await raw(srv.url, '/api/collections/demo1/records/al1h9ijdeojtsjy', { method: 'DELETE' });
  assert.equal(r.status, 403);
  // demo4: create/update need a users auth
  r = await raw(srv.url, '/api/collections/demo4/records', json({ title: 'x' }));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{},"message":"Failed to create record.","status":400}\n');
  r = await raw(srv.url, '/api/collections/demo4/records/i9naidtvr6qsgb4', { ...json({ title: 'x' }), method: 'PATCH' });
  assert.equal(r.status, 404);
  // demo5: the create rule reads @request.body (modifiers resolved)
  r = await raw(srv.url, '/api/collections/demo5/records', json({ total: 2 }));
  assert.equal(r.status, 400);
  r = await raw(srv.url, '/api/collections/demo5/records', json({ 'total+': 3 }));
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).total, 3);
  // demo5 delete rule needs ?test
  const id = JSON.parse(r.body).id;
  r = await raw(srv.url, `/api/collections/demo5/records/${id}`, { method: 'DELETE' });
  assert.equal(r.status, 404);
  r = await raw(srv.url, `/api/collections/demo5/records/${id}?test=1`, { method: 'DELETE' });
  assert.equal(r.status, 204);
  assert.equal(r.body, '');
  // superusers bypass every rule
  const su = client(tokens.superuser);
  const made = await su.collection('demo1').create({ text: 'by superuser' });
  await su.collection('demo1').delete(made.id);
});

test('views and unknown collections cannot be written', async () => {
  let r = await raw(srv.url, '/api/collections/view1/records', json({}));
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).message, 'Unsupported collection type.');
  r = await raw(srv.url, '/api/collections/missing/records', json({}));
  assert.equal(r.status, 404);
  assert.equal(JSON.parse(r.body).message, 'Missing or invalid collection context.');
  r = await raw(srv.url, '/api/collections/missing/records/abc', { method: 'DELETE' });
  assert.equal(r.status, 404);
  assert.equal(JSON.parse(r.body).message, 'Missing collection context.');
});

test('number, select and relation modifiers through the SDK', async () => {
  const su = client(tokens.superuser);
  const rec = await su.collection('demo5').create({ total: 1, select_many: ['a'] }, { query: {} });
  const u1 = await su.collection('demo5').update(rec.id, { 'total+': 4, 'select_many+': 'b' });
  assert.equal(u1.total, 5);
  assert.deepEqual(u1.select_many, ['a', 'b']);
  const u2 = await su.collection('demo5').update(rec.id, { 'total-': 2, 'select_many-': 'a' });
  assert.equal(u2.total, 3);
  assert.deepEqual(u2.select_many, ['b']);
  await su.collection('demo5').delete(rec.id, { query: { test: 1 } });
});

test('auth records: password rules, hidden secrets, email visibility', async () => {
  const pb = client();
  let r = await raw(srv.url, '/api/collections/users/records', json({ email: 'new1@example.com', password: '1234567890' }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"passwordConfirm":\{"code":"validation_required"/);
  const rec = await pb.collection('users').create({ email: 'new1@example.com', password: '1234567890', passwordConfirm: '1234567890' });
  assert.equal(rec.email, undefined, 'email hidden from a guest (emailVisibility false)');
  assert.equal(rec.password, undefined);
  assert.equal(rec.tokenKey, undefined);
  assert.equal(rec.verified, false);
  const su = client(tokens.superuser);
  const seen = await su.collection('users').getOne(rec.id);
  assert.equal(seen.email, 'new1@example.com');
  r = await raw(srv.url, '/api/collections/users/records', json({ email: 'new1@example.com', password: '1234567890', passwordConfirm: '1234567890' }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"email":\{"code":"validation_not_unique"/);
  await su.collection('users').delete(rec.id);
});

test('multipart uploads are stored, served by name and removed with the record', async () => {
  const su = client(tokens.superuser);
  const form = new FormData();
  form.append('title', 'with files');
  form.append('files', new Blob(['hello file'], { type: 'text/plain' }), 'Hello World.txt');
  const rec = await su.collection('demo3').create(form);
  assert.equal(rec.files.length, 1);
  assert.match(rec.files[0], /^hello_world_[a-z0-9]{10}\.txt$/);
  const dir = join(srv.dir, 'storage', rec.collectionId, rec.id);
  assert.deepEqual(readdirSync(dir).filter((n) => !n.endsWith('.attrs')), [rec.files[0]]);
  const upd = await su.collection('demo3').update(rec.id, { 'files-': rec.files[0] });
  assert.deepEqual(upd.files, []);
  assert.ok(!existsSync(join(dir, rec.files[0])), 'a removed file is deleted after the commit');
  await su.collection('demo3').delete(rec.id);
  assert.ok(!existsSync(dir), 'the record dir goes with the record');
});

test('delete: required references block, cascades remove dependants', async () => {
  const su = client(tokens.superuser);
  const parent = await su.collection('demo1').create({ text: 'parent' });
  const child = await su.collection('demo1').create({ text: 'child', rel_one: parent.id });
  await su.collection('demo1').delete(parent.id);
  const reloaded = await su.collection('demo1').getOne(child.id);
  assert.equal(reloaded.rel_one, '', 'a non-cascading optional relation loses the id');
  await su.collection('demo1').delete(child.id);
});

test('create and update rules reading @request.headers / @request.query see them (built only when a rule reads them)', async () => {
  const su = client(tokens.superuser);
  const demo2 = await su.collections.getOne('demo2');
  try {
    await su.collections.update('demo2', { createRule: "@request.headers.x_token = 'abc'", updateRule: "@request.query.flag = 'on'" });
    const ok = await raw(srv.url, '/api/collections/demo2/records', json({ title: 'header rule' }, { 'X-Token': 'abc' }));
    assert.equal(ok.status, 200);
    const id = JSON.parse(ok.body).id;
    const no = await raw(srv.url, '/api/collections/demo2/records', json({ title: 'header rule' }));
    assert.equal(no.status, 400);
    const patch = (q) => raw(srv.url, `/api/collections/demo2/records/${id}${q}`, { ...json({ title: 'query rule' }), method: 'PATCH' });
    assert.equal((await patch('?flag=on')).status, 200);
    assert.equal((await patch('')).status, 404);
    // rules that read neither: the create needs no maps
    await su.collections.update('demo2', { createRule: '', updateRule: '' });
    const plain = await raw(srv.url, '/api/collections/demo2/records', json({ title: 'no maps' }));
    assert.equal(plain.status, 200);
    await su.collection('demo2').delete(id);
    await su.collection('demo2').delete(JSON.parse(plain.body).id);
  } finally {
    await su.collections.update('demo2', { createRule: demo2.createRule, updateRule: demo2.updateRule });
  }
});

test('a kept auth record follows every change of it at once: a field, a password change, a deletion', async () => {
  const own = await startServer();
  try {
    const su = sdkClient(own.url, tokens.superuser);
    await su.collections.update('demo2', { createRule: "@request.auth.name = 'kept probe'" });
    let n = 0;
    const create = () => raw(own.url, '/api/collections/demo2/records',
      json({ title: `kept auth ${++n}` }, { Authorization: tokens.user }));
    // several requests in a row with the same token: the worker keeps the record
    assert.equal((await create()).status, 400);
    assert.equal((await create()).status, 400);
    await su.collection('users').update('4q1xlclmfloku33', { name: 'kept probe' });
    assert.equal((await create()).status, 200, 'the renamed record is seen by the next request');
    assert.equal((await create()).status, 200);
    await su.collection('users').update('4q1xlclmfloku33', { password: 'another-pass-1', passwordConfirm: 'another-pass-1' });
    assert.equal((await create()).status, 400, 'a password change (new tokenKey) kills the token at once');
    const refresh = await raw(own.url, '/api/collections/users/auth-refresh', { method: 'POST', headers: { Authorization: tokens.user } });
    assert.equal(refresh.status, 401);
    // another user's token works (kept after two requests) until that record is deleted
    const refresh2 = () => raw(own.url, '/api/collections/users/auth-refresh', { method: 'POST', headers: { Authorization: tokens.user2 } });
    assert.equal((await refresh2()).status, 200);
    assert.equal((await refresh2()).status, 200);
    await su.collection('users').delete('oap640cot4yru2s');
    const gone = await refresh2();
    assert.equal(gone.status, 401, 'a deleted record authenticates no more');
  } finally {
    await own.stop();
  }
});
