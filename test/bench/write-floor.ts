// What the importing thread's database work costs on its own: the facts of a file are parsed
// (and serialized, as the parse worker sends them) outside the clock, then only the writer and
// SQLite are timed — FactWriter.apply for every fact, the name index, the commit — with the same
// settings as an import (one transaction, foreign key checks and automatic checkpoints off).
// parse() ÷ this time is the most an import can reach against the bare parser, however well
// parsing overlaps: the bound that docs/BENCHMARKS.md calls the floor.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { recordingContext, type FormatModule } from '../../electron/backend/import/types';
import type { Db } from '../../electron/backend/store/db';
import { indexPendingNames } from '../../electron/backend/store/search-index';
import { FactWriter } from '../../electron/backend/store/writer';

export async function writeOnlyMs(db: Db, mod: FormatModule, file: string): Promise<number> {
  const name = path.basename(file);
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  let ms = 0;
  try {
    const sourceId = Number(
      db.prepare(`INSERT INTO sources (file_name, sha256, size, format, imported_at) VALUES (?, '', 0, ?, ?)`)
        .run(name, mod.id, new Date().toISOString()).lastInsertRowid,
    );
    const writer = new FactWriter(db, sourceId);
    const { ctx } = recordingContext(name);
    for await (const batch of mod.parse(createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, ctx)) {
      const contents = batch.map((f) => JSON.stringify(f));
      const t = performance.now();
      for (let i = 0; i < batch.length; i++) writer.apply(batch[i]!, contents[i]);
      ms += performance.now() - t;
    }
    const t = performance.now();
    indexPendingNames(db);
    db.exec('COMMIT');
    ms += performance.now() - t;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.pragma('foreign_keys = ON');
    db.pragma('wal_autocheckpoint = 1000');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return ms;
}
