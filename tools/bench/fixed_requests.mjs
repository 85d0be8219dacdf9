// fixed_requests.mjs — sends exactly COUNT GET requests of one kind, one after another on one
// keep-alive connection, for the callgrind profile (read_profile.sh): a fixed amount of work
// whatever the machine's speed. Kinds: health, view (random id of NRECORDS), list (30 newest of
// a random room, skipTotal), listcount (same with the total count). The ids come from a fixed
// seed, so two runs send the same requests. Exits non-zero on any non-200 answer.
// Usage: node fixed_requests.mjs BASE_URL KIND COUNT NRECORDS
import http from 'node:http';

const [base, kind, countArg, nArg] = process.argv.slice(2);
const count = Number(countArg), n = Number(nArg || 100000);
let seed = 42;
const rand = (m) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % m; };
const paths = {
  health: () => '/api/health',
  view: () => `/api/collections/messages/records/r${String(rand(n)).padStart(14, '0')}`,
  list: () => `/api/collections/messages/records?filter=room%3D%27room${rand(100)}%27&sort=-created&perPage=30&skipTotal=1`,
  listcount: () => `/api/collections/messages/records?filter=room%3D%27room${rand(100)}%27&sort=-created&perPage=30`,
};
if (!paths[kind]) { console.error(`unknown kind ${kind}`); process.exit(2); }
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (path) => new Promise((resolve, reject) => {
  http.get(base + path, { agent }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`))));
  }).on('error', reject);
});
for (let i = 0; i < count; i++) await get(paths[kind]());
agent.destroy();
