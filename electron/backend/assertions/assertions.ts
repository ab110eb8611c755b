// Investigator-asserted facts (issue 14): the rules around store/assertions.ts. Every fact needs
// a document (a file stored in the case database, or a reference) and a reason; every attachment,
// assertion and retraction is one audit entry binding the rows it wrote (cases/rows.ts), in the
// same transaction. Callers take the write turn (CLI `withCaseWrite`, API handlers).
import { createHash } from 'node:crypto';
import type { Db } from '../store/db';
import { appendAudit } from '../cases/audit';
import { bindRow, type RowBinding } from '../cases/rows';
import {
  canonicalFact, documentContent, findDocument, getAssertion, getDocument, insertAssertion, insertDocument, linksNaming, listAssertionRows,
  markRetracted, type AssertedFact, type AssertionRow, type DocumentRow,
} from '../store/assertions';
import { normalizeIdentifier } from '../store/queries';
import { ASSERTED_ENTITY_KINDS, ASSERTED_LINK_KINDS, ASSERTED_ROLES, ASSERTION_SOURCE_LABEL, MAX_TOPICS, checkTopic, normalizeCountry } from '../../../shared/domain/assertions';
import { CONTROL_BASES, formatShare } from '../../../shared/domain/model';
import { isValidDate } from '../../../shared/domain/policy/policy';

export class AssertionError extends Error {
  readonly code: 'not-found' | 'invalid-input' | 'invalid-state';
  /** the argument or field at fault, for usage errors */
  readonly field: string | undefined;
  constructor(code: AssertionError['code'], message: string, field?: string) {
    super(message);
    this.name = 'AssertionError';
    this.code = code;
    this.field = field;
  }
}

/** A document to cite: a file's bytes, or a reference (a URL, a registry extract number). */
export type DocumentInput = { fileName: string; content: Buffer; mediaType?: string | null } | { reference: string };

export interface AssertInput {
  fact: AssertedFact;
  document: DocumentInput;
  /** where in the document: a page, a section */
  cite?: string | null;
  reason: string;
  actor?: string | null;
  at?: string;
}

// an assertion as listed is the API's AssertionInfo (the row without its canonical text, its
// document, the source kind and the fact in words): one declaration, in shared/api/types.ts
import type { AssertionInfo } from '../../../shared/api/types';
export type { AssertionInfo };

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const MAX_TEXT = 4000;

function text(v: unknown, field: string, required: boolean): string | null {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && !required)) return null;
  if (typeof v !== 'string' || v.trim() === '') throw new AssertionError('invalid-input', `${field} must be a non-empty text`, field);
  if (v.length > MAX_TEXT) throw new AssertionError('invalid-input', `${field} must have at most ${MAX_TEXT} characters, got ${v.length}`, field);
  return v.trim();
}

function entityExists(db: Db, id: number, field: string): void {
  if (!Number.isInteger(id) || !db.prepare('SELECT 1 FROM entities WHERE id = ?').get(id)) throw new AssertionError('not-found', `${field}: no entity with internal id ${id}`, field);
}

/** Validates a fact against the case database (entities exist, values in their ranges). */
function checkFact(db: Db, f: AssertedFact): AssertedFact {
  switch (f.fact) {
    case 'link': {
      entityExists(db, f.ownerId, 'owner');
      entityExists(db, f.ownedId, 'owned');
      if (f.ownerId === f.ownedId) throw new AssertionError('invalid-input', 'owner and owned are the same entity', 'owned');
      if (!(ASSERTED_LINK_KINDS as readonly string[]).includes(f.kind)) throw new AssertionError('invalid-input', `kind must be one of ${ASSERTED_LINK_KINDS.join(', ')}, got "${f.kind}"`, 'kind');
      if (f.controlBasis !== null && !(CONTROL_BASES as readonly string[]).includes(f.controlBasis)) throw new AssertionError('invalid-input', `basis must be one of ${CONTROL_BASES.join(', ')}`, 'basis');
      if (f.kind !== 'control' && !f.share) throw new AssertionError('invalid-input', 'share is required for a holding of shares or votes', 'share');
      for (const [k, v] of [['from', f.startDate], ['to', f.endDate]] as const) {
        if (v !== null && !isValidDate(v)) throw new AssertionError('invalid-input', `${k} must be a date YYYY-MM-DD that exists in the calendar, got "${v}"`, k);
      }
      if (f.startDate && f.endDate && f.endDate < f.startDate) throw new AssertionError('invalid-input', `to (${f.endDate}) is before from (${f.startDate})`, 'to');
      return { ...f, stated: f.stated || (f.share ? formatShare(f.share) : 'control') };
    }
    case 'location': {
      entityExists(db, f.entityId, 'entity');
      if (!(ASSERTED_ROLES as readonly string[]).includes(f.role)) throw new AssertionError('invalid-input', `role must be one of ${ASSERTED_ROLES.join(', ')}, got "${f.role}"`, 'role');
      const code = normalizeCountry(f.code);
      if (!code) throw new AssertionError('invalid-input', `country must be an ISO 3166-1 alpha-2 code (e.g. CN), got "${f.code}"`, 'country');
      return { ...f, code };
    }
    case 'entity': {
      const name = text(f.name, 'name', true)!;
      if (!(ASSERTED_ENTITY_KINDS as readonly string[]).includes(f.kind)) throw new AssertionError('invalid-input', `kind must be one of ${ASSERTED_ENTITY_KINDS.join(', ')}, got "${f.kind}"`, 'kind');
      const identifiers = f.identifiers.map((i) => {
        const n = normalizeIdentifier(i.scheme, i.value);
        if (!/^[a-z][a-z0-9_.-]*$/.test(n.scheme) || n.value === '' || n.scheme === 'asserted') throw new AssertionError('invalid-input', `id must be SCHEME:VALUE (e.g. lei:5299…), got "${i.scheme}:${i.value}"`, 'id');
        const taken = db.prepare('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?').get(n.scheme, n.value) as { entity_id: number } | undefined;
        if (taken) throw new AssertionError('invalid-input', `id ${n.scheme}:${n.value} already names entity ${taken.entity_id}: assert facts about that entity instead`, 'id');
        return n;
      });
      const country = f.country === null ? null : normalizeCountry(f.country);
      if (f.country !== null && !country) throw new AssertionError('invalid-input', `country must be an ISO 3166-1 alpha-2 code (e.g. CN), got "${f.country}"`, 'country');
      return { ...f, name, identifiers, country };
    }
    case 'kind':
      entityExists(db, f.entityId, 'entity');
      if (!(ASSERTED_ENTITY_KINDS as readonly string[]).includes(f.kind)) throw new AssertionError('invalid-input', `kind must be one of ${ASSERTED_ENTITY_KINDS.join(', ')}, got "${f.kind}"`, 'kind');
      return f;
    case 'listed': {
      entityExists(db, f.entityId, 'entity');
      if (!Array.isArray(f.topics) || f.topics.some((t) => typeof t !== 'string')) throw new AssertionError('invalid-input', 'topic must be a list of texts', 'topic');
      const topics = [...new Set(f.topics.map((t) => {
        const c = checkTopic(t);
        if ('error' in c) throw new AssertionError('invalid-input', c.error, 'topic');
        return c.topic;
      }))].sort();
      if (topics.length === 0) throw new AssertionError('invalid-input', 'topic must name at least one topic (e.g. sanction)', 'topic');
      if (topics.length > MAX_TOPICS) throw new AssertionError('invalid-input', `at most ${MAX_TOPICS} topics, got ${topics.length}`, 'topic');
      return { ...f, topics, list: text(f.list, 'list', true)! };
    }
  }
  throw new AssertionError('invalid-input', `unknown fact "${(f as { fact: string }).fact}"`, 'fact');
}

/** Stores a document (once per content), recording the attachment in the audit log. */
export function attachDocument(db: Db, d: DocumentInput, actor: string | null, at: string): DocumentRow {
  const isRef = 'reference' in d;
  const reference = isRef ? text(d.reference, 'reference', true)! : null;
  if (!isRef) {
    if (!(d.content instanceof Buffer) || d.content.length === 0) throw new AssertionError('invalid-input', 'document: the file is empty', 'document');
    text(d.fileName, 'document name', true);
  }
  const hash = sha256(isRef ? reference! : d.content);
  const existing = findDocument(db, hash, isRef);
  if (existing) return existing;
  const id = insertDocument(db, {
    fileName: isRef ? null : d.fileName, mediaType: isRef ? null : (d.mediaType ?? null), content: isRef ? null : d.content, reference, sha256: hash, at, actor,
  });
  const doc = getDocument(db, id)!;
  appendAudit(db, {
    action: 'assertion.document', actor, at,
    payload: { document: id, fileName: doc.fileName, reference: doc.reference, size: doc.size, sha256: hash, rows: [bindRow(db, 'assertion_documents', id)] },
  });
  return doc;
}

/** Records one asserted fact. Returns it as listed. */
export function addAssertion(db: Db, input: AssertInput): AssertionInfo {
  const at = input.at ?? new Date().toISOString();
  const actor = input.actor ?? null;
  return db.transaction(() => {
    const reason = text(input.reason, 'why', true)!;
    const cite = text(input.cite, 'cite', false);
    const fact = checkFact(db, input.fact);
    const document = attachDocument(db, input.document, actor, at);
    const { id } = insertAssertion(db, { fact, document, cite, reason, actor, at });
    const rows: RowBinding[] = [bindRow(db, 'assertions', id)];
    appendAudit(db, {
      action: 'assertion.add', actor, at,
      payload: { assertion: id, fact: JSON.parse(canonicalFact(fact)) as unknown, document: document.id, documentSha256: document.sha256, cite, reason, rows },
    });
    return infoOf(db, getAssertion(db, id)!);
  })();
}

/** Retracts an assertion: its facts stop counting, the row stays with the reason. */
export function retractAssertion(db: Db, id: number, reason: string, actor: string | null = null, at = new Date().toISOString()): AssertionInfo {
  return db.transaction(() => {
    const why = text(reason, 'why', true)!;
    const a = getAssertion(db, id);
    if (!a) throw new AssertionError('not-found', `no assertion ${id}`, 'ASSERTION_ID');
    if (a.status === 'retracted') throw new AssertionError('invalid-state', `assertion ${id} was already retracted on ${a.retractedAt} (${a.retractionReason})`, 'ASSERTION_ID');
    if (a.fact === 'entity') {
      const users = listAssertionRows(db, { entityIds: [a.entityId], activeOnly: true }).filter((o) => o.id !== a.id);
      const links = linksNaming(db, a.entityId).filter((l) => l.sourceId !== a.sourceId);
      if (users.length > 0 || links.length > 0) {
        throw new AssertionError('invalid-state', `assertion ${id} created an entity that ${users.length ? `assertions ${users.map((u) => u.id).join(', ')}` : `${links.length} link(s)`} still use: retract those first`, 'ASSERTION_ID');
      }
    }
    markRetracted(db, a, { reason: why, actor, at });
    appendAudit(db, { action: 'assertion.retract', actor, at, payload: { assertion: id, reason: why, rows: [bindRow(db, 'assertions', id)] } });
    return infoOf(db, getAssertion(db, id)!);
  })();
}

function entityName(db: Db, id: number | null): string {
  if (id === null) return '?';
  const r = db.prepare('SELECT name FROM entities WHERE id = ?').get(id) as { name: string } | undefined;
  return r ? `${r.name} (#${id})` : `#${id}`;
}

/** The fact in words. */
export function factText(db: Db, a: Pick<AssertionRow, 'content'>): string {
  const f = a.content;
  switch (f.fact) {
    case 'link':
      return `${entityName(db, f.ownerId)} holds ${f.kind === 'control' ? `control${f.controlBasis ? ` (${f.controlBasis})` : ''}` : `${f.share ? formatShare(f.share) : 'an unknown share'} (${f.kind})`} of ${entityName(db, f.ownedId)}${f.startDate ? ` from ${f.startDate}` : ''}${f.endDate ? ` to ${f.endDate}` : ''}`;
    case 'location':
      return `${entityName(db, f.entityId)}: ${f.role} ${f.code}`;
    case 'entity':
      return `new ${f.kind} "${f.name}"${f.identifiers.length ? ` (${f.identifiers.map((i) => `${i.scheme}:${i.value}`).join(', ')})` : ''}${f.country ? `, ${f.country}` : ''}`;
    case 'kind':
      return `${entityName(db, f.entityId)} is a ${f.kind === 'state-body' ? 'state body' : f.kind}`;
    case 'listed':
      return `${entityName(db, f.entityId)} is listed on ${f.list} (${f.topics.join(', ')})`;
  }
}

function infoOf(db: Db, a: AssertionRow): AssertionInfo {
  const { contentText: _t, ...rest } = a;
  return { ...rest, document: getDocument(db, a.documentId)!, sourceKind: ASSERTION_SOURCE_LABEL, text: factText(db, a) };
}

export function listAssertions(db: Db, filter: { entityIds?: number[] } = {}): AssertionInfo[] {
  return listAssertionRows(db, filter).map((a) => infoOf(db, a));
}

export function getAssertionInfo(db: Db, id: number): AssertionInfo {
  const a = getAssertion(db, id);
  if (!a) throw new AssertionError('not-found', `no assertion ${id}`, 'ASSERTION_ID');
  return infoOf(db, a);
}

/** The stored bytes of a document (null for a reference). */
export function readDocument(db: Db, id: number): Buffer | null {
  if (!getDocument(db, id)) throw new AssertionError('not-found', `no document ${id}`);
  return documentContent(db, id);
}
