// auth_password.test.mjs — auth-methods and auth-with-password through the official SDK and raw
// HTTP on the fixture: identity fields, wrong/unknown credentials (same 400, no enumeration),
// validation, the authRule, disabled password auth, MFA (401 {"mfaId"} then a second method),
// expand/fields on the auth response, login origins, and the superuser IP whitelist (set with
// `pocketc superuser ips` before start).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens, binary, claims, dbQuery, waitForMails, mailbox } from './helpers.mjs';

let srv, box;
before(async () => { box = mailbox(); srv = await startServer({ env: box.env }); });
after(async () => { await srv.stop(); box.remove(); });

const post = (body, headers = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

function client() {
  const pb = new PocketBase(srv.url);
  pb.autoCancellation(false);
  return pb;
}

test('auth-methods', async () => {
  let r = await raw(srv.url, '/api/collections/nologin/auth-methods');
  assert.equal(r.status, 200);
  assert.equal(r.body,
    '{"password":{"identityFields":[],"enabled":false},"oauth2":{"providers":[],"enabled":false},' +
    '"mfa":{"enabled":false,"duration":0},"otp":{"enabled":false,"duration":0},' +
    '"authProviders":null,"usernamePassword":false,"emailPassword":false}\n');
  const methods = await client().collection('users').listAuthMethods();
  assert.deepEqual(methods.password, { enabled: true, identityFields: ['email', 'username'] });
  assert.deepEqual(methods.mfa, { duration: 1800, enabled: true });
  assert.deepEqual(methods.otp, { duration: 300, enabled: true });
  assert.equal(methods.oauth2.enabled, true);
  r = await raw(srv.url, '/api/collections/clients/auth-methods?fields=password');
  assert.equal(r.body, '{"password":{"enabled":true,"identityFields":["email","username"]}}\n');
  r = await raw(srv.url, '/api/collections/missing/auth-methods');
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid collection context.","status":404}\n');
  r = await raw(srv.url, '/api/collections/demo1/auth-methods');
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid auth collection context.","status":404}\n');
});

test('password login by username and by email', async () => {
  const pb = client();
  const auth = await pb.collection('clients').authWithPassword('clients57772', '1234567890');
  assert.equal(auth.record.id, 'gk390qegs4y47wn');
  assert.equal(auth.record.email, 'test@example.com', 'own email is always shown');
  assert.equal(auth.record.emailVisibility, false);
  assert.equal(auth.record.password, undefined);
  assert.equal(auth.record.tokenKey, undefined);
  const c = claims(auth.token);
  assert.deepEqual(Object.keys(c), ['collectionId', 'exp', 'id', 'refreshable', 'type']);
  assert.equal(c.type, 'auth');
  assert.equal(c.collectionId, 'v851q4r790rhknl');
  assert.equal(c.refreshable, true);
  assert.ok(Math.abs(c.exp - (Date.now() / 1000 + 1209600)) < 30);
  assert.ok(pb.authStore.isValid);

  // the token works, e.g. for a refresh
  const again = await pb.collection('clients').authRefresh();
  assert.equal(again.record.id, 'gk390qegs4y47wn');

  // explicit identityField, and the fields picker on the auth response
  const r = await raw(srv.url, '/api/collections/clients/auth-with-password?fields=record.username,token',
    post({ identityField: 'email', identity: 'test@example.com', password: '1234567890' }));
  assert.equal(r.status, 200);
  assert.match(r.body, /^\{"record":\{"username":"clients57772"\},"token":"eyJ[^"]+"\}\n$/);
});

test('wrong password, unknown identity, mismatched identityField: the same 400', async () => {
  const bad = '{"data":{},"message":"Failed to authenticate.","status":400}\n';
  for (const body of [
    { identity: 'clients57772', password: 'wrong-password' },
    { identity: 'nobody@example.com', password: '1234567890' },
    { identityField: 'username', identity: 'test@example.com', password: '1234567890' },
  ]) {
    const r = await raw(srv.url, '/api/collections/clients/auth-with-password', post(body));
    assert.equal(r.status, 400);
    assert.equal(r.body, bad);
  }
  await assert.rejects(client().collection('clients').authWithPassword('clients57772', 'nope'),
    (e) => e.status === 400 && e.message === 'Failed to authenticate.');
});

test('validation and bad bodies', async () => {
  let r = await raw(srv.url, '/api/collections/clients/auth-with-password', post({ identity: '', password: '' }));
  assert.equal(r.body, '{"data":{"identity":{"code":"validation_required","message":"Cannot be blank."},' +
    '"password":{"code":"validation_required","message":"Cannot be blank."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/clients/auth-with-password',
    post({ identityField: 'created', identity: 'a', password: 'b' }));
  assert.equal(r.body, '{"data":{"identityField":{"code":"validation_in_invalid","message":"Must be a valid value."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/clients/auth-with-password', post('{"identity'));
  assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/clients/auth-with-password', post({ identity: 123, password: 'x' }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"message":"An error occurred while loading the submitted data."/);
  // keys are matched case-insensitively, like Go's JSON decoder into a struct
  r = await raw(srv.url, '/api/collections/clients/auth-with-password', post({ IDENTITY: '', Password: 'x' }));
  assert.match(r.body, /"identity":\{"code":"validation_required"/);
  assert.doesNotMatch(r.body, /"password"/);
  // form bodies bind too
  r = await raw(srv.url, '/api/collections/clients/auth-with-password', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'identity=clients57772&password=wrong',
  });
  assert.equal(r.status, 400);
  assert.match(r.body, /Failed to authenticate/);
  r = await raw(srv.url, '/api/collections/nologin/auth-with-password', post({ identity: 'a', password: 'b' }));
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The collection is not configured to allow password authentication.","status":403}\n');
  r = await raw(srv.url, '/api/collections/missing/auth-with-password', post({ identity: 'a', password: 'b' }));
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid collection context.","status":404}\n');
});

test('the collection authRule (clients: verified = true)', async () => {
  const r = await raw(srv.url, '/api/collections/clients/auth-with-password',
    post({ identity: 'test2@example.com', password: '1234567890' }));
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The request doesn\'t satisfy the collection requirements to authenticate.","status":403}\n');
});

test('MFA: the first factor gives 401 {"mfaId"}, a second method completes', async () => {
  const first = await raw(srv.url, '/api/collections/users/auth-with-password',
    post({ identity: 'test@example.com', password: '1234567890' }));
  assert.equal(first.status, 401);
  assert.match(first.body, /^\{"mfaId":"[a-z0-9]{15}"\}\n$/);
  const { mfaId } = JSON.parse(first.body);
  assert.equal(dbQuery(srv.dir, `SELECT method || ':' || recordRef FROM _mfas WHERE id = '${mfaId}'`),
    'password:4q1xlclmfloku33');

  // the same method again is refused, an unknown session too
  let r = await raw(srv.url, `/api/collections/users/auth-with-password?mfaId=${mfaId}`,
    post({ identity: 'test@example.com', password: '1234567890' }));
  assert.equal(r.body, '{"data":{},"message":"A different authentication method is required.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/auth-with-password',
    post({ identity: 'test@example.com', password: '1234567890', mfaId: 'unknownmfa00000' }));
  assert.equal(r.body, '{"data":{},"message":"Invalid or expired MFA session.","status":400}\n');
  // another record's password with this session
  r = await raw(srv.url, '/api/collections/users/auth-with-password',
    post({ identity: 'test2@example.com', password: '1234567890', mfaId }));
  assert.equal(r.body, '{"data":{},"message":"Invalid MFA session.","status":400}\n');

  // the second factor: an OTP mailed to the address
  const pb = client();
  const seen = box.mails().length;
  const { otpId } = await pb.collection('users').requestOTP('test@example.com');
  const [mail] = await waitForMails(box, seen);
  assert.equal(mail.to, 'test@example.com');
  const otp = /<strong>(\d{8})<\/strong>/.exec(mail.body)[1];
  const auth = await pb.collection('users').authWithOTP(otpId, otp, { mfaId });
  assert.equal(auth.record.id, '4q1xlclmfloku33');
  assert.equal(claims(auth.token).id, '4q1xlclmfloku33');
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM _mfas WHERE id = '${mfaId}'`), '0');
  // the login origin is recorded (fingerprint of ip + user agent)
  assert.ok(Number(dbQuery(srv.dir, "SELECT COUNT(*) FROM _authOrigins WHERE recordRef = '4q1xlclmfloku33'")) >= 1);
});

test('expand on the auth response is evaluated as the authenticated record', async () => {
  const r = await raw(srv.url, '/api/collections/_superusers/auth-with-password?expand=missing',
    post({ identity: 'test@example.com', password: '1234567890' }));
  assert.equal(r.status, 200);
  const body = JSON.parse(r.body);
  assert.deepEqual(Object.keys(body), ['record', 'token']);
  assert.equal(body.record.collectionName, '_superusers');
  assert.equal(body.record.email, 'test@example.com');
  assert.equal(body.record.tokenKey, undefined);
  assert.equal(claims(body.token).collectionId, 'pbc_3142635823');
});

test('superuser IP whitelist', async () => {
  const other = await startServer({
    prepare: (dir) => execFileSync(binary, ['superuser', 'ips', '10.9.9.9', `--dir=${dir}`]),
  });
  try {
    const r = await raw(other.url, '/api/collections/_superusers/auth-with-password',
      post({ identity: 'test@example.com', password: '1234567890' }));
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"data":{},"message":"You are not allowed to perform this request.","status":403}\n');
    // regular records are not affected
    const ok = await raw(other.url, '/api/collections/clients/auth-with-password',
      post({ identity: 'clients57772', password: '1234567890' }));
    assert.equal(ok.status, 200);
  } finally {
    await other.stop();
  }
});
