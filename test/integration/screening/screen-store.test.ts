// The backend's store of a screening's rows: pages, filters (kept for the next page of the same
// filter) and a row replaced in place, with the counts following.
import { describe, expect, it } from 'vitest';
import { ScreenStore } from '../../../electron/backend/api/screen-store';
import type { ScreenRow, ScreenVerdict } from '../../../shared/api/types';
import { resolvePolicy } from '../../../shared/domain/policy/policy';

const row = (index: number, verdict: ScreenVerdict, name: string): ScreenRow => ({
  index, line: index + 2, input: name, match: verdict === 'ambiguous' ? 'ambiguous' : 'name', ref: name, name, entityId: verdict === 'ambiguous' ? null : index,
  identifiers: [`lei:${String(index).padStart(20, '0')}`], verdict, control: null, controlShare: null, controlBounds: null,
  lookThrough: null, lookThroughShare: null, lookThroughBounds: null, reason: `${verdict} row`,
});

describe('screening rows in the backend', () => {
  const policy = resolvePolicy({ preset: 'ofac-50' }, { today: '2026-01-01' });
  const store = new ScreenStore(policy, { policyName: policy.name, policySha256: 'x', asOf: '2026-01-01', dataDate: '' });
  const verdicts: ScreenVerdict[] = ['restricted', 'clear', 'ambiguous', 'clear', 'indeterminate'];
  store.add(Array.from({ length: 1000 }, (_, i) => row(i, verdicts[i % 5]!, i % 7 === 0 ? `Сибирь ${i}` : `Company ${i}`)));

  it('counts per outcome and pages every row once', () => {
    expect(store.counts).toMatchObject({ restricted: 200, clear: 400, ambiguous: 200, indeterminate: 200 });
    const seen = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((p) => store.page({ offset: p * 100, limit: 100 }).rows.map((r) => r.index));
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('filters by outcome and text (any script, any case), and pages the filtered rows', () => {
    const amb = store.page({ verdict: 'ambiguous', limit: 50 });
    expect(amb.total).toBe(200);
    expect(amb.rows.every((r) => r.verdict === 'ambiguous')).toBe(true);
    const second = store.page({ verdict: 'ambiguous', offset: 50, limit: 50 });
    expect(second.rows[0]!.index).toBe(amb.rows[49]!.index + 5);
    const cyr = store.page({ filter: 'сибирь', limit: 1000 });
    expect(cyr.total).toBe(143);
    expect(store.page({ filter: 'LEI:00000000000000000999' }).rows.map((r) => r.index)).toEqual([999]);
  });

  it('gives back every field of a row as it was added (rows are kept by column)', () => {
    const one = new ScreenStore(policy, { policyName: policy.name, policySha256: 'x', asOf: '2026-01-01', dataDate: '' });
    const full: ScreenRow = {
      index: 0, line: 7, input: 'lei:HKSUB000000000000283', match: 'ref', ref: 'lei:HKSUB000000000000283', name: '浙江测试控股集团有限公司', entityId: 42,
      identifiers: ['lei:HKSUB000000000000283', 'ra:RA000403:1234567'], verdict: 'indeterminate',
      control: 'clear', controlShare: '0%', controlBounds: { min: 0, minInclusive: true, max: 0, maxInclusive: true },
      lookThrough: 'indeterminate', lookThroughShare: '(25.5%, 100%]', lookThroughBounds: { min: 25.5, minInclusive: false, max: 100, maxInclusive: true },
      reason: 'INDETERMINATE: …',
    };
    const amb: ScreenRow = { ...row(1, 'ambiguous', 'Atlas'), line: null, ref: 'Atlas', candidates: [{ id: 3, name: 'Atlas Growth Fund', identifiers: ['lei:X'] }] };
    const invalid: ScreenRow = { ...row(2, 'invalid', ''), entityId: null, ref: '', name: null, identifiers: [], match: 'invalid' };
    one.add([full, amb, invalid]);
    expect(one.row(0)).toEqual(full);
    expect(one.row(1)).toEqual(amb);
    expect(one.row(2)).toEqual(invalid);
    expect(one.row(3)).toBeUndefined();
    expect([...one.all()]).toEqual([full, amb, invalid]);
  });

  it('a row replaced in place changes the counts and what a cached filter returns', () => {
    const before = store.page({ verdict: 'ambiguous', limit: 1 }).rows[0]!;
    store.replace({ ...row(before.index, 'restricted', 'Chosen Ltd'), match: 'chosen' });
    expect(store.counts.ambiguous).toBe(199);
    expect(store.counts.restricted).toBe(201);
    const after = store.page({ verdict: 'ambiguous', limit: 1000 });
    expect(after.total).toBe(199);
    expect(after.rows.map((r) => r.index)).not.toContain(before.index);
    expect(store.page({ offset: before.index, limit: 1 }).rows[0]!.match).toBe('chosen');
  });
});
