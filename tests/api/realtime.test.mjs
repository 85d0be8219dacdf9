// realtime.test.mjs — GET/POST /api/realtime through the official SDK (pb.realtime /
// collection.subscribe with Node's `eventsource` package as EventSource) and raw HTTP:
// PB_CONNECT framing, per-subscriber rules on the fixture's collections (users, demo3, demo2),
// exact event bytes, options (expand/fields/filter), unsubscribe/reconnect, auth association
// and its maintenance (refresh, tokenKey change, delete), and malformed subscription POSTs.
// The daemon runs 4 workers so streams and their POSTs usually land on different loops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens } from './helpers.mjs';

globalThis.EventSource = EventSource;

const USER1 = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';

let srv;
before(async () => { srv = await startServer({ args: ['--workers=4'] }); });
after(async () => { assert.equal(await srv.stop(), 0); }); // non-zero: a sanitizer report

function client(token, url = srv.url) {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  return pb;
}

// Collects SDK callbacks per label; `until` waits for a matching item.
class Inbox {
  constructor() { this.items = []; this.waiters = []; }
  push(item) {
    this.items.push(item);
    for (const w of this.waiters.splice(0)) w();
  }
  on(label) { return (e) => this.push({ label, action: e.action, record: e.record }); }
  async until(pred, ms = 5000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.items.find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting; got ' + JSON.stringify(this.items.map((i) => [i.label, i.action, i.record?.id])));
      await new Promise((ok) => { const t = setTimeout(ok, left); this.waiters.push(() => { clearTimeout(t); ok(); }); });
    }
  }
  labels() { return this.items.map((i) => `${i.label}:${i.action}:${i.record?.id}`); }
}

// A raw SSE stream: the response, its client id and the frames read so far.
async function openStream(url = srv.url) {
  const ac = new AbortController();
  const res = await fetch(url + '/api/realtime', { signal: ac.signal });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  const s = { res, frames: [], buf: '', waiters: [], closed: false };
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        s.buf += dec.decode(value, { stream: true });
        let i;
        while ((i = s.buf.indexOf('\n\n')) >= 0) {
          s.frames.push(s.buf.slice(0, i + 2));
          s.buf = s.buf.slice(i + 2);
        }
        for (const w of s.waiters.splice(0)) w();
      }
    } catch (e) {
      s.error = e;
    }
    s.closed = true;
    for (const w of s.waiters.splice(0)) w();
  })();
  s.next = async (n = 1, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (s.frames.length < n && !s.closed) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise((ok) => { const t = setTimeout(ok, left); s.waiters.push(() => { clearTimeout(t); ok(); }); });
    }
    return s.frames.slice(0, n);
  };
  s.close = () => ac.abort();
  const [first] = await s.next(1);
  s.id = /^id:(\S+)\n/.exec(first || '')?.[1];
  return s;
}

const post = (body, headers = {}, url = srv.url) => raw(url, '/api/realtime', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

test('GET /api/realtime: headers and the PB_CONNECT frame', async () => {
  const s = await openStream();
  assert.equal(s.res.status, 200);
  assert.equal(s.res.headers.get('content-type'), 'text/event-stream');
  assert.equal(s.res.headers.get('cache-control'), 'no-store');
  assert.equal(s.res.headers.get('x-accel-buffering'), 'no');
  assert.match(s.id, /^[A-Za-z0-9]{40}$/);
  assert.equal(s.frames[0], `id:${s.id}\nevent:PB_CONNECT\ndata:{"clientId":"${s.id}"}\n\n`);
  s.close();
  // a HEAD answers the headers only and keeps nothing open
  const h = await raw(srv.url, '/api/realtime', { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(h.headers.get('content-type'), 'text/event-stream');
  assert.equal(h.body, '');
});

test('exact event bytes, one message per matching subscription string', async () => {
  const s = await openStream();
  const topics = ['demo2/*', 'sz5l5z67tg7gku0/*', 'demo2', 'demo2/*?x=1'];
  assert.equal((await post({ clientId: s.id, subscriptions: [...topics, 'demo2/*', ''] })).status, 204);
  const rec = await client().collection('demo2').create({ title: 'rt bytes' });
  const frames = await s.next(1 + topics.length);
  const data = JSON.stringify({ record: rec, action: 'create' });
  assert.deepEqual(frames.slice(1).sort(), topics.map((t) => `id:${s.id}\nevent:${t}\ndata:${data}\n\n`).sort());
  // the record's own topic (viewRule) joins in for updates and deletes
  assert.equal((await post({ clientId: s.id, subscriptions: [`demo2/${rec.id}`] })).status, 204);
  await client().collection('demo2').delete(rec.id);
  const [, , , , , del] = await s.next(6);
  assert.equal(del, `id:${s.id}\nevent:demo2/${rec.id}\ndata:${JSON.stringify({ record: rec, action: 'delete' })}\n\n`);
  s.close();
});

test('two users, a client, a superuser and a guest get what their rules allow', async () => {
  const who = { guest: null, user1: tokens.user, user2: tokens.user2, client: tokens.client, superuser: tokens.superuser };
  const box = {};
  const pbs = {};
  for (const [name, token] of Object.entries(who)) {
    const pb = (pbs[name] = client(token));
    const inbox = (box[name] = new Inbox());
    await pb.collection('demo3').subscribe('*', inbox.on('demo3/*'));
    await pb.collection('users').subscribe('*', inbox.on('users/*'));
    await pb.collection('users').subscribe(USER1, inbox.on('users/user1'));
    await pb.collection('demo2').subscribe('*', inbox.on('demo2/*'));
  }
  // demo3: only non-`users` auth records (clients, superusers)
  const d3 = await pbs.superuser.collection('demo3').create({ title: 'rt demo3' });
  // users: listRule null (superusers), viewRule id = @request.auth.id (the owner)
  const u1 = await pbs.user1.collection('users').update(USER1, { name: 'rt renamed' });
  assert.equal(u1.name, 'rt renamed');
  // a public sentinel: once it arrived, everything before it has been delivered
  const sentinel = await pbs.guest.collection('demo2').create({ title: 'rt sentinel' });
  for (const inbox of Object.values(box)) await inbox.until((i) => i.record.id === sentinel.id);

  assert.deepEqual(box.guest.labels(), [`demo2/*:create:${sentinel.id}`]);
  assert.deepEqual(box.user2.labels(), [`demo2/*:create:${sentinel.id}`]);
  assert.deepEqual(box.user1.labels(), [`users/user1:update:${USER1}`, `demo2/*:create:${sentinel.id}`]);
  assert.deepEqual(box.client.labels(), [`demo3/*:create:${d3.id}`, `demo2/*:create:${sentinel.id}`]);
  assert.deepEqual(box.superuser.labels().sort(), [
    `demo3/*:create:${d3.id}`, `users/*:update:${USER1}`, `users/user1:update:${USER1}`, `demo2/*:create:${sentinel.id}`,
  ].sort());
  // email: the owner and superusers see it (emailVisibility is off)
  assert.equal(box.user1.items[0].record.email, 'test@example.com');
  assert.equal(box.superuser.items.find((i) => i.label === 'users/*').record.email, 'test@example.com');
  assert.equal(box.user1.items[0].record.name, 'rt renamed');
  assert.equal(box.user1.items[0].record.password, undefined);
  assert.equal(box.user1.items[0].record.tokenKey, undefined);
  for (const pb of Object.values(pbs)) await pb.realtime.unsubscribe();
});

test('options: expand, fields and filter per subscription', async () => {
  const pb = client(tokens.user);
  const inbox = new Inbox();
  await pb.collection('users').subscribe(USER1, inbox.on('expand'), { expand: 'rel' });
  await pb.collection('users').subscribe(USER1, inbox.on('fields'), { expand: 'rel', fields: 'id,expand.rel.title' });
  await pb.collection('demo2').subscribe('*', inbox.on('filter'), { filter: "title = 'rt yes'" });
  await pb.collection('demo2').subscribe('*', inbox.on('forbidden'), { filter: "@request.auth.id != ''" });
  await client(tokens.superuser).collection('users').update(USER1, { name: 'rt options' });
  const no = await client().collection('demo2').create({ title: 'rt no' });
  const yes = await client().collection('demo2').create({ title: 'rt yes' });
  await inbox.until((i) => i.label === 'filter');
  const e = await inbox.until((i) => i.label === 'expand');
  assert.equal(e.record.expand.rel.id, 'llvuca81nly1qls');
  assert.equal(e.record.expand.rel.title, 'test1');
  const f = await inbox.until((i) => i.label === 'fields');
  assert.deepEqual(f.record, { expand: { rel: { title: 'test1' } }, id: USER1 });
  assert.deepEqual(inbox.items.filter((i) => i.label === 'filter').map((i) => i.record.id), [yes.id]);
  assert.equal(inbox.items.some((i) => i.label === 'forbidden'), false); // @request. needs a superuser
  assert.notEqual(no.id, yes.id);
  await pb.realtime.unsubscribe();
});

test('unsubscribe, disconnect and reconnect', async () => {
  const pb = client();
  const inbox = new Inbox();
  const unsubA = await pb.collection('demo2').subscribe('*', inbox.on('a'));
  await pb.collection('demo2').subscribe('*', inbox.on('b'), { fields: 'id' });
  const first = pb.realtime.clientId;
  assert.match(first, /^[A-Za-z0-9]{40}$/);
  await unsubA();
  const r1 = await client().collection('demo2').create({ title: 'rt unsub' });
  await inbox.until((i) => i.label === 'b' && i.record.id === r1.id);
  assert.equal(inbox.items.some((i) => i.label === 'a'), false);
  assert.deepEqual(inbox.items.find((i) => i.label === 'b').record, { id: r1.id });

  // the last unsubscribe closes the stream; the server forgets the client
  await pb.realtime.unsubscribe();
  assert.equal(pb.realtime.isConnected, false);
  let status;
  for (let i = 0; i < 100; i++) {
    status = (await post({ clientId: first, subscriptions: ['demo2/*'] })).status;
    if (status === 404) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(status, 404);

  // subscribing again opens a new client
  await pb.collection('demo2').subscribe('*', inbox.on('c'));
  assert.notEqual(pb.realtime.clientId, first);
  const r2 = await client().collection('demo2').create({ title: 'rt again' });
  await inbox.until((i) => i.label === 'c' && i.record.id === r2.id);
  await pb.realtime.unsubscribe();
});

test('malformed subscription requests get PocketBase errors', async () => {
  const generic = '{"data":{},"message":"Something went wrong while processing your request.","status":400}\n';
  let r = await post({});
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"data":{"clientId":{"code":"validation_required","message":"Cannot be blank."}},' +
    '"message":"Something went wrong while processing your request.","status":400}\n');
  for (const body of ['{', '[]', '{"clientId":1}', '{"clientId":"x","subscriptions":"a"}', '{"clientId":"x","subscriptions":[1]}']) {
    r = await post(body);
    assert.equal(r.status, 400, body);
    assert.equal(r.body, generic, body);
  }
  r = await raw(srv.url, '/api/realtime', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
  assert.equal(r.body, generic);
  r = await post({ clientId: 'missing', subscriptions: ['test1', 'test2'] });
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid client id.","status":404}\n');
  r = await post({ clientId: 'x'.repeat(256) });
  assert.equal(r.body, '{"data":{"clientId":{"code":"validation_length_out_of_range","message":"The length must be ' +
    'between 1 and 255.","params":{"max":255,"min":1}}},"message":"Something went wrong while processing your request.","status":400}\n');

  const s = await openStream();
  r = await post({ clientId: s.id, subscriptions: Array.from({ length: 1001 }, (_, i) => `t${i}`) });
  assert.equal(r.status, 400);
  assert.match(r.body, /^\{"data":\{"subscriptions":\{"code":"validation_length_too_long","message":"The length must be no more than 1000\.","params":\{"max":1000,"min":0\}\}\}/);
  r = await post({ clientId: s.id, subscriptions: ['abc', 'a'.repeat(2501), 'é'.repeat(2500)] });
  assert.equal(r.status, 400);
  assert.match(r.body, /^\{"data":\{"subscriptions":\{"1":\{"code":"validation_length_too_long","message":"The length must be no more than 2500\."/);
  // ozzo's Length counts bytes: 2500 two-byte letters are 5000 bytes, too long as well
  assert.match(r.body, /"2":\{"code":"validation_length_too_long"/);
  // the limits themselves are fine, and the form encoding binds too
  assert.equal((await post({ clientId: s.id, subscriptions: Array.from({ length: 1000 }, (_, i) => `t${i}`) })).status, 204);
  r = await raw(srv.url, '/api/realtime', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `clientId=${s.id}&subscriptions=demo2%2F*&subscriptions=${'a'.repeat(2500)}`,
  });
  assert.equal(r.status, 204);
  s.close();
});

test('auth association: guest → auth upgrade only; refresh, tokenKey change and delete', async () => {
  const own = await startServer();
  try {
    const s1 = await openStream(own.url);
    const s2 = await openStream(own.url);
    const auth = (t) => ({ Authorization: t });
    const mismatch = '{"data":{},"message":"The current and the previous request authorization don\'t match.","status":403}\n';
    // guest → user1, then the same user again
    assert.equal((await post({ clientId: s1.id, subscriptions: [] }, {}, own.url)).status, 204);
    assert.equal((await post({ clientId: s1.id, subscriptions: [`users/${USER1}`] }, auth(tokens.user), own.url)).status, 204);
    assert.equal((await post({ clientId: s1.id, subscriptions: [`users/${USER1}`] }, auth(tokens.user), own.url)).status, 204);
    // another user, a superuser or a guest may not take the client over
    for (const h of [auth(tokens.user2), auth(tokens.superuser), {}]) {
      const r = await post({ clientId: s1.id, subscriptions: ['demo2/*'] }, h, own.url);
      assert.equal(r.status, 403);
      assert.equal(r.body, mismatch);
    }
    assert.equal((await post({ clientId: s2.id, subscriptions: [`users/${USER2}`] }, auth(tokens.user2), own.url)).status, 204);

    const su = client(tokens.superuser, own.url);
    // an update refreshes the stored auth (the owner still passes its viewRule)
    await su.collection('users').update(USER1, { name: 'rt fresh' });
    const [, upd] = await s1.next(2);
    assert.match(upd, /"name":"rt fresh"/);
    // a new password renews the tokenKey: the client becomes a guest (and no longer sees the
    // record), so a guest POST is accepted again
    await su.collection('users').update(USER1, { password: '1234567890new', passwordConfirm: '1234567890new' });
    await su.collection('demo2').create({ title: 'rt after password' }); // sentinel below
    assert.equal((await post({ clientId: s1.id, subscriptions: ['demo2/*'] }, {}, own.url)).status, 204);
    const r = await su.collection('demo2').create({ title: 'rt guest now' });
    const frames = await s1.next(3);
    assert.equal(frames.length, 3);
    assert.match(frames[2], new RegExp(`"id":"${r.id}"`));

    // deleting user2: its own subscription still gets the delete (checked as the record was),
    // then the client is a guest
    await su.collection('users').delete(USER2);
    const [, del] = await s2.next(2);
    assert.match(del, new RegExp(`^id:${s2.id}\nevent:users/${USER2}\ndata:\\{"record":\\{.*"id":"${USER2}".*\\},"action":"delete"\\}\n\n$`));
    assert.match(del, /"email":"test2@example.com"/);
    assert.equal((await post({ clientId: s2.id, subscriptions: [] }, {}, own.url)).status, 204);
    s1.close();
    s2.close();
  } finally {
    assert.equal(await own.stop(), 0);
  }
});

test('idle timeout (only delivered messages count) and maximum lifetime', async () => {
  // the daemon's test knobs shrink PocketBase's 5 min / 30 min to 600 ms / 1600 ms
  process.env.POCKETC_REALTIME_IDLE_MS = '600';
  process.env.POCKETC_REALTIME_MAX_MS = '1600';
  let own;
  try {
    own = await startServer();
  } finally {
    delete process.env.POCKETC_REALTIME_IDLE_MS;
    delete process.env.POCKETC_REALTIME_MAX_MS;
  }
  try {
    const t0 = Date.now();
    const idle = await openStream(own.url);
    const busy = await openStream(own.url);
    assert.equal((await post({ clientId: busy.id, subscriptions: ['demo2/*'] }, {}, own.url)).status, 204);
    const pb = client(null, own.url);
    const at = {};
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await pb.collection('demo2').create({ title: `rt tick ${i}` });
      if (idle.closed && !at.idle) at.idle = Date.now() - t0;
    }
    assert.equal(busy.closed, false); // ~1 s open: messages kept it alive past the idle timeout
    for (let i = 0; i < 100 && !idle.closed; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(idle.closed, 'the stream without messages was closed');
    assert.ok(!at.idle || at.idle >= 550, `idle closed after ${at.idle} ms`);
    for (let i = 0; i < 100 && !busy.closed; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(busy.closed, true);
    const lifetime = Date.now() - t0;
    assert.ok(lifetime >= 1550 && lifetime < 3500, `closed after ${lifetime} ms`);
    assert.equal(busy.error, undefined);
    assert.equal(busy.frames.length, 6); // PB_CONNECT + 5 creates
    // a closed client is gone
    assert.equal((await post({ clientId: busy.id, subscriptions: [] }, {}, own.url)).status, 404);
  } finally {
    assert.equal(await own.stop(), 0);
  }
});

test('streams end cleanly when the server stops', async () => {
  const own = await startServer();
  const s = await openStream(own.url);
  assert.equal(s.closed, false);
  const stopped = own.stop();
  for (let i = 0; i < 100 && !s.closed; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(s.closed, true);
  assert.equal(s.error, undefined); // the chunked body was terminated, not cut off
  assert.equal(s.buf, '');
  assert.equal(await stopped, 0);
});
