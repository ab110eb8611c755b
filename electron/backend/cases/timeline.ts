// A case's timeline, read from the audit log (the record of what happened, not a second copy):
// opened, verdicts, decisions, notes, attachments, assertions, reports, each in words with who
// acted and when. Entries of kinds this module does not know yet still show, by their action.
import type { Db } from '../store/db.js';
import { listAudit, type AuditEntry } from './audit.js';

export type TimelineKind = 'opened' | 'verdict' | 'decision' | 'note' | 'attachment' | 'assertion' | 'report' | 'other';

export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  kind: TimelineKind;
  text: string;
  hash: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const up = (v: unknown) => String(v ?? '?').toUpperCase();

function describe(e: AuditEntry, subjectName: string | null): { kind: TimelineKind; text: string } {
  const p = (e.payload && typeof e.payload === 'object' ? e.payload : {}) as Record<string, unknown>;
  switch (e.action) {
    case 'case.create':
      return { kind: 'opened', text: `Case opened on ${subjectName ? `${subjectName} (${str(p.subjectRef) ?? '?'})` : (str(p.subjectRef) ?? 'its subject')} under the policy ${str(p.policy) ?? '?'}` };
    case 'case.verdict':
      return { kind: 'verdict', text: `Verdict computed: ${up(p.verdict)}${str(p.asOf) ? ` as of ${String(p.asOf)}` : ''}` };
    case 'case.decide': {
      const why = str(p.justification);
      const what = p.decision === 'override' ? `Overridden: ${up(p.computedVerdict)} → ${up(p.verdict)}` : `Confirmed ${up(p.verdict)}`;
      return { kind: 'decision', text: `${what}${why ? `: ${why}` : ''}` };
    }
    case 'case.note':
      return { kind: 'note', text: `Note: ${str(p.text) ?? ''}` };
    case 'case.evidence':
      return { kind: 'attachment', text: `Attached ${str(p.fileName) ?? 'a file'}${typeof p.size === 'number' ? ` (${p.size.toLocaleString('en')} bytes)` : ''}` };
    case 'report.sign':
      return { kind: 'report', text: `Report signed by ${str(p.signerName) ?? '?'}: ${up(p.verdict)}` };
    default:
      if (e.action.startsWith('assertion')) {
        const t = str(p.text) ?? str(p.summary) ?? str(p.statement);
        return { kind: 'assertion', text: t ? `Assertion: ${t}` : `Assertion (${e.action})` };
      }
      return { kind: 'other', text: e.action };
  }
}

export function caseTimeline(db: Db, caseId: string): TimelineEntry[] {
  const subject = (db.prepare('SELECT subject_name AS name FROM cases WHERE id = ?').get(caseId) as { name: string | null } | undefined)?.name ?? null;
  return listAudit(db, { caseId }).map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, hash: e.hash, ...describe(e, subject) }));
}
