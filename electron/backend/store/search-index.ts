// Brings the name search index up to date with the names written since the last call
// (see migrations/004-deferred-name-index.sql). Runs inside the caller's transaction.
import type { Db } from './db';

export function indexPendingNames(db: Db): number {
  const added = db
    .prepare(
      `INSERT INTO name_search (rowid, name)
       SELECT n.id, n.name FROM name_search_pending p JOIN entity_names n ON n.id = p.name_id`,
    )
    .run().changes;
  db.prepare('DELETE FROM name_search_pending').run();
  return added;
}
