// What every export format writes from: the rows (store/export.ts) with, per entity, whether it is
// a restricted origin under the policy, and stable ids for formats that need them.
import { createHash } from 'node:crypto';
import type { ExportData, ExportEntity, ExportLink } from '../store/export';
import { FULL_SHARE, UNITS_PER_PERCENT } from '../../../shared/domain/model';

export interface ExportModel extends ExportData {
  /** entity id → why it is a restricted origin under the policy (absent: it is not); filled for
   *  graphml and gexf only, the formats that carry the flag */
  restricted: Map<number, string>;
  policy: { name: string; sha256: string };
  asOf: string;
  byId: Map<number, ExportEntity>;
}

/** A stable id from our natural keys: the same data gives the same id in every run. */
export const stableId = (prefix: string, key: string) => `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

export const pct = (units: number) => Number((units / UNITS_PER_PERCENT).toFixed(4));

/** "30%", "(25%, 50%]", or '' when no share is stated. */
export function shareText(s: ExportLink['share']): string {
  if (!s) return '';
  if (s.lo === s.hi && !s.loOpen && !s.hiOpen) return `${pct(s.lo)}%`;
  return `${s.loOpen ? '(' : '['}${pct(s.lo)}%, ${pct(s.hi)}%${s.hiOpen ? ')' : ']'}`;
}

import { ASSERTION_FORMAT } from '../store/assertions';

/** A fact an investigator asserted from a document (issue #14), not registry data: marked in every export. */
export const isAsserted = (s: { format: string } | null | undefined) => s?.format === ASSERTION_FORMAT;

export const isFull = (units: number) => units >= FULL_SHARE;

/**
 * The entity's kind with an asserted kind applied: an asserted state is a state body whose
 * category is STATE (as the engine reads it, verdict/load.ts), the shape every format can carry.
 */
export function effectiveKind(e: ExportEntity): { kind: string; category: string | null } {
  const k = e.assertedKind?.kind;
  if (!k) return { kind: e.kind, category: e.category };
  return k === 'state' ? { kind: 'state-body', category: 'STATE' } : { kind: k, category: e.category };
}

/** The registry's topics and the asserted listings' topics. */
export const effectiveTopics = (e: ExportEntity) => [...new Set([...e.topics, ...e.assertedListings.flatMap((l) => l.topics)])];

/** One line per asserted kind or listing: what, which assertion, on which document. */
export function assertionNotes(e: ExportEntity): string[] {
  const on = (a: { assertionId: number; source: { fileName: string } }) => `investigator assertion #${a.assertionId} (${a.source.fileName})`;
  return [
    ...(e.assertedKind ? [`kind ${e.assertedKind.kind}: ${on(e.assertedKind)}`] : []),
    ...e.assertedListings.map((l) => `listed on ${l.list}${l.topics.length ? ` (${l.topics.join(', ')})` : ''}: ${on(l)}`),
  ];
}

/** Whether an investigator asserted the entity itself, its kind or a listing. */
export const hasAssertedFacts = (e: ExportEntity) => isAsserted(e.source) || e.assertedKind !== null || e.assertedListings.length > 0;

export function xmlEscape(s: string): string {
  // characters XML 1.0 cannot carry at all are dropped (a registry's control characters)
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The countries of an entity as codes (text when no code), one list for all roles. */
export const countryCodes = (e: ExportEntity) => [...new Set(e.countries.map((c) => c.code ?? c.text))];
