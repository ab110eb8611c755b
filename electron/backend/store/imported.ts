// What a case database already holds of a file about to be imported: the sources read from the
// same bytes (same SHA-256), found by size first so that a file of a size never imported is not
// read twice.
import type { Db } from './db';

export interface ImportedSource {
  id: number;
  fileName: string;
  importedAt: string;
}

/** Whether any source was read from content of exactly `size` bytes (the cheap first test). */
export function hasSourceOfSize(db: Db, size: number): boolean {
  return db.prepare(`SELECT 1 FROM sources WHERE size = ? AND sha256 <> '' LIMIT 1`).get(size) !== undefined;
}

/** The earliest source read from content with this SHA-256 (a file, or one entry of an archive). */
export function sourceWithSha256(db: Db, sha256: string): ImportedSource | null {
  const r = db
    .prepare(`SELECT id, file_name AS fileName, imported_at AS importedAt FROM sources WHERE sha256 = ? ORDER BY id LIMIT 1`)
    .get(sha256) as ImportedSource | undefined;
  return r ?? null;
}

/** The sources read from the entries of the zip archive with this SHA-256, in import order. */
export function sourcesFromArchive(db: Db, archiveSha256: string): ImportedSource[] {
  const has = db.prepare(`SELECT 1 FROM pragma_table_info('sources') WHERE name = 'archive_sha256'`).get() !== undefined;
  if (!has) return [];
  return db
    .prepare(`SELECT id, file_name AS fileName, imported_at AS importedAt FROM sources WHERE archive_sha256 = ? ORDER BY id`)
    .all(archiveSha256) as ImportedSource[];
}
