// Incremental change tracking benchmark, on two cases: the engine benchmark's generated graph (a
// copy of its database) and a GLEIF-shaped case (the GLEIF benchmark's generated CSV golden copies,
// imported). On each, a watchlist of 1% of the entities is saved; then an import (a real CSV import through
// importFiles) gives 1% of the entities a new 60% owner, and the re-check `ownerscope changes`
// runs (objects the import changed → affected descendants → recompute of the watched subjects
// among them) is timed against a full screening of the same database.
import { copyFileSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openCaseDb } from '../../electron/backend/store/db';
import { importFiles } from '../../electron/backend/import/runner';
import { listChanges, recheck, screenAndSaveWatchlist } from '../../electron/backend/changes';
import { screen } from '../../electron/backend/verdict/verdict';
import { policyFromArgs } from '../../electron/backend/verdict/policy-input';
import { generateGraphDb, rng } from './graph-generate';
import { GENERATED_FILES, generateGleif, genLei } from './gleif-generate';

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

/** The engine benchmark's generated graph (deep chains, wide groups). */
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
  return run(`changes ${entities.toLocaleString('en')} (engine graph)`, file, dir, entities, (i) => `gen:${i}`);
}

/** A GLEIF-shaped case: the GLEIF benchmark's generated golden copies (CSV), imported. */
export async function benchChangesGleif(entities: number, dir: string): Promise<ChangesBenchResult> {
  const files = [GENERATED_FILES.l1Csv, GENERATED_FILES.rrCsv, GENERATED_FILES.repexCsv].map((f) => path.join(dir, f));
  if (!files.every((f) => existsSync(f))) await generateGleif(entities, dir);
  const file = path.join(dir, `changes-gleif-${entities}.db`);
  if (!existsSync(file)) {
    const db = openCaseDb(`${file}.tmp`);
    await importFiles(db, files);
    db.close();
    renameSync(`${file}.tmp`, file);
  }
  const copy = path.join(dir, `changes-gleif-${entities}-run.db`);
  for (const s of ['', '-wal', '-shm']) rmSync(copy + s, { force: true });
  copyFileSync(file, copy);
  return run(`changes ${entities.toLocaleString('en')} (GLEIF)`, copy, dir, entities, (i) => `lei:${genLei(i - 1)}`);
}

async function run(label: string, file: string, dir: string, entities: number, ref: (i: number) => string): Promise<ChangesBenchResult> {
  const db = openCaseDb(file);
  const policy = policyFromArgs(undefined);
  const rand = rng(17);
  const pickIds = (n: number) => {
    const ids = new Set<number>();
    while (ids.size < n) ids.add(1 + Math.floor(rand() * entities));
    return [...ids];
  };
  const onePercent = Math.round(entities / 100);
  const idOf = db.prepare('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?').pluck();
  const entityOf = (r: string) => idOf.get(r.slice(0, r.indexOf(':')), r.slice(r.indexOf(':') + 1)) as number | undefined;

  // a portfolio of 1% of the entities, screened and saved
  const list = pickIds(onePercent).map((i, k) => ({ row: k + 2, input: ref(i), id: entityOf(ref(i)) ?? null, match: 'ref' as const, note: '' }));
  let t = performance.now();
  await screenAndSaveWatchlist(db, { name: 'bench', policy, listFile: null, createdBy: null }, list);
  console.log(`${label}: watchlist of ${list.length.toLocaleString('en')} saved in ${Math.round(performance.now() - t)} ms`);

  // the update: 1% of the entities get a new 60% owner (a real import, with its record history)
  const touched = pickIds(onePercent);
  const csv = path.join(dir, `changes-${entities}-links.csv`);
  writeFileSync(
    csv,
    'owner_ref,owned_ref,kind,share_exact,stated\n' +
      touched.map((i) => `${ref(1 + Math.floor(rand() * entities))},${ref(i)},shares,60,60%`).join('\n') + '\n',
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
    `${label}: import touching ${touched.length.toLocaleString('en')} entities ${Math.round(importMs)} ms; ` +
      `re-check ${Math.round(recheckMs)} ms (read changes ${Math.round(r.phases.describeMs)}, walk ${Math.round(r.phases.walkMs)}, recompute ${Math.round(r.phases.computeMs)}; ${r.changedObjects.toLocaleString('en')} changed objects, ${r.affectedEntities.toLocaleString('en')} affected entities, ` +
      `${r.recomputed.toLocaleString('en')} of ${list.length.toLocaleString('en')} watched subjects recomputed, ${verdictsChanged.toLocaleString('en')} verdicts changed); ` +
      `full screening ${Math.round(fullScreenMs)} ms (load ${Math.round(full.timing.loadMs)}, compute ${Math.round(full.timing.computeMs)}); ` +
      `re-check ÷ full screening ${(out.ratio * 100).toFixed(1)}%; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
  return out;
}
