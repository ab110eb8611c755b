// Relationship labels in words (issue #15 "Plain language"): each importer's `stated` shape,
// written as the mappers write it, and the engine's share intervals.
import { describe, expect, it } from 'vitest';
import { explainShare, relationshipWords } from '../../../shared/domain/engine';

describe('relationship words', () => {
  it('GLEIF relationship types with their quantifiers', () => {
    expect(relationshipWords({ kind: 'control', controlBasis: 'consolidation', stated: 'IS_DIRECTLY_CONSOLIDATED_BY ACCOUNTING_CONSOLIDATION 51.5 PERCENTAGE', share: '51.5%' })).toBe(
      'directly consolidated by (accounting consolidation, 51.5%)',
    );
    expect(relationshipWords({ kind: 'control', controlBasis: 'consolidation', stated: 'IS_ULTIMATELY_CONSOLIDATED_BY', isSummary: true })).toBe('ultimately consolidated by');
    expect(relationshipWords({ kind: 'branch', stated: 'IS_INTERNATIONAL_BRANCH_OF' })).toBe('branch of');
    expect(relationshipWords({ kind: 'fund-management', stated: 'IS_FUND-MANAGED_BY' })).toBe('fund managed by');
  });
  it('BODS interests: share first, then type and level', () => {
    expect(relationshipWords({ kind: 'shares', stated: 'shareholding; share {"exact":76.5}; direct', share: '76.5%' })).toBe('76.5% (shareholding, direct)');
    expect(relationshipWords({ kind: 'votes', stated: 'votingRights; share {"minimum":25,"maximum":50,"exclusiveMinimum":true}; indirect', share: '(25%, 50%]' })).toBe(
      'more than 25%, up to 50% (voting rights, indirect)',
    );
  });
  it('PSC natures, FtM percentages, plain CSV and the report fixture’s bare percentages', () => {
    expect(relationshipWords({ kind: 'shares', stated: 'ownership of shares – more than 75%', share: '(75%, 100%]' })).toBe('more than 75%, up to 100% (shareholding)');
    expect(relationshipWords({ kind: 'control', controlBasis: 'board', stated: 'right to appoint and remove directors' })).toBe('control (appoints or removes the board)');
    expect(relationshipWords({ kind: 'shares', stated: 'percentage 51', share: '51%' })).toBe('51% (shareholding)');
    expect(relationshipWords({ kind: 'shares', stated: 'no share entered', share: null })).toBe('shareholding (share not stated)');
    expect(relationshipWords({ kind: 'shares', stated: '30%' })).toBe('30% (shareholding)');
  });
  it('explains intervals on hover', () => {
    expect(explainShare('(75%, 100%]')).toBe('more than 75%, up to 100%');
    expect(explainShare('[25%, 50%)')).toBe('at least 25%, less than 50%');
    expect(explainShare('[0%, 25%]')).toBe('up to 25%');
    expect(explainShare('[0%, 100%]')).toBe('share not stated');
    expect(explainShare(null)).toBe('share not stated');
    expect(explainShare('60')).toBe('60%');
  });
});
