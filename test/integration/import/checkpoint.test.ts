// The write-ahead log after an import: folded into the database file by the runner (default), or
// left for the caller (the app's import worker reports first, then calls checkpointWal).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointWal, importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb } from '../../../electron/backend/store/db';

const fx = (f: string) => path.resolve(__dirname, '../../fixtures/gleif', f);
const tmp = mkdtempSync(path.join(tmpdir(), 'checkpoint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const walSize = (file: string) => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

describe('write-ahead log after an import', () => {
  it('is folded into the database by default', async () => {
    const file = path.join(tmp, 'a.db');
    const db = openCaseDb(file);
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    expect(walSize(file)).toBe(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('with checkpoint: false it waits for checkpointWal; the data is committed and visible before', async () => {
    const file = path.join(tmp, 'b.db');
    const db = openCaseDb(file);
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')], { checkpoint: false });
    expect(walSize(file)).toBeGreaterThan(0);
    // another connection (the app's main one) sees the import before the checkpoint
    const reader = openCaseDb(file, { readonly: true });
    const entities = (reader.prepare('SELECT count(*) n FROM entities').get() as { n: number }).n;
    expect(entities).toBeGreaterThan(0);
    // and can write meanwhile (the import's connection does not hold the write lock)
    const writer = openCaseDb(file);
    writer.prepare(`INSERT INTO sources (file_name, sha256, size, format, imported_at) VALUES ('x', 'x', 0, 'x', 'now')`).run();
    writer.close();
    reader.close();
    checkpointWal(db);
    expect(walSize(file)).toBe(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect((db.prepare('SELECT count(*) n FROM entities').get() as { n: number }).n).toBe(entities);
    db.close();
  });
});
