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
    if (this.result) this.result = { ...this.result, counts: { ...this.counts } };
  }

  page(options: { offset?: number; limit?: number; verdict?: ScreenVerdict; filter?: string }): ScreenPage {
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 100;
    const q = options.filter?.trim().toLowerCase() ?? '';
    const counts = { ...this.counts };
    if (!options.verdict && !q) return { total: this.rows.length, rows: this.rows.slice(offset, offset + limit), counts };
    const rows: ScreenRow[] = [];
    let total = 0;
    for (const r of this.rows) {
      if (options.verdict && r.verdict !== options.verdict) continue;
      if (q && !matches(r, q)) continue;
      if (total >= offset && rows.length < limit) rows.push(r);
      total++;
    }
    return { total, rows, counts };
  }
}

function matches(r: ScreenRow, q: string): boolean {
  return (
    r.input.toLowerCase().includes(q) ||
    (r.name ?? '').toLowerCase().includes(q) ||
    r.reason.toLowerCase().includes(q) ||
    r.identifiers.some((i) => i.toLowerCase().includes(q))
  );
}
