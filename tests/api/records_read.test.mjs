// records_read.test.mjs — the records read path through the official SDK and raw HTTP:
// list/view, paging, sort, filter, rules as guest/user/superuser, expand, fields, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, raw, tokens, sdkClient } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const client = (token) => sdkClient(srv.url, token);

test('view returns the exact record bytes', async () => {
  const r = await raw(srv.url, '/api/collections/demo2/records/llvuca81nly1qls');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.body,
    '{"active":false,"collectionId":"sz5l5z67tg7gku0","collectionName":"demo2","created":"2022-10-12 11:42:51.509Z","id":"llvuca81nly1qls","title":"test1","updated":"2022-10-12 11:42:51.509Z"}\n');
});

test('list envelope, paging and sort', async () => {
  const pb = client();
  const page = await pb.collection('demo2').getList(2, 2, { sort: 'title' });
  assert.equal(page.page, 2);
  assert.equal(page.perPage, 2);
  assert.equal(page.totalItems, 3);
  assert.equal(page.totalPages, 2);
  assert.deepEqual(page.items.map((r) => r.title), ['test3']);
  const desc = await pb.collection('demo2').getFullList({ sort: '-title' });
  assert.deepEqual(desc.map((r) => r.title), ['test3', 'test2', 'test1']);
  const r = await raw(srv.url, '/api/collections/demo2/records?perPage=1&skipTotal=1&sort=created');
  assert.match(r.body, /^\{"items":\[\{.*"title":"test1".*\}\],"page":1,"perPage":1,"totalItems":-1,"totalPages":-1\}\n$/);
});

test('perPage is clamped and page defaults', async () => {
  const r = await raw(srv.url, '/api/collections/demo2/records?perPage=5000&page=0');
  const body = JSON.parse(r.body);
  assert.equal(body.perPage, 1000);
  assert.equal(body.page, 1);
});

test('filter: comparisons, any-of, like, groups', async () => {
  const pb = client();
  const active = await pb.collection('demo2').getFullList({ filter: 'active = true', sort: 'title' });
  assert.deepEqual(active.map((r) => r.title), ['test2', 'test3']);
  const like = await pb.collection('demo2').getFullList({ filter: "title ~ 'st2'" });
  assert.deepEqual(like.map((r) => r.title), ['test2']);
  const grouped = await pb.collection('demo2').getFullList({ filter: "(title = 'test1' || title = 'test3') && active = true" });
  assert.deepEqual(grouped.map((r) => r.title), ['test3']);
  const su = client(tokens.superuser); // demo1's list rule is null: superusers only
  const anyOf = await su.collection('demo1').getFullList({ filter: "select_many:each ?= 'optionC'", sort: 'created' });
  assert.deepEqual(anyOf.map((r) => r.id), ['84nmscqy84lsi1t']);
  const viaRel = await su.collection('demo1').getFullList({ filter: "rel_one.text = 'test'", $autoCancel: false });
  assert.deepEqual(viaRel.map((r) => r.id), ['al1h9ijdeojtsjy']);
});

test('bad list parameters are 400 with the error envelope', async () => {
  for (const q of ['page=abc', 'perPage=1.5', 'skipTotal=yes', 'filter=title%20%3D', 'filter=missing%3D1', 'sort=nope', 'filter=((a']) {
    const r = await raw(srv.url, `/api/collections/demo2/records?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body, '{"data":{},"message":"Something went wrong while processing your request.","status":400}\n', q);
  }
});

test('missing collection and record', async () => {
  let r = await raw(srv.url, '/api/collections/nope/records');
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"Missing collection context.","status":404}\n');
  r = await raw(srv.url, '/api/collections/demo2/records/missing');
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"The requested resource wasn\'t found.","status":404}\n');
});

test('null rules are superuser-only; client @request/@collection filters are forbidden', async () => {
  let r = await raw(srv.url, '/api/collections/_superusers/records');
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"Only superusers can perform this action.","status":403}\n');
  r = await raw(srv.url, '/api/collections/demo2/records?filter=' + encodeURIComponent("@request.auth.id != ''"));
  assert.equal(r.status, 403);
  assert.match(r.body, /Only superusers can filter by @request\./);
  r = await raw(srv.url, '/api/collections/demo2/records?filter=' + encodeURIComponent("@collection.demo1.id != ''"));
  assert.equal(r.status, 403);
  assert.match(r.body, /Only superusers can filter by @collection\./);
  const su = await client(tokens.superuser).collection('_superusers').getFullList();
  assert.equal(su.length, 4);
});

test('null list rule is superusers only; email visibility', async () => {
  // the fixture's users collection has listRule = null and viewRule = "id = @request.auth.id"
  let r = await raw(srv.url, '/api/collections/users/records');
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"Only superusers can perform this action.","status":403}\n');
  r = await raw(srv.url, '/api/collections/users/records', { headers: { Authorization: tokens.user } });
  assert.equal(r.status, 403);
  const mine = await client(tokens.user).collection('users').getOne('4q1xlclmfloku33');
  assert.equal(mine.email, 'test@example.com'); // own record shows the email
  const all = await client(tokens.superuser).collection('users').getFullList({ sort: 'created' });
  assert.equal(all.length, 3);
  assert.ok(all.every((u) => typeof u.email === 'string'));
  assert.ok(all.every((u) => !('password' in u) && !('tokenKey' in u)));
});

test('view rule failure is a 404', async () => {
  const r = await raw(srv.url, '/api/collections/users/records/oap640cot4yru2s', { headers: { Authorization: tokens.user } });
  assert.equal(r.status, 404);
  const ok = await raw(srv.url, '/api/collections/users/records/oap640cot4yru2s', { headers: { Authorization: tokens.user2 } });
  assert.equal(ok.status, 200);
});

test('invalid tokens make a guest, Bearer prefix accepted', async () => {
  const path = '/api/collections/users/records/4q1xlclmfloku33';
  let r = await raw(srv.url, path, { headers: { Authorization: tokens.user.slice(0, -2) + 'xx' } });
  assert.equal(r.status, 404); // a guest does not pass the view rule
  r = await raw(srv.url, path, { headers: { Authorization: 'Bearer ' + tokens.user } });
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).id, '4q1xlclmfloku33');
  r = await raw(srv.url, path, { headers: { Authorization: 'garbage' } });
  assert.equal(r.status, 404);
  r = await raw(srv.url, '/api/collections/demo2/records', { headers: { Authorization: 'garbage' } });
  assert.equal(r.status, 200);
});

test('fields picks keys, also inside list items', async () => {
  let r = await raw(srv.url, '/api/collections/demo2/records/llvuca81nly1qls?fields=title,id');
  assert.equal(r.body, '{"id":"llvuca81nly1qls","title":"test1"}\n');
  r = await raw(srv.url, '/api/collections/demo2/records?sort=title&perPage=1&fields=title');
  assert.equal(r.body, '{"items":[{"title":"test1"}],"page":1,"perPage":1,"totalItems":3,"totalPages":3}\n');
});

test('expand resolves relations', async () => {
  const pb = client(tokens.superuser);
  const rec = await pb.collection('demo1').getOne('al1h9ijdeojtsjy', { expand: 'rel_one,rel_many' });
  assert.equal(rec.expand.rel_one.id, '84nmscqy84lsi1t');
  assert.deepEqual(rec.expand.rel_many.map((u) => u.id).sort(), ['4q1xlclmfloku33', 'bgs820n361vj1qd', 'oap640cot4yru2s']);
});

test('HEAD of a record has headers and no body', async () => {
  const r = await raw(srv.url, '/api/collections/demo2/records/llvuca81nly1qls', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
});

test('@request.query and @request.headers reach client filters and rules (built only when read)', async () => {
  const su = client(tokens.superuser);
  // no rule of the fixture reads them: the client filter alone asks for @request.query
  const on = await raw(srv.url, "/api/collections/demo2/records?flag=on&filter=" + encodeURIComponent("@request.query.flag = 'on'"),
    { headers: { Authorization: tokens.superuser } });
  assert.equal(JSON.parse(on.body).totalItems, 3);
  const off = await raw(srv.url, "/api/collections/demo2/records?filter=" + encodeURIComponent("@request.query.flag = 'on'"),
    { headers: { Authorization: tokens.superuser } });
  assert.equal(JSON.parse(off.body).totalItems, 0);
  // a view rule reading a header
  const demo2 = await su.collections.getOne('demo2');
  await su.collections.update('demo2', { viewRule: "@request.headers.x_token = 'abc'" });
  try {
    const ok = await raw(srv.url, '/api/collections/demo2/records/llvuca81nly1qls', { headers: { 'X-Token': 'abc' } });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /"id":"llvuca81nly1qls"/);
    const no = await raw(srv.url, '/api/collections/demo2/records/llvuca81nly1qls');
    assert.equal(no.status, 404);
  } finally {
    await su.collections.update('demo2', { viewRule: demo2.viewRule });
  }
});
