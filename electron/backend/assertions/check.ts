// Tamper check of assertions, for `audit --verify` and `verify --db`: the assertion rows are bound
// to the audit log like case rows (cases/rows.ts); here, what the binding cannot see: a
// document's bytes against its SHA-256 and size, and the ordinary rows (link, country, entity)
// each active assertion stands for against the fact the assertion row records.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db';
import { canonicalFact, documentsNotMatching, getAssertion, getDocument, listAssertionRows, materializedRows, type AssertedFact, type AssertionRow } from '../store/assertions';

export interface AssertionProblem {
  code: 'file-mismatch' | 'row-edited';
  message: string;
  table: 'assertions' | 'assertion_documents';
  key: number;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function expected(a: AssertionRow): { links: Record<string, unknown>[]; countries: Record<string, unknown>[]; entity?: Record<string, unknown> } {
  const f = a.content;
  switch (f.fact) {
    case 'link': {
      const s = f.share;
      return {
        links: [{
          owner_id: f.ownerId, owned_id: f.ownedId, kind: f.kind, control_basis: f.controlBasis, share_lo: s ? s.lo : null, share_lo_open: s ? (s.loOpen ? 1 : 0) : null,
          share_hi: s ? s.hi : null, share_hi_open: s ? (s.hiOpen ? 1 : 0) : null, start_date: f.startDate, end_date: f.endDate, status: 'active',
        }],
        countries: [],
      };
    }
    case 'location':
      return { links: [], countries: [{ entity_id: f.entityId, role: f.role, code: f.code }] };
    case 'entity':
      return {
        links: [],
        countries: f.country ? [{ entity_id: a.entityId, role: f.kind === 'person' ? 'nationality' : 'jurisdiction', code: f.country }] : [],
        entity: { name: f.name, kind: f.kind === 'state' ? 'state-body' : f.kind, category: f.kind === 'state' ? 'STATE' : null },
      };
    default:
      return { links: [], countries: [] };
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

export function assertionProblems(db: Db): AssertionProblem[] {
  const out: AssertionProblem[] = [];
  for (const d of documentsNotMatching(db, sha256)) {
    out.push({ code: 'file-mismatch', table: 'assertion_documents', key: d.id, message: `The bytes of assertion document ${d.id} (${d.fileName}) do not match the SHA-256 and size recorded for it.` });
  }
  for (const a of listAssertionRows(db)) {
    const now = materializedRows(db, a);
    const want = a.status === 'active' ? expected(a) : { links: [], countries: [] };
    const ok =
      same(now.links.map(sorted), want.links.map(sorted)) &&
      same(now.countries.map(sorted), want.countries.map(sorted)) &&
      (!want.entity || (now.entity !== undefined && same(sorted(now.entity), sorted(want.entity))));
    if (!ok) {
      out.push({
        code: 'row-edited', table: 'assertions', key: a.id,
        message: `The rows assertion ${a.id} (${a.fact}) stands for were changed, added or deleted outside Ownerscope: they no longer state what the assertion records.`,
      });
    }
  }
  return out;
}

export interface AssertionRecheck {
  /** how many assertions the report lists */
  checked: number;
  /** every assertion and document the report lists is in this database as the report recorded it */
  unchanged: boolean;
  /** assertions retracted since the report (not tampering: the verdict recheck says what follows) */
  retracted: { id: number; at: string | null; reason: string | null }[];
  problems: { id: number; code: 'missing' | 'changed' | 'document-changed'; message: string }[];
}

interface ReportedAssertion {
  id: number;
  content: unknown;
  reason: string;
  cite: string | null;
  actor: string | null;
  createdAt: string;
  document: { sha256: string; fileName: string | null };
}

/**
 * `verify --db`: the assertions a signed report used, against this case database: each still
 * there with the same fact, reason, author, time and document, and the document's stored bytes
 * still those of its SHA-256.
 */
export function recheckAssertions(db: Db, evidence: { assertions?: unknown; verdict?: unknown }): AssertionRecheck {
  const listed = (Array.isArray(evidence.assertions)
    ? evidence.assertions
    : ((evidence.verdict as { assertions?: { used?: unknown[] } } | undefined)?.assertions?.used ?? [])) as ReportedAssertion[];
  const out: AssertionRecheck = { checked: listed.length, unchanged: true, retracted: [], problems: [] };
  const badDocs = new Set(documentsNotMatching(db, sha256).map((d) => d.sha256));
  for (const r of listed) {
    const now = getAssertion(db, r.id);
    if (!now) {
      out.problems.push({ id: r.id, code: 'missing', message: `Assertion ${r.id} of the report is not in this database.` });
      continue;
    }
    const doc = getDocument(db, now.documentId);
    const same = now.contentText === canonicalFact(r.content as AssertedFact) && now.reason === r.reason && (now.cite ?? null) === (r.cite ?? null) &&
      (now.actor ?? null) === (r.actor ?? null) && now.createdAt === r.createdAt;
    if (!same) out.problems.push({ id: r.id, code: 'changed', message: `Assertion ${r.id} differs from the one the report used (its fact, reason, citation, author or time was changed).` });
    if (!doc || doc.sha256 !== r.document.sha256) {
      out.problems.push({ id: r.id, code: 'document-changed', message: `Assertion ${r.id} now cites another document than ${r.document.fileName ?? 'the reference'} (sha256 ${r.document.sha256}).` });
    } else if (badDocs.has(doc.sha256)) {
      out.problems.push({ id: r.id, code: 'document-changed', message: `The stored bytes of ${doc.fileName} (assertion ${r.id}) no longer match its SHA-256 ${doc.sha256}.` });
    }
    if (now.status === 'retracted') out.retracted.push({ id: r.id, at: now.retractedAt, reason: now.retractionReason });
  }
  out.unchanged = out.problems.length === 0;
  return out;
}

/** Retracted assertions among those a verdict snapshot used: the case is flagged. */
export function retractedAmong(db: Db, verdict: unknown): { id: number; at: string | null; reason: string | null }[] {
  const used = ((verdict as { assertions?: { used?: { id: number }[] } } | null)?.assertions?.used ?? []);
  if (!used.length) return [];
  return used.map((u) => getAssertion(db, u.id)).filter((a): a is AssertionRow => !!a && a.status === 'retracted').map((a) => ({ id: a.id, at: a.retractedAt, reason: a.retractionReason }));
}
