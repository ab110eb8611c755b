import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseVersionError, latestVersion, loadMigrations, openCaseDb, schemaVersion } from '../../../electron/backend/store/db';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('case database', () => {
  it('creates a file with every migration applied, WAL and foreign keys on', () => {
    const file = path.join(dir, 'case.db');
    const db = openCaseDb(file);
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const strict = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT%'`).all() as { name: string }[];
    expect(strict.map((t) => t.name)).toEqual(expect.arrayContaining(['sources', 'entities', 'links', 'undisclosed', 'identifiers']));
    db.close();
  });

  it('refuses a database written by a newer version and leaves it unchanged', () => {
    const file = path.join(dir, 'newer.db');
    openCaseDb(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion() + 5}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => openCaseDb(file)).toThrow(DatabaseVersionError);
    expect(() => openCaseDb(file)).toThrow(/newer version of Ownerscope/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('enforces foreign keys and STRICT types', () => {
    const db = openCaseDb(path.join(dir, 'fk.db'));
    expect(() =>
      db.prepare(`INSERT INTO identifiers (scheme, value, entity_id) VALUES ('lei', 'X', 999)`).run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO entities (kind, name, is_placeholder) VALUES ('company', 'A', 'yes')`).run()).toThrow();
    expect(() => db.prepare(`INSERT INTO entities (kind, name) VALUES ('alien', 'A')`).run()).toThrow(/CHECK/);
    db.close();
  });

  it('refuses to open a missing file when not asked to create it', () => {
    expect(() => openCaseDb(path.join(dir, 'missing.db'), { create: false })).toThrow(/no such case database/);
  });

  it('numbers migrations in increasing order', () => {
    const ms = loadMigrations();
    ms.forEach((m, i) => expect(m.version).toBeGreaterThan(i === 0 ? 0 : ms[i - 1]!.version));
  });
});
