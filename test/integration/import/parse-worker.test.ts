// Parsing in a worker thread (parse-worker.ts) must give the database exactly what parsing in the
// importing thread gives, report bad input the same way, and stop cleanly when cancelled.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { importFiles, type ImportProgress } from '../../../electron/backend/import/runner';
import { ImportCancelled, ImportError } from '../../../electron/backend/import/types';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { L1_XML_HEAD, L1_XML_TAIL, entitySpec, l1Xml } from '../../bench/gleif-generate';

const FX = path.resolve(__dirname, '../../fixtures');
const fx = (f: string) => path.join(FX, f);
const tmp = mkdtempSync(path.join(tmpdir(), 'parse-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDb = (): Db => openCaseDb(path.join(tmp, `case-${n++}.db`));
const write = (name: string, data: string | Buffer) => {
  const f = path.join(tmp, name);
  writeFileSync(f, data);
  return f;
};

/** Every table's rows, sorted, less what differs between two runs (import time, audit chain). */
function dump(db: Db): Record<string, string[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'name_search%' AND name NOT IN ('audit_log', 'resolution_state') ORDER BY name`).all() as { name: string }[];
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    out[name] = (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
      .map((r) => JSON.stringify({ ...r, imported_at: undefined, file_path: undefined }))
      .sort();
  }
  // what search finds, through the trigram index
  out.search = (db.prepare(`SELECT rowid, name FROM name_search WHERE name_search MATCH 'ltd' ORDER BY rowid`).all() as unknown[]).map((r) => JSON.stringify(r));
  return out;
}

async function importBoth(files: string[]): Promise<[Record<string, string[]>, Record<string, string[]>, Awaited<ReturnType<typeof importFiles>>]> {
  const a = freshDb();
  const b = freshDb();
  try {
    const ra = await importFiles(a, files, { parallel: false });
    const rb = await importFiles(b, files, { parallel: true });
    expect(rb.map((r) => ({ ...r, elapsedMs: 0 }))).toEqual(ra.map((r) => ({ ...r, elapsedMs: 0 })));
    // the import writes with foreign key checks off (runner.ts): every reference it wrote must hold,
    // and the checks are back on for what follows
    for (const db of [a, b]) {
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    }
    return [dump(a), dump(b), rb];
  } finally {
    a.close();
    b.close();
  }
}

describe('parsing in a worker thread', () => {
  it.each([
    ['GLEIF Level 1 XML, JSON, CSV, RR, repex', ['gleif/lei-cdf31_goldencopy_2023-06-05_excerpt.xml', 'gleif/20240505-0000-gleif-goldencopy-lei2-intra-day.json', 'gleif/20240601-0800-gleif-goldencopy-lei2-cases.csv', 'gleif/cases-l1.xml', 'gleif/rr-cdf21_goldencopy_2023-06-05_excerpt.xml', 'gleif/cases-rr.csv', 'gleif/cases-rr-delta.xml', 'gleif/repex21_goldencopy_2023-06-09_excerpt.xml', 'gleif/cases-repex.csv']],
    ['UK PSC (file and zip)', ['psc/gleif-l1-uk.xml', 'psc/psc-snapshot-sample_2024-12.jsonl', 'psc/psc-snapshot-parts.zip', 'psc/synthetic-shapes.jsonl']],
    ['BODS 0.2-0.4', ['bods/0.2-rr-data-out.json', 'bods/0.2-single-update.json', 'bods/0.3-indirect.json', 'bods/0.4-indirect.json', 'bods/0.4-tecido.json']],
    ['FtM entities and delta, plain CSV', ['ftm/entities.ftm.jsonl', 'ftm/delta.ftm.jsonl', 'csv/entities.csv', 'csv/links.csv']],
  ])('%s: the same database as parsing in the importing thread', async (_name, files) => {
    const [inThread, inWorker, results] = await importBoth(files.map(fx));
    expect(results.reduce((s, r) => s + r.records, 0)).toBeGreaterThan(0);
    expect(inWorker.entities!.length).toBeGreaterThan(0);
    expect(inWorker).toEqual(inThread);
  });

  it('a gzip file: same database, same source hash', async () => {
    const gz = write('l1.xml.gz', gzipSync(readFileSync(fx('gleif/cases-l1.xml'))));
    const [inThread, inWorker, [r]] = await importBoth([gz]);
    expect(r!.records).toBeGreaterThan(0);
    expect(inWorker).toEqual(inThread);
  });

  it('bad input found by the worker: the same ImportError, nothing imported', async () => {
    const good = readFileSync(fx('gleif/lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), 'utf8');
    const bad = [
      write('trunc.xml', good.slice(0, Math.floor(good.length / 2))),
      write('badlei.xml', good.replace('<lei:LEI>004L5FPTUREIWK9T2N63<', '<lei:LEI>004L5FPTUREIWK9T2N64<')),
      write('trunc.xml.gz', gzipSync(Buffer.from(good)).subarray(0, 2000)),
    ];
    for (const file of bad) {
      const db = freshDb();
      await importFiles(db, [fx('gleif/cases-l1.xml')]);
      const before = dump(db);
      const inThread = await importFiles(db, [file], { parallel: false }).catch((e: unknown) => e);
      const inWorker = await importFiles(db, [file], { parallel: true }).catch((e: unknown) => e);
      expect(inWorker).toBeInstanceOf(ImportError);
      const [a, b] = [inThread as ImportError, inWorker as ImportError];
      expect({ file: b.file, location: b.location, problem: b.problem }).toEqual({ file: a.file, location: a.location, problem: a.problem });
      expect(b.file).toBe(path.basename(file));
      expect(dump(db)).toEqual(before);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.close();
    }
  });

  it('cancelled mid-file: ImportCancelled, the database unchanged, progress counted records', async () => {
    let xml = L1_XML_HEAD('2024-01-01T00:00:00Z', 8_000);
    for (let i = 0; i < 8_000; i++) xml += l1Xml(entitySpec(i));
    const file = write('big.xml', xml + L1_XML_TAIL);
    const db = freshDb();
    await importFiles(db, [fx('gleif/cases-l1.xml')]);
    const before = dump(db);
    const ac = new AbortController();
    const seen: ImportProgress[] = [];
    const err = await importFiles(db, [file], {
      parallel: true, signal: ac.signal, progressIntervalMs: 0,
      onProgress: (p) => {
        seen.push(p);
        if (p.records >= 2000) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportCancelled);
    const last = seen[seen.length - 1]!;
    expect(last.records).toBeGreaterThanOrEqual(2000);
    expect(last.records).toBeLessThan(8_000);
    expect(last.bytes).toBeGreaterThan(0);
    expect(last.bytes).toBeLessThan(last.totalBytes);
    expect(dump(db)).toEqual(before);
    // the same file then imports whole
    const [r] = await importFiles(db, [file], { parallel: true });
    expect(r!.records).toBe(8_000);
    expect((db.prepare('SELECT count(*) n FROM entities WHERE is_placeholder = 0').get() as { n: number }).n).toBeGreaterThanOrEqual(8_000);
    db.close();
  });
});
