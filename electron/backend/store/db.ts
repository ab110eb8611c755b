// The only module that opens SQLite connections (DESIGN.md §2). One file per case database.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindExistingRows } from '../cases/rows.js';
import { checkPathString, requireRegularFile } from '../files/safe-path';
import { migrateHistory } from './history';
import { indexAllLatinKeys } from './search-index';

export type Db = Database.Database;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Numbered migrations `NNN-name.sql`, in increasing order, each number once. Numbers are reserved
 * per change while several are developed side by side (a branch may carry 010 before 007–009
 * are merged), so a gap is allowed; the schema version is the highest number applied.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f)).sort();
  let last = 0;
  return files.map((f) => {
    const version = Number(f.slice(0, 3));
    if (version <= last) throw new Error(`migration ${f}: number ${String(version).padStart(3, '0')} is used twice`);
    last = version;
    return { version, name: f, sql: readFileSync(path.join(dir, f), 'utf8') };
  });
}

/** The schema version this build writes: the highest migration number. */
export function latestVersion(migrations: Migration[] = loadMigrations()): number {
  return migrations.at(-1)?.version ?? 0;
}

export class DatabaseVersionError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `${file}: this case database was written by a newer version of Ownerscope (schema ${found}; this version knows up to ${supported}). Update Ownerscope to open it; the file was not changed.`,
    );
    this.name = 'DatabaseVersionError';
  }
}

/** Raised for a file that is not an Ownerscope case database; the file is left as it was. */
export class NotACaseDatabaseError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: not an Ownerscope case database (${why}); the file was not changed. Open a case database, or create a new one at another path.`);
    this.name = 'NotACaseDatabaseError';
  }
}

/**
 * `PRAGMA application_id` of a case database ("OwnS"), written when a database is created (or
 * first opened for writing by this version). Databases of older versions carry 0 and are
 * recognized by their schema instead: every table their `user_version` promises is there.
 */
export const APPLICATION_ID = 0x4f776e53;

export interface OpenOptions {
  /** Create the file when missing (default true). An existing file is never created over. */
  create?: boolean;
  readonly?: boolean;
}

/** The tables migrations 1..version create. */
function tablesOf(migrations: Migration[], version: number): string[] {
  return migrations.filter((m) => m.version <= version).flatMap((m) => [...m.sql.matchAll(/CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((x) => x[1]!));
}

/**
 * Decides, on a read-only connection that writes nothing (not even the journal mode), whether an
 * existing file is a case database this version can open: refuses an empty file, a file that is
 * not SQLite, a SQLite database of another application, and a case database of a newer version.
 */
function checkExisting(file: string, migrations: Migration[]): void {
  if (statSync(file).size === 0) throw new NotACaseDatabaseError(file, 'the file is empty');
  let probe: Database.Database;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new NotACaseDatabaseError(file, (e as Error).message);
  }
  try {
    let appId: number;
    let version: number;
    let tables: Set<string>;
    try {
      appId = probe.pragma('application_id', { simple: true }) as number;
      version = probe.pragma('user_version', { simple: true }) as number;
      tables = new Set((probe.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')`).all() as { name: string }[]).map((r) => r.name));
    } catch (e) {
      throw new NotACaseDatabaseError(file, (e as Error).message);
    }
    if (appId !== APPLICATION_ID && appId !== 0) throw new NotACaseDatabaseError(file, `a SQLite database of another application (application_id ${appId})`);
    if (version > latestVersion(migrations) && (appId === APPLICATION_ID || tables.has('sources'))) throw new DatabaseVersionError(file, version, latestVersion(migrations));
    if (appId === 0) {
      if (version === 0) throw new NotACaseDatabaseError(file, 'a SQLite database without a case database schema');
      const missing = tablesOf(migrations, Math.min(version, latestVersion(migrations))).filter((t) => !tables.has(t));
      if (missing.length) throw new NotACaseDatabaseError(file, `tables missing: ${missing.slice(0, 5).join(', ')}`);
    }
  } finally {
    probe.close();
  }
}

export function openCaseDb(file: string, options: OpenOptions = {}): Db {
  const { create = true, readonly = false } = options;
  checkPathString(file, 'case database');
  const exists = existsSync(file);
  if (!create && !exists) throw new Error(`${file}: no such case database`);
  const migrations = loadMigrations();
  if (exists) {
    requireRegularFile(file, 'case database');
    checkExisting(file, migrations);
  }
  const db = new Database(file, { readonly, fileMustExist: exists || !create || readonly });
  try {
    db.pragma('busy_timeout = 5000');
    // 64 MiB page cache: imports insert into indexes with random keys (LEIs), which thrash the
    // default 2 MiB cache once a database holds millions of rows.
    db.pragma('cache_size = -65536');
    if (!readonly) db.pragma('journal_mode = WAL');
    // Links, names and markers reference entities and sources; a dangling reference would be a
    // fact without provenance, so SQLite enforces them (it does not by default).
    db.pragma('foreign_keys = ON');
    migrate(db, file, readonly, migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Upgrade steps SQL cannot do (they hash rows; a column added only where missing), run right after the migration of that number. */
const MIGRATION_STEPS: Record<number, (db: Db) => void> = {
  6: bindExistingRows,
  7: migrateHistory,
  11: indexAllLatinKeys,
  14: addRawDigestColumn,
};

/** Migration 014: record_keys.raw (the re-import fast path's digest), unless the table has it. */
function addRawDigestColumn(db: Db): void {
  if (db.prepare(`SELECT 1 FROM pragma_table_info('record_keys') WHERE name = 'raw'`).get() === undefined) db.exec('ALTER TABLE record_keys ADD COLUMN raw BLOB');
}

function migrate(db: Db, file: string, readonly: boolean, migrations: Migration[]): void {
  const latest = latestVersion(migrations);
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseVersionError(file, current, latest);
  const isStamped = (db.pragma('application_id', { simple: true }) as number) === APPLICATION_ID;
  if (current === latest && (isStamped || readonly)) return;
  if (readonly) throw new Error(`${file}: the case database needs an upgrade (schema ${current} → ${latest}) and was opened read-only`);
  // All pending migrations in one transaction: a failed upgrade leaves the file as it was.
  db.transaction(() => {
    for (const m of migrations.filter((x) => x.version > current)) {
      db.exec(m.sql);
      MIGRATION_STEPS[m.version]?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
    if (!isStamped) db.pragma(`application_id = ${APPLICATION_ID}`);
  })();
}
