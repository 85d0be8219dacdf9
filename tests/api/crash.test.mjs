// crash.test.mjs — acknowledged writes survive a kill -9: concurrent creates run until the
// daemon is SIGKILLed mid-load; after a restart on the same pb_data every create that got a
// 200 is there and SQLite's integrity check passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, fixtureDir } from './helpers.mjs';

function writable(dir) {
  chmodSync(dir, 0o755);
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) writable(p); else chmodSync(p, 0o644);
  }
}

test('kill -9 under write load loses no acknowledged create', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pocketc-crash-'));
  const dir = join(tmp, 'pb_data');
  cpSync(fixtureDir, dir, { recursive: true });
  writable(dir);
  try {
    const srv = await startServer({ dir });
    const acked = [];
    let stop = false;
    const worker = async (w) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await fetch(`${srv.url}/api/collections/demo2/records`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ title: `crash-${w}-${i}` }),
          });
          if (r.status === 200) acked.push((await r.json()).id);
          else await r.arrayBuffer();
        } catch { /* the connection died with the daemon */ }
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 1500));
    await srv.kill();
    stop = true;
    await Promise.all(workers);
    assert.ok(acked.length > 50, `only ${acked.length} creates were acknowledged before the kill`);

    const again = await startServer({ dir });
    try {
      const missing = [];
      for (const id of acked) {
        const r = await fetch(`${again.url}/api/collections/demo2/records/${id}`);
        if (r.status !== 200) missing.push(id);
        await r.arrayBuffer();
      }
      assert.deepEqual(missing, [], 'acknowledged creates missing after the crash');
    } finally {
      await again.stop();
    }
    const check = execFileSync('sqlite3', [join(dir, 'data.db'), 'PRAGMA integrity_check']).toString().trim();
    assert.equal(check, 'ok');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
