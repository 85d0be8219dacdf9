// backups.test.mjs — /api/backups through the official SDK: auth ladder, create (generated
// and given names, validation codes), list JSON, download with a superuser file token, upload
// (zip check, unique name, no body limit), delete, canBackup; a backup taken under write load
// and restored (the server restarts itself in place: every write acknowledged before the
// backup began is back, later ones are gone, integrity_check passes); and the same flows on
// an S3 stub that verifies every request's SigV4 signature.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens } from './helpers.mjs';
import { startS3Stub } from './s3_stub.mjs';

function client(url, token) {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  return pb;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// a zip's entry names, from its central directory
function zipNames(buf) {
  const names = [];
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let off = buf.readUInt32LE(eocd + 16);
  const n = buf.readUInt16LE(eocd + 10);
  for (let i = 0; i < n; i++) {
    const nameLen = buf.readUInt16LE(off + 28), extra = buf.readUInt16LE(off + 30), comment = buf.readUInt16LE(off + 32);
    names.push(buf.subarray(off + 46, off + 46 + nameLen).toString());
    off += 46 + nameLen + extra + comment;
  }
  return names;
}

// Go's zip.NewWriter(...).Close(): the 22-byte empty archive
const emptyZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);

async function waitRestarted(pb, goneId) {
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await pb.collection('demo2').getOne(goneId);
    } catch (e) {
      if (e.status === 404) return;
    }
    if (Date.now() > deadline) throw new Error('the server did not come back restored');
    await sleep(100);
  }
}

describe('local backups', () => {
  let srv, su;
  before(async () => {
    srv = await startServer();
    su = client(srv.url, tokens.superuser);
  });
  after(async () => { await srv.stop(); });

  test('superuser only (401 guest, 403 user), file token for downloads', async () => {
    for (const [method, path] of [['GET', '/api/backups'], ['POST', '/api/backups'], ['POST', '/api/backups/upload'],
      ['DELETE', '/api/backups/test1.zip'], ['POST', '/api/backups/test1.zip/restore']]) {
      const g = await raw(srv.url, path, { method });
      assert.equal(g.status, 401, path);
      assert.equal(g.body, '{"data":{},"message":"The request requires valid record authorization token.","status":401}\n');
      const u = await raw(srv.url, path, { method, headers: { Authorization: tokens.user } });
      assert.equal(u.status, 403, path);
    }
    const forbidden = '{"data":{},"message":"Insufficient permissions to access the resource.","status":403}\n';
    for (const q of ['', '?token=', `?token=${tokens.superuser}`]) {
      const r = await raw(srv.url, '/api/backups/test1.zip' + q, { headers: { Authorization: tokens.superuser } });
      assert.equal(r.status, 403);
      assert.equal(r.body, forbidden);
    }
    const userFileToken = await client(srv.url, tokens.user).files.getToken();
    assert.equal((await raw(srv.url, `/api/backups/test1.zip?token=${userFileToken}`)).status, 403);
  });

  test('create, list, download, delete', async () => {
    assert.deepEqual(await su.backups.getFullList(), []);
    assert.equal(await su.backups.create(''), true);
    assert.equal(await su.backups.create('test1.zip'), true);

    let err = await su.backups.create('!test.zip').catch((e) => e);
    assert.equal(err.status, 400);
    assert.deepEqual(err.response, {
      data: { name: { code: 'validation_match_invalid', message: 'Must be in a valid format.' } },
      message: 'An error occurred while validating the submitted data.', status: 400,
    });
    err = await su.backups.create('test1.zip').catch((e) => e);
    assert.equal(err.response.data.name.code, 'validation_backup_name_exists');
    err = await su.backups.create('a'.repeat(147) + '.zip').catch((e) => e);
    assert.deepEqual(err.response.data.name,
      { code: 'validation_length_out_of_range', message: 'The length must be between 1 and 150.', params: { max: 150, min: 1 } });

    const list = await raw(srv.url, '/api/backups', { headers: { Authorization: tokens.superuser } });
    assert.equal(list.status, 200);
    assert.match(list.body, /^\[\{"modified":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z","key":"pb_backup_acme_test_\d{14}\.zip","size":\d+\},\{"modified":"[^"]+","key":"test1\.zip","size":\d+\}\]\n$/);

    const token = await su.files.getToken();
    const r = await fetch(su.backups.getDownloadURL(token, 'test1.zip'));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/zip');
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename=test1.zip');
    const zip = Buffer.from(await r.arrayBuffer());
    const names = zipNames(zip);
    for (const want of ['.gitignore', 'auxiliary.db', 'data.db'])
      assert.ok(names.includes(want), want);
    assert.ok(names.some((n) => n.startsWith('storage/')));
    assert.ok(!names.some((n) => /^(backups|lost\+found|\.pb_temp_to_delete)\//.test(n)));
    assert.equal((await raw(srv.url, `/api/backups/missing?token=${token}`)).status, 404);

    err = await su.backups.delete('missing.zip').catch((e) => e);
    assert.equal(err.status, 400);
    assert.match(err.response.message, /^Invalid or already deleted backup file\. Raw error: \n/);
    assert.equal(await su.backups.delete('test1.zip'), true);
    assert.deepEqual((await su.backups.getFullList()).map((b) => b.key.slice(0, 10)), ['pb_backup_']);
    assert.ok(existsSync(join(srv.dir, 'backups')));
    assert.ok(!existsSync(join(srv.dir, 'backups', 'test1.zip.attrs')));
  });

  test('upload: required, zip only, unique, no body limit', async () => {
    let err = await su.backups.upload({}).catch((e) => e);
    assert.deepEqual(err.response.data, { file: { code: 'validation_required', message: 'Cannot be blank.' } });
    err = await su.backups.upload({ file: new File(['not a zip'], 'x.txt') }).catch((e) => e);
    assert.equal(err.response.data.file.code, 'validation_invalid_mime_type');
    assert.match(err.response.data.file.message, /^"x\w+\.txt" mime type must be one of: application\/zip\.$/);

    assert.equal(await su.backups.upload({ file: new File([emptyZip], 'uploaded') }), true);
    const attrs = JSON.parse(readFileSync(join(srv.dir, 'backups', 'uploaded.attrs'), 'utf8'));
    assert.equal(attrs['user.content_type'], 'application/zip');
    assert.deepEqual(attrs['user.metadata'], { 'original-filename': 'uploaded' });
    err = await su.backups.upload({ file: new File([emptyZip], 'uploaded') }).catch((e) => e);
    assert.deepEqual(err.response.data,
      { file: { code: 'validation_backup_name_exists', message: 'Backup file with the specified name already exists.' } });

    const big = await raw(srv.url, '/api/backups/upload', {
      method: 'POST', headers: { Authorization: tokens.superuser }, body: Buffer.alloc((32 << 20) + 100),
    });
    assert.equal(big.status, 400);
    assert.doesNotMatch(big.body, /entity too large/);
    assert.match(big.body, /"data":\{"file":/);
  });

  test('canBackup in /api/health', async () => {
    const h = await su.health.check();
    assert.deepEqual(h.data, { canBackup: true, possibleProxyHeader: '', realIP: '127.0.0.1' });
    const r = await su.backups.restore('missing.zip').catch((e) => e);
    assert.equal(r.status, 400);
    assert.equal(r.response.message, 'Missing or invalid backup file.');
  });
});

describe('backup under write load, then restore', () => {
  let srv, su;
  before(async () => {
    srv = await startServer();
    su = client(srv.url, tokens.superuser);
  });
  after(async () => { await srv.stop(); });

  test('every write acknowledged before the backup began is restored', async () => {
    const acked = [];
    let stop = false;
    const writer = async (w) => {
      for (let i = 0; !stop && i < 5000; i++) {
        const rec = await su.collection('demo2').create({ title: `w${w}-${i}` });
        acked.push(rec.id);
      }
    };
    const writers = [writer(0), writer(1), writer(2)];
    while (acked.length < 60) await sleep(5);
    const before = acked.slice();
    await su.backups.create('load.zip');
    await sleep(50);
    stop = true;
    await Promise.all(writers);
    const marker = await su.collection('demo2').create({ title: 'after the backup' });

    const h = await raw(srv.url, '/api/health', { headers: { Authorization: tokens.superuser } });
    assert.match(h.body, /"canBackup":true/);
    assert.equal(await su.backups.restore('load.zip'), true);
    const busy = await raw(srv.url, '/api/health', { headers: { Authorization: tokens.superuser } });
    assert.match(busy.body, /"canBackup":false/);
    const again = await su.backups.restore('load.zip').catch((e) => e);
    assert.equal(again.status, 400);
    assert.equal(again.response.message, 'Try again later - another backup/restore process has already been started.');

    await waitRestarted(su, marker.id);
    const ids = new Set((await su.collection('demo2').getFullList({ fields: 'id', batch: 1000 })).map((r) => r.id));
    const missing = before.filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${before.length} acknowledged writes missing`);
    const ic = execFileSync('sqlite3', ['-readonly', join(srv.dir, 'data.db'), 'PRAGMA integrity_check']).toString().trim();
    assert.equal(ic, 'ok');
    assert.ok(existsSync(join(srv.dir, 'backups', 'load.zip')), 'the backups dir survives a restore');
    const h2 = await su.health.check();
    assert.equal(h2.data.canBackup, true);
  });
});

describe('backups on S3', () => {
  const s3cfg = { bucket: 'pb-backups', region: 'test-region', accessKey: 'AKTEST', secret: 's3cr3t/key' };
  let stub, srv, su;
  before(async () => {
    stub = await startS3Stub(s3cfg);
    srv = await startServer({
      prepare(dir) {
        const s3 = JSON.stringify({
          enabled: true, bucket: s3cfg.bucket, region: s3cfg.region, endpoint: stub.endpoint,
          accessKey: s3cfg.accessKey, secret: s3cfg.secret, forcePathStyle: true,
        });
        execFileSync('sqlite3', [join(dir, 'data.db'),
          `UPDATE _params SET value = json_set(CAST(value AS TEXT), '$.backups.s3', json('${s3}')) WHERE id = 'settings'`]);
      },
    });
    su = client(srv.url, tokens.superuser);
  });
  after(async () => {
    await srv.stop();
    await stub.close();
  });

  test('create, list (paged), download, upload, delete, restore through signed requests', async () => {
    assert.deepEqual(await su.backups.getFullList(), []);
    for (const name of ['a.zip', 'b.zip', 'c.zip']) await su.backups.create(name);
    assert.ok(!existsSync(join(srv.dir, 'backups', 'a.zip')), 'nothing stored locally');
    const obj = stub.objects.get('a.zip');
    assert.equal(obj.contentType, 'application/zip');
    assert.equal(obj.meta['x-amz-meta-original-filename'], 'a.zip');
    assert.ok(zipNames(obj.body).includes('data.db'));

    const list = await su.backups.getFullList(); // 3 objects over 2 pages
    assert.deepEqual(list.map((b) => b.key), ['a.zip', 'b.zip', 'c.zip']);
    assert.equal(list[0].size, obj.body.length);
    assert.match(list[0].modified, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    const err = await su.backups.create('a.zip').catch((e) => e);
    assert.equal(err.response.data.name.code, 'validation_backup_name_exists');

    const token = await su.files.getToken();
    const r = await fetch(su.backups.getDownloadURL(token, 'b.zip'));
    assert.equal(r.status, 200);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), stub.objects.get('b.zip').body);
    assert.equal((await raw(srv.url, `/api/backups/nope.zip?token=${token}`)).status, 404);

    assert.equal(await su.backups.upload({ file: new File([emptyZip], 'up.zip') }), true);
    assert.equal(stub.objects.get('up.zip').body.length, 22);
    assert.equal(await su.backups.delete('c.zip'), true);
    assert.ok(!stub.objects.has('c.zip'));

    const marker = await su.collection('demo2').create({ title: 'not in the s3 backup' });
    assert.equal(await su.backups.restore('a.zip'), true);
    await waitRestarted(su, marker.id);
    assert.equal(stub.badSignatures, 0);
    assert.ok(stub.requests.length > 10);
  });

  test('the stub really checks signatures', async () => {
    const r = await fetch(`${stub.endpoint}/${s3cfg.bucket}/a.zip`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKTEST/20250101/test-region/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=' + '0'.repeat(64), 'x-amz-date': '20250101T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    assert.equal(r.status, 403);
    assert.match(await r.text(), /SignatureDoesNotMatch/);
    stub.badSignatures = 0;
  });
});
