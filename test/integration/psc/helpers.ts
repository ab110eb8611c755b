import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importFiles } from '../../../electron/backend/import/runner';
import type { FormatId } from '../../../electron/backend/import/types';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';

export const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
// ../shared/samples beside the repository, as on every developer machine and in CI
export const SAMPLES = path.resolve(process.cwd(), '..', 'shared', 'samples');

export interface Tmp {
  dir: string;
  db: Db;
  file(name: string, content: string | Buffer): string;
  import(files: string[], format?: FormatId): ReturnType<typeof importFiles>;
  close(): void;
}

export function tmpCase(): Tmp {
  const dir = mkdtempSync(path.join(tmpdir(), 'os-other-'));
  const db = openCaseDb(path.join(dir, 'case.db'));
  return {
    dir,
    db,
    file(name, content) {
      const f = path.join(dir, name);
      writeFileSync(f, content);
      return f;
    },
    import: (files, format) => importFiles(db, files, format ? { format } : {}),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function entityByRef(db: Db, scheme: string, value: string): { id: number; name: string; kind: string } {
  const row = db
    .prepare('SELECT e.id, e.name, e.kind FROM identifiers i JOIN entities e ON e.id = i.entity_id WHERE i.scheme = ? AND i.value = ?')
    .get(scheme, value) as { id: number; name: string; kind: string } | undefined;
  if (!row) throw new Error(`no entity ${scheme}:${value}`);
  return row;
}
