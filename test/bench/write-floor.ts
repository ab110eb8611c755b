// What the importing thread's database work costs on its own: the facts of a file are parsed
// (and serialized, as the parse worker sends them) outside the clock, then only the writer and
// SQLite are timed — FactWriter.apply for every fact, the name index, the commit — in the import's
// own transaction (inImportTransaction: the same settings).
// parse() ÷ this time is the most an import can reach against the bare parser, however well
// parsing overlaps: the bound that docs/BENCHMARKS.md calls the floor.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { checkpointWal, inImportTransaction } from '../../electron/backend/import/runner';
import { recordingContext, type FormatModule } from '../../electron/backend/import/types';
import type { Db } from '../../electron/backend/store/db';
import { indexPendingNames } from '../../electron/backend/store/search-index';
import { FactWriter } from '../../electron/backend/store/writer';

export async function writeOnlyMs(db: Db, mod: FormatModule, file: string): Promise<number> {
  const name = path.basename(file);
  let ms = 0;
  let tail = 0;
  await inImportTransaction(db, async () => {
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
    tail = performance.now();
    indexPendingNames(db);
  });
  // the name index and the commit
  ms += performance.now() - tail;
  checkpointWal(db);
  return ms;
}
