// The case database the watchlist and changes e2e tests start from: the GLEIF "cases" files and
// the subsidiary CSVs of test/fixtures/changes imported by the CLI, and beside it the newer GLEIF
// relationship file (a parent changed) that the tests import in the Sources view.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { runOk } from '../helpers/cli';
import { root } from './harness';

export const GLEIF = path.join(root, 'test/fixtures/gleif');
export const FIX = path.join(root, 'test/fixtures/changes');

export async function watchedCaseDb(dir: string): Promise<{ db: string; newer: string }> {
  const db = path.join(dir, 'watched.db');
  const newer = path.join(dir, '20240608-gleif-rr.xml');
  copyFileSync(path.join(FIX, 'cases-rr-newer-parent.xml'), newer);
  await runOk(['import', '--db', db, ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(GLEIF, f)), path.join(FIX, 'sub-entities.csv'), path.join(FIX, 'sub-links.csv')]);
  return { db, newer };
}
