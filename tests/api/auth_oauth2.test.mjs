// auth_oauth2.test.mjs — auth-with-oauth2 and /api/oauth2-redirect against a local OAuth2/OIDC
// provider (oauth2_provider.mjs) configured as the users collection's oidc, oidc2 (id_token +
// JWKS), google and github providers with overridden URLs: sign-up (isNew, mapped fields, the
// _externalAuths row, the avatar download refused for a loopback URL as safeFileFromURL does),
// the second login, linking by email (verified and unverified records), validation and
// provider failures, PKCE, MFA, and the SDK's popup flow (authWithOAuth2 with a urlCallback)
// through the redirect route and the @oauth2 realtime event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { startServer, raw, tokens, claims, dbQuery, sdkClient } from './helpers.mjs';
import { startProvider, pkcePair } from './oauth2_provider.mjs';

globalThis.EventSource = EventSource;

const REDIRECT = 'http://app.test/callback';
let srv, idp;

const post = (body, headers = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function patchUsers(body) {
  const r = await raw(srv.url, '/api/collections/users', {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: tokens.superuser },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body);
}

function providers() {
  const p = idp.url;
  const common = { clientId: idp.clientId, clientSecret: idp.clientSecret, authURL: `${p}/authorize`, tokenURL: `${p}/token`, displayName: '', extra: null };
  return [
    { ...common, name: 'oidc', userInfoURL: `${p}/userinfo`, pkce: true },
    { ...common, name: 'oidc2', userInfoURL: '', pkce: false, extra: { jwksURL: `${p}/jwks`, issuers: [p] } },
    { ...common, name: 'google', userInfoURL: `${p}/userinfo`, pkce: null },
    { ...common, name: 'github', userInfoURL: `${p}/github/user`, pkce: null },
  ];
}

before(async () => {
  idp = await startProvider();
  srv = await startServer({ args: ['--workers=2'] });
  await patchUsers({
    mfa: { enabled: false },
    oauth2: { enabled: true, providers: providers(), mappedFields: { id: '', name: 'name', username: 'username', avatarURL: 'avatar' } },
  });
});
after(async () => {
  const code = await srv.stop();
  await idp.stop();
  assert.equal(code, 0); // non-zero: a sanitizer report
});

// logs in with `provider` for `user` through the API (code issued directly, PKCE when given)
async function login(provider, user, { pkce, body = {}, headers } = {}) {
  const code = idp.issue(user, { challenge: pkce?.challenge || '', redirectUri: REDIRECT });
  const r = await raw(srv.url, '/api/collections/users/auth-with-oauth2',
    post({ provider, code, codeVerifier: pkce?.verifier || '', redirectURL: REDIRECT, ...body }, headers));
  return { ...r, json: JSON.parse(r.body) };
}

const oidcUser = (sub, email, extra = {}) => ({
  userinfo: { sub, name: 'OIDC ' + sub, preferred_username: 'oidc_' + sub, email, email_verified: true, picture: `${idp.url}/avatar.png`, ...extra },
});

test('sign-up with oidc (PKCE): new record, mapped fields, link row, meta', async () => {
  const pkce = pkcePair();
  const r = await login('oidc', oidcUser('s1', 'new1@example.com'), { pkce });
  assert.equal(r.status, 200, r.body);
  const { meta, record, token } = r.json;
  assert.equal(meta.isNew, true);
  assert.equal(meta.id, 's1');
  assert.equal(meta.email, 'new1@example.com');
  assert.equal(meta.name, 'OIDC s1');
  assert.equal(meta.username, 'oidc_s1');
  assert.equal(meta.avatarURL, `${idp.url}/avatar.png`);
  assert.match(meta.accessToken, /^at-/);
  assert.equal(meta.refreshToken, 'rt-' + meta.accessToken);
  assert.match(meta.expiry, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(meta.rawUser.sub, 's1');
  assert.deepEqual(Object.keys(meta).sort(), ['accessToken', 'avatarURL', 'avatarUrl', 'email', 'expiry', 'id', 'isNew', 'name', 'rawUser', 'refreshToken', 'username']);
  assert.equal(record.email, 'new1@example.com');
  assert.equal(record.verified, true);
  assert.equal(record.name, 'OIDC s1');
  assert.equal(record.username, 'oidc_s1');
  assert.equal(record.avatar, ''); // loopback avatar URLs are refused (only logged)
  assert.equal(claims(token).id, record.id);
  assert.equal(dbQuery(srv.dir, `SELECT provider || '|' || providerId || '|' || collectionRef FROM _externalAuths WHERE recordRef = '${record.id}'`), 'oidc|s1|_pb_users_auth_');
  // the token exchange carried the verifier and the redirect URL
  const tokenReq = idp.requests.filter((q) => q.path === '/token').at(-1);
  const form = new URLSearchParams(tokenReq.body);
  assert.equal(form.get('code_verifier'), pkce.verifier);
  assert.equal(form.get('redirect_uri'), REDIRECT);
  // a usable token
  const me = await raw(srv.url, `/api/collections/users/records/${record.id}`, { headers: { Authorization: token } });
  assert.equal(me.status, 200);

  // second login: same record, no new link
  const again = await login('oidc', oidcUser('s1', 'new1@example.com'), { pkce: pkcePair() });
  assert.equal(again.status, 200, again.body);
  assert.equal(again.json.meta.isNew, false);
  assert.equal(again.json.record.id, record.id);
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '${record.id}'`), '1');
});

test('createData fills the new record and wins over the mapped fields; its errors are answered', async () => {
  const r = await login('oidc', oidcUser('s2', 'new2@example.com'), { pkce: pkcePair(), body: { createData: { name: 'Given Name', emailVisibility: true } } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.record.name, 'Given Name');
  assert.equal(r.json.record.emailVisibility, true);
  assert.equal(r.json.record.username, 'oidc_s2');

  const bad = await login('oidc', oidcUser('s3', 'new3@example.com'), { pkce: pkcePair(), body: { createData: { username: 'x' } } });
  assert.equal(bad.status, 400, bad.body);
  assert.equal(bad.json.message, 'Failed to create record.');
  assert.equal(bad.json.data.username.code, 'validation_min_text_constraint');
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM users WHERE email = 'new3@example.com'`), '0');
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM _externalAuths WHERE providerId = 's3'`), '0');
});

test('google links to the verified user with the same email', async () => {
  const pkce = pkcePair();
  const r = await login('google', { userinfo: { sub: 'g-77', name: 'G User', email: 'test2@example.com', email_verified: true, picture: '' } }, { pkce });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.meta.isNew, false);
  assert.equal(r.json.record.id, 'oap640cot4yru2s');
  assert.equal(r.json.meta.email, 'test2@example.com');
  assert.equal(dbQuery(srv.dir, `SELECT recordRef FROM _externalAuths WHERE provider = 'google' AND providerId = 'g-77'`), 'oap640cot4yru2s');
  // google sends the default scopes
  const tokenReq = idp.requests.filter((q) => q.path === '/token').at(-1);
  assert.equal(new URLSearchParams(tokenReq.body).get('code_verifier'), pkce.verifier);
});

test('form-encoded token answers: + and %XX decoded, the first value wins; a malformed escape fails the exchange', async () => {
  let r = await login('oidc', { ...oidcUser('form-1', 'form1@example.com'), formToken: true }, { pkce: pkcePair() });
  assert.equal(r.status, 200, r.body);
  assert.match(r.json.meta.accessToken, /^at-[A-Za-z0-9_-]{12} \+\/$/);
  assert.equal(r.json.meta.email, 'form1@example.com');
  // the token itself is good: only the malformed escape in another pair fails it (url.ParseQuery)
  r = await login('oidc', { ...oidcUser('form-2', 'form2@example.com'), formToken: 'access_token={access}&token_type=bearer&scope=%zz' }, { pkce: pkcePair() });
  assert.equal(r.body, '{"data":{},"message":"Failed to fetch OAuth2 token.","status":400}\n');
  assert.equal(dbQuery(srv.dir, `SELECT count(*) FROM _externalAuths WHERE providerId = 'form-2'`), '0');
});

test('a logged-in user links a new provider account to itself', async () => {
  const r = await login('oidc', oidcUser('link-me', 'someone.else@example.com'), { pkce: pkcePair(), headers: { Authorization: tokens.user2 } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.meta.isNew, false);
  assert.equal(r.json.record.id, 'oap640cot4yru2s');
  assert.equal(r.json.record.email, 'test2@example.com'); // a verified record keeps its email
  assert.equal(dbQuery(srv.dir, `SELECT recordRef FROM _externalAuths WHERE provider = 'oidc' AND providerId = 'link-me'`), 'oap640cot4yru2s');
  // another collection's token is no fallback: a new users record is created
  const other = await login('oidc', oidcUser('link-me-2', 'fresh@example.com'), { pkce: pkcePair(), headers: { Authorization: tokens.client } });
  assert.equal(other.status, 200, other.body);
  assert.equal(other.json.meta.isNew, true);
});

test('github: verified primary email from /emails; an unverified record is taken over safely', async () => {
  const before = dbQuery(srv.dir, `SELECT password FROM users WHERE id = '4q1xlclmfloku33'`);
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'`), '2');
  const user = {
    github: {
      user: { id: 4242, login: 'octo', name: 'Octo Cat', email: null, avatar_url: '' },
      emails: [
        { email: 'other@example.com', primary: false, verified: true },
        { email: 'test@example.com', primary: true, verified: true },
      ],
    },
  };
  const r = await login('github', user, { pkce: pkcePair() });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.meta.id, '4242');
  assert.equal(r.json.meta.username, 'octo');
  assert.equal(r.json.meta.email, 'test@example.com');
  assert.equal(r.json.record.id, '4q1xlclmfloku33');
  assert.equal(r.json.record.verified, true);
  // pre-hijacking: random password and the old links dropped, only the new one left
  assert.notEqual(dbQuery(srv.dir, `SELECT password FROM users WHERE id = '4q1xlclmfloku33'`), before);
  assert.equal(dbQuery(srv.dir, `SELECT group_concat(provider || ':' || providerId) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'`), 'github:4242');
  const pw = await raw(srv.url, '/api/collections/users/auth-with-password', post({ identity: 'test@example.com', password: '1234567890' }));
  assert.equal(pw.status, 400);
});

test('oidc2 reads the signed id_token (JWKS, issuer, audience); a foreign signature fails', async () => {
  const r = await login('oidc2', { idClaims: { sub: 'jwt-1', name: 'Jay', email: 'jwt1@example.com', email_verified: true } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.meta.isNew, true);
  assert.equal(r.json.meta.id, 'jwt-1');
  assert.equal(r.json.record.email, 'jwt1@example.com');
  assert.ok(idp.requests.some((q) => q.path === '/jwks'));

  const forged = await login('oidc2', { idClaims: { sub: 'jwt-2', email: 'jwt2@example.com', email_verified: true }, idKey: idp.otherKey() });
  assert.equal(forged.body, '{"data":{},"message":"Failed to fetch OAuth2 user.","status":400}\n');
  const wrongAud = await login('oidc2', { idClaims: { sub: 'jwt-3', aud: 'someone-else' } });
  assert.equal(wrongAud.status, 400);
  assert.equal(wrongAud.json.message, 'Failed to fetch OAuth2 user.');
});

test('failures: wrong code, PKCE mismatch, validation, disabled OAuth2, malformed bodies', async () => {
  let r = await raw(srv.url, '/api/collections/users/auth-with-oauth2', post({ provider: 'oidc', code: 'nope', codeVerifier: 'x', redirectURL: REDIRECT }));
  assert.equal(r.body, '{"data":{},"message":"Failed to fetch OAuth2 token.","status":400}\n');

  const pkce = pkcePair();
  const code = idp.issue(oidcUser('s9', 'new9@example.com'), { challenge: pkce.challenge, redirectUri: REDIRECT });
  r = await raw(srv.url, '/api/collections/users/auth-with-oauth2', post({ provider: 'oidc', code, codeVerifier: pkcePair().verifier, redirectURL: REDIRECT }));
  assert.equal(r.body, '{"data":{},"message":"Failed to fetch OAuth2 token.","status":400}\n');

  r = await raw(srv.url, '/api/collections/users/auth-with-oauth2', post({ provider: 'missing', code: 'abc' }));
  assert.equal(r.body, '{"data":{"provider":{"code":"validation_invalid_provider","message":"Provider with name missing is missing or is not enabled."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/auth-with-oauth2', post({}));
  assert.equal(r.body, '{"data":{"code":{"code":"validation_required","message":"Cannot be blank."},' +
    '"provider":{"code":"validation_required","message":"Cannot be blank."}},"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/auth-with-oauth2', post('{"provider":'));
  assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/auth-with-oauth2', post({ provider: 'oidc', code: 'abc', createData: 'nope' }));
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).message, 'An error occurred while loading the submitted data.');

  r = await raw(srv.url, '/api/collections/clients/auth-with-oauth2', post({ provider: 'google', code: 'abc' }));
  assert.equal(r.body, '{"data":{},"message":"The collection is not configured to allow OAuth2 authentication.","status":403}\n');
  r = await raw(srv.url, '/api/collections/demo1/auth-with-oauth2', post({ provider: 'google', code: 'abc' }));
  assert.equal(r.status, 404);
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM users WHERE email = 'new9@example.com'`), '0');
});

test('the oauth2-redirect route: failures redirect, JSON is never echoed', async () => {
  let r = await raw(srv.url, '/api/oauth2-redirect?code=abc');
  assert.equal(r.status, 307);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-failure');
  r = await raw(srv.url, '/api/oauth2-redirect?state=unknownclient&code=abc');
  assert.equal(r.status, 307);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-failure');
  r = await raw(srv.url, '/api/oauth2-redirect', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'state=unknownclient&code=abc' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-failure');
  r = await raw(srv.url, '/api/oauth2-redirect', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"state":' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-failure');
});

// a raw SSE stream subscribed to @oauth2; returns {clientId, next(), close()}
async function oauth2Stream() {
  const ac = new AbortController();
  const res = await fetch(srv.url + '/api/realtime', { signal: ac.signal });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const frames = [];
  const waiters = [];
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value);
        let at;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          frames.push(buf.slice(0, at));
          buf = buf.slice(at + 2);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {}
  })();
  const next = async (n) => {
    const deadline = Date.now() + 5000;
    while (frames.length < n) {
      assert.ok(Date.now() < deadline, 'no SSE frame');
      await new Promise((ok) => { waiters.push(ok); setTimeout(ok, 50); });
    }
    return frames[n - 1];
  };
  const first = await next(1);
  const clientId = /^id:(.+)$/m.exec(first)[1];
  const sub = await raw(srv.url, '/api/realtime', post({ clientId, subscriptions: ['@oauth2'] }));
  assert.equal(sub.status, 204);
  return { clientId, next, frames, close: () => ac.abort() };
}

test('the oauth2-redirect route delivers @oauth2 once to the subscribed client (GET and POST)', async () => {
  const s = await oauth2Stream();
  let r = await raw(srv.url, `/api/oauth2-redirect?state=${s.clientId}&code=c0de`);
  assert.equal(r.status, 307);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-success');
  const frame = await s.next(2);
  assert.equal(frame, `id:${s.clientId}\nevent:@oauth2\ndata:{"state":"${s.clientId}","code":"c0de"}`);
  // unsubscribed: a second redirect fails
  r = await raw(srv.url, `/api/oauth2-redirect?state=${s.clientId}&code=c0de`);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-failure');
  // POST form (response_mode=form_post) with an error: delivered, but the failure page
  await raw(srv.url, '/api/realtime', post({ clientId: s.clientId, subscriptions: ['@oauth2'] }));
  r = await raw(srv.url, '/api/oauth2-redirect', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `state=${s.clientId}&error=access_denied` });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-failure');
  assert.equal(await s.next(3), `id:${s.clientId}\nevent:@oauth2\ndata:{"state":"${s.clientId}","code":"","error":"access_denied"}`);
  // Apple's form_post with the first-login `user` JSON: it is not forwarded to the client
  await raw(srv.url, '/api/realtime', post({ clientId: s.clientId, subscriptions: ['@oauth2'] }));
  const user = encodeURIComponent(JSON.stringify({ name: { firstName: 'Ann', lastName: 'Lee' }, email: 'a@b.c' }));
  r = await raw(srv.url, '/api/oauth2-redirect', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `state=${s.clientId}&code=apple1&user=${user}` });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '../_/#/auth/oauth2-redirect-success');
  assert.equal(await s.next(4), `id:${s.clientId}\nevent:@oauth2\ndata:{"state":"${s.clientId}","code":"apple1"}`);
  s.close();
});

test('SDK popup flow: authWithOAuth2 with a urlCallback through the provider and the redirect route', async () => {
  const pb = sdkClient(srv.url);
  const methods = await pb.collection('users').listAuthMethods();
  assert.deepEqual(methods.oauth2.providers.map((p) => p.name), ['oidc', 'oidc2', 'google', 'github']);
  idp.queueLogin(oidcUser('popup-1', 'popup@example.com'));
  const redirects = [];
  const auth = await pb.collection('users').authWithOAuth2({
    provider: 'oidc',
    createData: { name: 'Popup' },
    urlCallback: async (url) => {
      const u = new URL(url);
      assert.equal(u.origin + u.pathname, `${idp.url}/authorize`);
      assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(u.searchParams.get('redirect_uri'), `${srv.url}/api/oauth2-redirect`);
      // the "browser": provider → 302 → pocketc's redirect route → 307 to the dashboard page
      const a = await fetch(url, { redirect: 'manual' });
      assert.equal(a.status, 302);
      const b = await fetch(a.headers.get('location'), { redirect: 'manual' });
      redirects.push(b.status, b.headers.get('location'));
    },
  });
  assert.deepEqual(redirects, [307, '../_/#/auth/oauth2-redirect-success']);
  assert.equal(auth.meta.isNew, true);
  assert.equal(auth.record.email, 'popup@example.com');
  assert.equal(auth.record.name, 'Popup');
  assert.equal(pb.authStore.record.id, auth.record.id);
  assert.equal(claims(pb.authStore.token).id, auth.record.id);
  pb.realtime.unsubscribe();
});

test('MFA: OAuth2 as the first factor answers 401 {"mfaId"}, a password completes it', async () => {
  await patchUsers({ mfa: { enabled: true, duration: 1800, rule: '' } });
  try {
    const r = await login('google', { userinfo: { sub: 'g-77', name: 'G', email: 'test2@example.com', email_verified: true, picture: '' } }, { pkce: pkcePair() });
    assert.equal(r.status, 401, r.body);
    assert.match(r.body, /^\{"mfaId":"[a-z0-9]{15}"\}\n$/);
    const { mfaId } = r.json;
    assert.equal(dbQuery(srv.dir, `SELECT method || '|' || recordRef FROM _mfas WHERE id = '${mfaId}'`), 'oauth2|oap640cot4yru2s');
    const pw = await raw(srv.url, '/api/collections/users/auth-with-password', post({ identity: 'test2@example.com', password: '1234567890', mfaId }));
    assert.equal(pw.status, 200, pw.body);
    assert.equal(JSON.parse(pw.body).record.id, 'oap640cot4yru2s');
  } finally {
    await patchUsers({ mfa: { enabled: false } });
  }
});
