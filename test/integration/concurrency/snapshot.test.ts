// A screening load must read one snapshot even when another connection commits while it reads
// (in the app an import commits from its worker thread; in a terminal, from another process).
// The commit is made deterministic here: it lands after the load has begun and before it has
// read the markers, which is the moment "screen --all" used to crash ("reading 'fileName'").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { loadAll } from '../../../electron/backend/verdict/load';

const FIXTURES = path.resolve(__dirname, '../../fixtures/gleif');

function commitNewSourceWithMarker(writer: Db): void {
  writer.transaction(() => {
    const sourceId = Number(
      writer.prepare(`INSERT INTO sources (file_name, sha256, size, format, imported_at) VALUES ('later.xml', ?, 1, 'gleif-repex-xml', ?)`)
        .run('a'.repeat(64), new Date().toISOString()).lastInsertRowid,
    );
    const entity = writer.prepare('SELECT min(id) FROM entities WHERE is_placeholder = 0').pluck().get() as number;
    writer.prepare(
      `INSERT INTO undisclosed (key, entity_id, category, scope, reason, status, source_id, record_ref) VALUES ('later', ?, 'withheld', 'direct', 'NON_PUBLIC', 'active', ?, 'record 1')`,
    ).run(entity, sourceId);
  })();
}

describe('screening load during another connection’s commit', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'os-snapshot-'));
    file = path.join(dir, 'case.db');
    const db = openCaseDb(file);
    await importFiles(db, ['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(FIXTURES, f)));
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const parallel of [false, true]) {
    it(`reads the state from before the commit, whole (${parallel ? 'links read by the worker thread' : 'links read in this thread'})`, async () => {
      const reader = openCaseDb(file, { create: false });
      const writer = openCaseDb(file, { create: false });
      try {
        const before = await loadAll(reader, { parallel, evidence: true });
        const loading = loadAll(reader, { parallel, evidence: true });
        commitNewSourceWithMarker(writer); // committed while `loading` has not finished
        const during = await loading;
        expect(during.count).toBe(before.count);
        expect(during.links.count).toBe(before.links.count);
        expect(during.sources).toEqual(before.sources);
        expect(during.markers).toEqual(before.markers);
        // and the next load sees the commit
        const after = await loadAll(reader, { parallel, evidence: true });
        expect(after.markers.length).toBe(before.markers.length + 1);
      } finally {
        reader.close();
        writer.close();
      }
    });
  }
});

