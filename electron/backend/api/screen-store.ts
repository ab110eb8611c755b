// The rows of one screening job, held by the backend as the worker streams them in chunks: the
// renderer reads them by pages (screen.rows), so no event or response carries a million rows.
import type { ScreenCounts, ScreenPage, ScreenResult, ScreenRow, ScreenVerdict } from '../../../shared/api/types';
import type { EffectivePolicy } from '../../../shared/domain/policy/policy';
import { emptyCounts, type ScreenContext } from '../verdict/screen-csv';

export class ScreenStore {
  readonly rows: ScreenRow[] = [];
  readonly counts: ScreenCounts = emptyCounts();
  result: ScreenResult | null = null;

  constructor(
    readonly policy: EffectivePolicy,
    readonly context: ScreenContext,
  ) {}

  add(rows: readonly ScreenRow[]): void {
    for (const r of rows) {
      this.rows.push(r);
      this.counts[r.verdict]++;
    }
  }

  /** Replaces row `index` (the investigator chose its subject), keeping the counts right. */
  replace(row: ScreenRow): void {
    const old = this.rows[row.index]!;
    this.counts[old.verdict]--;
    this.counts[row.verdict]++;
    this.rows[row.index] = row;
    this.version++;
    if (this.result) this.result = { ...this.result, counts: { ...this.counts } };
  }

  page(options: { offset?: number; limit?: number; verdict?: ScreenVerdict; filter?: string }): ScreenPage {
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 100;
    const q = options.filter?.trim().toLowerCase() ?? '';
    const counts = { ...this.counts };
    if (!options.verdict && !q) return { total: this.rows.length, rows: this.rows.slice(offset, offset + limit), counts };
    const hits = this.matching(options.verdict, q);
    const rows: ScreenRow[] = [];
    for (let k = offset; k < Math.min(hits.length, offset + limit); k++) rows.push(this.rows[hits[k]!]!);
    return { total: hits.length, rows, counts };
  }

  /** The rows a filter keeps, by index: kept for the next page of the same filter (a million-row scan takes a second). */
  private matching(verdict: ScreenVerdict | undefined, q: string): Int32Array {
    const key = `${verdict ?? ''}\u0000${q}`;
    if (this.filterCache?.key === key && this.filterCache.rows === this.rows.length && this.filterCache.version === this.version) return this.filterCache.hits;
    const out: number[] = [];
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i]!;
      if (verdict && r.verdict !== verdict) continue;
      if (q && !matches(r, q)) continue;
      out.push(i);
    }
    const hits = Int32Array.from(out);
    this.filterCache = { key, rows: this.rows.length, version: this.version, hits };
    return hits;
  }

  private filterCache: { key: string; rows: number; version: number; hits: Int32Array } | null = null;
  /** Bumped when a row changes in place (replace): a cached filter no longer holds. */
  private version = 0;
}

function matches(r: ScreenRow, q: string): boolean {
  return (
    r.input.toLowerCase().includes(q) ||
    (r.name ?? '').toLowerCase().includes(q) ||
    r.reason.toLowerCase().includes(q) ||
    r.identifiers.some((i) => i.toLowerCase().includes(q))
  );
}
