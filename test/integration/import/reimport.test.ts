// Re-import is honest (#13): the same bytes (same SHA-256: a file, a zip entry, or the whole
// archive) imported again into the same case database are said so and skipped; `again` forces
// them; in a batch the skipped file does not stop the others. Real sample files throughout.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { openZipEntry } from '../../../electron/backend/import/archive';
import { importBatch, importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { json, runCli, runOk } from '../../helpers/cli';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
const SAMPLES = path.resolve(process.cwd(), '..', 'shared', 'samples');
const L1 = path.join(SAMPLES, 'gleif-level1', 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml');
const RR = path.join(SAMPLES, 'gleif-level2', 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml');
const PSC = path.join(SAMPLES, 'uk-psc', 'psc-snapshot-sample_2024-12.jsonl');
const PSC_ZIP = path.join(FIXTURES, 'psc', 'psc-snapshot-parts.zip');

let dir: string;
let db: Db;
const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
const today = () => new Date().toISOString().slice(0, 10);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-reimport-'));
  db = openCaseDb(path.join(dir, 'case.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the same file again', () => {
  it('is skipped and said so; nothing is written, not even history or an audit entry', async () => {
    const [first] = await importFiles(db, [L1]);
    const before = {
      sources: n('SELECT count(*) n FROM sources'), history: n('SELECT count(*) n FROM record_history'),
      audit: n('SELECT count(*) n FROM audit_log'), pages: n('SELECT page_count n FROM pragma_page_count'),
    };
    const again = await importBatch(db, [L1]);
    expect(again.imported).toEqual([]);
    expect(again.skipped).toEqual([
      {
        file: path.basename(L1), path: L1, sha256: first!.sha256, sourceId: first!.sourceId, sourceIds: [first!.sourceId],
        importedAt: expect.stringMatching(new RegExp(`^${today()}T`)),
        message: `${path.basename(L1)}: already imported on ${today()} as source #${first!.sourceId}`,
      },
    ]);
    expect({
      sources: n('SELECT count(*) n FROM sources'), history: n('SELECT count(*) n FROM record_history'),
      audit: n('SELECT count(*) n FROM audit_log'), pages: n('SELECT page_count n FROM pragma_page_count'),
    }).toEqual(before);
  });

  it('is found by content, not by name: a copy under another name is skipped, an edit of the same size is imported', async () => {
    await importFiles(db, [PSC]);
    const copy = path.join(dir, 'renamed.jsonl');
    copyFileSync(PSC, copy);
    const r = await importBatch(db, [copy]);
    expect(r.imported).toEqual([]);
    expect(r.skipped.map((s) => s.message)).toEqual([`renamed.jsonl: already imported on ${today()} as source #1`]);
    // one character changed, size unchanged: other bytes, another SHA-256, a new source
    const text = readFileSync(PSC, 'utf8');
    const edited = path.join(dir, 'edited.jsonl');
    const i = text.indexOf('"name":"') + 8;
    writeFileSync(edited, text.slice(0, i) + (text[i] === 'X' ? 'Y' : 'X') + text.slice(i + 1));
    expect(statSync(edited).size).toBe(statSync(PSC).size);
    const e = await importBatch(db, [edited]);
    expect(e.skipped).toEqual([]);
    expect(e.imported.map((x) => x.sourceId)).toEqual([2]);
  });

  it('a gzip file is the same file as itself, not as its decompressed content (the SHA-256 of the bytes given)', async () => {
    const gz = path.join(dir, 'l1.xml.gz');
    writeFileSync(gz, gzipSync(readFileSync(L1)));
    await importFiles(db, [gz]);
    expect((await importBatch(db, [gz])).skipped.map((s) => s.sourceId)).toEqual([1]);
    expect((await importBatch(db, [L1])).imported.map((s) => s.file)).toEqual([path.basename(L1)]);
  });

  it('`again` imports it anyway, as a new source', async () => {
    await importFiles(db, [L1]);
    const r = await importBatch(db, [L1], { again: true });
    expect(r.skipped).toEqual([]);
    expect(r.imported.map((x) => x.sourceId)).toEqual([2]);
    expect(n('SELECT count(*) n FROM sources')).toBe(2);
  });
});

describe('a batch', () => {
  it('the skipped file does not stop the others, which are imported in the same transaction', async () => {
    await importFiles(db, [L1]);
    const r = await importBatch(db, [L1, RR, PSC]);
    expect(r.skipped.map((s) => s.file)).toEqual([path.basename(L1)]);
    expect(r.imported.map((x) => x.file)).toEqual([path.basename(RR), path.basename(PSC)]);
    expect(r.imported.every((x) => x.records > 0)).toBe(true);
    expect(n(`SELECT count(*) n FROM audit_log WHERE action = 'import'`)).toBe(3);
  });

  it('the same file twice in one batch is imported once', async () => {
    const r = await importBatch(db, [PSC, PSC]);
    expect(r.imported.map((x) => x.sourceId)).toEqual([1]);
    expect(r.skipped.map((s) => s.message)).toEqual([`${path.basename(PSC)}: already imported on ${today()} as source #1`]);
  });
});

describe('zip archives', () => {
  it('the same archive again is skipped as a whole, naming the source of each entry', async () => {
    const first = await importFiles(db, [PSC_ZIP]);
    expect(first.map((f) => f.file)).toEqual(['psc-snapshot-parts.zip/psc-snapshot-part1.txt', 'psc-snapshot-parts.zip/psc-snapshot-part2.txt']);
    const r = await importBatch(db, [PSC_ZIP]);
    expect(r.imported).toEqual([]);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatchObject({ file: 'psc-snapshot-parts.zip', path: PSC_ZIP, sourceId: 1, sourceIds: [1, 2] });
    expect(r.skipped[0]!.message).toBe(`psc-snapshot-parts.zip: already imported on ${today()} as sources #1, #2`);
  });

  it('another archive holding an entry already imported skips that entry and imports the rest', async () => {
    await importFiles(db, [PSC_ZIP]);
    const part1 = await entryBytes(PSC_ZIP, 'psc-snapshot-part1.txt');
    // the first entry again beside a new one (the sample snapshot), in a new archive: another SHA-256 of the whole
    const zip = path.join(dir, 'newer.zip');
    writeFileSync(zip, zipSync({ 'psc-snapshot-part1.txt': part1, 'psc-snapshot-sample.txt': readFileSync(PSC) }));
    const r = await importBatch(db, [zip]);
    expect(r.skipped.map((s) => s.message)).toEqual([`newer.zip/psc-snapshot-part1.txt: already imported on ${today()} as source #1`]);
    expect(r.imported.map((x) => x.file)).toEqual(['newer.zip/psc-snapshot-sample.txt']);
  });

  it("an entry's content given as a plain file is the same bytes: skipped, naming the entry's source", async () => {
    await importFiles(db, [PSC_ZIP]);
    // the first entry, unpacked by hand
    const unpacked = path.join(dir, 'psc-snapshot-part1.txt');
    writeFileSync(unpacked, await entryBytes(PSC_ZIP, 'psc-snapshot-part1.txt'));
    const r = await importBatch(db, [unpacked]);
    expect(r.imported).toEqual([]);
    expect(r.skipped.map((s) => s.message)).toEqual([`psc-snapshot-part1.txt: already imported on ${today()} as source #1`]);
  });
});

async function entryBytes(zip: string, entry: string): Promise<Buffer> {
  const { stream, close } = await openZipEntry(zip, entry);
  const parts: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) parts.push(c);
  close();
  return Buffer.concat(parts);
}

describe('CLI', () => {
  it('says so, exits 0, lists it under `skipped` in JSON; --again forces it', async () => {
    const file = path.join(dir, 'cli.db');
    await runOk(['import', '--db', file, L1]);
    const text = await runOk(['import', '--db', file, L1, RR]);
    expect(text.stdout).toContain(`${path.basename(L1)}: already imported on ${today()} as source #1 (skipped; --again imports it anyway)\n`);
    expect(text.stdout).toMatch(new RegExp(`${path.basename(RR).replace(/\./g, '\\.')}: gleif-rr-xml, \\d+ records`));
    const j = json<{ imported: { file: string }[]; skipped: { file: string; sourceId: number; message: string }[] }>(await runOk(['import', '--db', file, L1, RR, '--json']));
    expect(j.imported).toEqual([]);
    expect(j.skipped.map((s) => [s.file, s.sourceId])).toEqual([[path.basename(L1), 1], [path.basename(RR), 2]]);
    const forced = json<{ imported: { file: string; sourceId: number }[]; skipped: unknown[] }>(await runOk(['import', '--db', file, L1, '--again', '--json']));
    expect(forced.skipped).toEqual([]);
    expect(forced.imported.map((f) => f.sourceId)).toEqual([3]);
  });

  it('--again takes no value', async () => {
    const r = await runCli(['import', '--db', path.join(dir, 'x.db'), L1, '--again=yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--again/);
  });
});
