// Removing an imported source (#13): facts only it stated disappear, facts other sources also
// stated fall back to the latest other source's statement, and the cases whose verdict used it
// are flagged; the objects whose facts changed are kept for the change tracking (removals.ts).
// Called inside a write transaction (import/remove-source.ts).
import type { SourceRemoval } from '../../../shared/api/types';
import type { Fact } from '../../../shared/formats/facts';
import type { Db } from './db';
import { ACTION_CODE, contentReader, deleteConfirmations, latestConfirmationReader, refText, sourceConfirmations, unpackConfirmations, type HistoryObject } from './history';
import { nextSourceId, objectBefore, recordRemoval, type RemovedObject, type RemovalOutcome } from './removals';
import { FactWriter, sourceIdsOfKind } from './writer';

// The API contract's type is the store's: one declaration of what a removal reports.
export type { SourceRemoval };

export class SourceNotFoundError extends Error {
  constructor(id: number) {
    super(`no source with id ${id} (ownerscope sources lists them)`);
    this.name = 'SourceNotFoundError';
  }
}

export function removeSourceFacts(db: Db, sourceId: number, at: string, by: string | null = null): SourceRemoval {
  const src = db.prepare('SELECT id, file_name, sha256, format FROM sources WHERE id = ?').get(sourceId) as { id: number; file_name: string; sha256: string; format: string } | undefined;
  if (!src) throw new SourceNotFoundError(sourceId);
  // the data state the removal makes, numbered before the source's row goes (it counts in the maximum)
  const state = nextSourceId(db);
  const keys = keysStatedBy(db, sourceId);
  // entities whose shown values came from this source: another of their records speaks for them afterwards
  const valueEntities = (db.prepare('SELECT id FROM entities WHERE source_id = ?').pluck().all(sourceId) as number[]);
  db.prepare('DELETE FROM record_statements WHERE source_id = ?').run(sourceId);
  deleteConfirmations(db, sourceId);
  // the re-import fast path's digests say "this key's last statement was that record" (migration
  // 014): a removal changes which statement is last, so none is trusted after it
  if (db.prepare(`SELECT 1 FROM pragma_table_info('record_keys') WHERE name = 'raw'`).get() !== undefined) {
    db.prepare('UPDATE record_keys SET raw = NULL WHERE raw IS NOT NULL').run();
  }
  const latestRow = db.prepare('SELECT id, source_id, record_ref, action, content FROM record_statements WHERE key_id = ? ORDER BY id DESC LIMIT 1');
  const latestPacked = latestConfirmationReader(db);
  // the key's latest statement of another source: a row, or a packed confirmation after it
  const latest = {
    get(keyId: number): { source_id: number; record_ref: number | string; action: number; content: number | null } | undefined {
      const row = latestRow.get(keyId) as { id: number; source_id: number; record_ref: number | string; action: number; content: number | null } | undefined;
      const packed = latestPacked(keyId);
      if (packed && (!row || packed.id > row.id)) return { source_id: packed.sourceId, record_ref: packed.line, action: ACTION_CODE.unchanged, content: packed.contentId };
      return row;
    },
  };
  const read = contentReader(db);
  const writers = new Map<number, FactWriter>();
  const writer = (s: number) => {
    let w = writers.get(s);
    if (!w) writers.set(s, (w = new FactWriter(db, s, true)));
    return w;
  };
  const replay = (row: { source_id: number; record_ref: number | string; content: number | null }): boolean => {
    const content = read(row.content);
    if (content === null) return false;
    writer(row.source_id).apply({ ...(JSON.parse(content) as Fact), recordRef: refText(row.record_ref) } as Fact);
    return true;
  };
  let removed = 0;
  let fellBack = 0;
  // the objects whose stated content changes, as they are before this key is touched
  const changed: (RemovedObject & { outcome: RemovalOutcome; fellBackTo: number | null })[] = [];
  for (const k of keys) {
    const last = latest.get(k.id) as { source_id: number; record_ref: number | string; action: number; content: number | null } | undefined;
    // a key another source states now as it did (a later source, or the same content) keeps its facts
    const before = !last || last.action === ACTION_CODE.delete || last.content !== k.content ? objectBefore(db, k.object, k.key) : undefined;
    if (last && last.action !== ACTION_CODE.delete && replay(last)) {
      fellBack++;
      db.prepare('UPDATE record_keys SET content = ?, hash = (SELECT hash FROM record_keys WHERE id = ?) WHERE id = ?').run(last.content, k.id, k.id);
      if (before) changed.push({ ...before, outcome: 'fell back', fellBackTo: last.source_id });
      continue;
    }
    removed++;
    if (before && k.content !== null) changed.push({ ...before, outcome: 'removed', fellBackTo: null });
    if (!last) db.prepare('DELETE FROM record_keys WHERE id = ?').run(k.id);
    if (k.object === 'link') db.prepare('DELETE FROM links WHERE key = ?').run(k.key);
    else if (k.object === 'undisclosed') db.prepare('DELETE FROM undisclosed WHERE key = ?').run(k.key);
    // an entity key's names and countries by this source go with all the source's rows below, in
    // one pass: deleted here key by key, with no index on record_key, each was a scan of the table
  }
  // A key the source's kind now states in packed confirmations only (this source had its rows):
  // its latest such confirmation becomes a row, so that the next full snapshot of the kind finds
  // the key by its rows and marks it dropped when it no longer contains it (FactWriter.finish).
  unpackConfirmations(db, packedOnly(db, src.format, sourceId, keys, latestPacked));
  // the remaining records of an entity whose values came from this source speak for it again
  const recordKeys = db.prepare('SELECT DISTINCT n.record_key FROM entity_names n WHERE n.entity_id = ? AND n.source_id != ?').pluck();
  const keyId = db.prepare(`SELECT id FROM record_keys WHERE key = ? AND object = 'entity'`).pluck();
  for (const e of valueEntities) {
    for (const rk of recordKeys.all(e, sourceId) as string[]) {
      const id = keyId.get(rk) as number | undefined;
      const last = id === undefined ? undefined : (latest.get(id) as { source_id: number; record_ref: number | string; action: number; content: number | null } | undefined);
      if (last && last.action !== ACTION_CODE.delete) replay(last);
    }
  }
  // what still names the source: provenance of rows other records keep (identifiers, placeholders)
  db.prepare('UPDATE identifiers SET source_id = NULL, record_ref = NULL WHERE source_id = ?').run(sourceId);
  db.prepare('DELETE FROM identifier_claims WHERE source_id = ?').run(sourceId);
  db.prepare(
    `UPDATE entities SET source_id = NULL, record_ref = NULL, record_key = NULL,
       is_placeholder = CASE WHEN EXISTS (SELECT 1 FROM entity_names n WHERE n.entity_id = entities.id) THEN is_placeholder ELSE 1 END
     WHERE source_id = ?`,
  ).run(sourceId);
  db.prepare('DELETE FROM entity_names WHERE source_id = ?').run(sourceId);
  db.prepare('DELETE FROM entity_countries WHERE source_id = ?').run(sourceId);
  db.prepare('DELETE FROM links WHERE source_id = ?').run(sourceId);
  db.prepare('DELETE FROM undisclosed WHERE source_id = ?').run(sourceId);
  for (const w of writers.values()) w.finish();
  const flaggedCases = db
    .prepare(`SELECT id FROM cases WHERE verdict_json IS NOT NULL AND EXISTS (SELECT 1 FROM json_tree(cases.verdict_json) WHERE key = 'sourceId' AND value = ?) ORDER BY id`)
    .pluck()
    .all(sourceId) as string[];
  const flag = db.prepare(`INSERT INTO case_flags (case_id, flag, detail, at) VALUES (?, 'source-removed', ?, ?)`);
  for (const c of flaggedCases) flag.run(c, `source #${sourceId} ${src.file_name} (sha256 ${src.sha256}) was removed; the verdict used it: compute it again`, at);
  recordRemoval(db, { state, sourceId, fileName: src.file_name, format: src.format, sha256: src.sha256, removedAt: at, removedBy: by }, changed);
  db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId);
  return { sourceId, fileName: src.file_name, sha256: src.sha256, removed, fellBack, flaggedCases };
}

/**
 * Of the keys a removed source stated, those that sources of its kind still state, but in packed
 * confirmations only: each with the latest of them. Called after the source's rows are deleted.
 */
function packedOnly(db: Db, format: string, removed: number, keys: StatedKey[], latestPacked: ReturnType<typeof latestConfirmationReader>) {
  const ofKind = sourceIdsOfKind(db, format).filter((id) => id !== removed);
  const list = JSON.stringify(ofKind);
  if (ofKind.length === 0 || !db.prepare('SELECT 1 FROM record_confirmations WHERE source_id IN (SELECT value FROM json_each(?)) LIMIT 1').get(list)) return [];
  const sources = new Set(ofKind);
  const hasRow = db.prepare('SELECT 1 FROM record_statements WHERE key_id = ? AND source_id IN (SELECT value FROM json_each(?)) LIMIT 1').pluck();
  const out: NonNullable<ReturnType<typeof latestPacked>>[] = [];
  for (const k of keys) {
    if (hasRow.get(k.id, list)) continue;
    const c = latestPacked(k.id, sources);
    if (c) out.push(c);
  }
  return out;
}

/** The record keys a source stated (rows and packed confirmations), in key order. */
type StatedKey = { id: number; object: HistoryObject; key: string; content: number | null };
function keysStatedBy(db: Db, sourceId: number): StatedKey[] {
  const rows = db
    .prepare(`SELECT DISTINCT k.id, k.object, k.key, k.content FROM record_statements st JOIN record_keys k ON k.id = st.key_id WHERE st.source_id = ?`)
    .all(sourceId) as StatedKey[];
  const seen = new Set(rows.map((r) => r.id));
  const packed = new Set<number>();
  for (const c of sourceConfirmations(db, sourceId)) if (!seen.has(c.keyId)) packed.add(c.keyId);
  const keyOf = db.prepare('SELECT id, object, key, content FROM record_keys WHERE id = ?');
  for (const id of packed) rows.push(keyOf.get(id) as StatedKey);
  return rows.sort((a, b) => a.id - b.id);
}

/** The flags on a case (newest last). */
export function caseFlags(db: Db, caseId: string): { flag: string; detail: string; at: string }[] {
  return db.prepare('SELECT flag, detail, at FROM case_flags WHERE case_id = ? ORDER BY id').all(caseId) as { flag: string; detail: string; at: string }[];
}

/** Case ids with at least one flag. */
export function flaggedCaseIds(db: Db): Set<string> {
  return new Set(db.prepare('SELECT DISTINCT case_id FROM case_flags').pluck().all() as string[]);
}
