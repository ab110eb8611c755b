import { describe, expect, it } from 'vitest';
import { BodsDataError, mapIdentifier, mapShare } from '../../../shared/formats/bods/map';

describe('BODS shares and identifiers', () => {
  it('0.2/0.3 booleans with defaults: minimum inclusive, maximum exclusive', () => {
    expect(mapShare({ minimum: 50, maximum: 75 }, '0.3')).toEqual({ lo: 500000, loOpen: false, hi: 750000, hiOpen: true });
    expect(mapShare({ minimum: 25, maximum: 50, exclusiveMinimum: true, exclusiveMaximum: false }, '0.2')).toEqual({ lo: 250000, loOpen: true, hi: 500000, hiOpen: false });
    expect(mapShare({ exact: 30 }, '0.2')).toEqual({ lo: 300000, loOpen: false, hi: 300000, hiOpen: false });
    expect(() => mapShare({ minimum: 25, exclusiveMinimum: 25 }, '0.3')).toThrow(BodsDataError);
  });
  it('0.4 numeric exclusive bounds', () => {
    expect(mapShare({ exclusiveMinimum: 50, maximum: 100 }, '0.4')).toEqual({ lo: 500000, loOpen: true, hi: 1000000, hiOpen: false });
    expect(mapShare({ minimum: 25, exclusiveMaximum: 50 }, '0.4')).toEqual({ lo: 250000, loOpen: false, hi: 500000, hiOpen: true });
    expect(() => mapShare({ minimum: 50, exclusiveMinimum: true }, '0.4')).toThrow(/boolean/);
  });
  it('identifier schemes', () => {
    expect(mapIdentifier({ scheme: 'GB-COH', id: '686734' }, 'x')).toEqual({ scheme: 'gb-coh', value: '00686734' });
    expect(mapIdentifier({ scheme: 'XI-LEI', id: '213800ownerscope0181' }, 'x')).toEqual({ scheme: 'lei', value: '213800OWNERSCOPE0181' });
    expect(mapIdentifier({ scheme: 'DK-CVR', id: '123' }, 'x')).toEqual({ scheme: 'dk-cvr', value: '123' });
  });
});
