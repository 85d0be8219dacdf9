// settings.test.mjs — /api/settings with the official SDK and raw requests: the superuser
// ladder, the exact masked document of the fixture, PATCH (validation error tree, bind
// errors, secrets kept and never returned, persisted in _params, empty body), the S3 test
// (validation, disabled config, an unreachable endpoint), the test e-mails of every template
// through a local SMTP server, and the Apple client secret (an ES256 JWT that verifies with
// the public key).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const su = (extra = {}) => ({ Authorization: tokens.superuser, ...extra });
const json = (body, extra = {}) => ({
  method: 'POST',
  headers: su({ 'Content-Type': 'application/json', ...extra }),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const FIXTURE_VIEW =
  '{"superuserIPs":[],"smtp":{"enabled":false,"port":587,"host":"smtp.example.com","username":"","authMethod":"","tls":false,"localName":""},' +
  '"backups":{"cron":"","cronMaxKeep":0,"s3":{"enabled":false,"bucket":"","region":"","endpoint":"","accessKey":"","forcePathStyle":false}},' +
  '"s3":{"enabled":false,"bucket":"","region":"","endpoint":"","accessKey":"","forcePathStyle":false},' +
  '"meta":{"accentColor":"#1055c9","appName":"acme_test","appURL":"http://localhost:8090","senderName":"Support","senderAddress":"support@example.com","hideControls":false},' +
  '"rateLimits":{"rules":[{"label":"*:auth","audience":"","duration":3,"maxRequests":2},{"label":"*:create","audience":"","duration":5,"maxRequests":20},{"label":"/api/batch","audience":"","duration":1,"maxRequests":3},{"label":"/api/","audience":"","duration":10,"maxRequests":300}],"excludedIPs":[],"enabled":false},' +
  '"trustedProxy":{"headers":[],"useLeftmostIP":false},' +
  '"batch":{"enabled":true,"maxRequests":50,"timeout":5,"maxBodySize":0},' +
  '"logs":{"maxDays":5,"minLevel":0,"logIP":false,"logAuthId":false}}\n';

test('every settings route requires a superuser', async () => {
  const routes = [
    ['GET', '/api/settings'], ['PATCH', '/api/settings'], ['POST', '/api/settings/test/s3'],
    ['POST', '/api/settings/test/email'], ['POST', '/api/settings/apple/generate-client-secret'],
  ];
  for (const [method, path] of routes) {
    let r = await raw(srv.url, path, { method });
    assert.equal(r.status, 401, path);
    assert.equal(r.body, '{"data":{},"message":"The request requires valid record authorization token.","status":401}\n');
    r = await raw(srv.url, path, { method, headers: { Authorization: tokens.user } });
    assert.equal(r.status, 403, path);
    assert.equal(r.body, '{"data":{},"message":"The authorized record is not allowed to perform this action.","status":403}\n');
  }
});

test('GET /api/settings: the fixture document without secrets', async () => {
  const r = await raw(srv.url, '/api/settings', { headers: su() });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.body, FIXTURE_VIEW);
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  const s = await pb.settings.getAll();
  assert.equal(s.meta.appName, 'acme_test');
  assert.equal(s.smtp.password, undefined);
});

test('PATCH /api/settings: validation and bind errors', async () => {
  let r = await raw(srv.url, '/api/settings', { ...json({ meta: { appName: '', appURL: 'nope' } }), method: 'PATCH' });
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{"meta":{"appName":{"code":"validation_required","message":"Cannot be blank."},' +
    '"appURL":{"code":"validation_is_url","message":"Must be a valid URL."}}},' +
    '"message":"An error occurred while saving the new settings.","status":400}\n');
  for (const body of ['{', '{"meta":{"appName":5}}', '[1]', '{"smtp":{"port":587.5}}']) {
    r = await raw(srv.url, '/api/settings', { ...json(body), method: 'PATCH' });
    assert.equal(r.status, 400, body);
    assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');
  }
  // nothing was saved
  r = await raw(srv.url, '/api/settings', { headers: su() });
  assert.equal(r.body, FIXTURE_VIEW);
});

test('PATCH /api/settings: saved, published, secrets kept and masked', async () => {
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  const s = await pb.settings.update({
    meta: { appName: 'update_test' },
    smtp: { password: 'new_smtp_password' },
    s3: { secret: 'new_s3_secret' },
    backups: { s3: { secret: 'new_backups_s3_secret' } },
  });
  assert.equal(s.meta.appName, 'update_test');
  let r = await raw(srv.url, '/api/settings', { headers: su() });
  assert.equal(r.body, FIXTURE_VIEW.replace('"appName":"acme_test"', '"appName":"update_test"'));
  assert.ok(!/secret|password/.test(r.body));
  // the stored row has the secrets (read through the SQL console)
  r = await raw(srv.url, '/api/sql', json({ query: "select value from _params where id = 'settings'" }));
  assert.equal(r.status, 200);
  const stored = JSON.parse(JSON.parse(r.body).rows[0][0]);
  assert.equal(stored.smtp.password, 'new_smtp_password');
  assert.equal(stored.s3.secret, 'new_s3_secret');
  assert.equal(stored.backups.s3.secret, 'new_backups_s3_secret');
  assert.equal(stored.meta.appName, 'update_test');
  // an empty body saves the settings unchanged; omitted secrets survive another PATCH
  r = await raw(srv.url, '/api/settings', { method: 'PATCH', headers: su() });
  assert.equal(r.status, 200);
  assert.equal(r.body, FIXTURE_VIEW.replace('"appName":"acme_test"', '"appName":"update_test"'));
  await pb.settings.update({ meta: { appName: 'acme_test' } });
  r = await raw(srv.url, '/api/sql', json({ query: "select json_extract(value, '$.smtp.password') from _params where id = 'settings'" }));
  assert.equal(JSON.parse(r.body).rows[0][0], 'new_smtp_password');
  // a secret sent as "" is cleared
  await pb.settings.update({ s3: { secret: '' } });
  r = await raw(srv.url, '/api/sql', json({ query: "select json_extract(value, '$.s3.secret') from _params where id = 'settings'" }));
  assert.deepEqual(JSON.parse(r.body).rows, [[null]]);
});

test('POST /api/settings/test/s3', async () => {
  let r = await raw(srv.url, '/api/settings/test/s3', { method: 'POST', headers: su() });
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{"filesystem":{"code":"validation_required","message":"Cannot be blank."}},"message":"Failed to test the S3 filesystem.","status":400}\n');
  r = await raw(srv.url, '/api/settings/test/s3', json({ filesystem: 'invalid' }));
  assert.equal(r.body, '{"data":{"filesystem":{"code":"validation_in_invalid","message":"Must be a valid value."}},"message":"Failed to test the S3 filesystem.","status":400}\n');
  r = await raw(srv.url, '/api/settings/test/s3', json({ filesystem: 'storage' }));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{},"message":"Failed to test the S3 filesystem. Raw error: \\nS3 storage filesystem is not enabled.","status":400}\n');
  r = await raw(srv.url, '/api/settings/test/s3', json({ filesystem: 5 }));
  assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');
  // an enabled S3 config whose endpoint refuses connections: the upload fails
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  await pb.settings.update({ backups: { s3: { enabled: true, bucket: 'b', region: 'r', endpoint: 'http://127.0.0.1:1', accessKey: 'k', secret: 's' } } });
  await assert.rejects(pb.settings.testS3('backups'), (e) => {
    assert.equal(e.status, 400);
    assert.match(e.response.message, /^Failed to test the S3 filesystem\. Raw error: \nfailed to upload a test file: /);
    return true;
  });
  await pb.settings.update({ backups: { s3: { enabled: false } } });
});

// A minimal SMTP server capturing every message (no STARTTLS, no AUTH offered).
function smtpServer() {
  const messages = [];
  const server = createNetServer((sock) => {
    let buf = '', data = null, mail = null;
    sock.write('220 localhost ESMTP test\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (;;) {
        if (data !== null) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = data + buf.slice(0, end);
          messages.push(mail);
          buf = buf.slice(end + 5);
          data = null;
          sock.write('250 OK queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250-localhost\r\n250 8BITMIME\r\n');
        else if (cmd === 'MAIL') { mail = { from: line, to: [] }; sock.write('250 OK\r\n'); }
        else if (cmd === 'RCPT') { mail.to.push(line); sock.write('250 OK\r\n'); }
        else if (cmd === 'DATA') { data = ''; sock.write('354 go ahead\r\n'); }
        else if (cmd === 'QUIT') { sock.end('221 bye\r\n'); return; }
        else sock.write('250 OK\r\n');
      }
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, messages, port: server.address().port })));
}

// The decoded text of a captured message (quoted-printable soft breaks and escapes undone).
const qp = (s) => s.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));

test('POST /api/settings/test/email', async () => {
  let r = await raw(srv.url, '/api/settings/test/email', json('{'));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/settings/test/email', json({}));
  assert.equal(r.body, '{"data":{"email":{"code":"validation_required","message":"Cannot be blank."},' +
    '"template":{"code":"validation_required","message":"Cannot be blank."}},"message":"Failed to send the test email.","status":400}\n');
  r = await raw(srv.url, '/api/settings/test/email', json({ email: 'nope', template: 'other', collection: 'demo1' }));
  assert.equal(r.body, '{"data":{"collection":{"code":"validation_invalid_auth_collection","message":"Must be a valid auth collection id or name."},' +
    '"email":{"code":"validation_is_email","message":"Must be a valid email address."},' +
    '"template":{"code":"validation_in_invalid","message":"Must be a valid value."}},"message":"Failed to send the test email.","status":400}\n');

  // every template through a real SMTP exchange (apis/settings_test.go's expectations)
  const smtp = await smtpServer();
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  await pb.settings.update({ smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false } });
  const expected = { verification: 'Verify', 'password-reset': 'Reset password', 'email-change': 'Confirm new email', otp: 'one-time password', 'login-alert': 'TEST_IP TEST_USER_AGENT' };
  for (const [template, text] of Object.entries(expected)) {
    assert.equal(await pb.settings.testEmail('users', 'test@example.com', template), true, template);
    const m = smtp.messages.at(-1);
    assert.deepEqual(m.to, ['RCPT TO:<test@example.com>'], template);
    assert.match(m.from, /^MAIL FROM:<support@example\.com>/);
    assert.ok(qp(m.data).includes(text), `${template}: ${text}`);
  }
  assert.equal(smtp.messages.length, 5);
  // the verification link carries a verification token of the stand-in record
  const token = qp(smtp.messages[0].data).match(/confirm-verification\/([\w-]+\.[\w-]+\.[\w-]+)/)[1];
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.equal(claims.type, 'verification');
  assert.equal(claims.email, 'test@example.com');
  assert.equal(claims.collectionId, '_pb_users_auth_');
  // the server refusing the message is the raw error
  smtp.server.close();
  await pb.settings.update({ smtp: { port: 1 } });
  await assert.rejects(pb.settings.testEmail('_superusers', 'test@example.com', 'otp'), (e) => {
    assert.equal(e.status, 400);
    assert.match(e.response.message, /^Failed to send the test email\. Raw error: \n./);
    assert.deepEqual(e.response.data, {});
    return true;
  });
  await pb.settings.update({ smtp: { enabled: false, host: 'smtp.example.com', port: 587 } });
});

test('POST /api/settings/apple/generate-client-secret', async () => {
  const path = '/api/settings/apple/generate-client-secret';
  let r = await raw(srv.url, path, json({}));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{"clientId":{"code":"validation_required","message":"Cannot be blank."},' +
    '"duration":{"code":"validation_required","message":"Cannot be blank."},' +
    '"keyId":{"code":"validation_required","message":"Cannot be blank."},' +
    '"privateKey":{"code":"validation_required","message":"Cannot be blank."},' +
    '"teamId":{"code":"validation_required","message":"Cannot be blank."}},"message":"Invalid client secret data.","status":400}\n');
  r = await raw(srv.url, path, json({ clientId: '', teamId: '123456789', keyId: '123456789', privateKey: 'invalid', duration: -1 }));
  assert.equal(r.body, '{"data":{"clientId":{"code":"validation_required","message":"Cannot be blank."},' +
    '"duration":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 1.","params":{"threshold":1}},' +
    '"keyId":{"code":"validation_length_invalid","message":"The length must be exactly 10.","params":{"max":10,"min":10}},' +
    '"privateKey":{"code":"validation_match_invalid","message":"Must be in a valid format."},' +
    '"teamId":{"code":"validation_length_invalid","message":"The length must be exactly 10.","params":{"max":10,"min":10}}},' +
    '"message":"Invalid client secret data.","status":400}\n');
  r = await raw(srv.url, path, json({ clientId: 'c', teamId: '1234567890', keyId: '1234567891', privateKey: 'x', duration: 15777001 }));
  assert.match(r.body, /"duration":\{"code":"validation_max_less_equal_than_required","message":"Must be no greater than 15777000\."/);
  r = await raw(srv.url, path, json({ clientId: 'c', teamId: '1234567890', keyId: '1234567891', privateKey: 'x', duration: 1.5 }));
  assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const pb = new PocketBase(srv.url);
  pb.authStore.save(tokens.superuser, null);
  const before = Math.floor(Date.now() / 1000);
  const { secret } = await pb.settings.generateAppleClientSecret('com.example.app', '1234567890', '1234567891', pem, 3600);
  const [h, c, s] = secret.split('.');
  assert.equal(Buffer.from(h, 'base64url').toString(), '{"alg":"ES256","kid":"1234567891","typ":"JWT"}');
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
  assert.deepEqual(Object.keys(claims), ['iss', 'sub', 'aud', 'exp', 'iat']);
  assert.equal(claims.iss, '1234567890');
  assert.equal(claims.sub, 'com.example.app');
  assert.deepEqual(claims.aud, ['https://appleid.apple.com']);
  assert.ok(claims.iat >= before && claims.iat <= before + 5);
  assert.equal(claims.exp, claims.iat + 3600);
  assert.ok(verify('sha256', Buffer.from(`${h}.${c}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));

  // a key that is not EC passes the pattern but fails to sign
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  r = await raw(srv.url, path, json({ clientId: 'c', teamId: '1234567890', keyId: '1234567891', privateKey: rsa, duration: 1 }));
  assert.equal(r.body, '{"data":{},"message":"Failed to generate client secret. Raw error: \\nkey is not a valid ECDSA private key.","status":400}\n');
});
