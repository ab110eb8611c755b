// Small formatting helpers shared by the page layout and the diagram.
import type { ShareRange, VerdictValue } from './types.js';

export function pct(n: number): string {
  return `${Number(n.toFixed(4))}%`;
}

export function formatRange(r: ShareRange | null | undefined): string {
  if (!r || typeof r.min !== 'number' || typeof r.max !== 'number') return 'unknown';
  if (r.min === r.max && r.minInclusive && r.maxInclusive) return pct(r.min);
  if (r.min === 0 && r.max === 100 && r.minInclusive && r.maxInclusive) return 'unknown (0–100%)';
  return `${r.minInclusive ? '[' : '('}${pct(r.min)}, ${pct(r.max)}${r.maxInclusive ? ']' : ')'}`;
}

function isRange(v: unknown): v is ShareRange {
  return !!v && typeof v === 'object' && typeof (v as ShareRange).min === 'number' && typeof (v as ShareRange).max === 'number';
}

/** A stated share as the registry gave it: "30%", 30, a range, a band. */
export function formatStated(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return pct(v);
  if (typeof v === 'string') return /^\d+(\.\d+)?$/.test(v.trim()) ? `${v.trim()}%` : v;
  if (isRange(v)) return formatRange(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.text === 'string') return o.text;
    if (typeof o.percent === 'number') return pct(o.percent);
  }
  return JSON.stringify(v);
}

export const VERDICT_LABEL: Record<VerdictValue, string> = {
  restricted: 'RESTRICTED',
  clear: 'CLEAR',
  indeterminate: 'INDETERMINATE',
};

export function verdictLabel(v: string): string {
  return (VERDICT_LABEL as Record<string, string>)[v] ?? v.toUpperCase();
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "2026-03-01T09:30:00.000Z" → "2026-03-01 09:30 UTC". */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** Policy values for the effective-policy table. */
export function formatPolicyValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '(none)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** camelCase policy keys as words: "consolidationImpliesMajority" → "Consolidation implies majority". */
export function humanizeKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
