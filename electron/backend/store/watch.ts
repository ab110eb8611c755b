// SQL of the change tracking (electron/backend/changes/): saved watchlists, the verdict checks of
// watched subjects, the re-check log, and the graph walks that turn changed objects into the
// entities whose verdicts they can move.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { contentReader, statementsOf } from './history';
import type { HistoryObject } from './history';
import type { CheckedVerdict } from '../../../shared/api/types';

export type CheckResult = CheckedVerdict;

export interface WatchlistRow {
  id: number;
  row: number;
  input: string;
  match: string;
  entityId: number | null;
  note: string;
}

export interface WatchlistInfo {
  id: number;
  name: string;
  policyJson: string;
  policySha256: string;
  listFile: string | null;
  createdAt: string;
  createdBy: string | null;
  rows: number;
}

export type TargetKind = 'case' | 'watchlist';

/** Statements prepared once per connection: the re-check runs a few of them per changed object. */
const prepared = new WeakMap<Db, Map<string, Statement>>();
function st(db: Db, sql: string): Statement {
  let m = prepared.get(db);
  if (!m) prepared.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

// ---- watchlists

export function findWatchlist(db: Db, name: string): WatchlistInfo | undefined {
  return listWatchlists(db).find((w) => w.name === name);
}

export function listWatchlists(db: Db): WatchlistInfo[] {
  return db
    .prepare(
      `SELECT w.id, w.name, w.policy_json AS policyJson, w.policy_sha256 AS policySha256, w.list_file AS listFile,
              w.created_at AS createdAt, w.created_by AS createdBy, (SELECT count(*) FROM watchlist_rows r WHERE r.watchlist_id = w.id) AS rows
       FROM watchlists w ORDER BY w.name`,
    )
    .all() as WatchlistInfo[];
}

/** Replaces (or creates) the watchlist NAME with these rows; returns its id and the rows' ids. */
export function writeWatchlist(
  db: Db,
  w: { name: string; policyJson: string; policySha256: string; listFile: string | null; createdBy: string | null },
  rows: Omit<WatchlistRow, 'id'>[],
): { id: number; rowIds: number[] } {
  const old = findWatchlist(db, w.name);
  if (old) deleteWatchlist(db, old.id);
  const id = Number(
    db
      .prepare('INSERT INTO watchlists (name, policy_json, policy_sha256, list_file, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(w.name, w.policyJson, w.policySha256, w.listFile, new Date().toISOString(), w.createdBy).lastInsertRowid,
  );
  const ins = db.prepare('INSERT INTO watchlist_rows (watchlist_id, row, input, match, entity_id, note) VALUES (?, ?, ?, ?, ?, ?)');
  const rowIds = rows.map((r) => Number(ins.run(id, r.row, r.input, r.match, r.entityId, r.note).lastInsertRowid));
  return { id, rowIds };
}

export function deleteWatchlist(db: Db, id: number): void {
  const rowIds = db.prepare('SELECT id FROM watchlist_rows WHERE watchlist_id = ?').pluck().all(id) as number[];
  const del = db.prepare(`DELETE FROM verdict_checks WHERE target = 'watchlist' AND target_id = ?`);
  for (const r of rowIds) del.run(String(r));
  db.prepare('DELETE FROM watchlist_rows WHERE watchlist_id = ?').run(id);
  db.prepare('DELETE FROM watchlists WHERE id = ?').run(id);
}

/** When a watchlist's rows were last checked (saved or re-screened); null when no row has a check. */
export function lastScreened(db: Db, watchlistId: number): string | null {
  return db
    .prepare(
      `SELECT max(c.checked_at) FROM watchlist_rows r JOIN verdict_checks c ON c.target = 'watchlist' AND c.target_id = CAST(r.id AS TEXT)
       WHERE r.watchlist_id = ?`,
    )
    .pluck()
    .get(watchlistId) as string | null;
}

export function watchlistRows(db: Db, watchlistId: number): WatchlistRow[] {
  return db
    .prepare('SELECT id, row, input, match, entity_id AS entityId, note FROM watchlist_rows WHERE watchlist_id = ? ORDER BY row')
    .all(watchlistId) as WatchlistRow[];
}

// ---- cases as watched subjects

export interface CaseTarget {
  id: string;
  subjectRef: string;
  subjectName: string | null;
  policyJson: string;
  verdictJson: string | null;
  computedVerdict: string | null;
  computedAt: string | null;
  decidedAt: string | null;
  status: 'open' | 'decided' | 'reported';
}

export function caseTargets(db: Db): CaseTarget[] {
  return db
    .prepare(
      `SELECT id, subject_ref AS subjectRef, subject_name AS subjectName, policy_json AS policyJson, verdict_json AS verdictJson,
              computed_verdict AS computedVerdict, computed_at AS computedAt, decided_at AS decidedAt, status
       FROM cases ORDER BY id`,
    )
    .all() as CaseTarget[];
}

// A data state is the number of the last step the data took: a source imported (its id) or a
// source removed (the state its removal made, store/removals.ts); both grow in one sequence.

/** The data state a verdict computed at `at` saw: the last import or removal by then (0: none). */
export function dataStateAt(db: Db, at: string): number {
  return db
    .prepare(
      `SELECT max(coalesce((SELECT max(id) FROM sources WHERE imported_at <= @at), 0),
                  coalesce((SELECT max(state) FROM source_removals WHERE removed_at <= @at), 0))`,
    )
    .pluck()
    .get({ at }) as number;
}

export function dataState(db: Db): number {
  return db
    .prepare('SELECT max(coalesce((SELECT max(id) FROM sources), 0), coalesce((SELECT max(state) FROM source_removals), 0))')
    .pluck()
    .get() as number;
}

// ---- checks

export function insertCheck(db: Db, target: TargetKind, targetId: string, sourceId: number, result: CheckResult): void {
  st(db, 'INSERT INTO verdict_checks (target, target_id, source_id, verdict, result_json, checked_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(target, targetId, sourceId, result.verdict, JSON.stringify(result), new Date().toISOString());
}

/** Targets of this kind that have at least one check. */
export function checkedTargets(db: Db, target: TargetKind): Set<string> {
  return new Set(db.prepare('SELECT DISTINCT target_id FROM verdict_checks WHERE target = ?').pluck().all(target) as string[]);
}

/** The latest check of a target computed on data up to `through` (inclusive); undefined when none. */
export function checkAt(db: Db, target: TargetKind, targetId: string, through: number): { sourceId: number; result: CheckResult; checkedAt: string } | undefined {
  const r = st(db, 'SELECT id, source_id, result_json, checked_at FROM verdict_checks WHERE target = ? AND target_id = ? AND source_id <= ? ORDER BY source_id DESC, id DESC LIMIT 1')
    .get(target, targetId, through) as { id: number; source_id: number; result_json: string; checked_at: string } | undefined;
  return r && { sourceId: r.source_id, result: checkResult(r.result_json, r.id), checkedAt: r.checked_at };
}

/** The latest check a target had at a moment (by when it was computed); undefined when none. */
export function checkAsOfTime(db: Db, target: TargetKind, targetId: string, at: string): CheckResult | undefined {
  const r = db
    .prepare('SELECT result_json FROM verdict_checks WHERE target = ? AND target_id = ? AND checked_at <= ? ORDER BY source_id DESC, id DESC LIMIT 1')
    .pluck()
    .get(target, targetId, at) as string | undefined;
  return r === undefined ? undefined : checkResult(r, null);
}

const VERDICTS = new Set(['restricted', 'clear', 'indeterminate']);

/** A stored check, validated: a case database may have been edited by hand or crafted. */
function checkResult(json: string, rowId: number | null): CheckResult {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    v = null;
  }
  const m = (x: unknown) => !!x && typeof x === 'object' && VERDICTS.has(String((x as { verdict?: unknown }).verdict)) && typeof (x as { share?: unknown }).share === 'string';
  const c = v as CheckResult | null;
  if (!c || typeof c !== 'object' || !VERDICTS.has(String(c.verdict)) || !m(c.control) || !m(c.lookThrough)) {
    throw new Error(`verdict_checks${rowId === null ? '' : ` row ${rowId}`}: not a verdict check written by Ownerscope (result_json); the case database was altered`);
  }
  return c;
}

// ---- the re-check log

export function lastCheckedThrough(db: Db): number | null {
  return (db.prepare('SELECT max(through_source) FROM change_checks').pluck().get() as number | null) ?? null;
}

/** The last re-check that applied any source: the sources of the last import(s). */
export function lastCheckRange(db: Db): { from: number; through: number } | undefined {
  return db
    .prepare('SELECT from_source AS "from", through_source AS through FROM change_checks WHERE through_source > from_source ORDER BY id DESC LIMIT 1')
    .get() as { from: number; through: number } | undefined;
}

export function logCheck(db: Db, from: number, through: number, affected: number, recomputed: number): void {
  db.prepare('INSERT INTO change_checks (from_source, through_source, affected_entities, recomputed, checked_at) VALUES (?, ?, ?, ?, ?)')
    .run(from, through, affected, recomputed, new Date().toISOString());
}

// ---- sources

export interface SourceBrief {
  id: number;
  fileName: string;
  importedAt: string;
  sha256: string;
}

export function sourcesAfter(db: Db, after: number, through: number): SourceBrief[] {
  return db
    .prepare('SELECT id, file_name AS fileName, imported_at AS importedAt, sha256 FROM sources WHERE id > ? AND id <= ? ORDER BY id')
    .all(after, through) as SourceBrief[];
}

/** The first data state (import or removal) made at or after `date` (an ISO date or date-time); undefined when none. */
export function firstSourceSince(db: Db, date: string): number | undefined {
  const source = db.prepare('SELECT min(id) FROM sources WHERE imported_at >= ?').pluck().get(date) as number | null;
  const removal = db.prepare('SELECT min(state) FROM source_removals WHERE removed_at >= ?').pluck().get(date) as number | null;
  const first = [source, removal].filter((x): x is number => x !== null);
  return first.length ? Math.min(...first) : undefined;
}

/** A source imported with this id, or a removal that made this data state. */
export function sourceExists(db: Db, id: number): boolean {
  return db.prepare('SELECT 1 FROM sources WHERE id = @id UNION ALL SELECT 1 FROM source_removals WHERE state = @id').get({ id }) !== undefined;
}

// ---- from changed objects to entities

export interface ObjectNow {
  /** the entity whose verdict the object bears on: the owned entity of a link, the subject of a marker, the entity itself */
  entityId: number;
  ownerId?: number;
  linkKind?: string;
  share?: { lo: number | null; loOpen: number | null; hi: number | null; hiOpen: number | null };
  stated?: string;
  sourceId: number | null;
  recordRef: string | null;
}

/** The object's row as it is now; undefined when it has none (deleted, dropped). */
export function objectNow(db: Db, object: 'entity' | 'link' | 'undisclosed', key: string): ObjectNow | undefined {
  if (object === 'link') {
    const r = st(db, 'SELECT owned_id, owner_id, kind, share_lo, share_lo_open, share_hi, share_hi_open, stated, source_id, record_ref FROM links WHERE key = ?')
      .get(key) as Record<string, number | string | null> | undefined;
    return r && {
      entityId: r.owned_id as number, ownerId: r.owner_id as number, linkKind: r.kind as string, stated: r.stated as string,
      share: { lo: r.share_lo as number | null, loOpen: r.share_lo_open as number | null, hi: r.share_hi as number | null, hiOpen: r.share_hi_open as number | null },
      sourceId: r.source_id as number, recordRef: r.record_ref as string,
    };
  }
  if (object === 'undisclosed') {
    const r = st(db, 'SELECT entity_id, source_id, record_ref FROM undisclosed WHERE key = ?').get(key) as { entity_id: number; source_id: number; record_ref: string } | undefined;
    return r && { entityId: r.entity_id, sourceId: r.source_id, recordRef: r.record_ref };
  }
  const id = entityByRef(db, key);
  if (id === undefined) return undefined;
  const r = st(db, 'SELECT source_id, record_ref FROM entities WHERE id = ?').get(id) as { source_id: number | null; record_ref: string | null };
  return { entityId: id, sourceId: r.source_id, recordRef: r.record_ref };
}

/** The entity holding an identifier `scheme:value`. */
export function entityByRef(db: Db, ref: string): number | undefined {
  const at = ref.indexOf(':');
  if (at < 0) return undefined;
  return st(db, 'SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?').pluck().get(ref.slice(0, at), ref.slice(at + 1)) as number | undefined;
}

/**
 * What a key's record said before `sourceId` (the parsed statement), or undefined. It reads the
 * record history's content, so it follows whatever model replaces record_history (see changes.ts).
 */
export function statedBefore(db: Db, object: string, key: string, sourceId: number): Record<string, unknown> | undefined {
  // the last content a source before this one stated for the key (statements keep it by content id)
  const stated = statementsOf(db, object as HistoryObject, key).filter((s) => s.sourceId < sourceId && s.action !== 'delete' && s.action !== 'dropped' && s.contentId !== null);
  const last = stated[stated.length - 1];
  const c = last ? contentReader(db)(last.contentId) : null;
  return c === null ? undefined : (JSON.parse(c) as Record<string, unknown>);
}

export function entityNames(db: Db, ids: number[]): Map<number, string> {
  const name = st(db, 'SELECT name FROM entities WHERE id = ?').pluck();
  return new Map(ids.map((id) => [id, (name.get(id) as string | undefined) ?? `#${id}`]));
}

const CHUNK = 500;

/**
 * Every entity reachable from `start` along links (downwards: owner → owned; upwards: owned →
 * owner), `start` included, with `group` expanding each entity to its resolution group (merged
 * entities are traced as one). Reads only the part of the graph it walks (links_owner /
 * links_owned indexes), so its cost follows the affected part of the case, not its size.
 */
export function reachable(db: Db, start: Iterable<number>, direction: 'down' | 'up', group: (id: number) => readonly number[]): Set<number> {
  const seen = new Set<number>();
  let frontier: number[] = [];
  const visit = (id: number) => {
    for (const m of group(id)) {
      if (seen.has(m)) continue;
      seen.add(m);
      frontier.push(m);
    }
  };
  for (const id of start) visit(id);
  const statements = new Map<number, Statement<number[]>>();
  const [from, to] = direction === 'down' ? ['owner_id', 'owned_id'] : ['owned_id', 'owner_id'];
  while (frontier.length) {
    const batch = frontier;
    frontier = [];
    for (let at = 0; at < batch.length; at += CHUNK) {
      const part = batch.slice(at, at + CHUNK);
      let st = statements.get(part.length);
      if (!st) {
        st = db.prepare(`SELECT ${to} FROM links WHERE ${from} IN (${part.map(() => '?').join(',')})`).pluck();
        statements.set(part.length, st);
      }
      for (const next of st.all(...part) as number[]) visit(next);
    }
  }
  return seen;
}
