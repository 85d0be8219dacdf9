// helpers.mjs — starts a pocketc daemon for a test on a free 127.0.0.1 port over a fresh
// copy of PocketBase's test fixture (or an empty dir), and stops it when the test ends.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import PocketBase from 'pocketbase';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const fixtureDir = resolve(repoRoot, '../shared/fixtures/pb-testdata');
export const binary = process.env.POCKETC_BIN || join(repoRoot, 'build/pocketc');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Makes a copied tree writable again (the fixture ships read-only): dirs 755, files 644.
export function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

// Starts the daemon. opts.fixture (default true) copies the fixture; opts.args adds flags;
// opts.prepare(dir) runs on the fresh pb_data before the daemon starts; opts.env adds environment
// variables (e.g. a mailbox()'s PATH).
// opts.dir reuses an existing pb_data (it is then left in place by stop()).
export async function startServer(opts = {}) {
  const tmp = opts.dir ? null : mkdtempSync(join(tmpdir(), 'pocketc-test-'));
  const dir = opts.dir || join(tmp, 'pb_data');
  if (!opts.dir && opts.fixture !== false) {
    cpSync(fixtureDir, dir, { recursive: true });
    makeWritable(dir);
  }
  if (opts.prepare) await opts.prepare(dir);
  const port = await freePort();
  const args = ['serve', `--dir=${dir}`, `--http=127.0.0.1:${port}`, ...(opts.args || [])];
  const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env || {}) } });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`pocketc exited early (${proc.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`pocketc did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url,
    dir,
    output: () => output,
    // SIGKILL, as a crash: nothing is flushed or cleaned up, the data dir stays
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

// An SDK client of the server at `url` without auto-cancellation, authenticated with `token`
// (a record-less auth store) when one is given.
export function sdkClient(url, token) {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  return pb;
}

// Raw request returning status, headers and the exact body text.
export async function raw(url, path, init = {}) {
  const r = await fetch(url + path, { redirect: 'manual', ...init });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

// Pre-signed tokens from PocketBase's own API tests for the fixture's records (valid until 2050).
export const tokens = {
  // users: test@example.com (4q1xlclmfloku33)
  user: 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1dGhfIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.ZT3F0Z3iM-xbGgSG3LEKiEzHrPHr8t8IuHLZGGNuxLo',
  // users: test2@example.com (oap640cot4yru2s)
  user2: 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6Im9hcDY0MGNvdDR5cnUycyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1dGhfIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.GfJo6EHIobgas_AXt-M-tj5IoQendPnrkMSe9ExuSEY',
  // clients: gk390qegs4y47wn
  client: 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImdrMzkwcWVnczR5NDd3biIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoidjg1MXE0cjc5MHJoa25sIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.0ONnm_BsvPRZyDNT31GN1CKUB6uQRxvVvQ-Wc9AZfG0',
  // _superusers: test@example.com (sywbhecnh46rhm0)
  superuser: 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InN5d2JoZWNuaDQ2cmhtMCIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoicGJjXzMxNDI2MzU4MjMiLCJleHAiOjI1MjQ2MDQ0NjEsInJlZnJlc2hhYmxlIjp0cnVlfQ.UXgO3j-0BumcugrFjbd7j0M4MQvbrLggLlcu_YNGjoY',
};

// A mailbox: a fake `sendmail` (the mailer's transport when SMTP is off) that stores every
// message it is given. Pass box.env to startServer; box.mails() lists what was sent, in order,
// as {to, subject, body} (sendmail messages are written as raw headers + HTML). box.remove()
// deletes it.
export function mailbox() {
  const dir = mkdtempSync(join(tmpdir(), 'pocketc-mailbox-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sendmail'),
    '#!/bin/sh\nf="$POCKETC_MAILBOX/$(date +%s%N).eml"\ncat > "$f.tmp" && mv "$f.tmp" "$f"\n', { mode: 0o755 });
  const box = join(dir, 'box');
  mkdirSync(box);
  return {
    env: { PATH: `${bin}:${process.env.PATH}`, POCKETC_MAILBOX: box },
    mails() {
      return readdirSync(box).filter((n) => n.endsWith('.eml')).sort().map((n) => {
        const raw = readFileSync(join(box, n), 'utf8');
        const cut = raw.search(/\r?\n\r?\n/);
        const head = raw.slice(0, cut);
        const header = (name) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim();
        return { to: header('To'), subject: header('Subject'), from: header('From'), body: raw.slice(cut).trim() };
      });
    },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}

// Waits (up to 5 s) until the mailbox holds more than `already` mails; returns the new ones.
export async function waitForMails(box, already, count = 1) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const mails = box.mails();
    if (mails.length >= already + count) return mails.slice(already);
    if (Date.now() > deadline) throw new Error(`expected ${count} new mail(s), have ${mails.length - already}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The claims of a JWT (no verification).
export function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

// Runs one SQL statement on the data.db of a pb_data dir with the sqlite3 CLI (the daemon may be
// running: WAL readers and short writers are fine); returns the trimmed text output.
export function dbQuery(dir, sql) {
  return execFileSync('sqlite3', [join(dir, 'data.db'), sql], { encoding: 'utf8' }).trim();
}
