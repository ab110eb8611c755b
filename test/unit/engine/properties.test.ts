import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ShareInterval } from '../../../shared/domain/model';
import { buildGraph, type EntityInput, type LinkInput } from '../../../shared/domain/engine/graph';
import { screenAll, type ScreeningResult } from '../../../shared/domain/engine/verdict';
import { resolvePolicy } from '../../../shared/domain/policy/policy';

const SRC = { sourceId: 1, fileName: 'p.csv', sha256: '0'.repeat(64), recordRef: 'r' };
const BANDS: ShareInterval[] = [
  { lo: 0, loOpen: false, hi: 1_000_000, hiOpen: false },
  { lo: 250_000, loOpen: true, hi: 500_000, hiOpen: false },
  { lo: 500_000, loOpen: true, hi: 750_000, hiOpen: false },
  { lo: 750_000, loOpen: true, hi: 1_000_000, hiOpen: false },
  { lo: 100_000, loOpen: false, hi: 250_000, hiOpen: true },
];

interface Spec {
  kinds: ('origin' | 'company' | 'person' | 'person?')[];
  links: { owner: number; owned: number; band: number; exact: number; kind: 'shares' | 'control' }[];
}

const specArb = fc
  .integer({ min: 2, max: 8 })
  .chain((n) =>
    fc.record({
      kinds: fc.array(fc.constantFrom('origin', 'company', 'company', 'company', 'person', 'person?'), { minLength: n, maxLength: n }),
      links: fc.array(
        fc.record({
          owner: fc.nat(n - 1),
          owned: fc.nat(n - 1),
          band: fc.oneof(fc.nat(BANDS.length - 1), fc.integer({ min: 0, max: 1_000_000 }).map((v) => -1 - v)),
          exact: fc.double({ min: 0, max: 1, noNaN: true }),
          kind: fc.constantFrom('shares', 'shares', 'shares', 'control'),
        }),
        { maxLength: 14 },
      ),
    }),
  ) as fc.Arbitrary<Spec>;

function shareOf(band: number): ShareInterval {
  if (band < 0) {
    const v = Math.min(-1 - band, 1_000_000);
    return { lo: v, loOpen: false, hi: v, hiOpen: false };
  }
  return BANDS[band]!;
}

/** Keeps each owned entity's upper ends within 100% so the data is consistent. */
function consistent(spec: Spec): Spec['links'] {
  const used = new Map<number, number>();
  const out: Spec['links'] = [];
  const seen = new Set<string>();
  for (const l of spec.links) {
    const key = `${l.owner}>${l.owned}`;
    if (seen.has(key)) continue;
    const s = shareOf(l.band);
    const u = used.get(l.owned) ?? 0;
    if (l.kind === 'shares' && u + s.hi > 1_000_000) continue;
    seen.add(key);
    if (l.kind === 'shares') used.set(l.owned, u + s.hi);
    out.push(l);
  }
  return out;
}

function pointIn(s: ShareInterval, t: number): ShareInterval {
  let v = Math.round(s.lo + (s.hi - s.lo) * t);
  if (s.loOpen && v <= s.lo) v = s.lo + 1;
  if (s.hiOpen && v >= s.hi) v = s.hi - 1;
  v = Math.max(s.lo, Math.min(s.hi, v));
  return { lo: v, loOpen: false, hi: v, hiOpen: false };
}

function entities(spec: Spec): EntityInput[] {
  return spec.kinds.map((k, i) => ({
    id: i + 1,
    name: `E${i}`,
    kind: k === 'person' || k === 'person?' ? 'person' : 'company',
    countries: k === 'origin' ? [{ role: 'headquarters', code: 'CN' }] : k === 'person' ? [{ role: 'residence', code: 'FR' }] : [],
  }));
}

function links(spec: Spec, exact: boolean): LinkInput[] {
  return consistent(spec).map((l, i) => {
    const s = shareOf(l.band);
    return {
      id: i + 1,
      ownerId: l.owner + 1,
      ownedId: l.owned + 1,
      kind: l.kind,
      controlBasis: l.kind === 'control' ? 'board' : null,
      share: l.kind === 'control' ? null : exact ? pointIn(s, l.exact) : s,
      stated: '',
      isSummary: false,
      status: 'active',
      source: SRC,
    };
  });
}

const POLICIES = [{}, { comparison: 'gte' }, { aggregate: false }, { countControl: false }, { undisclosed: 'assumeClear' }].map((p) =>
  resolvePolicy(p, { today: '2025-01-01' }),
);

function statuses(r: ScreeningResult, i: number): { c: number; l: number } {
  return { c: r.control.status[i]!, l: r.lookThrough.status[i]! };
}

describe('engine properties', () => {
  it('exact shares picked inside every band never contradict the interval verdict', () => {
    fc.assert(
      fc.property(specArb, fc.nat(POLICIES.length - 1), (spec, pi) => {
        const p = POLICIES[pi]!;
        const banded = screenAll(buildGraph({ entities: entities(spec), links: links(spec, false) }), p);
        const exact = screenAll(buildGraph({ entities: entities(spec), links: links(spec, true) }), p);
        for (let i = 0; i < spec.kinds.length; i++) {
          const a = statuses(banded, i);
          const b = statuses(exact, i);
          // 2 = yes, 0 = no: a decided interval verdict must survive refinement
          if (a.c === 2) expect(b.c).toBe(2);
          if (a.c === 0) expect(b.c).toBe(0);
          if (a.l === 2) expect(b.l).toBe(2);
          if (a.l === 0) expect(b.l).toBe(0);
          expect(exact.lookThrough.lo[i]!).toBeGreaterThanOrEqual(banded.lookThrough.lo[i]!);
          expect(exact.lookThrough.hi[i]!).toBeLessThanOrEqual(banded.lookThrough.hi[i]!);
          expect(exact.control.lo[i]!).toBeGreaterThanOrEqual(banded.control.lo[i]!);
          expect(exact.control.hi[i]!).toBeLessThanOrEqual(banded.control.hi[i]!);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('adding a restricted owner never turns restricted into clear', () => {
    fc.assert(
      fc.property(specArb, fc.nat(7), fc.nat(BANDS.length - 1), fc.nat(POLICIES.length - 1), (spec, target, band, pi) => {
        const p = POLICIES[pi]!;
        const owned = target % spec.kinds.length;
        const base = links(spec, false);
        const before = screenAll(buildGraph({ entities: entities(spec), links: base }), p);
        const used = base.filter((l) => l.ownedId === owned + 1 && l.share).reduce((a, l) => a + l.share!.hi, 0);
        const s = shareOf(band);
        if (used + s.hi > 1_000_000) return;
        const ents = [...entities(spec), { id: 999, name: 'NEW-ORIGIN', kind: 'company' as const, countries: [{ role: 'headquarters' as const, code: 'RU' }] }];
        const extra: LinkInput = { id: 999, ownerId: 999, ownedId: owned + 1, kind: 'shares', share: s, stated: '', isSummary: false, status: 'active', source: SRC };
        const after = screenAll(buildGraph({ entities: ents, links: [...base, extra] }), p);
        for (let i = 0; i < spec.kinds.length; i++) {
          if (before.verdict[i] === 2) expect(after.verdict[i]).toBe(2);
          expect(after.lookThrough.lo[i]!).toBeGreaterThanOrEqual(before.lookThrough.lo[i]!);
          expect(after.control.lo[i]!).toBeGreaterThanOrEqual(before.control.lo[i]!);
          // With aggregation the statuses only rise. Without it, a newly known holding can
          // shrink the undisclosed "largest single possible holder", so maybe -> no is legitimate.
          if (p.aggregate) expect(after.control.status[i]!).toBeGreaterThanOrEqual(before.control.status[i]!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of links or entities', () => {
    fc.assert(
      fc.property(specArb, fc.nat(POLICIES.length - 1), fc.integer(), (spec, pi, seed) => {
        const p = POLICIES[pi]!;
        const ents = entities(spec);
        const ls = links(spec, false);
        const shuffle = <T,>(xs: T[]): T[] => {
          const out = xs.slice();
          let r = seed >>> 0;
          for (let i = out.length - 1; i > 0; i--) {
            r = (r * 1103515245 + 12345) >>> 0;
            const j = r % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const g1 = buildGraph({ entities: ents, links: ls });
        const g2 = buildGraph({ entities: shuffle(ents), links: shuffle(ls) });
        const a = screenAll(g1, p);
        const b = screenAll(g2, p);
        for (const e of ents) {
          const i = g1.indexOf(e.id);
          const j = g2.indexOf(e.id);
          expect(b.verdict[j]).toBe(a.verdict[i]);
          expect(b.control.lo[j]).toBe(a.control.lo[i]);
          expect(b.control.hi[j]).toBe(a.control.hi[i]);
          expect(Math.abs(b.lookThrough.lo[j]! - a.lookThrough.lo[i]!)).toBeLessThanOrEqual(100);
          expect(Math.abs(b.lookThrough.hi[j]! - a.lookThrough.hi[i]!)).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 300 },
    );
  });
});
