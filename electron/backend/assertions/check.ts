// Tamper check of assertions, for `audit --verify` and `verify --db`: the assertion rows are bound
// to the audit log like case rows (cases/rows.ts); here, what the binding cannot see: a
// document's bytes against its SHA-256 and size, and the ordinary rows (link, country, entity)
// each active assertion stands for against the fact the assertion row records.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db';
import { documentsNotMatching, listAssertionRows, materializedRows, type AssertionRow } from '../store/assertions';

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
