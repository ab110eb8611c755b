// The rows of one screening job, held by the backend as the worker streams them in chunks: the
// renderer reads them by pages (screen.rows), so no event or response carries a million rows.
// Kept by column (codes and numbers in typed arrays, the texts in arrays, what can be derived
// not kept): a million rows take about half the memory of a million row objects; a page's rows
// are objects again.
import type { ScreenBounds, ScreenCounts, ScreenPage, ScreenResult, ScreenRow, ScreenVerdict, VerdictValue } from '../../../shared/api/types';
import { formatBounds } from '../../../shared/domain/engine';
import type { EffectivePolicy } from '../../../shared/domain/policy/policy';
import { emptyCounts, type ScreenContext } from '../verdict/screen-csv';

const VERDICTS: readonly ScreenVerdict[] = ['restricted', 'clear', 'indeterminate', 'not-found', 'ambiguous', 'invalid', 'error'];
const METHOD: readonly (VerdictValue | null)[] = [null, 'restricted', 'clear', 'indeterminate'];
const MATCHES: readonly ScreenRow['match'][] = ['ref', 'name', 'chosen', 'all', 'ambiguous', 'not-found', 'invalid'];
const code = <T>(list: readonly T[], v: T): number => {
  const i = list.indexOf(v);
  if (i < 0) throw new Error(`screening row: unknown value ${String(v)}`);
  return i;
};

/** A typed array that grows by doubling. */
function grow<A extends Int32Array | Uint8Array | Float64Array>(a: A, need: number): A {
  if (need <= a.length) return a;
  let n = Math.max(1024, a.length);
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a);
  return b;
}

// per-row flags: which bounds exist and whether each end is inclusive
const C_HAS = 1, C_MIN = 2, C_MAX = 4, L_HAS = 8, L_MIN = 16, L_MAX = 32;

export class ScreenStore {
  readonly counts: ScreenCounts = emptyCounts();
  result: ScreenResult | null = null;
  private n = 0;
  private line = new Int32Array(0);
  private entity = new Int32Array(0);
  private verdict = new Uint8Array(0);
  private match = new Uint8Array(0);
  private control = new Uint8Array(0);
  private lookThrough = new Uint8Array(0);
  private flags = new Uint8Array(0);
  /** control min, max, look-through min, max (percent) */
  private bounds = new Float64Array(0);
  private readonly input: string[] = [];
  private readonly name: (string | null)[] = [];
  private readonly reason: string[] = [];
  /** a row's identifiers joined by a line break (no identifier holds one) */
  private readonly idents: string[] = [];
  private readonly candidates = new Map<number, NonNullable<ScreenRow['candidates']>>();

  constructor(
    readonly policy: EffectivePolicy,
    readonly context: ScreenContext,
  ) {}

  get size(): number {
    return this.n;
  }

  add(rows: readonly ScreenRow[]): void {
    const need = this.n + rows.length;
    this.line = grow(this.line, need);
    this.entity = grow(this.entity, need);
    this.verdict = grow(this.verdict, need);
    this.match = grow(this.match, need);
    this.control = grow(this.control, need);
    this.lookThrough = grow(this.lookThrough, need);
    this.flags = grow(this.flags, need);
    this.bounds = grow(this.bounds, need * 4);
    for (const r of rows) {
      if (r.index !== this.n) throw new Error(`screening row ${r.index} arrived as row ${this.n}`);
      this.set(this.n++, r);
      this.counts[r.verdict]++;
    }
  }

  private set(i: number, r: ScreenRow): void {
    this.line[i] = r.line ?? -1;
    this.entity[i] = r.entityId ?? -1;
    this.verdict[i] = code(VERDICTS, r.verdict);
    this.match[i] = code(MATCHES, r.match);
    this.control[i] = code(METHOD, r.control);
    this.lookThrough[i] = code(METHOD, r.lookThrough);
    const c = r.controlBounds;
    const l = r.lookThroughBounds;
    this.flags[i] =
      (c ? C_HAS | (c.minInclusive ? C_MIN : 0) | (c.maxInclusive ? C_MAX : 0) : 0) |
      (l ? L_HAS | (l.minInclusive ? L_MIN : 0) | (l.maxInclusive ? L_MAX : 0) : 0);
    this.bounds.set([c?.min ?? 0, c?.max ?? 0, l?.min ?? 0, l?.max ?? 0], i * 4);
    this.input[i] = r.input;
    this.name[i] = r.name;
    this.reason[i] = r.reason;
    this.idents[i] = r.identifiers.join('\n');
    if (r.candidates) this.candidates.set(i, r.candidates);
    else this.candidates.delete(i);
  }

  /** Row `i` as the API gives it, or undefined past the end. */
  row(i: number): ScreenRow | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) return undefined;
    const f = this.flags[i]!;
    const b = (has: number, lo: number, min: number, max: number): ScreenBounds | null =>
      f & has ? { min: this.bounds[i * 4 + lo]!, minInclusive: (f & min) !== 0, max: this.bounds[i * 4 + lo + 1]!, maxInclusive: (f & max) !== 0 } : null;
    const controlBounds = b(C_HAS, 0, C_MIN, C_MAX);
    const lookThroughBounds = b(L_HAS, 2, L_MIN, L_MAX);
    const entityId = this.entity[i]! >= 0 ? this.entity[i]! : null;
    const input = this.input[i]!;
    const candidates = this.candidates.get(i);
    return {
      index: i, line: this.line[i]! >= 0 ? this.line[i]! : null, input, match: MATCHES[this.match[i]!]!,
      // as the row builders make it (verdict/screen-csv.ts): the input, else the entity id
      ref: input || (entityId !== null ? String(entityId) : ''),
      name: this.name[i]!, entityId, identifiers: this.idents[i] ? this.idents[i]!.split('\n') : [],
      verdict: VERDICTS[this.verdict[i]!]!,
      control: METHOD[this.control[i]!]!, controlShare: controlBounds ? formatBounds(controlBounds) : null, controlBounds,
      lookThrough: METHOD[this.lookThrough[i]!]!, lookThroughShare: lookThroughBounds ? formatBounds(lookThroughBounds) : null, lookThroughBounds,
      reason: this.reason[i]!,
      ...(candidates ? { candidates } : {}),
    };
  }

  /** Every row in order (the export streams them). */
  *all(): Generator<ScreenRow> {
    for (let i = 0; i < this.n; i++) yield this.row(i)!;
  }

  /** Replaces row `index` (the investigator chose its subject), keeping the counts right. */
  replace(row: ScreenRow): void {
    const old = VERDICTS[this.verdict[row.index]!]!;
    this.counts[old]--;
    this.counts[row.verdict]++;
    this.set(row.index, row);
    this.version++;
    if (this.result) this.result = { ...this.result, counts: { ...this.counts } };
  }

  page(options: { offset?: number; limit?: number; verdict?: ScreenVerdict; filter?: string }): ScreenPage {
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 100;
    const q = options.filter?.trim().toLowerCase() ?? '';
    const counts = { ...this.counts };
    const rows: ScreenRow[] = [];
    if (!options.verdict && !q) {
      for (let i = offset; i < Math.min(this.n, offset + limit); i++) rows.push(this.row(i)!);
      return { total: this.n, rows, counts };
    }
    const hits = this.matching(options.verdict, q);
    for (let k = offset; k < Math.min(hits.length, offset + limit); k++) rows.push(this.row(hits[k]!)!);
    return { total: hits.length, rows, counts };
  }

  /** The rows a filter keeps, by index: kept for the next page of the same filter (a million-row scan takes a second). */
  private matching(verdict: ScreenVerdict | undefined, q: string): Int32Array {
    const key = `${verdict ?? ''}\u0000${q}`;
    if (this.filterCache?.key === key && this.filterCache.rows === this.n && this.filterCache.version === this.version) return this.filterCache.hits;
    const want = verdict === undefined ? -1 : code(VERDICTS, verdict);
    const has = (s: string | null) => s !== null && s.toLowerCase().includes(q);
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (want >= 0 && this.verdict[i] !== want) continue;
      if (q && !(has(this.input[i]!) || has(this.name[i]!) || has(this.reason[i]!) || has(this.idents[i]!))) continue;
      out.push(i);
    }
    const hits = Int32Array.from(out);
    this.filterCache = { key, rows: this.n, version: this.version, hits };
    return hits;
  }

  private filterCache: { key: string; rows: number; version: number; hits: Int32Array } | null = null;
  /** Bumped when a row changes in place (replace): a cached filter no longer holds. */
  private version = 0;
}
