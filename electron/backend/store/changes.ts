// What one import changed, from the record statements (migration 007): every record key whose
// statement by the source inserted, updated, deleted or dropped it (an unchanged confirmation
// changed nothing). The one place the change tracking (electron/backend/changes/) reads history.
import type { Db } from './db';
import { ACTION_CODE, ACTION_NAME } from './history';

export interface ObjectChange {
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
  action: 'insert' | 'update' | 'delete' | 'dropped';
}

/** In the order the import stated them; the last statement of a key is what the source did to it. */
export function objectsChangedBySource(db: Db, sourceId: number): ObjectChange[] {
  // Statements have no index by source (it would cost every import). They are appended in source
  // order (one import at a time holds the write lock, and numbers its sources as it goes), so a
  // source's statements are one range of ids, found by binary search.
  const [from, to] = [firstIdOfSource(db, sourceId), firstIdOfSource(db, sourceId + 1)];
  const rows = db
    .prepare(
      `SELECT k.object, k.key, st.action FROM record_statements st JOIN record_keys k ON k.id = st.key_id
       WHERE st.id >= ? AND st.id < ? AND st.source_id = ? AND st.action != ? ORDER BY st.id`,
    )
    .all(from, to, sourceId, ACTION_CODE.unchanged) as { object: ObjectChange['object']; key: string; action: number }[];
  const last = new Map<string, ObjectChange>();
  for (const r of rows) {
    const k = `${r.object}\u0000${r.key}`;
    last.delete(k);
    last.set(k, { object: r.object, key: r.key, action: ACTION_NAME[r.action] as ObjectChange['action'] });
  }
  return [...last.values()];
}

/** The id of the first statement of a source at or after `sourceId` (one past the last when none). */
function firstIdOfSource(db: Db, sourceId: number): number {
  const next = db.prepare('SELECT id, source_id FROM record_statements WHERE id >= ? ORDER BY id LIMIT 1');
  let lo = 1;
  let hi = ((db.prepare('SELECT max(id) FROM record_statements').pluck().get() as number | null) ?? 0) + 1;
  // invariant: statements before lo belong to earlier sources; from hi on, to this one or later
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = next.get(mid) as { id: number; source_id: number } | undefined;
    if (r && r.source_id < sourceId) lo = r.id + 1;
    else hi = mid;
  }
  return lo;
}
