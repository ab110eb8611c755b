// Which objects an import changed. The one place the change tracking reads the record history:
// helper "store13" replaces record_history with a content-addressed model, and the lead swaps
// this implementation at merge; everything in electron/backend/changes/ gets changed objects only
// through objectsChangedBySource.
import type { Db } from './db';

export interface ChangedObject {
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
  /** 'dropped': a record a newer file no longer states (the content-addressed model; not written today) */
  action: 'insert' | 'update' | 'delete' | 'dropped';
}

/** The objects the given source inserted, updated, deleted or dropped (a re-statement is no change). */
export function objectsChangedBySource(db: Db, sourceId: number): Array<{ object: 'entity' | 'link' | 'undisclosed'; key: string; action: 'insert' | 'update' | 'delete' | 'dropped' }> {
  // record_history has no index by source (migration 004 dropped it: it cost every import). Its
  // rows are appended in source order (one import at a time holds the write lock, its sources are
  // numbered as it goes), so a source's rows are one range of ids, found by binary search.
  const [from, to] = [firstIdOfSource(db, sourceId), firstIdOfSource(db, sourceId + 1)];
  const rows = db
    .prepare(`SELECT object, object_key AS key, action FROM record_history WHERE id >= ? AND id < ? AND source_id = ? AND action != 'unchanged' ORDER BY id`)
    .all(from, to, sourceId) as ChangedObject[];
  // a file may state a record twice (insert, then unchanged): the last change it made is what it did
  const last = new Map<string, ChangedObject>();
  for (const r of rows) {
    const k = `${r.object}\u0000${r.key}`;
    last.delete(k);
    last.set(k, r);
  }
  return [...last.values()];
}

/** The id of the first history row of a source at or after `sourceId` (one past the last row when none). */
function firstIdOfSource(db: Db, sourceId: number): number {
  const next = db.prepare('SELECT id, source_id FROM record_history WHERE id >= ? ORDER BY id LIMIT 1');
  let lo = 1;
  let hi = ((db.prepare('SELECT max(id) FROM record_history').pluck().get() as number | null) ?? 0) + 1;
  // invariant: rows before lo belong to earlier sources; rows from hi on to this one or later
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = next.get(mid) as { id: number; source_id: number } | undefined;
    if (r && r.source_id < sourceId) lo = r.id + 1;
    else hi = mid;
  }
  return lo;
}
