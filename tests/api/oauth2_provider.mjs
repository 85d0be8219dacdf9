// oauth2_provider.mjs — a small OAuth2 / OpenID Connect provider for the API tests, on a free
// 127.0.0.1 port: /authorize issues a code for the next queued user and redirects to
// redirect_uri with code+state; /token exchanges a code once (client id + secret from HTTP
// Basic or the form, the PKCE S256 verifier when the code was issued with a challenge,
// redirect_uri equal to the authorize one) into an access token (and an RS256 id_token signed
// with the key published at /jwks); /userinfo (OIDC and Google style), /github/user and
// /github/user/emails answer for a Bearer access token. Every request is recorded.
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function pkcePair() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

export async function startProvider({ clientId = 'cid', clientSecret = 'secret' } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key';
  const codes = new Map(); // code -> {user, challenge, redirectUri}
  const tokens = new Map(); // access token -> user
  const queue = []; // users for the next /authorize calls
  const requests = [];
  let base = '';

  // user: {userinfo (OIDC/Google payload), github: {user, emails}, idClaims}
  function issue(user, { challenge = '', redirectUri = '' } = {}) {
    const code = 'code-' + b64url(randomBytes(9));
    codes.set(code, { user, challenge, redirectUri });
    return code;
  }

  function idToken(claims, key = privateKey) {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
  }

  const json = (res, status, v) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(v));
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url, base);
      requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw, headers: req.headers });
      if (url.pathname === '/authorize') {
        const user = queue.shift();
        const q = url.searchParams;
        if (!user || q.get('client_id') !== clientId || q.get('response_type') !== 'code') return json(res, 400, { error: 'invalid_request' });
        const code = issue(user, { challenge: q.get('code_challenge') || '', redirectUri: q.get('redirect_uri') || '' });
        const to = new URL(q.get('redirect_uri'));
        to.searchParams.set('code', code);
        to.searchParams.set('state', q.get('state'));
        res.writeHead(302, { Location: to.toString() });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(raw);
        let id = form.get('client_id'), secret = form.get('client_secret');
        const basic = /^Basic (.+)$/.exec(req.headers.authorization || '');
        if (basic) [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
        if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
        const grant = codes.get(form.get('code'));
        if (form.get('grant_type') !== 'authorization_code' || !grant) return json(res, 400, { error: 'invalid_grant' });
        if (grant.challenge) {
          const v = form.get('code_verifier') || '';
          if (b64url(createHash('sha256').update(v).digest()) !== grant.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'pkce' });
        }
        if ((form.get('redirect_uri') || '') !== grant.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri' });
        codes.delete(form.get('code'));
        // formToken: true answers form-encoded (as GitHub does by default) with a token that
        // needs '+' and %XX decoding; a string is sent as the answer with {access} replaced
        const access = 'at-' + b64url(randomBytes(9)) + (grant.user.formToken === true ? ' +/' : '');
        tokens.set(access, grant.user);
        if (typeof grant.user.formToken === 'string') {
          res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' });
          return res.end(grant.user.formToken.replace('{access}', access));
        }
        if (grant.user.formToken) {
          res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' });
          return res.end(new URLSearchParams({ access_token: access, token_type: 'bearer', access_token2: 'ignored' }).toString() + '&access_token=second');
        }
        const out = { access_token: access, token_type: 'Bearer', refresh_token: 'rt-' + access, expires_in: 3600 };
        if (grant.user.idClaims) out.id_token = idToken({ aud: clientId, iss: base, exp: Math.floor(Date.now() / 1000) + 600, ...grant.user.idClaims }, grant.user.idKey);
        return json(res, 200, out);
      }
      if (url.pathname === '/jwks') {
        return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      }
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization || '');
      const user = bearer && tokens.get(bearer[1]);
      if (!user) return json(res, 401, { error: 'invalid_token' });
      if (url.pathname === '/userinfo') return json(res, 200, user.userinfo);
      if (url.pathname === '/github/user') return json(res, 200, user.github.user);
      if (url.pathname === '/github/user/emails') return json(res, 200, user.github.emails);
      json(res, 404, { error: 'not_found' });
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    clientId,
    clientSecret,
    requests,
    issue,
    // the next /authorize call logs in `user`
    queueLogin(user) { queue.push(user); },
    otherKey: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    stop: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}
