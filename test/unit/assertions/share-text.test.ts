// The share an assertion form is pre-filled with is written in the SHARE syntax the CLI and the
// API read (shared/domain/assertions): what the form proposes parses back to the same interval.
import { describe, expect, it } from 'vitest';
import { parseShare, shareText } from '../../../shared/domain/assertions';
import { canAssert, prefillShare } from '../../../renderer/src/gap-facts';
import type { Gap } from '../../../shared/api/types';

const U = 10_000;
const gap = (kind: Gap['kind'], share: Gap['share']): Gap => ({ kind, entityId: 1, entityName: 'S', text: '', ...(share ? { share } : {}) });

describe('shareText', () => {
  it.each([
    [{ lo: 60 * U, loOpen: false, hi: 60 * U, hiOpen: false }, '60'],
    [{ lo: 25 * U, loOpen: true, hi: 50 * U, hiOpen: false }, '(25,50]'],
    [{ lo: 0, loOpen: false, hi: 100 * U, hiOpen: true }, '[0,100)'],
    [{ lo: 333_333, loOpen: false, hi: 333_333, hiOpen: false }, '33.3333'],
  ])('writes %j as %s, which parses back to it', (s, text) => {
    expect(shareText(s)).toBe(text);
    expect(parseShare(text)).toEqual({ share: s });
  });
});

describe('prefillShare', () => {
  it('proposes the whole undisclosed part as one holding', () => {
    expect(prefillShare(gap('undisclosed-owner', { lo: 0, loOpen: false, hi: 40 * U, hiOpen: false }))).toBe('40');
  });
  it('keeps an open upper end as an interval (less than 40% is undisclosed)', () => {
    const text = prefillShare(gap('undisclosed-owner', { lo: 0, loOpen: false, hi: 40 * U, hiOpen: true }));
    expect(text).toBe('(0,40)');
    expect('share' in parseShare(text)).toBe(true);
  });
  it('proposes a share known only as an interval as that interval', () => {
    expect(prefillShare(gap('share-unknown', { lo: 25 * U, loOpen: true, hi: 50 * U, hiOpen: false }))).toBe('(25,50]');
  });
  it('proposes nothing when the gap carries no share', () => {
    expect(prefillShare(gap('person-location', undefined))).toBe('');
  });
});

describe('canAssert', () => {
  it('offers a fact for every gap but a missing list (that is imported, not asserted)', () => {
    expect((['undisclosed-owner', 'share-unknown', 'link-may-have-ended', 'person-location', 'no-list'] as const).filter((k) => canAssert(gap(k, undefined)))).toEqual(['undisclosed-owner', 'share-unknown', 'link-may-have-ended', 'person-location']);
  });
});
