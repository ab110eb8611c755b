// The re-import fast path (import/known.ts, #13): a record whose bytes are what its key last stated
// is confirmed without being parsed. It must change nothing but the time: every test here imports
// the same files twice, once with the fast path and once with the digests cleared (the full path,
// as before the fast path existed), and compares the whole case database and the counts.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles, type ImportFileResult } from '../../../electron/backend/import/runner';
import { parseXmlRecords } from '../../../electron/backend/import/gleif/xml';
import { LEVEL1 } from '../../../electron/backend/import/gleif/families';
import { recordingContext } from '../../../electron/backend/import/types';
import { FactWriter } from '../../../electron/backend/store/writer';
import { historyRows } from '../../../electron/backend/store/history';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { GENERATED_FILES, generateGleif } from '../../bench/gleif-generate';

let dir: string;
let v1: string[];
let v2: string[];
const SAMPLE_L1 = path.resolve(process.cwd(), '..', 'shared', 'samples', 'gleif-level1', 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-fastpath-'));
  await generateGleif(300, path.join(dir, 'v1'));
  await generateGleif(300, path.join(dir, 'v2'), { version: 2 });
  const files = (v: string) => [GENERATED_FILES.l1Xml, GENERATED_FILES.rrXml, GENERATED_FILES.repexXml].map((f) => path.join(dir, v, f));
  v1 = files('v1');
  v2 = files('v2');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let dbs = 0;
function freshDb(): Db {
  return openCaseDb(path.join(dir, `case-${++dbs}.db`));
}

/** Everything an import writes about the data (not the sources' paths and times). */
function dump(db: Db): unknown {
  const all = (sql: string) => db.prepare(sql).raw().all();
  // tables without a rowid: in a stable order of their own
  const sorted = (table: string) => all(`SELECT * FROM ${table}`).map((r) => JSON.stringify(r)).sort();
  return {
    entities: all('SELECT id, kind, name, status, registration_status, category, topics, attributes, is_placeholder, source_id, record_ref, record_key FROM entities ORDER BY id'),
    names: sorted('entity_names'),
    countries: sorted('entity_countries'),
    identifiers: sorted('identifiers'),
    links: sorted('links'),
    undisclosed: sorted('undisclosed'),
    keys: all('SELECT id, object, key, hash, content, hex(raw) FROM record_keys ORDER BY id'),
    contents: all('SELECT first, count, hex(data) FROM record_contents ORDER BY first'),
    history: historyRows(db),
  };
}

const counts = (rs: ImportFileResult[]) => rs.map((r) => ({ file: r.file, records: r.records, inserted: r.inserted, changed: r.changed, unchanged: r.unchanged, dropped: r.dropped, entities: r.entities, links: r.links, markers: r.markers }));

/**
 * Imports `first` and then `then` into two case databases, the second time with the fast path
 * (`fast`) and with every digest cleared (`full`); both in the worker when `parallel`.
 */
async function both(first: string[], then: string[], options: { parallel?: boolean; craft?: (db: Db) => void } = {}) {
  const run = async (clear: boolean) => {
    const db = freshDb();
    await importFiles(db, first, { parallel: options.parallel });
    if (clear) db.prepare('UPDATE record_keys SET raw = NULL').run();
    else options.craft?.(db);
    const results = await importFiles(db, then, { parallel: options.parallel, again: true });
    const out = { counts: counts(results), dump: dump(db) };
    db.close();
    return out;
  };
  return { fast: await run(false), full: await run(true) };
}

/** How many records of an L1 XML file the parser confirms by digest against `db`. */
async function confirmedByDigest(db: Db, file: string): Promise<{ confirmed: number; parsed: number }> {
  const known = new FactWriter(db, 0).knownRecords('entity');
  const { ctx } = recordingContext(path.basename(file));
  let confirmed = 0;
  let parsed = 0;
  async function* chunks() {
    yield readFileSync(file);
  }
  for await (const b of parseXmlRecords(chunks(), ctx, LEVEL1, known)) {
    for (const f of b.facts) f === null ? confirmed++ : parsed++;
  }
  return { confirmed, parsed };
}

describe('the re-import fast path', () => {
  it('a newer golden copy (1% changed): the same database and counts as parsing every record', async () => {
    for (const parallel of [false, true]) {
      const { fast, full } = await both(v1, v2, { parallel });
      expect(fast.counts).toEqual(full.counts);
      expect(fast.counts.reduce((s, c) => s + c.changed, 0)).toBeGreaterThan(0);
      expect(fast.counts.reduce((s, c) => s + c.unchanged, 0)).toBeGreaterThan(fast.counts.reduce((s, c) => s + c.records, 0) * 0.9);
      expect(fast.dump).toEqual(full.dump);
    }
  }, 120_000);

  it('confirms the unchanged records without parsing them, and parses the changed ones', async () => {
    const db = freshDb();
    await importFiles(db, v1);
    const r = await confirmedByDigest(db, v2[0]!);
    const [reimport] = await importFiles(db, [v2[0]!]);
    // every record but the changed ones and the first (it follows the header, not a record)
    expect(r.confirmed).toBe(reimport!.unchanged - 1);
    expect(r.parsed).toBe(reimport!.changed + 1);
    db.close();
  }, 60_000);

  it('the identical file again (--again): every record confirmed, the same database as the full path', async () => {
    const { fast, full } = await both(v1, v1);
    expect(fast.counts).toEqual(full.counts);
    expect(fast.counts.every((c) => c.unchanged === c.records)).toBe(true);
    expect(fast.dump).toEqual(full.dump);
  }, 60_000);

  it('a record whose bytes differ by one character is parsed and counted as changed', async () => {
    const text = readFileSync(SAMPLE_L1, 'utf8');
    // the third record's legal name, one letter changed
    const edited = text.replace('Vanguard Russell 1000 Growth Index Trust', 'Vanguard Russell 1000 Growth Index Trusk');
    expect(edited).not.toBe(text);
    const file = path.join(dir, 'edited.xml');
    writeFileSync(file, edited);
    const db = freshDb();
    await importFiles(db, [SAMPLE_L1]);
    expect(await confirmedByDigest(db, file)).toEqual({ confirmed: 11, parsed: 2 });
    const [r] = await importFiles(db, [file]);
    expect({ changed: r!.changed, unchanged: r!.unchanged }).toEqual({ changed: 1, unchanged: 12 });
    expect(db.prepare(`SELECT count(*) FROM entities WHERE name = 'Vanguard Russell 1000 Growth Index Trusk'`).pluck().get()).toBe(1);
    db.close();
    const { fast, full } = await both([SAMPLE_L1], [file]);
    expect(fast).toEqual(full);
  }, 60_000);

  /** The sample's text and its record elements, and a file written from an edit of it. */
  const sample = () => {
    const text = readFileSync(SAMPLE_L1, 'utf8');
    return { text, records: [...text.matchAll(/<lei:LEIRecord[\s>][\s\S]*?<\/lei:LEIRecord>/g)].map((m) => m[0]) };
  };
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('the same key twice in one file, changed then as before: parsed both times, as the full path does', async () => {
    const { text, records } = sample();
    const third = records[2]!;
    const changed = third.replace('Vanguard Russell 1000 Growth Index Trust', 'Vanguard Renamed Trust');
    // the changed copy first, the record as it was (known by its digest) after it
    const { fast, full } = await both([SAMPLE_L1], [write('twice.xml', text.replace(third, `${changed}\n${third}`))]);
    expect(fast).toEqual(full);
    expect(fast.counts[0]!.changed).toBe(2);
  }, 60_000);

  it('records moved to other lines keep their new line numbers', async () => {
    const { text, records } = sample();
    // the second record moved to the end: the records between move up, it moves down
    const moved = text.replace(`${records[1]!}\n`, '').replace(records.at(-1)!, `${records.at(-1)!}\n${records[1]!}`);
    expect(moved).not.toBe(text);
    const { fast, full } = await both([SAMPLE_L1], [write('moved.xml', moved)]);
    expect(fast).toEqual(full);
    expect(fast.counts[0]!.unchanged).toBe(13);
  }, 60_000);

  it('bad XML in a record after known ones still fails naming the file and line', async () => {
    const text = readFileSync(SAMPLE_L1, 'utf8');
    const file = path.join(dir, 'broken.xml');
    writeFileSync(file, text.replace('<lei:LegalName xml:lang="en">Oakmark International Fund</lei:LegalName>', '<lei:LegalName xml:lang="en">Oakmark International Fund</lei:LegalNam>'));
    const db = freshDb();
    await importFiles(db, [SAMPLE_L1]);
    await expect(importFiles(db, [file])).rejects.toThrow(/broken\.xml: line 333: malformed XML/);
    db.close();
  }, 60_000);
});

describe('a crafted case database cannot make the fast path skip a changed record', () => {
  const edit = () => {
    const file = path.join(dir, 'crafted-edit.xml');
    writeFileSync(file, readFileSync(SAMPLE_L1, 'utf8').replace('Hutchin Hill Capital, LP', 'Hutchin Hill Capital, LLP'));
    return file;
  };
  const changedKey = `SELECT id FROM record_keys WHERE key = (SELECT record_key FROM entities WHERE name = 'Hutchin Hill Capital, LP')`;

  it('a forged digest (random, another key\'s, wrong length) on the changed key: parsed, changed, as the full path', async () => {
    const file = edit();
    const forgeries: ((db: Db) => void)[] = [
      (db) => db.prepare(`UPDATE record_keys SET raw = randomblob(16) WHERE id = (${changedKey})`).run(),
      // another key's digest: two keys hold it, so neither is trusted
      (db) => db.prepare(`UPDATE record_keys SET raw = (SELECT raw FROM record_keys WHERE raw IS NOT NULL AND id != (${changedKey}) LIMIT 1) WHERE id = (${changedKey})`).run(),
      (db) => db.prepare(`UPDATE record_keys SET raw = randomblob(5)`).run(),
      (db) => db.prepare(`UPDATE record_keys SET raw = zeroblob(16)`).run(),
      // every key's digest moved to the next key
      (db) => db.prepare(`UPDATE record_keys SET raw = (SELECT k2.raw FROM record_keys k2 WHERE k2.id > record_keys.id AND k2.raw IS NOT NULL ORDER BY k2.id LIMIT 1)`).run(),
    ];
    for (const craft of forgeries) {
      const { fast, full } = await both([SAMPLE_L1], [file], { craft });
      expect(fast.counts[0]!.changed).toBe(1);
      // the full path's digests are the real ones: compare all but the forged column
      const strip = (d: unknown) => ({ ...(d as Record<string, unknown>), keys: (d as { keys: unknown[][] }).keys.map((k) => k.slice(0, 5)) });
      expect(fast.counts).toEqual(full.counts);
      expect(strip(fast.dump)).toEqual(strip(full.dump));
    }
  }, 120_000);

  it('after a forged digest the changed record\'s key holds its real digest again', async () => {
    const file = edit();
    const db = freshDb();
    await importFiles(db, [SAMPLE_L1]);
    db.prepare(`UPDATE record_keys SET raw = randomblob(16) WHERE id = (${changedKey})`).run();
    const forged = db.prepare(`SELECT hex(raw) FROM record_keys WHERE id = (${changedKey})`).pluck().get();
    await importFiles(db, [file]);
    const after = db.prepare(`SELECT hex(raw) FROM record_keys WHERE key = (SELECT record_key FROM entities WHERE name = 'Hutchin Hill Capital, LLP')`).pluck().get();
    expect(after).not.toBe(forged);
    expect(after).toMatch(/^[0-9A-F]{32}$/);
    db.close();
  }, 60_000);

  it('a CSV of the same kind after the XML clears the digests it restates', async () => {
    const db = freshDb();
    await importFiles(db, [v1[0]!]);
    expect(db.prepare('SELECT count(*) FROM record_keys WHERE raw IS NOT NULL').pluck().get()).toBeGreaterThan(0);
    const csv = path.join(dir, 'v1', GENERATED_FILES.l1Csv);
    const copy = path.join(dir, 'copy-l1.csv');
    copyFileSync(csv, copy);
    await importFiles(db, [copy]);
    expect(db.prepare(`SELECT count(*) FROM record_keys WHERE raw IS NOT NULL AND object = 'entity'`).pluck().get()).toBe(0);
    db.close();
  }, 60_000);
});
