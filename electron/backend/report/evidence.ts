// The machine-readable evidence embedded in the report. Its exact bytes are hashed; the hash is
// printed on the page and written into the signed document information dictionary, so the
// attachment, the visible report and the signature are bound together.
import { createHash } from 'node:crypto';
import type { AuditHead, ReportInput, ReportNote, VerdictValue } from './types.js';

export const EVIDENCE_FORMAT = 'ownerscope-evidence/1';
export const EVIDENCE_FILE_NAME = 'ownerscope-evidence.json';

export interface Evidence {
  format: typeof EVIDENCE_FORMAT;
  generatedAt: string;
  case: ReportInput['case'];
  decision: ReportInput['decision'] | null;
  /** The verdict that the report states: the decision's verdict, or the computed one. */
  finalVerdict: VerdictValue;
  notes: ReportNote[];
  sources: ReportInput['sources'];
  auditHead: AuditHead;
  verdict: ReportInput['verdict'];
  /** issue 14: the investigator's assertions the verdict used (absent when none) */
  assertions?: ReportInput['assertions'];
  /** the verdict on registry data alone beside the one with assertions */
  assertionSummary?: string | null;
  /** the cited documents embedded as attachments: name, SHA-256, size (the bytes are the attachments) */
  embeddedDocuments?: { fileName: string; attachmentName: string; sha256: string; size: number }[];
}

/** The attachment name of an embedded document: unique by content, still readable. */
export function documentAttachmentName(d: { fileName: string; sha256: string }): string {
  return `document-${d.sha256.slice(0, 12)}-${d.fileName}`;
}

export function finalVerdictOf(input: Pick<ReportInput, 'verdict' | 'decision'>): VerdictValue {
  return input.decision?.verdict ?? input.verdict.verdict;
}

export function normalizeNotes(notes: ReportInput['notes']): ReportNote[] {
  return (notes ?? []).map((n) => (typeof n === 'string' ? { text: n } : n));
}

export function normalizeAuditHead(head: ReportInput['auditHead']): AuditHead {
  return typeof head === 'string' ? { hash: head } : head;
}

export function buildEvidence(input: ReportInput): Evidence {
  return {
    format: EVIDENCE_FORMAT,
    generatedAt: input.generatedAt,
    case: input.case,
    decision: input.decision ?? null,
    finalVerdict: finalVerdictOf(input),
    notes: normalizeNotes(input.notes),
    sources: input.sources,
    auditHead: normalizeAuditHead(input.auditHead),
    verdict: input.verdict,
    ...(input.assertions?.length
      ? {
          assertions: input.assertions,
          assertionSummary: input.assertionSummary ?? null,
          embeddedDocuments: (input.documents ?? []).map((d) => ({ fileName: d.fileName, attachmentName: documentAttachmentName(d), sha256: d.sha256, size: d.size })),
        }
      : {}),
  };
}

/** JSON with keys sorted at every level, so equal evidence always serializes to equal bytes. */
export function canonicalJson(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function serializeEvidence(evidence: Evidence): Buffer {
  return Buffer.from(canonicalJson(evidence) + '\n', 'utf8');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The SHA-256 of the evidence without its audit head: what a report's `report.sign` audit entry
 * records. The entry cannot hold the evidence's own hash, since the evidence holds the entry's hash.
 */
export function evidenceBodySha256(evidence: Evidence): string {
  return sha256Hex(canonicalJson({ ...evidence, auditHead: undefined }, 0));
}
