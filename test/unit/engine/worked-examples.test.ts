import { describe, expect, it } from 'vitest';
import { Net, brief } from './fixture';

// Unrestricted, fully-located persons used to "close" ownership so shares are exact.
function closed(n: Net, name: string): Net {
  return n.e(name, { kind: 'person', at: 'res:US nat:US' });
}

describe('RULES.md §7 worked examples', () => {
  it('OFAC FAQ 401 ex. 1: X 50% of A, A 50% of B -> A and B restricted under ofac-50; look-through B = 25%', () => {
    const n = new Net()
      .e('X', { topics: ['sanction'] })
      .e('A')
      .e('B');
    closed(n, 'N1');
    closed(n, 'N2');
    n.l('X', 'A', 50).l('N1', 'A', 50).l('A', 'B', 50).l('N2', 'B', 50);
    const a = n.verdict('A', { preset: 'ofac-50' });
    expect(brief(a)).toMatchObject({ v: 'restricted', c: 'restricted', cs: '50', ls: '50' });
    const b = n.verdict('B', { preset: 'ofac-50' });
    expect(brief(b)).toMatchObject({ v: 'restricted', c: 'restricted', cs: '50', l: 'clear', ls: '25' });
    expect(b.paths.items).toHaveLength(1);
    expect(b.paths.items[0]!.steps.map((s) => `${s.ownerName}>${s.ownedName}`)).toEqual(['X>A', 'A>B']);
    expect(b.paths.items[0]!.countsInControl).toBe(true);
    expect(b.paths.items[0]!.lookThroughShare).toMatchObject({ min: 25, max: 25 });
    expect(b.paths.items[0]!.steps[0]!.links[0]!.source).toMatchObject({ fileName: 'test.csv', recordRef: 'line 1' });
  });

  it('OFAC FAQ 401 ex. 2: X 50% of A and 10% of B, A 40% of B -> B 50% by aggregation, restricted under gte', () => {
    const n = new Net().e('X', { topics: ['sanction'] }).e('A').e('B');
    closed(n, 'N1');
    closed(n, 'N2');
    n.l('X', 'A', 50).l('N1', 'A', 50).l('X', 'B', 10).l('A', 'B', 40).l('N2', 'B', 50);
    expect(brief(n.verdict('A', { preset: 'ofac-50' })).c).toBe('restricted');
    const b = n.verdict('B', { preset: 'ofac-50' });
    expect(brief(b)).toMatchObject({ v: 'restricted', cs: '50', ls: '30' });
    // under gt the same facts are clear: exactly 50 does not pass "more than 50"
    expect(brief(n.verdict('B', { preset: 'ofac-50', comparison: 'gt' }))).toMatchObject({ v: 'clear', c: 'clear' });
  });

  it('EU FAQ: listed P 30% + listed Q 25% -> 55% restricted (aggregate); uk-ofsi (no aggregation) not by ownership', () => {
    const n = new Net().e('P', { topics: ['sanction'] }).e('Q', { topics: ['sanction'] }).e('S');
    closed(n, 'N');
    n.l('P', 'S', 30).l('Q', 'S', 25).l('N', 'S', 45);
    expect(brief(n.verdict('S', { preset: 'eu-50' }))).toMatchObject({ v: 'restricted', cs: '55' });
    expect(brief(n.verdict('S', { preset: 'uk-ofsi' }))).toMatchObject({ v: 'clear', c: 'clear', cs: '30' });
  });

  it('40% via a non-majority-restricted intermediary: nothing under control, pro rata under look-through', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('I', { at: 'hq:US' }).e('S', { at: 'hq:US' });
    closed(n, 'N1');
    closed(n, 'N2');
    n.l('R', 'I', 40).l('N1', 'I', 60).l('I', 'S', 100);
    const r = n.verdict('S');
    expect(brief(r)).toMatchObject({ v: 'clear', c: 'clear', cs: '0', l: 'clear', ls: '40' });
    // I 60% of S beside a direct 30%: control counts 30, look-through 30 + 0.4 x 60 = 54
    const m = new Net().e('R', { at: 'hq:CN' }).e('I').e('S');
    closed(m, 'N1');
    closed(m, 'N2');
    m.l('R', 'I', 40).l('N1', 'I', 60).l('I', 'S', 60).l('R', 'S', 30).l('N2', 'S', 10);
    expect(brief(m.verdict('S'))).toMatchObject({ v: 'restricted', c: 'clear', cs: '30', l: 'restricted', ls: '54' });
    expect(brief(m.verdict('S', { method: 'control' }))).toMatchObject({ v: 'clear' });
  });

  it('two owners each (25,50] from restricted regions -> (50,100] -> restricted under gt', () => {
    const n = new Net().e('R1', { at: 'hq:CN' }).e('R2', { at: 'hq:RU' }).e('S');
    n.l('R1', 'S', '(25,50]').l('R2', 'S', '(25,50]');
    const r = n.verdict('S');
    expect(brief(r)).toMatchObject({ v: 'restricted', c: 'restricted', cs: '(50,100]', ls: '(50,100]' });
  });

  it('one (25,50] restricted owner, rest disclosed unrestricted -> clear under gt, indeterminate under gte', () => {
    const n = new Net().e('R1', { at: 'hq:CN' }).e('S');
    closed(n, 'N');
    n.l('R1', 'S', '(25,50]').l('N', 'S', 50);
    expect(brief(n.verdict('S'))).toMatchObject({ v: 'clear', cs: '(25,50]' });
    const gte = n.verdict('S', { comparison: 'gte' });
    expect(brief(gte)).toMatchObject({ v: 'indeterminate', c: 'indeterminate' });
    expect(gte.gaps.map((g) => g.kind)).toEqual(['share-unknown']);
    expect(gte.gaps[0]!.text).toContain('R1');
    // the holding as known, for the app's "Add the missing fact" (share units: 10,000 per percent)
    expect(gte.gaps[0]!.share).toEqual({ lo: 250_000, loOpen: true, hi: 500_000, hiOpen: false });
    expect(gte.gapsSettleTo).toBe('clear');
  });
});
