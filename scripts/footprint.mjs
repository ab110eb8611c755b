// `npm run footprint`: the production dependency closure, what electron-builder packs from
// node_modules into the installer (every package of package-lock.json not marked dev), with its
// size on disk as installed here (sum of file sizes, 1 MB = 10^6 bytes) and the largest packages;
// plus the report fonts copied into dist/fonts (packed as resources/fonts). Exits 1 if the two
// together reach the budget.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_MB = 100;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 15);

/** Bytes of the files under dir, not counting nested node_modules (those are packages of their own). */
function size(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') total += size(p) ?? 0;
    } else total += lstatSync(p).size;
  }
  return total;
}

const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const prod = Object.entries(lock.packages).filter(([p, info]) => p !== '' && p.includes('node_modules/') && !info.dev && !info.devOptional && !info.link);
const missing = [];
const rows = prod.flatMap(([p, info]) => {
  const bytes = size(path.join(root, p));
  if (bytes === null) {
    if (!info.optional) missing.push(p); // optional ones are for other platforms (fsevents, @esbuild/*)
    return [];
  }
  return [{ name: p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length), where: p, bytes }];
});
const mb = (b) => (b / 1e6).toFixed(1).padStart(7);
const total = rows.reduce((s, r) => s + r.bytes, 0);
const fonts = size(path.join(root, 'dist', 'fonts'));

console.log(`production dependency closure: ${rows.length} packages, ${mb(total).trim()} MB (budget ${BUDGET_MB} MB)`);
console.log(`largest ${Math.min(top, rows.length)}:`);
for (const r of [...rows].sort((a, b) => b.bytes - a.bytes).slice(0, top)) console.log(`  ${mb(r.bytes)} MB  ${r.name}${r.where !== `node_modules/${r.name}` ? `  (${r.where})` : ''}`);
console.log(fonts === null ? 'report fonts: dist/fonts not built yet (npm ci builds it)' : `report fonts copied into dist/fonts: ${mb(fonts).trim()} MB`);
if (missing.length) console.log(`not installed (run npm ci), not counted: ${missing.join(', ')}`);
const packed = total + (fonts ?? 0);
console.log(`packed total (closure + fonts): ${mb(packed).trim()} MB`);
if (packed / 1e6 >= BUDGET_MB) {
  console.error(`footprint: over the ${BUDGET_MB} MB budget`);
  process.exit(1);
}
