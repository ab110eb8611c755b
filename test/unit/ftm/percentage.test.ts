import { describe, expect, it } from 'vitest';
import { parsePercentage } from '../../../shared/formats/ftm/map';

describe('FtM percentage parsing', () => {
  it.each([
    ['51', [510000, 510000]], ['50%', [500000, 500000]], ['1.00', [10000, 10000]], ['100.00', [1000000, 1000000]],
    ['25-50', [250000, 500000]], ['33,33 %', [333300, 333300]],
  ])('%s', (t, [lo, hi]) => expect(parsePercentage(t)).toMatchObject({ lo, hi }));
  it('bounds and garbage', () => {
    expect(parsePercentage('>50')).toEqual({ lo: 500000, loOpen: true, hi: 1000000, hiOpen: false });
    expect(parsePercentage('about half')).toBeNull();
    expect(parsePercentage('150')).toBeNull();
    expect(parsePercentage('60-40')).toBeNull();
  });
});
