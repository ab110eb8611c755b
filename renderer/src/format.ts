import type { ShareRange, VerdictValue } from '../../shared/api/types';

export const fmtInt = (n: number) => n.toLocaleString('en');
export const fmtBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : n < 1073741824 ? `${(n / 1048576).toFixed(1)} MiB` : `${(n / 1073741824).toFixed(2)} GiB`;
export const fmtDuration = (ms: number | null) => {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};
export const fmtDate = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
export const fmtRange = (r: ShareRange | undefined | null) => {
  if (!r) return '—';
  const p = (n: number) => `${Number(n.toFixed(4))}%`;
  if (r.min === r.max && r.minInclusive && r.maxInclusive) return p(r.min);
  return `${r.minInclusive ? '[' : '('}${p(r.min)}, ${p(r.max)}${r.maxInclusive ? ']' : ')'}`;
};
export const VERDICT_TEXT: Record<VerdictValue, string> = {
  restricted: 'Restricted',
  clear: 'Clear',
  indeterminate: 'Indeterminate',
};
export function textOf(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    if (typeof o.text === 'string') return o.text;
    if (typeof o.message === 'string') return o.message;
    if (typeof o.name === 'string') return o.name;
  }
  return JSON.stringify(item);
}
