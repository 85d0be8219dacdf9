// s3_stub.mjs — a small S3-compatible server for the tests (path-style addressing only):
// PUT/GET/HEAD/DELETE objects and ListObjectsV2 (two keys per page, so continuation tokens
// are exercised). Every request must carry a valid AWS Signature V4 for the configured
// credentials (recomputed here from the raw request); anything else gets 403
// SignatureDoesNotMatch and is counted in `badSignatures`.
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';

const PAGE = 2;

function awsEscape(s) {
  return Buffer.from(s, 'utf8').toString('latin1').replace(/[^A-Za-z0-9\-._~]/g, (c) =>
    '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

function decode(s) {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
}

function hmac(key, msg) { return createHmac('sha256', key).update(msg).digest(); }

function xmlEscape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// Recomputes the signature of req (raw path/query, headers) and compares.
function checkSignature(req, cfg) {
  const auth = req.headers.authorization || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'malformed Authorization';
  const [, ak, date, region, signedHeaders, signature] = m;
  if (ak !== cfg.accessKey || region !== cfg.region) return 'wrong credential scope';
  const names = signedHeaders.split(';');
  for (const need of ['host', 'x-amz-date', 'x-amz-content-sha256'])
    if (!names.includes(need)) return `${need} not signed`;
  const amzDate = req.headers['x-amz-date'] || '';
  if (!amzDate.startsWith(date)) return 'date mismatch';
  const [rawPath, rawQuery = ''] = req.url.split('?');
  const path = rawPath.split('/').map((seg) => awsEscape(decode(seg))).join('/');
  const query = rawQuery === '' ? '' : rawQuery.split('&').filter(Boolean)
    .map((kv) => { const i = kv.indexOf('='); return i < 0 ? [decode(kv), ''] : [decode(kv.slice(0, i)), decode(kv.slice(i + 1))]; })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${awsEscape(k)}=${awsEscape(v)}`).join('&');
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/ {2}/g, ' ')}\n`).join('');
  const creq = [req.method, path, query, headers, signedHeaders, req.headers['x-amz-content-sha256']].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(creq).digest('hex')].join('\n');
  let key = hmac('AWS4' + cfg.secret, date);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(sts).digest('hex');
  return expected === signature ? null : 'signature mismatch';
}

export async function startS3Stub(cfg) {
  const objects = new Map(); // key → { body, contentType, meta, modified }
  const stub = { objects, requests: [], badSignatures: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      stub.requests.push(`${req.method} ${req.url}`);
      const bad = checkSignature(req, cfg);
      if (bad) {
        stub.badSignatures++;
        res.writeHead(403, { 'Content-Type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>${bad}</Message></Error>`);
        return;
      }
      const [rawPath, rawQuery = ''] = req.url.split('?');
      const segs = rawPath.split('/').slice(1).map(decode);
      if (segs[0] !== cfg.bucket) {
        res.writeHead(404, { 'Content-Type': 'application/xml' });
        res.end('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>');
        return;
      }
      const key = segs.slice(1).join('/');
      const q = new URLSearchParams(rawQuery);
      if (req.method === 'GET' && q.get('list-type') === '2') {
        const prefix = q.get('prefix') || '';
        const all = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        const start = q.get('continuation-token') ? Number(q.get('continuation-token')) : 0;
        const page = all.slice(start, start + PAGE);
        const more = start + PAGE < all.length;
        let xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${cfg.bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${q.get('max-keys')}</MaxKeys><IsTruncated>${more}</IsTruncated>`;
        if (more) xml += `<NextContinuationToken>${start + PAGE}</NextContinuationToken>`;
        for (const k of page) {
          const o = objects.get(k);
          xml += `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>"x"</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        }
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(xml + '</ListBucketResult>');
        return;
      }
      const o = objects.get(key);
      if (req.method === 'PUT') {
        const meta = {};
        for (const [h, v] of Object.entries(req.headers)) if (h.startsWith('x-amz-meta-')) meta[h] = v;
        objects.set(key, { body, contentType: req.headers['content-type'] || '', meta, modified: new Date() });
        res.writeHead(200);
        res.end();
      } else if (req.method === 'DELETE') {
        objects.delete(key);
        res.writeHead(204);
        res.end();
      } else if ((req.method === 'GET' || req.method === 'HEAD') && o) {
        res.writeHead(200, {
          'Content-Type': o.contentType,
          'Content-Length': o.body.length,
          'Last-Modified': o.modified.toUTCString(),
          ...o.meta,
        });
        res.end(req.method === 'HEAD' ? undefined : o.body);
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        res.writeHead(404, { 'Content-Type': 'application/xml' });
        res.end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      } else {
        res.writeHead(405);
        res.end();
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  stub.endpoint = `http://127.0.0.1:${server.address().port}`;
  stub.close = () => new Promise((ok) => server.close(ok));
  return stub;
}
