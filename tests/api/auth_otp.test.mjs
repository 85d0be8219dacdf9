// auth_otp.test.mjs — request-otp / auth-with-otp: enumeration protection for unknown emails,
// the _otps row (bcrypt cost 8, sentTo filled once the mail went out), wrong and reused OTPs,
// the always-on attempt limiter (5 per 180 s per record, then 429 even for the right password),
// MFA, and — with MFA off — the verified upgrade (sentTo == email) that also resets the password
// and drops the OAuth2 links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { startServer, raw, claims, dbQuery, waitForMails, mailbox } from './helpers.mjs';

let srv, box;
before(async () => { box = mailbox(); srv = await startServer({ env: box.env }); });
after(async () => { await srv.stop(); box.remove(); });

const post = (body) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

// requests an OTP for `email` and returns {otpId, otp} from the mail
async function requestOtp(server, mails, collection, email) {
  const seen = mails.mails().length;
  const r = await raw(server.url, `/api/collections/${collection}/request-otp`, post({ email }));
  assert.equal(r.status, 200);
  const { otpId } = JSON.parse(r.body);
  const [mail] = await waitForMails(mails, seen);
  assert.equal(mail.to, email);
  return { otpId, otp: /<strong>(\d+)<\/strong>/.exec(mail.body)[1] };
}

test('request-otp: unknown email gets a fake id, a real one a hashed row and a mail', async () => {
  let r = await raw(srv.url, '/api/collections/users/request-otp', post({ email: 'missing@example.com' }));
  assert.equal(r.status, 200);
  const fake = JSON.parse(r.body).otpId;
  assert.match(fake, /^[a-z0-9]{15}$/);
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM _otps WHERE id = '${fake}'`), '0');

  const { otpId, otp } = await requestOtp(srv, box, 'users', 'test@example.com');
  assert.match(otp, /^\d{8}$/);
  const row = dbQuery(srv.dir, `SELECT collectionRef || '|' || recordRef || '|' || substr(password, 1, 7) FROM _otps WHERE id = '${otpId}'`);
  assert.equal(row, '_pb_users_auth_|4q1xlclmfloku33|$2a$08$');
  // sentTo is set after the mail went out
  const deadline = Date.now() + 3000;
  while (dbQuery(srv.dir, `SELECT sentTo FROM _otps WHERE id = '${otpId}'`) !== 'test@example.com') {
    assert.ok(Date.now() < deadline, 'sentTo not set');
    await new Promise((res) => setTimeout(res, 20));
  }
});

test('request-otp validation and disabled collections', async () => {
  let r = await raw(srv.url, '/api/collections/users/request-otp', post({ email: 'invalid' }));
  assert.equal(r.body, '{"data":{"email":{"code":"validation_is_email","message":"Must be a valid email address."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/request-otp', { method: 'POST' });
  assert.equal(r.body, '{"data":{"email":{"code":"validation_required","message":"Cannot be blank."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/clients/request-otp', post({ email: 'test@example.com' }));
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The collection is not configured to allow OTP authentication.","status":403}\n');
  r = await raw(srv.url, '/api/collections/clients/auth-with-otp', post({ otpId: 'x', password: 'y' }));
  assert.equal(r.status, 403);
});

test('auth-with-otp: wrong, right (MFA → 401), reused', async () => {
  const { otpId, otp } = await requestOtp(srv, box, 'users', 'test2@example.com');
  const invalid = '{"data":{},"message":"Invalid or expired OTP.","status":400}\n';
  let r = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId, password: otp === '00000000' ? '11111111' : '00000000' }));
  assert.equal(r.body, invalid);
  r = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId: 'missing', password: otp }));
  assert.equal(r.body, invalid);
  // users has MFA on: the OTP is the first factor
  r = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId, password: otp }));
  assert.equal(r.status, 401);
  const { mfaId } = JSON.parse(r.body);
  assert.equal(dbQuery(srv.dir, `SELECT method FROM _mfas WHERE id = '${mfaId}'`), 'otp');
  // the OTP is gone once used
  assert.equal(dbQuery(srv.dir, `SELECT COUNT(*) FROM _otps WHERE id = '${otpId}'`), '0');
  r = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId, password: otp }));
  assert.equal(r.body, invalid);
  // second factor: the password
  const pb = new PocketBase(srv.url);
  const auth = await pb.collection('users').authWithPassword('test2@example.com', '1234567890', { mfaId });
  assert.equal(auth.record.id, 'oap640cot4yru2s');
  // an OTP of another collection is not valid here
  const r2 = await raw(srv.url, '/api/collections/nologin/auth-with-otp', post({ otpId, password: otp }));
  assert.equal(r2.status, 403); // nologin has OTP disabled
});

test('the OTP attempt limiter: 5 per record, then 429 even with the right password', async () => {
  const { otpId, otp } = await requestOtp(srv, box, 'users', 'test3@example.com');
  const wrong = otp === '12345678' ? '87654321' : '12345678';
  for (let i = 0; i < 5; i++) {
    const r = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId, password: wrong }));
    assert.equal(r.status, 400, `attempt ${i + 1}`);
  }
  const r = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId, password: otp }));
  assert.equal(r.status, 429);
  assert.equal(r.body, '{"data":{},"message":"Too many attempts, please try again later with a new OTP.","status":429}\n');
  // validation still comes first
  const v = await raw(srv.url, '/api/collections/users/auth-with-otp', post({ otpId: '', password: 'x'.repeat(72) }));
  assert.equal(v.body, '{"data":{"otpId":{"code":"validation_required","message":"Cannot be blank."},' +
    '"password":{"code":"validation_length_out_of_range","message":"The length must be between 1 and 71.","params":{"max":71,"min":1}}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
});

test('without MFA: the OTP logs in and upgrades an unverified record', async () => {
  const otherBox = mailbox();
  const other = await startServer({
    env: otherBox.env,
    prepare: (dir) => execFileSync('sqlite3', [join(dir, 'data.db'),
      "UPDATE _collections SET options = json_set(options, '$.mfa.enabled', json('false')) WHERE name = 'users'"]),
  });
  try {
    const before = dbQuery(other.dir, "SELECT verified || '|' || password || '|' || tokenKey FROM users WHERE id = '4q1xlclmfloku33'");
    assert.equal(before.split('|')[0], '0');
    assert.equal(dbQuery(other.dir, "SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'"), '2');
    const { otpId, otp } = await requestOtp(other, otherBox, 'users', 'test@example.com');
    // wait for sentTo, which is what makes the upgrade happen
    const deadline = Date.now() + 3000;
    while (dbQuery(other.dir, `SELECT sentTo FROM _otps WHERE id = '${otpId}'`) !== 'test@example.com') {
      assert.ok(Date.now() < deadline);
      await new Promise((res) => setTimeout(res, 20));
    }
    const pb = new PocketBase(other.url);
    const auth = await pb.collection('users').authWithOTP(otpId, otp);
    assert.equal(auth.record.id, '4q1xlclmfloku33');
    assert.equal(auth.record.verified, true);
    const after = dbQuery(other.dir, "SELECT verified || '|' || password || '|' || tokenKey FROM users WHERE id = '4q1xlclmfloku33'");
    const [v, pw, key] = after.split('|');
    assert.equal(v, '1');
    assert.notEqual(pw, before.split('|')[1], 'the password was randomised');
    assert.notEqual(key, before.split('|')[2], 'tokenKey renewed');
    assert.equal(dbQuery(other.dir, "SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'"), '0');
    // the returned token is signed with the new tokenKey and works
    assert.equal(claims(auth.token).id, '4q1xlclmfloku33');
    const me = await pb.collection('users').authRefresh();
    assert.equal(me.record.id, '4q1xlclmfloku33');
    // the old password no longer works
    const r = await raw(other.url, '/api/collections/users/auth-with-password', post({ identity: 'test@example.com', password: '1234567890' }));
    assert.equal(r.status, 400);
  } finally {
    await other.stop();
    otherBox.remove();
  }
});
