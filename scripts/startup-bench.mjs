// `npm run bench:startup`: the command line's start-up, median of N runs (default 10) of
// `node -e 0`, then `ownerscope --version` and `ownerscope search` on the demo case, through
// bin/ownerscope.mjs with the bundle (what `npx ownerscope` runs after npx's own start) and with
// tsx. Wall-clock time from spawn to exit, and the child's CPU time; a benchmark that prints,
// never a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 10);
const bin = path.join(root, 'bin', 'ownerscope.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-startup-'));
const db = path.join(tmp, 'case.db');
const demo = readdirSync(path.join(root, 'demo')).filter((f) => /\.(xml|jsonl)$/.test(f)).map((f) => path.join(root, 'demo', f));

function run(args, env = {}) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
}

// CPU time (user + system) of the child as well, from bash's `times` (children's line): on a
// shared machine it varies far less with other load than the wall clock does
function cpuOf(args, env) {
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null; s=$?; times; exit $s', 'bash', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const [user, sys] = r.stdout.trim().split('\n').pop().split(/\s+/).map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  });
  return user + sys;
}

const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function median(args, env) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    run(args, env);
    wall.push(Number(process.hrtime.bigint() - t) / 1e9);
    cpu.push(cpuOf(args, env));
  }
  return { wall: mid(wall), cpu: mid(cpu) };
}

run([bin, 'import', '--db', db, ...demo], { OWNERSCOPE_CLI: 'bundle' });
const bare = median(['-e', '0']);
const plus = (d) => `${d >= 0 ? '+' : ''}${d.toFixed(3)}`;
const fmt = (m) => `wall ${m.wall.toFixed(3)} (${plus(m.wall - bare.wall)})   cpu ${m.cpu.toFixed(3)} (${plus(m.cpu - bare.cpu)})`;
console.log(`Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, median of ${runs} runs, seconds (+ beyond node -e 0)`);
console.log(`  node -e 0                         wall ${bare.wall.toFixed(3)}          cpu ${bare.cpu.toFixed(3)}`);
for (const mode of ['bundle', 'tsx']) {
  console.log(`  ${mode.padEnd(6)} --version                  ${fmt(median([bin, '--version'], { OWNERSCOPE_CLI: mode }))}`);
  console.log(`  ${mode.padEnd(6)} search on the demo case    ${fmt(median([bin, 'search', '--db', db, 'Pearl Harbour'], { OWNERSCOPE_CLI: mode }))}`);
}
rmSync(tmp, { recursive: true, force: true });
