// What case.create and case.open do with files that are not (yet) Ownerscope case databases: an
// empty file, another application's SQLite database, a SQLite file with user_version 0, a case
// database of a newer version. Each is refused and left byte for byte as it was (no -wal file, no
// journal-mode change); a case database of an older version (no application_id) still opens.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import { importFiles } from '../../electron/backend/import/runner';
import { APPLICATION_ID, latestVersion, openCaseDb } from '../../electron/backend/store/db';
import { runCli } from '../helpers/cli';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('case.create and case.open refuse what is not a case database, changing nothing', () => {
  let dir: string;
  let backend: Backend;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-case-open-'));
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost() });
  });
  afterAll(() => backend.dispose());

  function sqliteFile(name: string, setup: (db: Database.Database) => void): string {
    const f = path.join(dir, name);
    const db = new Database(f);
    setup(db);
    db.close();
    return f;
  }

  function expectUnchanged(f: string, open: () => Promise<{ ok: boolean; message: string }>, why: RegExp) {
    return async () => {
      const before = sha(f);
      const r = await open();
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(why);
      expect(sha(f)).toBe(before);
      expect(existsSync(`${f}-wal`)).toBe(false);
    };
  }
  const apiOpen = (f: string) => async () => {
    const r = await callBackend(backend, 'case.open', { path: f });
    return { ok: r.ok, message: r.ok ? '' : r.error.message };
  };
  const cliImport = (f: string) => async () => {
    const r = await runCli(['import', '--db', f, path.join(FIXTURES, 'csv/entities.csv')]);
    return { ok: r.code === 0, message: r.stderr };
  };

  it('an empty file is not converted', async () => {
    const f = path.join(dir, 'empty.db');
    writeFileSync(f, '');
    await expectUnchanged(f, apiOpen(f), /not an Ownerscope case database \(the file is empty\)/)();
    await expectUnchanged(f, cliImport(f), /not an Ownerscope case database/)();
    expect(readFileSync(f).length).toBe(0);
  });

  it('a SQLite database with user_version 0 (another program\'s) is not converted', async () => {
    const f = sqliteFile('notes.sqlite', (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (\'mine\')'));
    await expectUnchanged(f, apiOpen(f), /not an Ownerscope case database/)();
    await expectUnchanged(f, cliImport(f), /not an Ownerscope case database/)();
  });

  it('a SQLite database of another application (application_id set) is refused', async () => {
    const f = sqliteFile('other.db', (db) => db.exec('PRAGMA application_id = 1234; PRAGMA user_version = 3; CREATE TABLE sources (x)'));
    await expectUnchanged(f, apiOpen(f), /another application/)();
  });

  it('a file that is not SQLite is refused', async () => {
    const f = path.join(dir, 'text.db');
    writeFileSync(f, 'just some text, not a database\n'.repeat(100));
    await expectUnchanged(f, apiOpen(f), /not an Ownerscope case database/)();
  });

  it('a case database of a newer version is refused before anything is written (journal mode unchanged)', async () => {
    const f = path.join(dir, 'newer.db');
    const db = openCaseDb(f);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    const before = readFileSync(f);
    expect(before[18]).toBe(1); // legacy (rollback journal) file format, not WAL
    await expectUnchanged(f, apiOpen(f), /written by a newer version of Ownerscope/)();
    await expectUnchanged(f, cliImport(f), /written by a newer version of Ownerscope/)();
    expect(readFileSync(f)[18]).toBe(1);
  });

  it('case.create never overwrites or migrates an existing file, even an empty one', async () => {
    for (const name of ['exists-empty.db', 'exists-text.db']) {
      const f = path.join(dir, name);
      writeFileSync(f, name.includes('empty') ? '' : 'keep me');
      const before = sha(f);
      const r = await callBackend(backend, 'case.create', { path: f });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/already exists/);
      expect(sha(f)).toBe(before);
    }
  });

  it('case.open of a missing path says how to create one; case.create there makes a stamped case database', async () => {
    const f = path.join(dir, 'new-case.db');
    const r = await callBackend(backend, 'case.open', { path: f });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/no such case database.*case\.create/);
    expect((await callBackend(backend, 'case.create', { path: f })).ok).toBe(true);
    const db = new Database(f, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });

  it('a case database of an older version (application_id 0) still opens and keeps its data', async () => {
    const f = path.join(dir, 'older.db');
    const db = openCaseDb(f);
    await importFiles(db, [path.join(FIXTURES, 'csv/entities.csv')]);
    db.pragma('application_id = 0');
    db.close();
    const r = await callBackend(backend, 'case.open', { path: f });
    expect(r.ok).toBe(true);
    const sources = await callBackend(backend, 'sources.list', {});
    expect(sources.ok && sources.value.length).toBe(1);
  });
});
