// ratelimit.test.mjs — settings.rateLimits end to end (rules set through PATCH /api/settings
// with the SDK): the global limiter's labels, the collection tags of the record CRUD inline
// checks (<collection>:<tag>, *:<tag>) and the file route, audiences, superusers and excluded
// IPs skipped, the cleanup cron job appearing once a limiter was used and the reset on a
// settings save; settings.trustedProxy for the real IP (separate windows per forwarded
// client, /api/health's realIP) and the superuserIPs whitelist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, raw, tokens, sdkClient } from './helpers.mjs';

let srv, pb;
before(async () => {
  srv = await startServer();
  pb = sdkClient(srv.url, tokens.superuser);
});
after(async () => { await srv.stop(); });

const TOO_MANY = '{"data":{},"message":"Too Many Requests.","status":429}\n';
const rule = (label, maxRequests, audience = '') => ({ label, audience, duration: 60, maxRequests });
const statuses = async (n, path, init = {}) => {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await raw(srv.url, path, init)).status);
  return out;
};
const cronIds = async () => (await pb.crons.getFullList()).map((j) => j.id);

test('global limiter: path labels, superusers skipped, 429 body, cleanup job, reset on save', async () => {
  await pb.settings.update({ rateLimits: { enabled: true, excludedIPs: [], rules: [rule('/api/health', 2), rule('GET /api/settings', 1)] } });
  assert.ok(!(await cronIds()).includes('__pbRateLimitersCleanup__'));
  assert.deepEqual(await statuses(3, '/api/health'), [200, 200, 429]);
  const r = await raw(srv.url, '/api/health');
  assert.equal(r.status, 429);
  assert.equal(r.body, TOO_MANY);
  assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
  // superusers are never limited
  assert.deepEqual(await statuses(3, '/api/health', { headers: { Authorization: tokens.superuser } }), [200, 200, 200]);
  // "GET /api/settings" (method + path) for a non-superuser: limited before the 403 of the route
  assert.deepEqual(await statuses(2, '/api/settings', { headers: { Authorization: tokens.user } }), [403, 429]);
  // the limiters' cleanup job exists once a limiter was used
  assert.ok((await cronIds()).includes('__pbRateLimitersCleanup__'));
  // a settings save resets the limiters and removes the job again
  await pb.settings.update({ meta: { appName: 'acme_test' } });
  assert.ok(!(await cronIds()).includes('__pbRateLimitersCleanup__'));
  assert.deepEqual(await statuses(3, '/api/health'), [200, 200, 429]);
});

test('collection tags, audiences, prefix labels', async () => {
  await pb.settings.update({
    rateLimits: {
      enabled: true,
      rules: [rule('demo2:list', 2), rule('*:view', 1, '@guest'), rule('*:file', 1), rule('/api/collections/demo4/', 1)],
    },
  });
  // demo2:list (audience "") counts guests and users of one IP together
  assert.deepEqual(await statuses(2, '/api/collections/demo2/records'), [200, 200]);
  assert.deepEqual(await statuses(1, '/api/collections/demo2/records', { headers: { Authorization: tokens.user } }), [429]);
  // *:view for guests only: a user falls through to no rule at all
  assert.deepEqual(await statuses(2, '/api/collections/demo2/records/llvuca81nly1qls'), [200, 429]);
  assert.deepEqual(await statuses(3, '/api/collections/demo2/records/llvuca81nly1qls', { headers: { Authorization: tokens.user } }), [200, 200, 200]);
  // a "/prefix/" label matches every path below it (here demo4's list, whose tag has no rule)
  assert.deepEqual(await statuses(2, '/api/collections/demo4/records'), [200, 429]);
  // the file route's tag
  const file = '/api/files/demo1/84nmscqy84lsi1t/test_d61b33QdDU.txt';
  const [first, second] = await statuses(2, file);
  assert.notEqual(first, 429);
  assert.equal(second, 429);
  // an unknown collection on a tagged route is a 404 first
  const r = await raw(srv.url, '/api/files/nope/x/y.txt');
  assert.equal(r.status, 404);
  assert.equal(r.body, '{"data":{},"message":"Missing or invalid collection context.","status":404}\n');
  // disabled: nothing is limited
  await pb.settings.update({ rateLimits: { enabled: false } });
  assert.deepEqual(await statuses(3, '/api/collections/demo2/records'), [200, 200, 200]);
});

test('excludedIPs and trusted proxy headers', async () => {
  await pb.settings.update({ rateLimits: { enabled: true, excludedIPs: ['127.0.0.0/8'], rules: [rule('/api/health', 1)] } });
  assert.deepEqual(await statuses(3, '/api/health'), [200, 200, 200]);
  await pb.settings.update({
    rateLimits: { enabled: true, excludedIPs: ['10.0.0.9'], rules: [rule('/api/health', 1)] },
    trustedProxy: { headers: ['X-Forwarded-For'], useLeftmostIP: false },
  });
  // the right-most valid X-Forwarded-For entry is the client: one window each
  const from = (ip) => ({ headers: { 'X-Forwarded-For': `1.1.1.1, ${ip}` } });
  assert.deepEqual(await statuses(2, '/api/health', from('10.0.0.1')), [200, 429]);
  assert.deepEqual(await statuses(2, '/api/health', from('10.0.0.2')), [200, 429]);
  assert.deepEqual(await statuses(2, '/api/health', from('10.0.0.9')), [200, 200]); // excluded
  assert.deepEqual(await statuses(2, '/api/health'), [200, 429]); // the TCP peer
  const h = await raw(srv.url, '/api/health', { headers: { Authorization: tokens.superuser, 'X-Forwarded-For': 'bogus, 2001:db8::7' } });
  assert.equal(h.body, '{"message":"API is healthy.","code":200,"data":{"canBackup":true,"possibleProxyHeader":"X-Forwarded-For",' +
    '"realIP":"2001:0db8:0000:0000:0000:0000:0000:0007"}}\n');
  await pb.settings.update({ rateLimits: { enabled: false }, trustedProxy: { headers: [] } });
});

test('superuserIPs whitelist', async () => {
  const proxied = (ip, auth) => ({ headers: { 'X-Real-IP': ip, ...(auth ? { Authorization: auth } : {}) } });
  await pb.settings.update({ superuserIPs: ['10.9.9.9', '192.168.0.0/16'], trustedProxy: { headers: ['X-Real-IP'] } });
  let r = await raw(srv.url, '/api/settings', { headers: { Authorization: tokens.superuser } });
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"You are not allowed to perform this request.","status":403}\n');
  r = await raw(srv.url, '/api/settings', proxied('10.9.9.8', tokens.superuser));
  assert.equal(r.status, 403);
  r = await raw(srv.url, '/api/settings', proxied('10.9.9.9', tokens.superuser));
  assert.equal(r.status, 200);
  r = await raw(srv.url, '/api/settings', proxied('192.168.44.1', tokens.superuser));
  assert.equal(r.status, 200);
  // a superuser file token from a non-whitelisted address opens no protected file
  r = await raw(srv.url, '/api/files/token', { method: 'POST', ...proxied('10.9.9.9', tokens.superuser) });
  const fileToken = JSON.parse(r.body).token;
  const file = `/api/files/demo1/al1h9ijdeojtsjy/300_Jsjq7RdBgA.png?token=${fileToken}`;
  assert.equal((await raw(srv.url, file, proxied('10.9.9.9'))).status, 200);
  assert.equal((await raw(srv.url, file, proxied('10.0.0.1'))).status, 404);
  // guests and regular users are not concerned
  assert.equal((await raw(srv.url, '/api/health')).status, 200);
  assert.equal((await raw(srv.url, '/api/collections/demo2/records', { headers: { Authorization: tokens.user } })).status, 200);
  // undo it from a whitelisted address
  r = await raw(srv.url, '/api/settings', {
    method: 'PATCH',
    headers: { ...proxied('10.9.9.9', tokens.superuser).headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ superuserIPs: [], trustedProxy: { headers: [] } }),
  });
  assert.equal(r.status, 200);
  assert.equal((await raw(srv.url, '/api/settings', { headers: { Authorization: tokens.superuser } })).status, 200);
});
