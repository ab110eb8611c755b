import { describe, expect, it } from 'vitest';
import { CsvDataError, mapLinkRow, parseRef } from '../../../shared/formats/csv/map';

describe('CSV references and links', () => {
  it('parses references like the CLI', () => {
    expect(parseRef('gb-coh:686734', 'x')).toEqual({ scheme: 'gb-coh', value: '00686734' });
    expect(parseRef('213800ownerscope0181', 'x')).toEqual({ scheme: 'lei', value: '213800OWNERSCOPE0181' });
    expect(() => parseRef('nope', 'owner_ref')).toThrow(CsvDataError);
  });
  it('share bounds default to inclusive', () => {
    expect(mapLinkRow({ owner_ref: 'csv:a', owned_ref: 'csv:b', share_min: '50', share_min_inclusive: 'false' }, 'row 2').share).toEqual({ lo: 500000, loOpen: true, hi: 1000000, hiOpen: false });
  });
});
