// auth_emails.test.mjs — the mail-driven flows end to end through the SDK, reading the mails the
// daemon logs: request/confirm verification (204 for unknown emails, the 2-minute resend guard,
// idempotent confirm), request/confirm password reset (204 enumeration protection, validation,
// tokenKey rotation killing the old tokens, the reset token single-use), request/confirm email
// change (auth required, taken / unchanged addresses, password check), and the superuser refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, raw, tokens, claims, dbQuery, waitForMails, mailbox, sdkClient } from './helpers.mjs';

let srv, box;
before(async () => { box = mailbox(); srv = await startServer({ env: box.env }); });
after(async () => { await srv.stop(); box.remove(); });

const post = (body, token) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
  body: JSON.stringify(body),
});

const client = (token) => sdkClient(srv.url, token);

const mailCount = () => box.mails().length;
const settle = () => new Promise((r) => setTimeout(r, 150));

test('verification', async () => {
  const pb = client();
  // unknown and already verified emails: 204, no mail
  let seen = mailCount();
  assert.equal(await pb.collection('users').requestVerification('missing@example.com'), true);
  assert.equal(await pb.collection('users').requestVerification('test2@example.com'), true);
  await settle();
  assert.equal(mailCount(), seen);

  assert.equal(await pb.collection('users').requestVerification('test@example.com'), true);
  const [mail] = await waitForMails(box, seen);
  assert.equal(mail.to, 'test@example.com');
  assert.equal(mail.from, '"Support" <support@example.com>');
  assert.equal(mail.subject, 'Verify your acme_test email'); // the fixture's template and appName
  assert.match(mail.body, /\/_\/#\/auth\/confirm-verification\//);
  const token = /confirm-verification\/([\w.-]+)/.exec(mail.body)[1];
  const c = claims(token);
  assert.deepEqual(Object.keys(c).sort(), ['collectionId', 'email', 'exp', 'id', 'type']);
  assert.equal(c.type, 'verification');
  assert.equal(c.email, 'test@example.com');
  // a second request within 2 minutes sends nothing (the guard is set right after the send)
  await settle();
  seen = mailCount();
  assert.equal(await pb.collection('users').requestVerification('test@example.com'), true);
  await settle();
  assert.equal(mailCount(), seen);

  assert.equal(await pb.collection('users').confirmVerification(token), true);
  assert.equal(dbQuery(srv.dir, "SELECT verified FROM users WHERE id = '4q1xlclmfloku33'"), '1');
  // the verified upgrade dropped the OAuth2 links and renewed tokenKey: old tokens die
  assert.equal(dbQuery(srv.dir, "SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'"), '0');
  let r = await raw(srv.url, '/api/collections/users/auth-refresh', { method: 'POST', headers: { Authorization: tokens.user } });
  assert.equal(r.status, 401);
  // confirming again is fine… as long as the token still verifies; it does not (new tokenKey)
  r = await raw(srv.url, '/api/collections/users/confirm-verification', post({ token }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"token":\{"code":"validation_invalid_token"/);

  r = await raw(srv.url, '/api/collections/users/confirm-verification', post({}));
  assert.equal(r.body, '{"data":{"token":{"code":"validation_required","message":"Cannot be blank."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/confirm-verification', post({ token: tokens.user2 }));
  assert.match(r.body, /"token":\{"code":"validation_invalid_token_claims","message":"Missing email token claim."\}/);
  r = await raw(srv.url, '/api/collections/_superusers/request-verification', post({ email: 'test@example.com' }));
  assert.equal(r.body, '{"data":{},"message":"All superusers are verified by default.","status":400}\n');
  r = await raw(srv.url, '/api/collections/_superusers/confirm-verification', post({ token }));
  assert.equal(r.status, 400);
});

test('password reset', async () => {
  const pb = client();
  let r = await raw(srv.url, '/api/collections/nologin/request-password-reset', post({ email: 'test@example.com' }));
  assert.equal(r.body, '{"data":{},"message":"The collection is not configured to allow password authentication.","status":400}\n');
  let seen = mailCount();
  assert.equal(await pb.collection('clients').requestPasswordReset('missing@example.com'), true);
  await settle();
  assert.equal(mailCount(), seen);

  assert.equal(await pb.collection('clients').requestPasswordReset('test@example.com'), true);
  const [mail] = await waitForMails(box, seen);
  const token = /confirm-password-reset\/([\w.-]+)/.exec(mail.body)[1];
  assert.equal(claims(token).type, 'passwordReset');
  await settle();
  seen = mailCount();
  assert.equal(await pb.collection('clients').requestPasswordReset('test@example.com'), true);
  await settle();
  assert.equal(mailCount(), seen, 'the 2-minute guard');

  r = await raw(srv.url, '/api/collections/clients/confirm-password-reset', post({ token, password: '1234567', passwordConfirm: '7654321' }));
  assert.equal(r.body, '{"data":{"password":{"code":"validation_length_out_of_range","message":"The length must be between 8 and 255.",' +
    '"params":{"max":255,"min":8}},"passwordConfirm":{"code":"validation_values_mismatch","message":"Values don\'t match."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/confirm-password-reset', post({ token, password: '12345678', passwordConfirm: '12345678' }));
  assert.match(r.body, /"token":\{"code":"validation_token_collection_mismatch"/);
  // over the field's max (71): the save fails with the field error
  const long = 'a'.repeat(80);
  r = await raw(srv.url, '/api/collections/clients/confirm-password-reset', post({ token, password: long, passwordConfirm: long }));
  assert.equal(r.status, 400);
  assert.match(r.body, /"message":"Failed to set new password."/);
  assert.match(r.body, /"password":\{"code":/);

  assert.equal(await pb.collection('clients').confirmPasswordReset(token, 'brand-new-pass', 'brand-new-pass'), true);
  // tokenKey renewed: the reset token and the old auth token are dead
  r = await raw(srv.url, '/api/collections/clients/confirm-password-reset', post({ token, password: 'another-pass', passwordConfirm: 'another-pass' }));
  assert.match(r.body, /"token":\{"code":"validation_invalid_token"/);
  r = await raw(srv.url, '/api/collections/clients/auth-refresh', { method: 'POST', headers: { Authorization: tokens.client } });
  assert.equal(r.status, 401);
  const auth = await pb.collection('clients').authWithPassword('test@example.com', 'brand-new-pass');
  assert.equal(auth.record.id, 'gk390qegs4y47wn');
  await assert.rejects(pb.collection('clients').authWithPassword('test@example.com', '1234567890'), (e) => e.status === 400);
});

test('email change', async () => {
  const me = client(tokens.user2);
  let r = await raw(srv.url, '/api/collections/users/request-email-change', post({ newEmail: 'x@example.com' }));
  assert.equal(r.body, '{"data":{},"message":"The request requires valid record authorization token.","status":401}\n');
  r = await raw(srv.url, '/api/collections/clients/request-email-change', post({ newEmail: 'x@example.com' }, tokens.user2));
  assert.equal(r.body, '{"data":{},"message":"The request requires auth record from users collection.","status":403}\n');
  r = await raw(srv.url, '/api/collections/_superusers/request-email-change', post({ newEmail: 'x@example.com' }, tokens.superuser));
  assert.equal(r.body, '{"data":{},"message":"All superusers can change their emails directly.","status":400}\n');
  r = await raw(srv.url, '/api/collections/users/request-email-change', post({ newEmail: 'test3@example.com' }, tokens.user2));
  assert.match(r.body, /"newEmail":\{"code":"validation_invalid_new_email","message":"Invalid new email address."\}/);
  r = await raw(srv.url, '/api/collections/users/request-email-change', post({ newEmail: 'test2@example.com' }, tokens.user2));
  assert.match(r.body, /"newEmail":\{"code":"validation_not_in_invalid","message":"Must not be in list."\}/);

  const seen = mailCount();
  assert.equal(await me.collection('users').requestEmailChange('changed2@example.com'), true);
  const [mail] = await waitForMails(box, seen);
  assert.equal(mail.to, 'changed2@example.com', 'the mail goes to the new address');
  const token = /confirm-email-change\/([\w.-]+)/.exec(mail.body)[1];
  const c = claims(token);
  assert.equal(c.type, 'emailChange');
  assert.equal(c.email, 'test2@example.com');
  assert.equal(c.newEmail, 'changed2@example.com');

  r = await raw(srv.url, '/api/collections/users/confirm-email-change', post({ token, password: 'wrong-password' }));
  assert.equal(r.body, '{"data":{"password":{"code":"validation_invalid_password","message":"Missing or invalid auth record password."}},' +
    '"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await raw(srv.url, '/api/collections/clients/confirm-email-change', post({ token, password: '1234567890' }));
  assert.match(r.body, /"token":\{"code":"validation_token_collection_mismatch"/);
  r = await raw(srv.url, '/api/collections/users/confirm-email-change', post({ token: tokens.user2, password: '1234567890' }));
  assert.match(r.body, /"token":\{"code":"validation_invalid_token_payload"/);

  assert.equal(await me.collection('users').confirmEmailChange(token, '1234567890'), true);
  assert.equal(dbQuery(srv.dir, "SELECT email || '|' || verified FROM users WHERE id = 'oap640cot4yru2s'"), 'changed2@example.com|1');
  // tokenKey renewed: the old token no longer authenticates, the new email logs in
  r = await raw(srv.url, '/api/collections/users/auth-refresh', { method: 'POST', headers: { Authorization: tokens.user2 } });
  assert.equal(r.status, 401);
  r = await raw(srv.url, '/api/collections/users/confirm-email-change', post({ token, password: '1234567890' }));
  assert.equal(r.status, 400);
});
