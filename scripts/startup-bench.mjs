// `npm run bench:startup`: the command line's start-up, median of N runs (default 10) of
// `node -e 0`, then `ownerscope --version` and `ownerscope search` on the demo case, through
// bin/ownerscope.mjs with the bundle (what `npx ownerscope` runs after npx's own start) and with
// tsx. Wall-clock time from spawn to exit; a benchmark that prints, never a test.
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
function median(args, env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    run(args, env);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

run([bin, 'import', '--db', db, ...demo], { OWNERSCOPE_CLI: 'bundle' });
const bare = median(['-e', '0']);
console.log(`Node ${process.version}, ${os.cpus().length} cores, median of ${runs} runs (seconds, wall clock)`);
console.log(`  node -e 0                         ${bare.toFixed(3)}`);
for (const mode of ['bundle', 'tsx']) {
  const version = median([bin, '--version'], { OWNERSCOPE_CLI: mode });
  const search = median([bin, 'search', '--db', db, 'Pearl Harbour'], { OWNERSCOPE_CLI: mode });
  console.log(`  ${mode.padEnd(6)} --version                  ${version.toFixed(3)}  (${(version - bare).toFixed(3)} beyond node -e 0)`);
  console.log(`  ${mode.padEnd(6)} search on the demo case    ${search.toFixed(3)}  (${(search - bare).toFixed(3)} beyond node -e 0)`);
}
rmSync(tmp, { recursive: true, force: true });
