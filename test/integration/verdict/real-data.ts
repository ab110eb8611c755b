// Shared by the issue-11 verdict tests: import real sample files (or small variants of their
// records, written to a temporary directory) into a fresh case database and ask for verdicts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { policyFromArgs } from '../../../electron/backend/verdict/policy-input';
import { computeVerdict, type VerdictResult } from '../../../electron/backend/verdict/verdict';

export const SAMPLES = path.resolve('../shared/samples');
export const FIXTURES = path.resolve('test/fixtures');

export interface Case {
  db: Db;
  dir: string;
  /** the entity id of `scheme:value` */
  id(ref: string): number;
  verdict(ref: string | number, asOf?: string, policy?: string): VerdictResult;
  /** the data date the loader reads for the source named `file` */
  dataDate(file: string): string;
  close(): void;
}

export function readSample(...parts: string[]): string {
  return readFileSync(path.join(...parts), 'utf8');
}

/** Imports files given by path, or by `{name, text}` written to a temporary directory first. */
export async function importCase(files: (string | { name: string; text: string })[]): Promise<Case> {
  const dir = mkdtempSync(path.join(tmpdir(), 'os-real-'));
  const paths = files.map((f) => {
    if (typeof f === 'string') return f;
    const p = path.join(dir, f.name);
    writeFileSync(p, f.text);
    return p;
  });
  const db = openCaseDb(path.join(dir, 'case.db'));
  await importFiles(db, paths);
  const id = (ref: string): number => {
    const i = ref.indexOf(':');
    const row = db.prepare('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?').get(ref.slice(0, i), ref.slice(i + 1)) as
      | { entity_id: number }
      | undefined;
    if (!row) throw new Error(`no entity ${ref}`);
    return row.entity_id;
  };
  return {
    db,
    dir,
    id,
    verdict: (ref, asOf, policy) => computeVerdict(db, typeof ref === 'number' ? ref : id(ref), policyFromArgs(policy, asOf)),
    dataDate: (file) =>
      (db.prepare('SELECT COALESCE(data_date, substr(imported_at, 1, 10)) AS d FROM sources WHERE file_name = ?').get(file) as { d: string }).d.slice(0, 10),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
