// What one import changed, from the record statements (migration 007): every record key whose
// statement by the source inserted, updated, deleted or dropped it (an unchanged confirmation
// changed nothing).
import type { Db } from './db';
import { ACTION_CODE, ACTION_NAME } from './history';

export interface ObjectChange {
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
  action: 'insert' | 'update' | 'delete' | 'dropped';
}

/** In the order the import stated them. Statements are not indexed by source: one scan, run rarely. */
export function objectsChangedBySource(db: Db, sourceId: number): ObjectChange[] {
  const rows = db
    .prepare(
      `SELECT k.object, k.key, st.action FROM record_statements st JOIN record_keys k ON k.id = st.key_id
       WHERE st.source_id = ? AND st.action != ? ORDER BY st.id`,
    )
    .all(sourceId, ACTION_CODE.unchanged) as { object: ObjectChange['object']; key: string; action: number }[];
  return rows.map((r) => ({ object: r.object, key: r.key, action: ACTION_NAME[r.action] as ObjectChange['action'] }));
}
