// files_batch.test.mjs — file downloads (inline/attachment, ranges, thumbs, protected files
// with file tokens) and the batch API (one transaction, rollback on failure) through the SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, raw, tokens, sdkClient } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const client = (token) => sdkClient(srv.url, token);

const avatar = '/api/files/_pb_users_auth_/4q1xlclmfloku33/300_1SEi6Q6U72.png';

test('a stored image is served inline with PocketBase headers', async () => {
  const r = await fetch(srv.url + avatar);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.equal(r.headers.get('content-disposition'), 'inline; filename=300_1SEi6Q6U72.png');
  assert.equal(r.headers.get('cache-control'), 'max-age=2592000, stale-while-revalidate=86400');
  assert.match(r.headers.get('content-security-policy'), /sandbox/);
  assert.equal(r.headers.get('x-frame-options'), null);
  assert.equal(r.headers.get('accept-ranges'), 'bytes');
  const bytes = new Uint8Array(await r.arrayBuffer());
  assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  const dl = await fetch(srv.url + avatar + '?download=1');
  assert.equal(dl.headers.get('content-disposition'), 'attachment; filename=300_1SEi6Q6U72.png');
  await dl.arrayBuffer();
  const part = await fetch(srv.url + avatar, { headers: { Range: 'bytes=0-3' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 0-3/${bytes.length}`);
  assert.equal((await part.arrayBuffer()).byteLength, 4);
  const head = await raw(srv.url, avatar, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('thumbs: the default size is made once, unknown sizes fall back to the original', async () => {
  const thumbDir = join(srv.dir, 'storage/_pb_users_auth_/4q1xlclmfloku33/thumbs_300_1SEi6Q6U72.png');
  const r = await fetch(srv.url + avatar + '?thumb=100x100');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), 'inline; filename=100x100_300_1SEi6Q6U72.png');
  await r.arrayBuffer();
  assert.ok(existsSync(join(thumbDir, '100x100_300_1SEi6Q6U72.png')));
  const other = await fetch(srv.url + avatar + '?thumb=123x45');
  assert.equal(other.headers.get('content-disposition'), 'inline; filename=300_1SEi6Q6U72.png');
  await other.arrayBuffer();
  assert.ok(!existsSync(join(thumbDir, '123x45_300_1SEi6Q6U72.png')));
});

test('missing files and records are 404 JSON', async () => {
  let r = await raw(srv.url, '/api/files/_pb_users_auth_/4q1xlclmfloku33/missing.png');
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"The requested resource wasn\'t found.","status":404}\n');
  r = await raw(srv.url, '/api/files/_pb_users_auth_/nope/300_1SEi6Q6U72.png');
  assert.equal(r.status, 404);
  r = await raw(srv.url, '/api/files/nope/4q1xlclmfloku33/300_1SEi6Q6U72.png');
  assert.equal(r.status, 404);
  r = await raw(srv.url, '/api/files/_pb_users_auth_/4q1xlclmfloku33/..%2F..%2Fdata.db');
  assert.equal(r.status, 404);
});

test('protected files need a file token that passes the view rule', async () => {
  const path = '/api/files/demo1/al1h9ijdeojtsjy/300_Jsjq7RdBgA.png';
  let r = await raw(srv.url, path);
  assert.equal(r.status, 404);
  const su = client(tokens.superuser);
  const token = await su.files.getToken();
  assert.match(token, /^eyJ/);
  const ok = await fetch(`${srv.url}${path}?token=${token}`);
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
  r = await raw(srv.url, '/api/files/token', { method: 'POST' });
  assert.equal(r.status, 401);
  // a view's file is served from the record of the collection the view selects it from
  const viewFile = '/api/files/view1/84nmscqy84lsi1t/test_d61b33QdDU.txt';
  r = await raw(srv.url, viewFile);
  assert.equal(r.status, 404);
  r = await raw(srv.url, `${viewFile}?token=${token}`);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'test\n'); // the fixture file's bytes
});

test('batch: every sub-request commits together, results in order', async () => {
  const pb = client(tokens.superuser);
  const batch = pb.createBatch();
  batch.collection('demo2').create({ id: 'batchrec0000001', title: 'batch 1' });
  batch.collection('demo2').update('batchrec0000001', { title: 'batch 1b' });
  batch.collection('demo2').upsert({ id: 'batchrec0000002', title: 'batch 2' });
  batch.collection('demo2').delete('batchrec0000002');
  const res = await batch.send();
  assert.deepEqual(res.map((x) => x.status), [200, 200, 200, 204]);
  assert.equal(res[1].body.title, 'batch 1b');
  assert.equal(res[3].body, null);
  const got = await pb.collection('demo2').getOne('batchrec0000001');
  assert.equal(got.title, 'batch 1b');
});

test('batch: a failing sub-request rolls back the ones before it', async () => {
  const pb = client(tokens.superuser);
  const batch = pb.createBatch();
  batch.collection('demo2').create({ id: 'batchrec0000009', title: 'never stored' });
  batch.collection('demo2').create({ title: '' }); // required title
  await assert.rejects(batch.send(), (err) => {
    assert.equal(err.status, 400);
    assert.equal(err.response.message, 'Batch transaction failed.');
    assert.equal(err.response.data.requests['1'].code, 'batch_request_failed');
    assert.equal(err.response.data.requests['1'].response.status, 400);
    assert.equal(err.response.data.requests['1'].response.data.title.code, 'validation_required');
    return true;
  });
  const r = await raw(srv.url, '/api/collections/demo2/records/batchrec0000009');
  assert.equal(r.status, 404);
  const bad = await raw(srv.url, '/api/batch', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"requests":[]}' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body, '{"data":{"requests":{"code":"validation_required","message":"Cannot be blank."}},"message":"Invalid batch request data.","status":400}\n');
});
