// `npm run bench [-- --entities 100000,1000000] [--only gleif|engine|changes] [--dir DIR] [--floor]`
// Generates data of the given sizes (cached in DIR) and prints import and engine benchmarks.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchEngine } from './engine-bench';
import { benchGleif } from './gleif-bench';
import { benchChanges, benchChangesGleif } from './changes-bench';

const { values } = parseArgs({
  options: { entities: { type: 'string' }, only: { type: 'string' }, dir: { type: 'string' }, floor: { type: 'boolean' } },
});
const sizes = (values.entities ?? '100000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) {
  console.error('--entities takes a comma-separated list of whole numbers (at least 100)');
  process.exit(2);
}
const only = values.only;
if (only && only !== 'gleif' && only !== 'engine' && only !== 'changes') {
  console.error('--only takes gleif, engine or changes');
  process.exit(2);
}
const base = values.dir ?? path.join(tmpdir(), 'ownerscope-bench');
console.log(`node ${process.version}, data in ${base}`);
for (const n of sizes) {
  const dir = path.join(base, String(n));
  mkdirSync(dir, { recursive: true });
  if (only !== 'engine' && only !== 'changes') await benchGleif(n, dir, { floor: values.floor ?? false });
  if (only !== 'gleif' && only !== 'changes') await benchEngine(n, dir);
  if (!only || only === 'changes') (await benchChanges(n, dir), await benchChangesGleif(n, dir));
}
