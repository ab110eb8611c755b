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

describe('parse worker heap ceiling', () => {
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
