// Incremental change tracking benchmark: on the engine benchmark's generated case database (a copy
// of it), a watchlist of 1% of the entities is saved; then an import (a real CSV import through
// importFiles) gives 1% of the entities a new 60% owner, and the re-check `ownerscope changes`
// runs (objects the import changed → affected descendants → recompute of the watched subjects
// among them) is timed against a full screening of the same database.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openCaseDb } from '../../electron/backend/store/db';
import { importFiles } from '../../electron/backend/import/runner';
import { listChanges, recheck, screenAndSaveWatchlist } from '../../electron/backend/changes';
import { screen } from '../../electron/backend/verdict/verdict';
import { policyFromArgs } from '../../electron/backend/verdict/policy-input';
import { generateGraphDb, rng } from './graph-generate';

export interface ChangesBenchResult {
  entities: number;
  watched: number;
  touched: number;
  importMs: number;
  recheckMs: number;
  affectedEntities: number;
  recomputed: number;
  verdictsChanged: number;
  fullScreenMs: number;
  ratio: number;
}

export async function benchChanges(entities: number, dir: string): Promise<ChangesBenchResult> {
  // the engine benchmark's database when it is cached (it is generated the same way otherwise)
  const engineDb = path.join(dir, `engine-${entities}.db`);
  const file = path.join(dir, `changes-${entities}.db`);
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  if (existsSync(engineDb) && !existsSync(`${engineDb}-wal`)) copyFileSync(engineDb, file);
  else {
    const db = openCaseDb(file);
    generateGraphDb(db, entities);
    db.close();
  }
  const db = openCaseDb(file);
  const policy = policyFromArgs(undefined);
  const rand = rng(17);
  const pickIds = (n: number) => {
    const ids = new Set<number>();
    while (ids.size < n) ids.add(1 + Math.floor(rand() * entities));
    return [...ids];
  };
  const onePercent = Math.round(entities / 100);

  // a portfolio of 1% of the entities, screened and saved
  const watchedIds = pickIds(onePercent);
  const list = watchedIds.map((id, i) => ({ row: i + 2, input: `gen:${id}`, id, match: 'ref' as const, note: '' }));
  let t = performance.now();
  await screenAndSaveWatchlist(db, { name: 'bench', policy, listFile: null, createdBy: null }, list);
  console.log(`changes ${entities.toLocaleString('en')}: watchlist of ${list.length.toLocaleString('en')} saved in ${Math.round(performance.now() - t)} ms`);

  // the update: 1% of the entities get a new 60% owner (a real import, with its record history)
  const touched = pickIds(onePercent);
  const csv = path.join(dir, `changes-${entities}-links.csv`);
  writeFileSync(
    csv,
    'owner_ref,owned_ref,kind,share_exact,stated\n' +
      touched.map((id) => `gen:${1 + Math.floor(rand() * entities)},gen:${id},shares,60,60%`).join('\n') + '\n',
  );
  t = performance.now();
  await importFiles(db, [csv]);
  const importMs = performance.now() - t;

  global.gc?.();
  t = performance.now();
  const r = await recheck(db);
  const recheckMs = performance.now() - t;
  const verdictsChanged = listChanges(db).changes.length;

  // the full screening of the same database, for comparison
  global.gc?.();
  t = performance.now();
  const full = await screen(db, policy);
  const fullScreenMs = performance.now() - t;
  db.close();

  const out: ChangesBenchResult = {
    entities: full.result.graph.count, watched: list.length, touched: touched.length, importMs, recheckMs,
    affectedEntities: r.affectedEntities, recomputed: r.recomputed, verdictsChanged, fullScreenMs, ratio: recheckMs / fullScreenMs,
  };
  console.log(
    `changes ${entities.toLocaleString('en')}: import touching ${touched.length.toLocaleString('en')} entities ${Math.round(importMs)} ms; ` +
      `re-check ${Math.round(recheckMs)} ms (read changes ${Math.round(r.phases.describeMs)}, walk ${Math.round(r.phases.walkMs)}, recompute ${Math.round(r.phases.computeMs)}; ${r.changedObjects.toLocaleString('en')} changed objects, ${r.affectedEntities.toLocaleString('en')} affected entities, ` +
      `${r.recomputed.toLocaleString('en')} of ${list.length.toLocaleString('en')} watched subjects recomputed, ${verdictsChanged.toLocaleString('en')} verdicts changed); ` +
      `full screening ${Math.round(fullScreenMs)} ms (load ${Math.round(full.timing.loadMs)}, compute ${Math.round(full.timing.computeMs)}); ` +
      `re-check ÷ full screening ${(out.ratio * 100).toFixed(1)}%; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
  return out;
}
