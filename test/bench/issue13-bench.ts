// The goals of issue 13, measured in one run against the peer scripts of ../shared/bench (what a
// user would write in an afternoon: Python's standard library into SQLite). Only a ratio taken in
// the same run means anything on these shared machines, so every figure that has a peer runs it
// right after ours, on the same files.
//
// Ours is the command a user runs: the built CLI bundle (`node dist/cli/ownerscope.mjs import`,
// built first by scripts/build-cli.mjs), in its own process, like the peer. Both are timed by wall
// clock from process start to exit, and their peak resident set (the kernel's maximum RSS of the
// process, parse worker thread included) is read by GNU time.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { screenAll } from '../../shared/domain/engine';
import { openCaseDb } from '../../electron/backend/store/db';
import { loadAll } from '../../electron/backend/verdict/load';
import { policyFromArgs } from '../../electron/backend/verdict/policy-input';
import { gleifFormats } from '../../electron/backend/import/gleif';
import { pscFormat } from '../../electron/backend/import/psc';
import { FORMAT_OF, parseOnly } from './gleif-bench';
import { GENERATED_FILES, generateGleif, type Mix } from './gleif-generate';
import { generatePsc } from './psc-generate';
import { writeOnlyMs } from './write-floor';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PEERS = path.resolve(ROOT, '..', 'shared', 'bench');
const CLI = path.join(ROOT, 'dist', 'cli', 'ownerscope.mjs');

export type Part = 'gleif' | 'csv' | 'psc' | 'reimport' | 'engine';
export const PARTS: Part[] = ['gleif', 'csv', 'psc', 'reimport', 'engine'];

export interface Issue13Options {
  parts: Set<Part>;
  mix: Mix;
  pscLines: number;
}

interface Run {
  wallMs: number;
  peakRssMiB: number;
  stdout: string;
}

/** Runs a command under GNU time: wall clock and the process's maximum resident set. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const stats = path.join(tmpdir(), `ownerscope-bench-time-${process.pid}`);
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', stats, cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  const kib = Number(readFileSync(stats, 'utf8').trim().split('\n').pop());
  rmSync(stats, { force: true });
  return { wallMs, peakRssMiB: kib / 1024, stdout: r.stdout };
}

const dbBytes = (db: string) => ['', '-wal'].reduce((s, x) => s + (existsSync(db + x) ? statSync(db + x).size : 0), 0);
const fresh = (db: string) => {
  for (const s of ['', '-wal', '-shm', '.import-lock']) rmSync(db + s, { force: true });
};
const sizeOf = (files: string[]) => files.reduce((s, f) => s + statSync(f).size, 0);

/**
 * Our parse() of the files with the facts discarded (parser, mapping, validation; not the JSON
 * the parse worker also makes of each fact), in this process: the parse worker's share of an
 * import. Parsing and writing overlap on two cores, so an import is never faster than this — the
 * floor of ours ÷ peer that no database work can lower.
 */
async function parseFloorMs(files: string[]): Promise<number> {
  let ms = 0;
  for (const f of files) ms += (await parseOnly(gleifFormats.find((m) => m.id === FORMAT_OF[path.basename(f)])!, f)).ms;
  return ms;
}

interface OurImport extends Run {
  imported: { file: string; records: number; entities: number; links: number; markers: number; unchanged?: number }[];
  skipped: { file: string }[];
}

function ours(db: string, files: string[], again = false): OurImport {
  const r = timed(process.execPath, [CLI, 'import', '--db', db, ...files, ...(again ? ['--again'] : []), '--json'], { ...process.env, OWNERSCOPE_CLI: 'bundle' });
  const j = JSON.parse(r.stdout) as Pick<OurImport, 'imported' | 'skipped'>;
  return { ...r, imported: j.imported, skipped: j.skipped ?? [] };
}

function peer(script: string, db: string, files: string[]): Run {
  fresh(db);
  return timed('python3', [path.join(PEERS, script), db, ...files]);
}

/** One line of the result table. */
export interface Figure {
  figure: string;
  measured: string;
  goal: string;
  met: boolean | null;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (b: number) => `${(b / (1 << 20)).toFixed(0)} MiB`;
const x = (r: number) => r.toFixed(2);

/** Generated files are cached per size and mix; a stamp names what made them. */
async function gleifFiles(n: number, base: string, mix: Mix, version: 1 | 2): Promise<string> {
  const dir = path.join(base, version === 2 ? 'v2' : 'v1');
  const stamp = path.join(dir, 'generated.json');
  const want = JSON.stringify({ n, mix, version, generator: 2 });
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want) {
    const t = performance.now();
    const c = await generateGleif(n, dir, { mix, version });
    writeFileSync(stamp, want);
    console.log(`generated version ${version}: ${c.entities} entities, ${c.relationships} relationships, ${c.exceptions} exceptions${version === 2 ? ` (${c.changed} records changed)` : ''} in ${s(performance.now() - t)}`);
  }
  return dir;
}

export async function benchIssue13(n: number, base: string, o: Issue13Options): Promise<Figure[]> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')], { stdio: 'ignore' });
  const figures: Figure[] = [];
  const add = (figure: string, measured: string, goal: string, met: boolean | null) => {
    figures.push({ figure, measured, goal, met });
    console.log(`  ${figure}: ${measured}  (goal ${goal})${met === null ? '' : met ? '  met' : '  NOT met'}`);
  };
  const v1 = await gleifFiles(n, base, o.mix, 1);
  const xml = [GENERATED_FILES.l1Xml, GENERATED_FILES.rrXml, GENERATED_FILES.repexXml].map((f) => path.join(v1, f));
  const csv = [GENERATED_FILES.l1Csv, GENERATED_FILES.rrCsv, GENERATED_FILES.repexCsv].map((f) => path.join(v1, f));
  const xmlDb = path.join(base, 'ours-xml.db');
  const peerDb = path.join(base, 'peer.db');
  console.log(`\nIssue 13 goals, ${n.toLocaleString('en')} entities (mix ${o.mix}), ${base}`);

  let first: OurImport | null = null;
  const needXmlDb = o.parts.has('gleif') || o.parts.has('reimport') || o.parts.has('engine');
  if (needXmlDb) {
    fresh(xmlDb);
    first = ours(xmlDb, xml);
    const p = o.parts.has('gleif') ? peer('peer_gleif_import.py', peerDb, xml) : null;
    const input = sizeOf(xml);
    const size = dbBytes(xmlDb);
    const rec = first.imported.reduce((t, r) => t + r.records, 0);
    console.log(`  XML import: ${rec.toLocaleString('en')} records, ${mib(input)} of XML, ours ${s(first.wallMs)}, peer ${p ? s(p.wallMs) : '-'}`);
    if (p) {
      add('GLEIF XML import, ours ÷ peer time', `${x(first.wallMs / p.wallMs)} (${s(first.wallMs)} vs ${s(p.wallMs)})`, '≤ 1.0', first.wallMs <= p.wallMs);
      const floor = await parseFloorMs(xml);
      add('  floor: our parse() of the XML alone ÷ peer time', `${x(floor / p.wallMs)} (${s(floor)})`, '-', null);
      add('case database ÷ XML input', `${x(size / input)} (${mib(size)} from ${mib(input)}; peer's database ${mib(dbBytes(peerDb))})`, '≤ 0.5', size / input <= 0.5);
      add('peak RSS of the XML import', `${first.peakRssMiB.toFixed(0)} MiB (peer ${p.peakRssMiB.toFixed(0)} MiB)`, '< 300 MiB', first.peakRssMiB < 300);
    } else {
      add('GLEIF XML import, total time', s(first.wallMs), n >= 3_000_000 ? '< 10 min' : '-', n >= 3_000_000 ? first.wallMs < 600_000 : null);
      add('case database', `${mib(size)} (${x(size / input)} of the XML)`, n >= 3_000_000 ? '< 5 GB' : '-', n >= 3_000_000 ? size < 5e9 : null);
      add('peak RSS of the XML import', `${first.peakRssMiB.toFixed(0)} MiB`, '< 300 MiB', first.peakRssMiB < 300);
    }
  }

  if (o.parts.has('engine')) {
    const db = openCaseDb(xmlDb, { readonly: true });
    const policy = policyFromArgs(undefined);
    global.gc?.();
    const t0 = performance.now();
    const graph = await loadAll(db, { identifiers: false });
    const t1 = performance.now();
    screenAll(graph, policy);
    const t2 = performance.now();
    db.close();
    add(`screening every entity (${graph.count.toLocaleString('en')}), both methods, load included`, `${s(t2 - t0)} (load ${s(t1 - t0)}, screen ${s(t2 - t1)})`, '< 30 s', t2 - t0 < 30_000);
  }

  if (o.parts.has('reimport') && first) {
    const before = dbBytes(xmlDb);
    // (a) the identical files: skipped by their SHA-256
    const same = ours(xmlDb, xml);
    const addedSame = dbBytes(xmlDb) - before;
    add('re-import of the identical files: added bytes', `${addedSame} B (${((100 * addedSame) / before).toFixed(3)}%), ${same.skipped.length} of ${xml.length} skipped, ${s(same.wallMs)}`, '< 1%', addedSame / before < 0.01);
    // (c) the next golden copy, 1% of its records changed, on a copy of the first import
    const v2 = await gleifFiles(n, base, o.mix, 2);
    const v2Files = [GENERATED_FILES.l1Xml, GENERATED_FILES.rrXml, GENERATED_FILES.repexXml].map((f) => path.join(v2, f));
    const v2Db = path.join(base, 'ours-xml-v2.db');
    fresh(v2Db);
    copyFileSync(xmlDb, v2Db);
    const newer = ours(v2Db, v2Files);
    const addedNewer = dbBytes(v2Db) - before;
    add(
      're-import of a newer golden copy, 1% of records changed: added bytes',
      `${mib(addedNewer)} = ${((100 * addedNewer) / before).toFixed(1)}% of the database`,
      '< 3%',
      addedNewer / before < 0.03,
    );
    add('  … and its time ÷ the first import', `${x(newer.wallMs / first.wallMs)} (${s(newer.wallMs)} vs ${s(first.wallMs)})`, '< 0.5', newer.wallMs / first.wallMs < 0.5);
    fresh(v2Db);
    // (b) the identical files forced with --again (last: it changes the first import's database)
    const forced = ours(xmlDb, xml, true);
    const addedForced = dbBytes(xmlDb) - before;
    add(
      're-import of the identical files with --again: added bytes',
      `${mib(addedForced)} = ${((100 * addedForced) / before).toFixed(1)}% of the database, ${s(forced.wallMs)} (${x(forced.wallMs / first.wallMs)} of the first import)`,
      '< 1%',
      addedForced / before < 0.01,
    );
  }

  if (o.parts.has('csv')) {
    const csvDb = path.join(base, 'ours-csv.db');
    fresh(csvDb);
    const r = ours(csvDb, csv);
    const p = peer('peer_gleif_csv_import.py', peerDb, csv);
    add('GLEIF golden-copy CSV import, ours ÷ peer time', `${x(r.wallMs / p.wallMs)} (${s(r.wallMs)} vs ${s(p.wallMs)}; ${mib(dbBytes(csvDb))} from ${mib(sizeOf(csv))} of CSV)`, '≤ 1.0', r.wallMs <= p.wallMs);
    const floor = await parseFloorMs(csv);
    add('  floor: our parse() of the CSV alone ÷ peer time', `${x(floor / p.wallMs)} (${s(floor)})`, '-', null);
    // the other thread's share: parsing and writing overlap, so the import is never faster than either
    fresh(csvDb);
    const writeDb = openCaseDb(csvDb);
    let writeMs = 0;
    for (const f of csv) writeMs += await writeOnlyMs(writeDb, gleifFormats.find((m) => m.id === FORMAT_OF[path.basename(f)])!, f);
    writeDb.close();
    add('  floor: our database work alone (writer + SQLite, facts parsed beforehand) ÷ peer time', `${x(writeMs / p.wallMs)} (${s(writeMs)})`, '-', null);
    add('peak RSS of the CSV import', `${r.peakRssMiB.toFixed(0)} MiB (peer ${p.peakRssMiB.toFixed(0)} MiB)`, '< 300 MiB', r.peakRssMiB < 300);
    fresh(csvDb);
  }

  if (o.parts.has('psc')) {
    const file = path.join(base, '..', `psc-${o.pscLines}.jsonl`);
    if (!existsSync(file)) {
      const t = performance.now();
      await generatePsc(o.pscLines, file);
      console.log(`generated ${o.pscLines.toLocaleString('en')} PSC lines in ${s(performance.now() - t)}`);
    }
    const pscDb = path.join(base, 'ours-psc.db');
    fresh(pscDb);
    const r = ours(pscDb, [file]);
    const p = peer('peer_psc_import.py', peerDb, [file]);
    add(
      `UK PSC snapshot, ${o.pscLines.toLocaleString('en')} lines, ours ÷ peer time`,
      `${x(r.wallMs / p.wallMs)} (${s(r.wallMs)} vs ${s(p.wallMs)}; peak RSS ${r.peakRssMiB.toFixed(0)} vs ${p.peakRssMiB.toFixed(0)} MiB; ${mib(dbBytes(pscDb))} from ${mib(statSync(file).size)})`,
      '≤ 1.0',
      r.wallMs <= p.wallMs,
    );
    const floor = (await parseOnly(pscFormat, file)).ms;
    add('  floor: our parse() of the JSON lines alone ÷ peer time', `${x(floor / p.wallMs)} (${s(floor)})`, '-', null);
    const ratio = dbBytes(pscDb) / statSync(file).size;
    add('case database ÷ PSC input', `${ratio.toFixed(2)} (${mib(dbBytes(pscDb))} from ${mib(statSync(file).size)}; peer's database ${mib(dbBytes(peerDb))})`, '≤ 0.5', ratio <= 0.5);
    fresh(pscDb);
  }
  fresh(peerDb);

  console.log(`\n| figure | measured | goal | met |\n|---|---|---|---|`);
  for (const f of figures) console.log(`| ${f.figure} | ${f.measured} | ${f.goal} | ${f.met === null ? '-' : f.met ? 'yes' : '**no**'} |`);
  return figures;
}
