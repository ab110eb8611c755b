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
  // a file may state a record twice (insert, then unchanged): the last change it made is what it did
  return db
    .prepare(
      `SELECT object, object_key AS key, action FROM record_history
       WHERE id IN (SELECT max(id) FROM record_history WHERE source_id = ? AND action != 'unchanged' GROUP BY object, object_key)
       ORDER BY id`,
    )
    .all(sourceId) as ChangedObject[];
}
