// The only module that opens SQLite connections (DESIGN.md §2). One file per case database.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindExistingRows } from '../cases/rows.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered migrations `NNN-name.sql`; numbers must be 1..N without gaps. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f)).sort();
  return files.map((f, i) => {
    const version = Number(f.slice(0, 3));
    if (version !== i + 1) throw new Error(`migration ${f}: expected number ${String(i + 1).padStart(3, '0')}`);
    return { version, name: f, sql: readFileSync(path.join(dir, f), 'utf8') };
  });
}

export class DatabaseVersionError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `${file}: this case database was written by a newer version of Ownerscope (schema ${found}; this version knows up to ${supported}). Update Ownerscope to open it; the file was not changed.`,
    );
    this.name = 'DatabaseVersionError';
  }
}

export interface OpenOptions {
  /** Create the file when missing (default true). */
  create?: boolean;
  readonly?: boolean;
}

export function openCaseDb(file: string, options: OpenOptions = {}): Db {
  const { create = true, readonly = false } = options;
  if (!create && !existsSync(file)) throw new Error(`${file}: no such case database`);
  const db = new Database(file, { readonly, fileMustExist: !create || readonly });
  try {
    db.pragma('busy_timeout = 5000');
    // 64 MiB page cache: imports insert into indexes with random keys (LEIs), which thrash the
    // default 2 MiB cache once a database holds millions of rows.
    db.pragma('cache_size = -65536');
    if (!readonly) db.pragma('journal_mode = WAL');
    // Links, names and markers reference entities and sources; a dangling reference would be a
    // fact without provenance, so SQLite enforces them (it does not by default).
    db.pragma('foreign_keys = ON');
    migrate(db, file, readonly);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Upgrade steps SQL cannot do (they hash rows), run right after the migration of that number. */
const MIGRATION_STEPS: Record<number, (db: Db) => void> = {
  6: bindExistingRows,
};

function migrate(db: Db, file: string, readonly: boolean): void {
  const migrations = loadMigrations();
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseVersionError(file, current, latest);
  if (current === latest) return;
  if (readonly) throw new Error(`${file}: the case database needs an upgrade (schema ${current} → ${latest}) and was opened read-only`);
  // All pending migrations in one transaction: a failed upgrade leaves the file as it was.
  db.transaction(() => {
    for (const m of migrations.slice(current)) {
      db.exec(m.sql);
      MIGRATION_STEPS[m.version]?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}
