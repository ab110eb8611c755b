import { describe, expect, it } from 'vitest';
import { mapNature, statementCategory } from '../../../shared/formats/psc/map';
import { NATURE_DESCRIPTIONS } from '../../../shared/formats/psc/descriptions';

describe('PSC natures of control', () => {
  it('maps bands to (lo, hi] in share units', () => {
    expect(mapNature('ownership-of-shares-25-to-50-percent')).toMatchObject({ kind: 'shares', share: { lo: 250000, loOpen: true, hi: 500000, hiOpen: false } });
    expect(mapNature('voting-rights-50-to-75-percent-as-trust')).toMatchObject({ kind: 'votes', via: 'trust', share: { lo: 500000, loOpen: true, hi: 750000 } });
    expect(mapNature('ownership-of-shares-more-than-25-percent-registered-overseas-entity')).toMatchObject({ share: { lo: 250000, loOpen: true, hi: 1000000 } });
    expect(mapNature('right-to-appoint-and-remove-directors')).toMatchObject({ kind: 'control', controlBasis: 'board', share: null });
    expect(mapNature('significant-influence-or-control-as-firm')).toMatchObject({ kind: 'control', controlBasis: 'influence' });
    expect(mapNature('registered-owner-as-nominee-person-scotland-registered-overseas-entity')).toMatchObject({ kind: 'other' });
  });

  it('knows every official code', () => {
    const unknown = Object.keys(NATURE_DESCRIPTIONS).filter((c) => mapNature(c) === null);
    expect(unknown).toEqual([]);
  });

  it('categorizes statements', () => {
    expect(statementCategory('no-individual-or-entity-with-signficant-control')).toBe('no-parent');
    expect(statementCategory('psc-contacted-but-no-response')).toBe('withheld');
    expect(statementCategory('psc-exists-but-not-identified')).toBe('unknown');
    expect(statementCategory('all-beneficial-owners-identified')).toBeNull();
  });
});
