// `npm run bench [-- --entities 200000] [--only gleif,csv,psc,reimport,engine,files,graph,changes] [--psc-lines N]
//  [--mix test|real] [--real-size] [--dir DIR] [--floor]`
// Generates data of the given sizes (cached in DIR) and measures. The default parts are issue 13's
// goals against the peer scripts of ../shared/bench (issue13-bench.ts): gleif (XML import, database
// size, peak RSS), csv, psc, reimport (identical files, --again, a newer copy with 1% changed),
// engine (screening every entity of the imported database). Two more on request: files (the
// per-file parse/import table of gleif-bench.ts, with --floor) and graph (the verdict engine on a
// generated graph, engine-bench.ts). --real-size: GLEIF's real size (3.4M entities, mix real).
// changes (on request): the incremental re-check of watched verdicts after a 1% update (changes-bench.ts).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchEngine } from './engine-bench';
import { benchGleif } from './gleif-bench';
import type { Mix } from './gleif-generate';
import { benchIssue13, PARTS, type Part } from './issue13-bench';
import { benchChanges, benchChangesGleif } from './changes-bench';

const { values } = parseArgs({
  options: {
    entities: { type: 'string' }, only: { type: 'string' }, dir: { type: 'string' }, floor: { type: 'boolean' },
    'psc-lines': { type: 'string' }, mix: { type: 'string' }, 'real-size': { type: 'boolean' },
  },
});
const fail = (m: string): never => {
  console.error(m);
  process.exit(2);
};
const realSize = values['real-size'] ?? false;
const sizes = (values.entities ?? (realSize ? '3400000' : '200000')).split(',').map((s) => Number(s.replace(/_/g, '')));
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) fail('--entities takes a comma-separated list of whole numbers (at least 100)');
const ALL = [...PARTS, 'files', 'graph', 'changes'] as const;
const only = new Set((values.only ?? PARTS.join(',')).split(',').map((s) => s.trim()));
for (const p of only) if (!(ALL as readonly string[]).includes(p)) fail(`--only takes a comma-separated list of ${ALL.join(', ')} (not "${p}")`);
const mix = (values.mix ?? (realSize ? 'real' : 'test')) as Mix;
if (mix !== 'test' && mix !== 'real') fail('--mix takes test or real');
const pscLines = Number((values['psc-lines'] ?? '1000000').replace(/_/g, ''));
if (!Number.isInteger(pscLines) || pscLines < 2) fail('--psc-lines takes a whole number (at least 2)');
const base = values.dir ?? path.join(tmpdir(), 'ownerscope-bench');
console.log(`node ${process.version}, data in ${base}`);
for (const n of sizes) {
  const dir = path.join(base, mix === 'real' ? `${n}-real` : String(n));
  mkdirSync(dir, { recursive: true });
  const parts = new Set([...only].filter((p): p is Part => (PARTS as string[]).includes(p)));
  if (parts.size) await benchIssue13(n, dir, { parts, mix, pscLines });
  if (only.has('files')) await benchGleif(n, path.join(dir, 'v1'), { floor: values.floor ?? false });
  if (only.has('graph')) await benchEngine(n, dir);
  if (only.has('changes')) (await benchChanges(n, dir), await benchChangesGleif(n, dir));
}
