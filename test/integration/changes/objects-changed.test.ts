// objectsChangedBySource: per source, exactly the objects it inserted, updated or deleted (not the
// ones it re-stated unchanged), also when several sources are imported in one call.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb } from '../../../electron/backend/store/db';
import { objectsChangedBySource } from '../../../electron/backend/store/changes';

const G = path.resolve('test/fixtures/gleif');

describe('objectsChangedBySource', () => {
  it('lists each source\'s own changes: inserts, then only the updated, deleted and new records of a delta', async () => {
    const db = openCaseDb(path.join(mkdtempSync(path.join(tmpdir(), 'ownerscope-objects-')), 'c.db'));
    try {
      // two sources in one import call, then a delta and a newer full file in two more
      const [l1, rr] = await importFiles(db, [path.join(G, 'cases-l1.xml'), path.join(G, 'cases-rr.xml')]);
      const [delta] = await importFiles(db, [path.join(G, 'cases-rr-delta.xml')]);
      const [newer] = await importFiles(db, [path.resolve('test/fixtures/changes/cases-rr-newer-parent.xml')]);
      const l1Changes = objectsChangedBySource(db, l1!.sourceId);
      expect(l1Changes).toHaveLength(14);
      expect(new Set(l1Changes.map((o) => `${o.object}:${o.action}`))).toEqual(new Set(['entity:insert']));
      expect(objectsChangedBySource(db, rr!.sourceId).map((o) => `${o.object}:${o.action}`)).toEqual(Array(11).fill('link:insert'));
      const d = objectsChangedBySource(db, delta!.sourceId);
      // the delta (test/fixtures/gleif/PROVENANCE.md): 1.00 corrected to 100.00, the feeder link deleted, one new link
      expect(d.map((o) => o.action).sort()).toEqual(['delete', 'insert', 'update']);
      expect(d.find((o) => o.action === 'delete')!.key).toContain('IS_FEEDER_TO');
      // the newer full file: its one changed relationship (a new key) and the delta's two records it states as before the delta
      const n = objectsChangedBySource(db, newer!.sourceId);
      expect(n.filter((o) => o.action === 'insert').map((o) => o.key)).toContain('gleif-rr|LAPSED00000000001226|ZJPARENT000000000187|IS_DIRECTLY_CONSOLIDATED_BY');
      expect(n.every((o) => o.object === 'link')).toBe(true);
      // a source id with no rows
      expect(objectsChangedBySource(db, 99)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
