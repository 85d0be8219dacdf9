// auth_refresh.test.mjs — auth-refresh and impersonate: new tokens for refreshable ones, the same
// token back for static ones, the same-collection requirement, forged / expired / other-type
// tokens treated as guests (401), superuser-only impersonation with custom durations, and the
// authRule applied on refresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens, claims } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const post = (body, token) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
  body: body === undefined ? undefined : JSON.stringify(body),
});

// from PocketBase's record_auth_refresh_test.go
const STATIC_USER = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1dGhfIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6ZmFsc2V9.4IsO6YMsR19crhwl_YWzvRH8pfq2Ri4Gv2dzGyneLak';
const UNVERIFIED_CLIENT = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6Im8xeTBkZDBzcGQ3ODZtZCIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoidjg1MXE0cjc5MHJoa25sIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.Zi0yXE-CNmnbTdVaQEzYZVuECqRdn3LgEM6pmB3XWBE';
const EXPIRED_USER = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1dGhfIiwiZXhwIjoxNjQwOTkxNjYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.2D3tmqPn3vc5LoqqCz8V-iCDVXo9soYiH0d32G7FQT4';
const USER_PASSWORD_RESET = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsImV4cCI6MjUyNDYwNDQ2MSwidHlwZSI6InBhc3N3b3JkUmVzZXQiLCJjb2xsZWN0aW9uSWQiOiJfcGJfdXNlcnNfYXV0aF8iLCJlbWFpbCI6InRlc3RAZXhhbXBsZS5jb20ifQ.xR-xq1oHDy0D8Q4NDOAEyYKGHWd_swzoiSoL8FLFBHY';

const requiresAuth = '{"data":{},"message":"The request requires valid record authorization token.","status":401}\n';

test('refresh renews a refreshable token, with expand and fields', async () => {
  const r = await raw(srv.url, '/api/collections/users/auth-refresh?expand=rel,missing', post(undefined, tokens.user));
  assert.equal(r.status, 200);
  const body = JSON.parse(r.body);
  assert.notEqual(body.token, tokens.user);
  const c = claims(body.token);
  assert.equal(c.id, '4q1xlclmfloku33');
  assert.equal(c.refreshable, true);
  assert.ok(Math.abs(c.exp - (Date.now() / 1000 + 1209600)) < 30);
  assert.equal(body.record.email, 'test@example.com');
  assert.equal(body.record.expand.rel.id, 'llvuca81nly1qls');
  assert.equal(body.record.expand.missing, undefined);

  // through the SDK: the store gets the new token
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.user2, null);
  const auth = await pb.collection('users').authRefresh();
  assert.equal(auth.record.id, 'oap640cot4yru2s');
  assert.equal(pb.authStore.token, auth.token);
  assert.equal(pb.authStore.record.email, 'test2@example.com');

  const f = await raw(srv.url, '/api/collections/users/auth-refresh?fields=record.id', post(undefined, tokens.user));
  assert.equal(f.body, '{"record":{"id":"4q1xlclmfloku33"}}\n');
});

test('a static token is returned unchanged', async () => {
  const r = await raw(srv.url, '/api/collections/users/auth-refresh', post(undefined, STATIC_USER));
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).token, STATIC_USER);
});

test('refresh requires a valid token of the same collection', async () => {
  let r = await raw(srv.url, '/api/collections/users/auth-refresh', post());
  assert.equal(r.status, 401);
  assert.equal(r.body, requiresAuth);
  // forged signature, expired, wrong token type: all guests
  const forged = tokens.user.slice(0, -3) + (tokens.user.endsWith('abc') ? 'xyz' : 'abc');
  for (const t of [forged, EXPIRED_USER, USER_PASSWORD_RESET, 'Bearer ' + forged, 'garbage']) {
    r = await raw(srv.url, '/api/collections/users/auth-refresh', post(undefined, t));
    assert.equal(r.status, 401, t);
    assert.equal(r.body, requiresAuth);
  }
  // "Bearer " is accepted in front of a valid token
  r = await raw(srv.url, '/api/collections/users/auth-refresh', post(undefined, 'Bearer ' + tokens.user));
  assert.equal(r.status, 200);
  r = await raw(srv.url, '/api/collections/clients/auth-refresh', post(undefined, tokens.user));
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The request requires auth record from users collection.","status":403}\n');
  r = await raw(srv.url, '/api/collections/users/auth-refresh', post(undefined, tokens.superuser));
  assert.equal(r.body, '{"data":{},"message":"The request requires auth record from _superusers collection.","status":403}\n');
  r = await raw(srv.url, '/api/collections/missing/auth-refresh', post(undefined, tokens.user));
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid collection context.","status":404}\n');
  // the authRule still applies (clients: verified = true)
  r = await raw(srv.url, '/api/collections/clients/auth-refresh', post(undefined, UNVERIFIED_CLIENT));
  assert.equal(r.status, 403);
  assert.match(r.body, /doesn't satisfy the collection requirements to authenticate/);
  r = await raw(srv.url, '/api/collections/clients/auth-refresh', post(undefined, tokens.client));
  assert.equal(r.status, 200);
});

test('impersonate', async () => {
  let r = await raw(srv.url, '/api/collections/users/impersonate/4q1xlclmfloku33', post({ duration: 100 }, tokens.superuser));
  assert.equal(r.status, 200);
  const body = JSON.parse(r.body);
  assert.equal(body.record.id, '4q1xlclmfloku33');
  assert.equal(body.record.tokenKey, undefined);
  const c = claims(body.token);
  assert.equal(c.refreshable, false);
  assert.ok(Math.abs(c.exp - (Date.now() / 1000 + 100)) < 5);
  // the impersonation token authenticates as the user and is not renewed
  const again = await raw(srv.url, '/api/collections/users/auth-refresh', post(undefined, body.token));
  assert.equal(JSON.parse(again.body).token, body.token);
  const view = await raw(srv.url, '/api/collections/users/records/4q1xlclmfloku33', { headers: { Authorization: body.token } });
  assert.equal(view.status, 200);

  // no duration: the collection's auth token duration
  r = await raw(srv.url, '/api/collections/users/impersonate/4q1xlclmfloku33', post(undefined, tokens.superuser));
  assert.ok(Math.abs(claims(JSON.parse(r.body).token).exp - (Date.now() / 1000 + 1209600)) < 30);

  r = await raw(srv.url, '/api/collections/users/impersonate/4q1xlclmfloku33', post({ duration: -1 }, tokens.superuser));
  assert.equal(r.body, '{"data":{"duration":{"code":"validation_min_greater_equal_than_required",' +
    '"message":"Must be no less than 0.","params":{"threshold":0}}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/impersonate/missing', post(undefined, tokens.superuser));
  assert.equal(r.status, 404);
  r = await raw(srv.url, '/api/collections/demo1/impersonate/x', post(undefined, tokens.superuser));
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid auth collection context.","status":404}\n');
  r = await raw(srv.url, '/api/collections/users/impersonate/4q1xlclmfloku33', post(undefined, tokens.user));
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The authorized record is not allowed to perform this action.","status":403}\n');
  r = await raw(srv.url, '/api/collections/users/impersonate/4q1xlclmfloku33', post());
  assert.equal(r.body, requiresAuth);

  // the SDK's impersonate returns a client authenticated as the record
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  const imp = await pb.collection('users').impersonate('oap640cot4yru2s', 60);
  assert.equal(imp.authStore.record.id, 'oap640cot4yru2s');
  const me = await imp.collection('users').getOne('oap640cot4yru2s');
  assert.equal(me.email, 'test2@example.com');
});
