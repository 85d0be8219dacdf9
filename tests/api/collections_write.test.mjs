// collections_write.test.mjs — the collections write API through the official SDK and raw
// HTTP: create base/auth/view collections, field renames and single↔multiple conversions on
// tables that hold data, indexes, collection renames, delete (system, referenced, views),
// truncate (files and cascades), import with deleteMissing, scaffolds, the view dry run and
// every class of validation error. Table DDL is read back with the sqlite3 CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { startServer, raw, tokens } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

function client(token = tokens.superuser) {
  const pb = new PocketBase(srv.url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  return pb;
}

// One value (or rows joined by "\n", columns by "|") from the daemon's data.db.
function sql(query) {
  return execFileSync('sqlite3', [join(srv.dir, 'data.db'), query], { encoding: 'utf8' }).trim();
}

const su = { Authorization: tokens.superuser, 'Content-Type': 'application/json' };
const send = (method, path, body) =>
  raw(srv.url, path, { method, headers: su, body: body === undefined ? undefined : JSON.stringify(body) });

// CRC-32/IEEE of a string (PocketBase's default ids).
function crc32(s) {
  let c = ~0 >>> 0;
  for (const b of Buffer.from(s)) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (~c >>> 0).toString();
}

// The error response of a failing SDK call.
async function fails(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the request to fail');
}

test('only superusers may write collections', async () => {
  let r = await raw(srv.url, '/api/collections', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 401);
  r = await raw(srv.url, '/api/collections/demo1', { method: 'DELETE', headers: { Authorization: tokens.user } });
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"data":{},"message":"The authorized record is not allowed to perform this action.","status":403}\n');
  r = await raw(srv.url, '/api/collections/meta/dry-run-view', { method: 'POST', headers: { Authorization: tokens.user }, body: '{"query":"select 1 as id"}' });
  assert.equal(r.status, 403);
  r = await raw(srv.url, '/api/collections/import', { method: 'PUT', headers: { Authorization: tokens.user }, body: '{}' });
  assert.equal(r.status, 403);
});

test('create a base collection: PocketBase JSON, DDL and immediate use', async () => {
  const pb = client();
  const c = await pb.collections.create({
    name: 'posts',
    fields: [
      { type: 'text', name: 'title', required: true, max: 100 },
      { type: 'number', name: 'views', onlyInt: true },
      { type: 'relation', name: 'author', collectionId: '_pb_users_auth_', maxSelect: 1 },
      { type: 'select', name: 'tags', values: ['a', 'b', 'c'], maxSelect: 3 },
      { type: 'autodate', name: 'created', onCreate: true },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true },
    ],
    indexes: ['create index idx_posts_title on whatever (title)'],
    listRule: '',
    createRule: '',
  });
  assert.equal(c.id, 'pbc_1125843985'); // pbc_ + crc32("baseposts")
  assert.equal(c.type, 'base');
  // field ids: type + crc32(name)
  assert.deepEqual(c.fields.map((f) => f.id), c.fields.map((f) => f.type + crc32(f.name)));
  assert.equal(c.fields[0].id, 'text3208210256');
  assert.deepEqual(c.indexes, ['CREATE INDEX `idx_posts_title` ON `posts` (`title`)']);
  assert.equal(
    sql("select sql from sqlite_master where name='posts'"),
    "CREATE TABLE `posts` (`author` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, " +
      "`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, `tags` JSON DEFAULT '[]' NOT NULL, " +
      "`title` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL, `views` NUMERIC DEFAULT 0 NOT NULL)",
  );
  assert.equal(sql("select sql from sqlite_master where name='idx_posts_title'"), 'CREATE INDEX `idx_posts_title` ON `posts` (`title`)');
  const view = await pb.collections.getOne('posts');
  assert.deepEqual(view, c);

  // the new collection serves records right away
  const rec = await client(null).collection('posts').create({ title: 'first', views: 3, tags: ['b', 'a'] });
  assert.deepEqual(rec.tags, ['b', 'a']);
  const list = await client(null).collection('posts').getList();
  assert.equal(list.totalItems, 1);
});

test('create an auth collection: system fields, options, unique indexes, no secrets', async () => {
  const pb = client();
  const r = await send('POST', '/api/collections', {
    name: 'members',
    type: 'auth',
    emailChangeToken: { duration: 123 },
    fields: [{ type: 'text', name: 'tokenKey', system: true, required: false, min: 10 }, { type: 'text', name: 'nick' }],
  });
  assert.equal(r.status, 200, r.body);
  const c = JSON.parse(r.body);
  assert.deepEqual(c.fields.map((f) => f.name), ['id', 'tokenKey', 'nick', 'password', 'email', 'emailVisibility', 'verified']);
  const tk = c.fields[1];
  assert.equal(tk.id, 'text2504183744');
  assert.equal(tk.required, true);
  assert.equal(tk.hidden, true);
  assert.equal(tk.min, 10);
  assert.equal(c.emailChangeToken.duration, 123);
  assert.equal(c.authToken.duration, 432000);
  assert.equal(c.passwordAuth.identityFields[0], 'email');
  assert.equal(c.manageRule, null);
  assert.equal(c.authRule, '');
  assert.ok(!r.body.includes('"secret"'));
  assert.equal(c.id, 'pbc_' + crc32('authmembers'));
  assert.deepEqual(c.indexes, [
    `CREATE UNIQUE INDEX \`idx_tokenKey_${c.id}\` ON \`members\` (\`tokenKey\`)`,
    `CREATE UNIQUE INDEX \`idx_email_${c.id}\` ON \`members\` (\`email\`) WHERE \`email\` != ''`,
  ]);
  assert.equal(sql(`select sql from sqlite_master where name='idx_tokenKey_${c.id}'`), `CREATE UNIQUE INDEX \`idx_tokenKey_${c.id}\` ON \`members\` (\`tokenKey\`)`);
  const options = JSON.parse(sql("select options from _collections where name='members'"));
  assert.match(options.authToken.secret, /^[A-Za-z0-9]{50}$/);
  assert.deepEqual(Object.keys(options).slice(0, 3), ['authRule', 'manageRule', 'authAlert']);
  // the replaced tokenKey has no autogenerate pattern any more (as in PocketBase): records
  // of such a collection need one; a collection with the default fields works at once
  await pb.collections.create({ name: 'members2', type: 'auth', createRule: '' });
  const m = await client(null).collection('members2').create({ email: 'm@example.com', password: '1234567890', passwordConfirm: '1234567890' });
  assert.match(sql(`select tokenKey from members2 where id = '${m.id}'`), /^[A-Za-z0-9]{50}$/);
  assert.match(sql(`select password from members2 where id = '${m.id}'`), /^\$2a\$10\$/);
});

test('create a view collection: inferred fields and records', async () => {
  const pb = client();
  const v = await pb.collections.create({
    name: 'post_titles',
    type: 'view',
    viewQuery: 'select id, title as headline, views, count(id) as n from posts group by id',
  });
  assert.deepEqual(v.fields.map((f) => `${f.name}:${f.type}`), ['id:text', 'headline:text', 'views:number', 'n:number']);
  assert.equal(v.fields[0].id, 'text3208210256');
  assert.match(v.fields[1].id, /^_clone_[A-Za-z0-9]{4}$/);
  assert.equal(v.viewQuery, 'select id, title as headline, views, count(id) as n from posts group by id');
  assert.equal(
    sql("select sql from sqlite_master where name='post_titles'"),
    'CREATE VIEW `post_titles` AS SELECT * FROM (select id, title as headline, views, count(id) as n from posts group by id)',
  );
  const rows = await pb.collection('post_titles').getFullList();
  assert.deepEqual(rows.map((x) => [x.headline, x.views, x.n]), [['first', 3, 1]]);
  // no list rule: superusers only
  const g = await raw(srv.url, '/api/collections/post_titles/records');
  assert.equal(g.status, 403);
});

test('view records need the view rules and a numeric id is cast to text', async () => {
  const pb = client();
  await pb.collections.create({ name: 'numbered', type: 'view', listRule: '', viewQuery: 'select (ROW_NUMBER() OVER()) as id, title from posts' });
  assert.equal(
    sql("select sql from sqlite_master where name='numbered'"),
    'CREATE VIEW `numbered` AS SELECT * FROM (SELECT CAST(`id` as TEXT) `id`,`title` FROM (select (ROW_NUMBER() OVER()) as id, title from posts))',
  );
  const rows = await client(null).collection('numbered').getFullList();
  assert.deepEqual(rows.map((r) => [r.id, r.title]), [['1', 'first']]);
  await pb.collections.delete('numbered');
  assert.equal(sql("select count(*) from sqlite_master where name='numbered'"), '0');
});

test('rename a field and the collection: data kept, DDL renamed, old name gone', async () => {
  const pb = client();
  const before = await pb.collections.getOne('posts');
  const fields = before.fields.map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f));
  const after = await pb.collections.update('posts', { name: 'articles', fields, indexes: ['create index idx_posts_title on articles (headline)'] });
  assert.equal(after.id, before.id);
  assert.equal(after.name, 'articles');
  assert.equal(after.fields[1].id, before.fields[1].id);
  assert.match(sql("select sql from sqlite_master where name='articles'"), /"headline" TEXT DEFAULT '' NOT NULL|`headline` TEXT DEFAULT '' NOT NULL/);
  assert.equal(sql("select count(*) from sqlite_master where name='posts'"), '0');
  assert.equal(sql('select headline from articles'), 'first');
  assert.equal(sql("select sql from sqlite_master where name='idx_posts_title'"), 'CREATE INDEX `idx_posts_title` ON `articles` (`headline`)');
  const rec = (await client(null).collection('articles').getFullList())[0];
  assert.equal(rec.headline, 'first');
  assert.equal(rec.title, undefined);
  let r = await raw(srv.url, '/api/collections/posts/records');
  assert.equal(r.status, 404);
  // SQLite rewrote the view over the renamed table and column, so it still serves rows; the
  // stored viewQuery keeps the old text (PocketBase does not rewrite it either)
  const v = await pb.collections.getOne('post_titles');
  assert.match(v.viewQuery, /from posts/);
  assert.match(sql("select sql from sqlite_master where name='post_titles'"), /"?articles"?/);
  assert.deepEqual((await pb.collection('post_titles').getFullList()).map((x) => x.headline), ['first']);
});

test('single → multiple → single relation keeps the values', async () => {
  const pb = client();
  const c = await pb.collections.getOne('articles');
  const rec = (await client(null).collection('articles').getFullList())[0];
  await pb.collection('articles').update(rec.id, { author: '4q1xlclmfloku33' });
  const multi = c.fields.map((f) => (f.name === 'author' ? { ...f, maxSelect: 5 } : f));
  await pb.collections.update('articles', { fields: multi });
  assert.match(sql("select sql from sqlite_master where name='articles'"), /`author` JSON DEFAULT '\[\]' NOT NULL/);
  assert.equal(sql('select author from articles'), '["4q1xlclmfloku33"]');
  assert.deepEqual((await pb.collection('articles').getOne(rec.id)).author, ['4q1xlclmfloku33']);
  await pb.collection('articles').update(rec.id, { author: ['4q1xlclmfloku33', 'oap640cot4yru2s'] });
  const single = multi.map((f) => (f.name === 'author' ? { ...f, maxSelect: 1 } : f));
  await pb.collections.update('articles', { fields: single });
  assert.match(sql("select sql from sqlite_master where name='articles'"), /`author` TEXT DEFAULT '' NOT NULL/);
  assert.equal(sql('select author from articles'), 'oap640cot4yru2s'); // the last element
  assert.equal((await pb.collection('articles').getOne(rec.id)).author, 'oap640cot4yru2s');
});

test('adding and removing fields and a unique index', async () => {
  const pb = client();
  const c = await pb.collections.getOne('articles');
  const fields = c.fields.filter((f) => f.name !== 'views').concat([{ type: 'email', name: 'contact' }]);
  // a column a view selects cannot be dropped (SQLite refuses, as under PocketBase): nothing changes
  const blocked = await send('PATCH', '/api/collections/articles', { fields });
  assert.equal(blocked.status, 400);
  assert.match(JSON.parse(blocked.body).message, /^Failed to update collection\. Raw error: \nfailed to drop column views - .*post_titles/s);
  assert.match(sql("select sql from sqlite_master where name='articles'"), /`views`/);
  assert.ok(!(await pb.collections.getOne('articles')).fields.some((f) => f.name === 'contact'));
  await pb.collections.delete('post_titles');
  const u = await pb.collections.update('articles', { fields, indexes: ['CREATE UNIQUE INDEX idx_contact ON articles (contact) WHERE contact != \'\''] });
  assert.equal(u.fields.find((f) => f.name === 'contact').id, 'email' + crc32('contact'));
  const ddl = sql("select sql from sqlite_master where name='articles'");
  assert.ok(!ddl.includes('views'));
  assert.match(ddl, /[`"]contact[`"] TEXT DEFAULT '' NOT NULL/); // SQLite double-quotes renamed columns
  assert.equal(sql("select count(*) from sqlite_master where name='idx_posts_title'"), '0');
  assert.equal(sql("select sql from sqlite_master where name='idx_contact'"), "CREATE UNIQUE INDEX `idx_contact` ON `articles` (`contact`) WHERE contact != ''");
  await pb.collection('articles').create({ headline: 'second', contact: 'a@b.cd' });
  const e = await fails(pb.collection('articles').create({ headline: 'third', contact: 'a@b.cd' }));
  assert.equal(e.response.data.contact.code, 'validation_not_unique');
});

test('validation errors of every kind', async () => {
  const cases = [
    [{ name: 'demo1' }, 'name', 'validation_collection_name_exists'],
    [{ name: 'bad name' }, 'name', 'validation_match_invalid'],
    [{ name: 'has_via_name' }, 'name', 'validation_found_via'],
    [{ name: 'wsmn24bux7wo113' }, 'name', 'validation_collection_name_id_duplicate'],
    [{ name: '_params' }, 'name', 'validation_collection_name_invalid'],
    [{ name: 'x', type: 'nope' }, 'type', 'validation_in_invalid'],
    [{ name: 'x', id: 'bad id!' }, 'id', 'validation_match_invalid'],
    [{ name: 'x', id: 'wsmn24bux7wo113' }, 'id', 'validation_invalid_or_existing_id'],
    [{ name: 'x', listRule: 'missing_field = 1' }, 'listRule', 'validation_invalid_rule'],
    [{ name: 'x', indexes: ['create index broken'] }, 'indexes.0', 'validation_invalid_index_expression'],
    [{ name: 'x', indexes: ['create index i1 on x (id)', 'create index i1 on x (created)'] }, 'indexes.1', 'validation_duplicated_index_name'],
    [{ name: 'x', indexes: ['create index i1 on x (id)', 'create index i2 on x (id)'] }, 'indexes.1', 'validation_duplicated_index_definition'],
    [{ name: 'x', indexes: ['create index IDX_demo2_created on x (id)'] }, 'indexes.0', 'validation_existing_index_name'],
    [{ name: 'x', fields: [{ type: 'text', name: 'a' }, { type: 'text', name: 'A' }] }, 'fields.2.name', 'validation_duplicated_field_name'],
    [{ name: 'x', fields: [{ type: 'text', name: 'expand' }] }, 'fields.1.name', 'validation_not_in_invalid'],
    [{ name: 'x', fields: [{ type: 'select', name: 's' }] }, 'fields.1.values', 'validation_required'],
    [{ name: 'x', fields: [{ type: 'relation', name: 'r', collectionId: 'missing' }] }, 'fields.1.collectionId', 'validation_field_relation_missing_collection'],
    [{ name: 'x', fields: [{ type: 'relation', name: 'r', collectionId: 'v9gwnfh02gjq1q0' }] }, 'fields.1.collectionId', 'validation_relation_field_non_view_base_collection'],
    [{ name: 'x', fields: [{ type: 'autodate', name: 'd' }] }, 'fields.1.onCreate', 'validation_required'],
    [{ name: 'x', fields: [{ type: 'text', name: 't', pattern: '(' }] }, 'fields.1.pattern', 'validation_invalid_regex'],
    [{ name: 'x', fields: [{ type: 'number', name: 'n', onlyInt: true, min: 1.5 }] }, 'fields.1.min', 'validation_only_int_constraint'],
    [{ name: 'x', fields: [{ type: 'file', name: 'f', thumbs: ['0x0'] }] }, 'fields.1.thumbs.0', 'validation_not_in_invalid'],
    [{ name: 'x', type: 'auth', fields: [{ type: 'text', name: 'oldPassword' }] }, 'fields.1.name', 'validation_reserved_field_name'],
    [{ name: 'x', type: 'auth', manageRule: '' }, 'manageRule', 'validation_nil_or_not_empty_required'],
    [{ name: 'x', type: 'auth', authToken: { duration: 5 } }, 'authToken.duration', 'validation_min_greater_equal_than_required'],
    [{ name: 'x', type: 'auth', passwordAuth: { identityFields: ['nope'] } }, 'passwordAuth.identityFields', 'validation_missing_field'],
    [{ name: 'x', type: 'auth', fields: [{ type: 'text', name: 'nick' }], passwordAuth: { identityFields: ['nick'] } }, 'passwordAuth.identityFields', 'validation_missing_unique_constraint'],
    [{ name: 'x', type: 'auth', mfa: { enabled: true } }, 'mfa.enabled', 'validation_mfa_not_enough_auths'],
    [{ name: 'x', type: 'auth', oauth2: { enabled: true, providers: [{ name: 'nope' }] } }, 'oauth2.providers.0.name', 'validation_missing_provider'],
    [{ name: 'x', type: 'view', viewQuery: 'select 1 as nid' }, 'viewQuery', 'validation_invalid_view_query'],
    [{ name: 'x', type: 'view', viewQuery: 'select id from demo1', createRule: '' }, 'createRule', 'validation_nil'],
    [{ name: 'x', type: 'view', viewQuery: 'select id from demo1', indexes: ['create index i on x (id)'] }, 'indexes', 'validation_indexes_not_supported'],
  ];
  for (const [body, path, code] of cases) {
    const r = await send('POST', '/api/collections', body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.body}`);
    const err = JSON.parse(r.body);
    assert.equal(err.message, 'Failed to create collection.', r.body);
    let node = err.data;
    for (const k of path.split('.')) node = node?.[k];
    assert.equal(node?.code, code, `${JSON.stringify(body)}: ${r.body}`);
    assert.match(node.message, /^[A-Z].*[.?!]$/s);
  }
  assert.equal(sql("select count(*) from _collections where name = 'x'"), '0');
  assert.equal(sql("select count(*) from sqlite_master where name = 'x'"), '0');

  // update-only rules
  const upd = [
    ['demo1', { type: 'auth' }, 'type', 'validation_collection_type_change'],
    ['demo1', { id: 'other' }, 'id', 'validation_values_mismatch'],
    ['demo1', { system: true }, 'system', 'validation_collection_system_flag_change'],
    ['_mfas', { name: 'mfas2' }, 'name', 'validation_collection_system_name_change'],
    ['_mfas', { listRule: '' }, 'listRule', 'validation_collection_system_rule_change'],
    ['demo1', { fields: [{ type: 'text', name: 'created' }] }, 'fields', 'validation_system_field_change'],
    ['demo2', { fields: [{ type: 'text', name: 'id', id: '_pbf_text_id_' }, { type: 'number', name: 'title', id: 'mkrguaaf' }] }, 'fields.1', 'validation_field_type_change'],
    ['_externalAuths', { indexes: [] }, 'indexes', 'validation_invalid_unique_system_field_index'],
    ['users', { indexes: [] }, 'passwordAuth.identityFields', 'validation_missing_unique_constraint'],
  ];
  for (const [coll, body, path, code] of upd) {
    const r = await send('PATCH', `/api/collections/${coll}`, body);
    assert.equal(r.status, 400, `${coll} ${JSON.stringify(body)}: ${r.body}`);
    const err = JSON.parse(r.body);
    assert.equal(err.message, 'Failed to update collection.');
    let node = err.data;
    for (const k of path.split('.')) node = node?.[k];
    assert.equal(node?.code, code, `${coll} ${JSON.stringify(body)}: ${r.body}`);
  }

  // malformed bodies
  let r = await send('POST', '/api/collections', { name: 5 });
  assert.equal(r.body, '{"data":{},"message":"Failed to load the collection type data due to invalid formatting.","status":400}\n');
  r = await send('POST', '/api/collections', { name: 'x', fields: [{ type: 'nope', name: 'a' }] });
  assert.equal(r.body, '{"data":{},"message":"Failed to load the submitted data due to invalid formatting.","status":400}\n');
  r = await send('PATCH', '/api/collections/demo1', { fields: [{ type: 'text', name: 'a', min: 'x' }] });
  assert.equal(r.body, '{"data":{},"message":"Failed to load the submitted data due to invalid formatting.","status":400}\n');
  r = await send('PATCH', '/api/collections/missing', {});
  assert.equal(r.status, 404);
});

test('delete: system and referenced collections are refused, views and tables dropped', async () => {
  const pb = client();
  let r = await send('DELETE', '/api/collections/_superusers');
  assert.equal(r.body, '{"data":{},"message":"Failed to delete collection.","status":400}\n');
  r = await send('DELETE', '/api/collections/demo2');
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).message, 'Failed to delete collection probably due to existing reference in users.');
  assert.equal(sql("select count(*) from _collections where name='demo2'"), '1');
  // a table a view depends on cannot go
  r = await send('DELETE', '/api/collections/demo1');
  assert.equal(r.status, 400);
  assert.equal(sql("select count(*) from sqlite_master where name='demo1'"), '1');

  await pb.collections.delete('view2');
  assert.equal(sql("select count(*) from sqlite_master where name='view2'"), '0');
  assert.equal((await send('GET', '/api/collections/view2')).status, 404);

  const storage = join(srv.dir, 'storage', '9n89pl5vkct6330');
  assert.ok(existsSync(storage));
  await pb.collections.delete('demo5');
  assert.equal(sql("select count(*) from sqlite_master where tbl_name='demo5'"), '0');
  assert.equal(sql("select count(*) from _collections where id='9n89pl5vkct6330'"), '0');
  for (let i = 0; i < 50 && existsSync(storage); i++) await new Promise((ok) => setTimeout(ok, 20));
  assert.ok(!existsSync(storage));
  r = await send('DELETE', '/api/collections/demo5');
  assert.equal(r.status, 404);
});

test('truncate: records and files gone, required cascades refused, views refused', async () => {
  const pb = client();
  let r = await send('DELETE', '/api/collections/view1/truncate');
  assert.equal(r.body, "{\"data\":{},\"message\":\"View collections cannot be truncated since they don't store their own records.\",\"status\":400}\n");
  r = await send('DELETE', '/api/collections/demo3/truncate');
  assert.equal(r.body, '{"data":{},"message":"Failed to truncate collection (most likely due to required cascade delete record references).","status":400}\n');
  assert.notEqual(sql('select count(*) from demo3'), '0');

  const withFiles = sql("select id from demo1 where file_one != '' limit 1");
  assert.ok(existsSync(join(srv.dir, 'storage', 'wsmn24bux7wo113', withFiles)));
  const before = Number(sql('select count(*) from demo1'));
  assert.ok(before > 0);
  await pb.collections.truncate('demo1');
  assert.equal(sql('select count(*) from demo1'), '0');
  for (let i = 0; i < 50 && existsSync(join(srv.dir, 'storage', 'wsmn24bux7wo113', withFiles)); i++)
    await new Promise((ok) => setTimeout(ok, 20));
  assert.ok(!existsSync(join(srv.dir, 'storage', 'wsmn24bux7wo113', withFiles)));
  // the view over it is empty too
  assert.equal(sql('select count(*) from view1'), '0');
});

test('import: create, update and deleteMissing in one transaction', async () => {
  const pb = client();
  let r = await send('PUT', '/api/collections/import', { collections: [] });
  assert.equal(r.body, '{"data":{"collections":{"code":"validation_required","message":"Cannot be blank."}},"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await send('PUT', '/api/collections/import', { collections: 'x' });
  assert.equal(r.body, '{"data":{},"message":"An error occurred while loading the submitted data.","status":400}\n');

  // a validation failure rolls everything back
  r = await send('PUT', '/api/collections/import', {
    collections: [{ name: 'imp_ok' }, { name: 'imp_bad', fields: [{ id: 'f1', name: 'expand', type: 'text' }] }],
  });
  assert.equal(r.status, 400);
  const e = JSON.parse(r.body);
  assert.equal(e.message, 'Failed to import collections.');
  assert.equal(e.data.collections.code, 'validation_collections_import_failure');
  assert.match(e.data.collections.message, /^Data validations failed for collection "imp_bad" \(pbc_\d+\):\n/);
  assert.equal(sql("select count(*) from _collections where name like 'imp_%'"), '0');

  r = await send('PUT', '/api/collections/import', {
    collections: [
      { name: 'imp_one', fields: [{ id: 'k1', name: 'title', type: 'text' }], indexes: ['create index idx_imp on imp_one (title)'] },
      { name: 'imp_auth', type: 'auth' },
    ],
  });
  assert.equal(r.status, 204, r.body);
  assert.equal(sql("select sql from sqlite_master where name='idx_imp'"), 'CREATE INDEX `idx_imp` ON `imp_one` (`title`)');
  assert.equal(sql("select count(*) from sqlite_master where name='imp_auth'"), '1');

  const keep = await pb.collections.getOne('demo4');
  // the stored indexes are kept unless replaced: over dropped columns they fail the whole import
  const only = [{ id: 'k9', name: 'only', type: 'text' }];
  r = await send('PUT', '/api/collections/import', { deleteMissing: true, collections: [{ name: 'imp_new' }, { id: keep.id, name: 'demo4', fields: only }] });
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).data.indexes['0'].code, 'validation_invalid_index_expression');
  assert.equal(sql("select count(*) from _collections where name in ('demo1', 'imp_one')"), '2');
  r = await send('PUT', '/api/collections/import', {
    deleteMissing: true,
    collections: [{ name: 'imp_new' }, { id: keep.id, name: 'demo4', fields: only, indexes: [] }],
  });
  assert.equal(r.status, 204, r.body);
  const names = sql('select name from _collections order by name').split('\n');
  const system = sql('select name from _collections where system = 1 order by name').split('\n');
  assert.deepEqual(names, [...system, 'demo4', 'imp_new'].sort());
  assert.equal(sql("select count(*) from sqlite_master where name='demo1'"), '0');
  const d4 = await pb.collections.getOne('demo4');
  assert.deepEqual(d4.fields.map((f) => f.name).sort(), ['id', 'only']);
  assert.match(sql("select sql from sqlite_master where name='demo4'"), /only/);
});

test('scaffolds and the view dry run', async () => {
  const pb = client();
  const s = await pb.collections.getScaffolds();
  assert.deepEqual(Object.keys(s), ['auth', 'base', 'view']);
  assert.equal(s.base.id, '');
  assert.equal(s.base.name, '');
  assert.equal(s.base.fields[0].id, 'text3208210256');
  assert.deepEqual(s.view.fields, []);
  assert.match(s.auth.indexes[0], /^CREATE UNIQUE INDEX `idx_tokenKey_[a-z0-9]{10}` ON `` \(`tokenKey`\)$/);
  const providers = await pb.collections.getAllOAuth2Providers();
  assert.deepEqual(providers.slice(0, 3).map((p) => p.name), ['apple', 'google', 'microsoft']);
  assert.deepEqual(providers.slice(-3).map((p) => [p.name, p.displayName]), [['oidc', 'OIDC'], ['oidc2', 'OIDC'], ['oidc3', 'OIDC']]);
  assert.deepEqual(Object.keys(providers[0]), ['name', 'displayName', 'logo']);
  assert.match(providers[0].logo, /^<svg /);
  const d = await pb.collections.dryRunViewQuery('select 1 as id, 2.5 as n');
  assert.deepEqual(d.fields.map((f) => f.type), ['text', 'json']);
  assert.equal(d.sample[0].id, '1');
  assert.equal(d.sample[0].n, 2.5);
  let r = await send('POST', '/api/collections/meta/dry-run-view', { query: '' });
  assert.equal(r.body, '{"data":{"query":{"code":"validation_required","message":"Cannot be blank."}},"message":"An error occurred while validating the submitted data.","status":400}\n');
  r = await send('POST', '/api/collections/meta/dry-run-view', { query: 'CREATE TABLE t1(x INT)' });
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.body).message, /^Invalid view query\. Raw error: \n.*syntax error/s);
  assert.equal(sql("select count(*) from sqlite_master where name = 't1' or name like '%temp%'"), '0');
  // the 5000 limit counts bytes (ozzo's Length): exactly 5000 ASCII bytes pass, 2500 two-byte
  // letters (fewer than 5000 characters, more than 5000 bytes) fail
  r = await send('POST', '/api/collections/meta/dry-run-view', { query: `select 1 as id, '${'x'.repeat(4977)}' as t` });
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).sample[0].t.length, 4977);
  r = await send('POST', '/api/collections/meta/dry-run-view', { query: `select 1 as id, '${'é'.repeat(2500)}' as t` });
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).data.query.code, 'validation_length_too_long');
});
