// The parse worker of a format that holds one record at a time runs with a heap ceiling
// (parse-source.ts RECORD_AT_A_TIME_LIMITS: it keeps the import's peak memory down). A crafted
// file whose one record does not fit is refused with a clear error naming the file, and the case
// database is left as it was; records far larger than any real one still import.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../electron/backend/import/runner';
import { ImportError } from '../../electron/backend/import/types';
import { openCaseDb, type Db } from '../../electron/backend/store/db';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-heap-'));
  db = openCaseDb(path.join(dir, 'case.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real Level 1 excerpt with its first legal name made `mib` MiB long. */
function l1WithHugeName(mib: number): string {
  const x = readFileSync(path.join(FIXTURES, 'gleif', 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), 'utf8');
  const j = x.indexOf('>', x.indexOf('<lei:LegalName')) + 1;
  const file = path.join(dir, `huge-${mib}.xml`);
  writeFileSync(file, x.slice(0, j) + 'N'.repeat(mib * 1048576) + x.slice(j));
  return file;
}

/** The golden-copy CSV fixture with its first data row's legal name made `mib` MiB long. */
function l1CsvWithHugeName(mib: number): string {
  const x = readFileSync(path.join(FIXTURES, 'gleif', '20240601-0800-gleif-goldencopy-lei2-cases.csv'), 'utf8');
  const lines = x.split('\n');
  const col = lines[0]!.split(',').findIndex((c) => c.replace(/"/g, '') === 'Entity.LegalName');
  expect(col).toBeGreaterThan(0);
  // the fixture's fields are quoted: the legal name is the col-th quoted field of line 2
  const fields = lines[1]!.split('","');
  fields[col] = 'N'.repeat(mib * 1048576);
  lines[1] = fields.join('","');
  const file = path.join(dir, `20240601-0800-gleif-goldencopy-lei2-huge-${mib}.csv`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

describe('parse worker heap ceiling', () => {
  // the golden-copy CSV reader hands papaparse 64 KiB at a time: its worker runs with 32 MiB
  it('CSV: a 40 MiB legal name is refused naming the file and the 32 MiB ceiling, nothing written', async () => {
    const err = await importFiles(db, [l1CsvWithHugeName(40)], { parallel: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toMatch(/huge-40\.csv: ((first records|after byte \d+): a record near here needs more than the parser's 32 MiB|line 2: a field of 40 MiB: far larger than any field of this format \(the parser holds at most 32 MiB\))/);
    expect(db.prepare('SELECT count(*) n FROM sources').get()).toEqual({ n: 0 });
  }, 60_000);

  it('CSV: a 2 MiB legal name (far over any real one) still imports, whole', async () => {
    const [r] = await importFiles(db, [l1CsvWithHugeName(2)], { parallel: true });
    expect(r!.records).toBeGreaterThan(3);
    expect(db.prepare('SELECT max(length(name)) n FROM entities').get()).toEqual({ n: 2 * 1048576 });
  }, 60_000);

  it('a 60 MiB legal name: refused with an ImportError naming the file, nothing written', async () => {
    const file = l1WithHugeName(60);
    const err = await importFiles(db, [file], { parallel: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toMatch(/^huge-60\.xml: (first records|after byte \d+): a record near here needs more than the parser's 64 MiB/);
    expect(db.prepare('SELECT count(*) n FROM sources').get()).toEqual({ n: 0 });
  }, 60_000);

  it('a 10 MiB legal name (a hundred times any real one) still imports', async () => {
    const [r] = await importFiles(db, [l1WithHugeName(10)], { parallel: true });
    expect(r!.records).toBeGreaterThan(10);
  }, 60_000);
});
