// The SQL of investigator-asserted facts (issue 14; migrations/010-assertions.sql). An assertion
// is a row of `assertions` (what, on which document, why, who, when, retracted or not) plus the
// ordinary rows it stands for (a link, a country, an entity with its names and identifiers),
// written under a `sources` row of format 'assertion' of its own, so every reader of those tables
// sees it as a fact from a source of its own kind. Retracting removes the ordinary rows and keeps
// the assertion row with its retraction. The rules (validation, audit) are in
// electron/backend/assertions/.
import type { Db } from './db';
import { indexPendingNames } from './search-index';
import { nextSourceId } from './removals';
import type { CountryRole, EntityKind } from '../../../shared/domain/model';
import type { AssertedFact, AssertionFactKind } from '../../../shared/domain/assertions';

/** `sources.format` of the source row each assertion carries. */
export const ASSERTION_FORMAT = 'assertion';

import type { AssertionDocument } from '../../../shared/api/types';

// the facts' shapes are the API's too: they live in shared/ (pure) and are re-exported here
export type { AssertionFactKind, AssertedEntityKind, LinkFact, LocationFact, EntityFact, KindFact, ListedFact, AssertedFact } from '../../../shared/domain/assertions';

// a stored document is what the API shows of it: one declaration (shared/api/types.ts)
export type DocumentRow = AssertionDocument;

export interface AssertionRow {
  id: number;
  fact: AssertionFactKind;
  content: AssertedFact;
  /** the canonical JSON stored (bound to the audit log with the rest of the row) */
  contentText: string;
  entityId: number;
  ownerId: number | null;
  documentId: number;
  cite: string | null;
  reason: string;
  actor: string | null;
  createdAt: string;
  sourceId: number;
  status: 'active' | 'retracted';
  retractedAt: string | null;
  retractedBy: string | null;
  retractionReason: string | null;
}

interface RawAssertion {
  id: number; fact: AssertionFactKind; content: string; entity_id: number; owner_id: number | null; document_id: number; cite: string | null;
  reason: string; actor: string | null; created_at: string; source_id: number; status: 'active' | 'retracted'; retracted_at: string | null;
  retracted_by: string | null; retraction_reason: string | null;
}

function parseFact(text: string): AssertedFact {
  try {
    return JSON.parse(text) as AssertedFact;
  } catch {
    // an edited row must still be listable; its audit binding names the edit
    return { fact: 'unreadable' } as unknown as AssertedFact;
  }
}

function toRow(r: RawAssertion): AssertionRow {
  return {
    id: r.id, fact: r.fact, content: parseFact(r.content), contentText: r.content, entityId: r.entity_id, ownerId: r.owner_id,
    documentId: r.document_id, cite: r.cite, reason: r.reason, actor: r.actor, createdAt: r.created_at, sourceId: r.source_id, status: r.status,
    retractedAt: r.retracted_at, retractedBy: r.retracted_by, retractionReason: r.retraction_reason,
  };
}

const DOC_COLUMNS = 'id, file_name AS fileName, media_type AS mediaType, size, sha256, reference, added_at AS addedAt, added_by AS addedBy';

/** The document with these bytes (or this reference), if the case database holds it already. */
export function findDocument(db: Db, sha256: string, isReference: boolean): DocumentRow | undefined {
  return db.prepare(`SELECT ${DOC_COLUMNS} FROM assertion_documents WHERE sha256 = ? AND (reference IS NULL) = ?`).get(sha256, isReference ? 0 : 1) as
    | DocumentRow
    | undefined;
}

export function insertDocument(
  db: Db,
  d: { fileName: string | null; mediaType: string | null; content: Buffer | null; reference: string | null; sha256: string; at: string; actor: string | null },
): number {
  const r = db
    .prepare('INSERT INTO assertion_documents (file_name, media_type, size, sha256, reference, content, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(d.fileName, d.mediaType, d.content ? d.content.length : null, d.sha256, d.reference, d.content, d.at, d.actor);
  return Number(r.lastInsertRowid);
}

export function getDocument(db: Db, id: number): DocumentRow | undefined {
  return db.prepare(`SELECT ${DOC_COLUMNS} FROM assertion_documents WHERE id = ?`).get(id) as DocumentRow | undefined;
}

export function documentContent(db: Db, id: number): Buffer | null {
  const r = db.prepare('SELECT content FROM assertion_documents WHERE id = ?').get(id) as { content: Buffer | null } | undefined;
  return r?.content ?? null;
}

export function listDocuments(db: Db): DocumentRow[] {
  return db.prepare(`SELECT ${DOC_COLUMNS} FROM assertion_documents ORDER BY id`).all() as DocumentRow[];
}

/** Documents whose stored bytes no longer match their SHA-256 or size. */
export function documentsNotMatching(db: Db, hash: (b: Buffer) => string): DocumentRow[] {
  const out: DocumentRow[] = [];
  for (const r of db.prepare(`SELECT ${DOC_COLUMNS}, content FROM assertion_documents WHERE content IS NOT NULL ORDER BY id`).all() as (DocumentRow & { content: Buffer })[]) {
    if (hash(r.content) !== r.sha256 || r.content.length !== r.size) {
      const { content: _c, ...doc } = r;
      out.push(doc);
    }
  }
  return out;
}

export function getAssertion(db: Db, id: number): AssertionRow | undefined {
  const r = db.prepare('SELECT * FROM assertions WHERE id = ?').get(id) as RawAssertion | undefined;
  return r ? toRow(r) : undefined;
}

export function listAssertionRows(db: Db, filter: { entityIds?: number[]; activeOnly?: boolean } = {}): AssertionRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.entityIds) {
    where.push('(entity_id IN (SELECT value FROM json_each(?)) OR owner_id IN (SELECT value FROM json_each(?)))');
    args.push(JSON.stringify(filter.entityIds), JSON.stringify(filter.entityIds));
  }
  if (filter.activeOnly) where.push(`status = 'active'`);
  const sql = `SELECT * FROM assertions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  return (db.prepare(sql).all(...args) as RawAssertion[]).map(toRow);
}

/** Whether the case database holds any assertion (the loaders skip every assertion step when not). */
export function hasAssertions(db: Db): boolean {
  return db.prepare('SELECT 1 FROM assertions LIMIT 1').get() !== undefined;
}

/** The ids of the source rows that carry assertions. */
export function assertionSourceIds(db: Db): Set<number> {
  return new Set(db.prepare(`SELECT id FROM sources WHERE format = '${ASSERTION_FORMAT}'`).pluck().all() as number[]);
}

/** SQL condition: a row's `source_id` is not an assertion's (for the readers with useAssertions off). */
export const NOT_ASSERTED_SQL = (column: string) => `${column} NOT IN (SELECT id FROM sources WHERE format = '${ASSERTION_FORMAT}')`;

// "investigator assertion 3, p. 12": every view that prints a record reference marks the fact as asserted
const recordRef = (id: number, cite: string | null) => `investigator assertion ${id}${cite ? `, ${cite}` : ''}`;

/**
 * Writes an assertion: its source row, its ordinary rows and the assertion row. Returns the
 * assertion id and, for a new entity, its id. Runs in the caller's transaction.
 */
export function insertAssertion(
  db: Db,
  a: { fact: AssertedFact; document: DocumentRow; cite: string | null; reason: string; actor: string | null; at: string },
): { id: number; entityId: number } {
  const doc = a.document;
  const sourceName = doc.fileName ?? doc.reference!;
  const src = db
    .prepare(
      `INSERT INTO sources (id, file_name, file_path, sha256, size, format, data_date, imported_at, records, entities, links, markers, deletions, warnings)
       VALUES (?, ?, NULL, ?, ?, '${ASSERTION_FORMAT}', ?, ?, 1, ?, ?, 0, 0, '[]')`,
    )
    .run(nextSourceId(db), sourceName, doc.sha256, doc.size ?? Buffer.byteLength(doc.reference ?? ''), a.at, a.at, a.fact.fact === 'entity' ? 1 : 0, a.fact.fact === 'link' ? 1 : 0);
  const sourceId = Number(src.lastInsertRowid);
  // the assertion id is known only after its row: insert with a placeholder entity first
  const f = a.fact;
  const entityId = f.fact === 'link' ? f.ownedId : f.fact === 'entity' ? null : f.entityId;
  const ownerId = f.fact === 'link' ? f.ownerId : null;
  let id: number;
  let newEntity: number | null = null;
  if (f.fact === 'entity') {
    const e = db
      .prepare(
        `INSERT INTO entities (kind, name, category, topics, attributes, is_placeholder, source_id, record_ref, record_key)
         VALUES (?, ?, ?, '[]', '{}', 0, ?, '', '')`,
      )
      .run(f.kind === 'state' ? 'state-body' : f.kind, f.name, f.kind === 'state' ? 'STATE' : null, sourceId);
    newEntity = Number(e.lastInsertRowid);
  }
  const ins = db
    .prepare(
      `INSERT INTO assertions (fact, content, entity_id, owner_id, document_id, cite, reason, actor, created_at, source_id)
       VALUES (?, '{}', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(f.fact, newEntity ?? entityId, ownerId, doc.id, a.cite, a.reason, a.actor, a.at, sourceId);
  id = Number(ins.lastInsertRowid);
  const ref = recordRef(id, a.cite);
  const key = `assertion|${id}`;
  if (f.fact === 'link') {
    const s = f.share;
    db.prepare(
      `INSERT INTO links (key, owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, stated, is_summary,
         start_date, end_date, status, registration_status, attributes, source_id, record_ref)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'active', NULL, '{}', ?, ?)`,
    ).run(key, f.ownerId, f.ownedId, f.kind, f.controlBasis, s ? s.lo : null, s ? (s.loOpen ? 1 : 0) : null, s ? s.hi : null, s ? (s.hiOpen ? 1 : 0) : null,
      f.stated, f.startDate, f.endDate, sourceId, ref);
  } else if (f.fact === 'location') {
    db.prepare('INSERT INTO entity_countries (entity_id, record_key, role, code, subdivision, text, source_id, record_ref) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)')
      .run(f.entityId, key, f.role, f.code, f.code, sourceId, ref);
  } else if (f.fact === 'entity') {
    const eid = newEntity!;
    const recordKey = `asserted:${id}`;
    db.prepare('UPDATE entities SET record_ref = ?, record_key = ? WHERE id = ?').run(ref, recordKey, eid);
    db.prepare(`INSERT INTO entity_names (entity_id, record_key, name, type, lang, source_id, record_ref) VALUES (?, ?, ?, 'legal', NULL, ?, ?)`)
      .run(eid, recordKey, f.name, sourceId, ref);
    const ident = db.prepare('INSERT INTO identifiers (scheme, value, entity_id, source_id, record_ref) VALUES (?, ?, ?, ?, ?)');
    ident.run('asserted', String(id), eid, sourceId, ref);
    for (const i of f.identifiers) ident.run(i.scheme, i.value, eid, sourceId, ref);
    if (f.country) {
      const role: CountryRole = f.kind === 'person' ? 'nationality' : 'jurisdiction';
      db.prepare('INSERT INTO entity_countries (entity_id, record_key, role, code, subdivision, text, source_id, record_ref) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)')
        .run(eid, recordKey, role, f.country, f.country, sourceId, ref);
    }
    indexPendingNames(db);
  }
  db.prepare('UPDATE assertions SET content = ? WHERE id = ?').run(canonicalFact(f), id);
  return { id, entityId: newEntity ?? entityId! };
}

/** The fact as stored: keys sorted, so the same fact is always the same text. */
export function canonicalFact(f: AssertedFact): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(f));
}

/** Links that name an entity (any source), for refusing to retract an entity still used. */
export function linksNaming(db: Db, entityId: number): { id: number; sourceId: number }[] {
  return db.prepare('SELECT id, source_id AS sourceId FROM links WHERE owner_id = ? OR owned_id = ?').all(entityId, entityId) as { id: number; sourceId: number }[];
}

/** Removes an assertion's ordinary rows and records its retraction. Runs in the caller's transaction. */
export function markRetracted(db: Db, a: AssertionRow, r: { reason: string; actor: string | null; at: string }): void {
  db.prepare('DELETE FROM links WHERE source_id = ?').run(a.sourceId);
  db.prepare('DELETE FROM entity_countries WHERE source_id = ?').run(a.sourceId);
  if (a.fact === 'entity') {
    db.prepare('DELETE FROM entity_names WHERE source_id = ? AND entity_id = ?').run(a.sourceId, a.entityId);
    db.prepare('DELETE FROM identifiers WHERE source_id = ? AND entity_id = ?').run(a.sourceId, a.entityId);
    // the entity row stays (assertions.entity_id names it) as an empty placeholder: nothing links to it
    db.prepare(`UPDATE entities SET is_placeholder = 1, name = name || ' (retracted)' WHERE id = ? AND source_id = ?`).run(a.entityId, a.sourceId);
  }
  db.prepare(`UPDATE assertions SET status = 'retracted', retracted_at = ?, retracted_by = ?, retraction_reason = ? WHERE id = ?`).run(r.at, r.actor, r.reason, a.id);
}

/** The ordinary rows an active assertion stands for, as they are now (for the tamper check). */
export function materializedRows(db: Db, a: AssertionRow): { links: Record<string, unknown>[]; countries: Record<string, unknown>[]; entity: Record<string, unknown> | undefined } {
  return {
    links: db.prepare('SELECT owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, start_date, end_date, status FROM links WHERE source_id = ?').all(a.sourceId) as Record<string, unknown>[],
    countries: db.prepare('SELECT entity_id, role, code FROM entity_countries WHERE source_id = ?').all(a.sourceId) as Record<string, unknown>[],
    entity: a.fact === 'entity' ? (db.prepare('SELECT name, kind, category FROM entities WHERE id = ?').get(a.entityId) as Record<string, unknown> | undefined) : undefined,
  };
}

export type { EntityKind };
