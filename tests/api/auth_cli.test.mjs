// auth_cli.test.mjs — `pocketc superuser …` through child_process (PocketBase's messages on
// stdout/stderr, exit code 0 even after a failing sub-command, like PocketBase's launcher) and
// the serve installer: a fresh pb_data prints the one-time link with a 30-minute static token for
// the placeholder superuser; creating a real superuser removes the placeholder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { startServer, raw, binary, fixtureDir, claims, dbQuery, makeWritable } from './helpers.mjs';

function fixtureCopy() {
  const tmp = mkdtempSync(join(tmpdir(), 'pocketc-cli-'));
  const dir = join(tmp, 'pb_data');
  cpSync(fixtureDir, dir, { recursive: true });
  makeWritable(dir);
  return { tmp, dir };
}

function su(dir, ...args) {
  const r = spawnSync(binary, ['superuser', ...args, `--dir=${dir}`], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('superuser create / upsert / update / delete and their errors', () => {
  const { tmp, dir } = fixtureCopy();
  try {
    let r = su(dir, 'create', 'new@example.com', '1234567890');
    assert.deepEqual(r, { code: 0, out: 'Successfully created new superuser "new@example.com"!\n', err: '' });
    assert.equal(dbQuery(dir, "SELECT verified || '|' || substr(password, 1, 7) FROM _superusers WHERE email = 'new@example.com'"), '1|$2a$10$');
    r = su(dir, 'create', 'new@example.com', '1234567890');
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.equal(r.err, 'Error: failed to create new superuser account: email: Value must be unique.\n');
    r = su(dir, 'create', 'short@example.com', '1234567');
    assert.equal(r.err, 'Error: failed to create new superuser account: password: Must be at least 8 character(s).\n');
    r = su(dir, 'create', 'invalid', '1234567890');
    assert.equal(r.err, 'Error: missing or invalid email address\n');
    r = su(dir, 'create', 'a@example.com');
    assert.equal(r.err, 'Error: missing email and password arguments\n');

    const before = dbQuery(dir, "SELECT tokenKey FROM _superusers WHERE email = 'new@example.com'");
    r = su(dir, 'upsert', 'new@example.com', 'changed-pass-1');
    assert.equal(r.out, 'Successfully saved superuser "new@example.com"!\n');
    assert.notEqual(dbQuery(dir, "SELECT tokenKey FROM _superusers WHERE email = 'new@example.com'"), before, 'tokenKey renewed');
    r = su(dir, 'upsert', 'upserted@example.com', '1234567890');
    assert.equal(r.out, 'Successfully saved superuser "upserted@example.com"!\n');
    r = su(dir, 'upsert', 'upserted@example.com', '');
    assert.equal(r.err, 'Error: failed to upsert superuser account: password: Cannot be blank.\n');

    r = su(dir, 'update', 'nobody@example.com', '1234567890');
    assert.equal(r.err, 'Error: superuser with email "nobody@example.com" doesn\'t exist\n');
    r = su(dir, 'update', 'new@example.com', 'changed-pass-2');
    assert.equal(r.out, 'Successfully changed superuser "new@example.com" password!\n');

    r = su(dir, 'delete', 'nobody@example.com');
    assert.deepEqual(r, { code: 0, out: 'superuser "nobody@example.com" is missing or already deleted\n', err: '' });
    r = su(dir, 'delete', 'upserted@example.com');
    assert.equal(r.out, 'Successfully deleted superuser "upserted@example.com"!\n');
    r = su(dir, 'delete', 'bad');
    assert.equal(r.err, 'Error: invalid or missing email address\n');
    assert.equal(dbQuery(dir, "SELECT COUNT(*) FROM _superusers WHERE email = 'upserted@example.com'"), '0');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('superuser otp and ips', async () => {
  const { tmp, dir } = fixtureCopy();
  try {
    let r = su(dir, 'otp', 'test@example.com');
    assert.equal(r.err, 'Error: OTP auth is not enabled for the _superusers collection\n');
    r = su(dir, 'otp', 'nobody@example.com');
    assert.equal(r.err, 'Error: superuser with email "nobody@example.com" doesn\'t exist\n');
    dbQuery(dir, "UPDATE _collections SET options = json_set(options, '$.otp.enabled', json('true'), '$.mfa.enabled', json('true')) WHERE name = '_superusers'");
    r = su(dir, 'otp', 'test@example.com');
    const m = /^Successfully created OTP for superuser "test@example.com":\n├─ Id:    ([a-z0-9]{15})\n├─ Pass:  (\d{8})\n└─ Valid: 300s\n\n$/.exec(r.out);
    assert.ok(m, r.out);
    assert.equal(dbQuery(dir, `SELECT recordRef FROM _otps WHERE id = '${m[1]}'`), 'sywbhecnh46rhm0');

    r = su(dir, 'ips', '127.0.0.1', '10.0.0.0/8');
    assert.equal(r.out, 'Successfully updated SuperuserIPs setting:\n├─ 127.0.0.1\n└─ 10.0.0.0/8\n');
    r = su(dir, 'ips', 'not-an-ip');
    assert.equal(r.code, 0);
    assert.match(r.err, /^Error: superuserIPs: \(0: /);

    // the CLI-made OTP logs in (MFA forced on for superusers: OTP first, then the password)
    const srv = await startServer({ fixture: false, prepare: (d) => cpSync(dir, d, { recursive: true }) });
    try {
      const pb = new PocketBase(srv.url);
      const first = await raw(srv.url, '/api/collections/_superusers/auth-with-otp', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ otpId: m[1], password: m[2] }),
      });
      assert.equal(first.status, 401);
      const { mfaId } = JSON.parse(first.body);
      const auth = await pb.collection('_superusers').authWithPassword('test@example.com', '1234567890', { mfaId });
      assert.equal(auth.record.id, 'sywbhecnh46rhm0');
    } finally {
      await srv.stop();
    }
    r = su(dir, 'ips');
    assert.equal(r.out, 'Successfully cleared SuperuserIPs setting!\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the installer on a fresh pb_data', async () => {
  const srv = await startServer({ fixture: false });
  let dir;
  try {
    dir = srv.dir;
    const deadline = Date.now() + 3000;
    while (!srv.output().includes('pbinstall/')) {
      assert.ok(Date.now() < deadline, srv.output());
      await new Promise((r) => setTimeout(r, 20));
    }
    const out = srv.output();
    const m = /\n\(!\) Launch the URL below in the browser if it hasn't been open already to create your first superuser account:\n(http:\/\/127\.0\.0\.1:\d+)\/_\/#\/pbinstall\/([\w.-]+)\n\(you can also create your first superuser by running: (.+) superuser upsert EMAIL PASS\)\n\n/.exec(out);
    assert.ok(m, out);
    assert.equal(m[1], srv.url);
    assert.equal(m[3], binary);
    const token = m[2];
    const c = claims(token);
    assert.equal(c.refreshable, false);
    assert.equal(c.collectionId, 'pbc_3142635823');
    assert.ok(Math.abs(c.exp - (Date.now() / 1000 + 1800)) < 30);
    // the token authenticates the placeholder superuser and is not renewed
    const r = await raw(srv.url, '/api/collections/_superusers/auth-refresh', { method: 'POST', headers: { Authorization: token } });
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body);
    assert.equal(body.token, token);
    assert.equal(body.record.email, '__pbinstaller@example.com');
    // the placeholder never gets password reset mails; the request still answers 204
    const pr = await raw(srv.url, '/api/collections/_superusers/request-password-reset', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: '__pbinstaller@example.com' }),
    });
    assert.equal(pr.status, 204);
    // a real superuser created through the API replaces it
    const pb = new PocketBase(srv.url);
    pb.authStore.save(token, null);
    await pb.collection('_superusers').create({ email: 'admin@example.com', password: '1234567890', passwordConfirm: '1234567890' });
    assert.equal(dbQuery(dir, "SELECT group_concat(email) FROM _superusers"), 'admin@example.com');
  } finally {
    await srv.stop();
  }
});

test('no installer once a superuser exists; the CLI removes the placeholder too', async () => {
  const first = await startServer({ fixture: false });
  const tmp = mkdtempSync(join(tmpdir(), 'pocketc-inst-'));
  const dir = join(tmp, 'pb_data');
  try {
    const deadline = Date.now() + 3000;
    while (!first.output().includes('pbinstall/')) {
      assert.ok(Date.now() < deadline);
      await new Promise((r) => setTimeout(r, 20));
    }
    cpSync(first.dir, dir, { recursive: true });
  } finally {
    await first.stop();
  }
  try {
    assert.equal(dbQuery(dir, 'SELECT email FROM _superusers'), '__pbinstaller@example.com');
    const r = su(dir, 'upsert', 'root@example.com', '1234567890');
    assert.equal(r.out, 'Successfully saved superuser "root@example.com"!\n');
    assert.equal(dbQuery(dir, 'SELECT group_concat(email) FROM _superusers'), 'root@example.com');
    const srv = await startServer({ fixture: false, prepare: (d) => cpSync(dir, d, { recursive: true }) });
    try {
      await new Promise((res) => setTimeout(res, 200));
      assert.ok(!srv.output().includes('pbinstall'), srv.output());
      const pb = new PocketBase(srv.url);
      const auth = await pb.collection('_superusers').authWithPassword('root@example.com', '1234567890');
      assert.equal(auth.record.email, 'root@example.com');
    } finally {
      await srv.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
