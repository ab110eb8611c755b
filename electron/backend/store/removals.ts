// What a source removal changed, kept for the change tracking (migration 013): a removal deletes
// its source's row and record statements, so the objects whose facts it changed are written down
// here, as they were before it, under the data state it made. The change tracking
// (electron/backend/changes/) reads them as it reads the objects an import changed.
import type { Db } from './db';
import { entityNames, objectNow, type ObjectNow } from './watch';

export type RemovalOutcome = 'removed' | 'fell back';

export interface RemovedObject {
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
  entityId: number;
  ownerId: number | null;
  linkKind: string | null;
  text: string;
  recordRef: string | null;
}

export interface RemovalBrief {
  state: number;
  sourceId: number;
  fileName: string;
  format: string;
  sha256: string;
  removedAt: string;
  removedBy: string | null;
}

/**
 * An object as it is now (before the removal touches it): the entity it bears on and a line of
 * text naming it; undefined when it has no row.
 */
export function objectBefore(db: Db, object: RemovedObject['object'], key: string): RemovedObject | undefined {
  const now: ObjectNow | undefined = objectNow(db, object, key);
  if (!now) return undefined;
  const names = entityNames(db, now.ownerId === undefined ? [now.entityId] : [now.entityId, now.ownerId]);
  const name = names.get(now.entityId)!;
  const text =
    object === 'link'
      ? `${names.get(now.ownerId!)} → ${name}${now.stated ? `: ${now.stated}` : ''}`
      : object === 'undisclosed'
        ? `undisclosed-ownership marker on ${name}`
        : `record of ${name}`;
  return { object, key, entityId: now.entityId, ownerId: now.ownerId ?? null, linkKind: now.linkKind ?? null, text, recordRef: now.recordRef };
}

/** Records a removal and the objects it changed; called in the removal's write transaction. */
export function recordRemoval(db: Db, r: RemovalBrief, objects: (RemovedObject & { outcome: RemovalOutcome; fellBackTo: number | null })[]): void {
  db.prepare('INSERT INTO source_removals (state, source_id, file_name, format, sha256, removed_at, removed_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(r.state, r.sourceId, r.fileName, r.format, r.sha256, r.removedAt, r.removedBy);
  const ins = db.prepare(
    `INSERT INTO source_removal_objects (state, object, key, outcome, entity_id, owner_id, link_kind, text, record_ref, fell_back_to)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const o of objects) ins.run(r.state, o.object, o.key, o.outcome, o.entityId, o.ownerId, o.linkKind, o.text, o.recordRef, o.fellBackTo);
}

/** The removals that made data states after `after`, up to `through`, in order. */
export function removalsAfter(db: Db, after: number, through: number): RemovalBrief[] {
  return db
    .prepare(
      `SELECT state, source_id AS sourceId, file_name AS fileName, format, sha256, removed_at AS removedAt, removed_by AS removedBy
       FROM source_removals WHERE state > ? AND state <= ? ORDER BY state`,
    )
    .all(after, through) as RemovalBrief[];
}

export function removalObjects(db: Db, state: number): (RemovedObject & { outcome: RemovalOutcome; fellBackTo: number | null })[] {
  return db
    .prepare(
      `SELECT object, key, outcome, entity_id AS entityId, owner_id AS ownerId, link_kind AS linkKind, text, record_ref AS recordRef,
              fell_back_to AS fellBackTo
       FROM source_removal_objects WHERE state = ? ORDER BY id`,
    )
    .all(state) as (RemovedObject & { outcome: RemovalOutcome; fellBackTo: number | null })[];
}

/** The highest data state a removal made (0: none). */
export function lastRemovalState(db: Db): number {
  return db.prepare('SELECT coalesce(max(state), 0) FROM source_removals').pluck().get() as number;
}

/**
 * The id of the next source: above every source and every removal, so that data states only grow
 * (SQLite would give a removed last source's id to the next import: its checks would seem to be on
 * the new data).
 */
export function nextSourceId(db: Db): number {
  const top = db.prepare('SELECT coalesce(max(id), 0) FROM sources').pluck().get() as number;
  return Math.max(top, lastRemovalState(db)) + 1;
}
