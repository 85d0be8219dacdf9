// server_basics.test.mjs — health, routing fallbacks, CORS, security headers, collections
// read endpoints and their auth ladder, and a fresh pb_data created from nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('health', async () => {
  const r = await raw(srv.url, '/api/health');
  assert.equal(r.status, 200);
  assert.equal(r.body, '{"message":"API is healthy.","code":200,"data":{}}\n');
  assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-xss-protection'), '1; mode=block');
  assert.equal(r.headers.get('vary'), 'Origin');
  const su = await raw(srv.url, '/api/health', { headers: { Authorization: tokens.superuser } });
  assert.equal(su.body, '{"message":"API is healthy.","code":200,"data":{"canBackup":true,"possibleProxyHeader":"","realIP":"127.0.0.1"}}\n');
  const pb = new PocketBase(srv.url);
  assert.equal((await pb.health.check()).code, 200);
});

test('unknown routes', async () => {
  let r = await raw(srv.url, '/api/nope', { method: 'POST' });
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"The requested resource wasn\'t found.","status":404}\n');
  r = await raw(srv.url, '/api/nope');
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"File not found.","status":404}\n');
  r = await raw(srv.url, '/_');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/_/');
});

test('dashboard extensions script: empty, JavaScript, with the /_ group headers', async () => {
  const r = await raw(srv.url, '/_/extensions.js');
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
  assert.equal(r.headers.get('content-type'), 'text/javascript');
  assert.equal(r.headers.get('cache-control'), 'max-age=1209600, stale-while-revalidate=86400');
  assert.match(r.headers.get('content-security-policy'), /^default-src 'self';.*frame-ancestors 'none'$/);
});

test('CORS preflight and simple requests', async () => {
  let r = await raw(srv.url, '/api/collections/demo2/records', {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  assert.equal(r.status, 204);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.equal(r.headers.get('access-control-allow-methods'), 'GET,HEAD,PUT,PATCH,POST,DELETE');
  assert.equal(r.headers.get('access-control-allow-headers'), 'authorization,content-type');
  assert.equal(r.headers.get('x-frame-options'), null);
  r = await raw(srv.url, '/api/health', { headers: { Origin: 'https://x.example' } });
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
});

test('collections endpoints: auth ladder and content', async () => {
  let r = await raw(srv.url, '/api/collections');
  assert.equal(r.status, 401);
  assert.equal(r.body, '{"data":{},"message":"The request requires valid record authorization token.","status":401}\n');
  r = await raw(srv.url, '/api/collections', { headers: { Authorization: tokens.user } });
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The authorized record is not allowed to perform this action.","status":403}\n');
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  const list = await pb.collections.getList(1, 30);
  assert.equal(list.totalItems, 16);
  const demos = await pb.collections.getFullList({ filter: "name ~ 'demo'", sort: 'name' });
  assert.deepEqual(demos.map((c) => c.name), ['demo1', 'demo2', 'demo3', 'demo4', 'demo5']);
  const users = await pb.collections.getOne('users');
  assert.equal(users.id, '_pb_users_auth_');
  assert.equal(users.authToken.secret, undefined, 'token secrets are never returned');
  assert.ok(Array.isArray(users.oauth2.providers));
  assert.ok(users.oauth2.providers.every((p) => !('clientSecret' in p)));
  r = await raw(srv.url, '/api/collections/demo2', { headers: { Authorization: tokens.superuser } });
  assert.match(r.body, /^\{"id":"sz5l5z67tg7gku0","listRule":"","viewRule":"","createRule":/);
  r = await raw(srv.url, '/api/collections/missing', { headers: { Authorization: tokens.superuser } });
  assert.equal(r.status, 404);
});

test('a fresh pb_data is created and served', async () => {
  const fresh = await startServer({ fixture: false });
  try {
    const pb = new PocketBase(fresh.url);
    const r = await raw(fresh.url, '/api/collections/users/records');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"items":[],"page":1,"perPage":30,"totalItems":0,"totalPages":0}\n');
    const su = await raw(fresh.url, '/api/collections/_superusers/records');
    assert.equal(su.status, 403);
    assert.equal((await pb.health.check()).message, 'API is healthy.');
  } finally {
    await fresh.stop();
  }
});
