import { describe, expect, it } from 'vitest';
import { Net, brief, policy } from './fixture';
import { screenAll } from '../../../shared/domain/engine/verdict';

const person = (n: Net, name: string, at = 'res:US nat:US') => n.e(name, { kind: 'person', at });

describe('policy knobs', () => {
  it.each([
    ['gt', 50, 'clear'],
    ['gte', 50, 'restricted'],
    ['gt', 50.0001, 'restricted'],
    ['gte', 49.9999, 'clear'],
  ] as const)('comparison %s with an exact share of %s%% -> %s', (comparison, share, expected) => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    person(n, 'N');
    n.l('R', 'S', share).l('N', 'S', Number((100 - share).toFixed(4)));
    expect(n.verdict('S', { comparison }).verdict).toBe(expected);
  });

  it('aggregate on/off', () => {
    const n = new Net().e('R1', { at: 'hq:CN' }).e('R2', { at: 'hq:IR' }).e('S');
    person(n, 'N');
    n.l('R1', 'S', 30).l('R2', 'S', 30).l('N', 'S', 40);
    expect(brief(n.verdict('S'))).toMatchObject({ v: 'restricted', cs: '60', ls: '60' });
    expect(brief(n.verdict('S', { aggregate: false }))).toMatchObject({ v: 'clear', cs: '30', ls: '30' });
  });

  it('countControl: board control by a restricted parent', () => {
    const n = new Net().e('R', { at: 'hq:RU' }).e('S');
    person(n, 'N');
    n.l('R', 'S', { kind: 'control', basis: 'board' }).l('N', 'S', 100);
    expect(n.verdict('S').verdict).toBe('restricted');
    expect(n.verdict('S').findings.map((f) => f.kind)).toContain('control-link');
    expect(n.verdict('S', { countControl: false }).verdict).toBe('clear');
  });

  it('consolidationImpliesMajority: consolidation without % is (50,100]; with % uses it', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S').e('T');
    n.l('R', 'S', { kind: 'control', basis: 'consolidation' });
    n.l('R', 'T', { kind: 'control', basis: 'consolidation', share: 30 });
    const on = n.verdict('S', { countControl: false });
    expect(brief(on)).toMatchObject({ v: 'restricted', cs: '(50,100]' });
    const off = n.verdict('S', { countControl: false, consolidationImpliesMajority: false });
    expect(brief(off)).toMatchObject({ v: 'indeterminate', cs: '[0,100]' });
    // 30% stated: control method counts 30 + undisclosed 70 -> indeterminate without countControl
    expect(brief(n.verdict('T', { countControl: false }))).toMatchObject({ v: 'indeterminate', cs: '[30,100]' });
  });

  it('locateBy: only the chosen roles place an entity', () => {
    const n = new Net().e('R', { at: 'jur:US hq:CN' }).e('S');
    n.l('R', 'S', 100).m('R', 'no-parent', 'NATURAL_PERSONS');
    expect(n.verdict('S').verdict).toBe('restricted');
    // R is not located by jurisdiction; its owners (natural persons, unnamed) stay unknown
    expect(n.verdict('S', { locateBy: ['jurisdiction'] }).verdict).toBe('indeterminate');
    expect(n.verdict('S', { locateBy: ['jurisdiction'], undisclosed: 'assumeClear' }).verdict).toBe('clear');
    expect(n.verdict('S', { locateBy: ['headquarters'] }).verdict).toBe('restricted');
  });

  it('subdivision codes count as their country; policy subdivisions match only that subdivision', () => {
    const n = new Net().e('R', { at: 'la:CN-ZJ' }).e('U', { at: 'hq:UA-43' }).e('V', { at: 'hq:UA' });
    expect(n.verdict('R').verdict).toBe('restricted');
    expect(n.verdict('U', { restrictedCountries: ['UA-43'] }).verdict).toBe('restricted');
    expect(n.verdict('V', { restrictedCountries: ['UA-43'] }).methods.control.verdict).not.toBe('restricted');
  });

  it('locatePersonsBy: residence / nationality / none; unknown person location is undecided', () => {
    const n = new Net().e('S').e('T');
    person(n, 'P', 'res:GB nat:RU');
    person(n, 'Q', '');
    n.l('P', 'S', 100).l('Q', 'T', 100);
    expect(n.verdict('S').verdict).toBe('restricted');
    expect(n.verdict('S', { locatePersonsBy: ['residence'] }).verdict).toBe('clear');
    expect(n.verdict('S', { locatePersonsBy: [] }).verdict).toBe('clear');
    const t = n.verdict('T');
    expect(brief(t)).toMatchObject({ v: 'indeterminate', cs: '[0,100]', ls: '[0,100]' });
    expect(t.gaps).toHaveLength(1);
    expect(t.gaps[0]).toMatchObject({ kind: 'person-location', entityName: 'Q' });
    expect(n.verdict('T', { locatePersonsBy: [] }).verdict).toBe('clear');
    expect(n.verdict('T', { undisclosed: 'assumeClear' }).verdict).toBe('clear');
  });

  it('listed parties by identifier or internal id, and restrictTopics', () => {
    const n = new Net().e('X', { ids: ['lei:ABC123'] }).e('Y', { topics: ['sanction.linked'] }).e('S').e('T');
    n.l('X', 'S', 60).l('Y', 'T', 60);
    expect(n.verdict('S', { preset: 'ofac-50', restrictedParties: ['LEI:abc123'] }).verdict).toBe('restricted');
    expect(n.verdict('S', { preset: 'ofac-50', restrictedParties: [String(n.id('X'))] }).verdict).toBe('restricted');
    expect(n.verdict('S', { preset: 'ofac-50' }).methods.control.restrictedShare.min).toBe(0);
    // topics match exactly: sanction.linked is not sanction
    expect(n.verdict('T', { preset: 'ofac-50' }).methods.control.restrictedShare.min).toBe(0);
    expect(n.verdict('T', { preset: 'ofac-50', restrictTopics: ['sanction.linked'] }).verdict).toBe('restricted');
  });

  it('undisclosed: unknown widens the upper bound, assumeClear does not', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    n.l('R', 'S', 40);
    expect(brief(n.verdict('S'))).toMatchObject({ v: 'indeterminate', cs: '[40,100]' });
    expect(brief(n.verdict('S', { undisclosed: 'assumeClear' }))).toMatchObject({ v: 'clear', cs: '40' });
  });

  it('asOf: links ended before, started after, or inactive do not count', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S').e('T').e('U');
    person(n, 'N');
    n.l('R', 'S', { share: 60, end: '2024-12-31' }).l('N', 'S', 100);
    n.l('R', 'T', { share: 60, start: '2026-01-01' }).l('N', 'T', 100);
    n.l('R', 'U', { share: 60, status: 'inactive' }).l('N', 'U', 100);
    for (const s of ['S', 'T', 'U']) expect(n.verdict(s).verdict).toBe('clear');
    expect(n.verdict('S', { asOf: '2024-06-01' }).verdict).toBe('restricted');
    expect(n.verdict('T', { asOf: '2026-02-01' }).verdict).toBe('restricted');
    expect(n.verdict('S').findings.map((f) => f.kind)).toContain('ended-links-ignored');
  });

  it('shares vs votes: the larger counts', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    person(n, 'N');
    n.l('R', 'S', { kind: 'shares', share: 30 }).l('R', 'S', { kind: 'votes', share: 60 }).l('N', 'S', { share: 40 });
    expect(brief(n.verdict('S'))).toMatchObject({ v: 'restricted', cs: '60' });
  });

  it('fund-management and other links are not ownership', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    person(n, 'N');
    n.l('R', 'S', { kind: 'fund-management' }).l('R', 'S', { kind: 'other', share: 90 }).l('N', 'S', 100);
    expect(n.verdict('S').verdict).toBe('clear');
  });
});

describe('origins, branches, undisclosed markers', () => {
  it('an origin is restricted whatever its owners; share 100', () => {
    const n = new Net().e('R', { at: 'hq:CN' });
    const r = n.verdict('R');
    expect(brief(r)).toMatchObject({ v: 'restricted', cs: '100', ls: '100' });
    expect(r.reasons[0]).toMatch(/itself a restricted origin/);
  });

  it('a branch abroad of a restricted head office is restricted; a head office is not restricted by its branches', () => {
    const n = new Net().e('HQ', { at: 'hq:CN' }).e('BR', { kind: 'branch', at: 'hq:DE jur:DE' });
    n.e('US-HQ', { at: 'hq:US' }).e('CN-BR', { kind: 'branch', at: 'hq:CN la:CN' });
    person(n, 'N');
    n.l('HQ', 'BR', { kind: 'branch' });
    n.l('US-HQ', 'CN-BR', { kind: 'branch' }).l('N', 'US-HQ', 100);
    expect(brief(n.verdict('BR'))).toMatchObject({ v: 'restricted', cs: '100', ls: '100' });
    const head = n.verdict('US-HQ');
    expect(head.verdict).toBe('clear');
    expect(head.findings.map((f) => f.kind)).toContain('head-office-branches-restricted');
    // the branch in CN of a US head office is the US head office
    const br = n.verdict('CN-BR');
    expect(br.verdict).toBe('clear');
    expect(br.findings.map((f) => f.kind)).toContain('branch-takes-head-office');
  });

  it('a branch takes its head office owners and ignores ownership links of its own', () => {
    const n = new Net().e('R', { at: 'hq:RU' }).e('H').e('B', { kind: 'branch' });
    person(n, 'N');
    n.l('R', 'H', 70).l('N', 'H', 30).l('H', 'B', { kind: 'branch' }).l('N', 'B', 100);
    // control: the head office is restricted, so all of the branch is; look-through: 70
    expect(brief(n.verdict('B'))).toMatchObject({ v: 'restricted', cs: '100', ls: '70' });
  });

  it('nothing known = fully undisclosed; a no-parent marker names no owner, so it explains the gap but does not close it; withheld is a gap', () => {
    const n = new Net().e('A').e('B').e('C');
    n.m('B', 'no-parent', 'NATURAL_PERSONS').m('C', 'withheld', 'NON_PUBLIC');
    const a = n.verdict('A');
    expect(brief(a)).toMatchObject({ v: 'indeterminate', cs: '[0,100]' });
    expect(a.gaps[0]!.text).toMatch(/owners of A are unknown/);
    const b = n.verdict('B');
    expect(b.verdict).toBe('indeterminate');
    expect(b.gaps[0]!.text).toMatch(/the owners of B are undisclosed \(reported: no parent by definition \(NATURAL_PERSONS\)/);
    expect(n.verdict('B', { undisclosed: 'assumeClear' }).verdict).toBe('clear');
    const c = n.verdict('C');
    expect(c.verdict).toBe('indeterminate');
    expect(c.gaps[0]!.text).toContain('NON_PUBLIC');
  });

  it('undisclosed remainder: owner of 40% undisclosed', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('ACME HOLDINGS LTD');
    n.l('R', 'ACME HOLDINGS LTD', 30);
    person(n, 'N');
    n.l('N', 'ACME HOLDINGS LTD', 30);
    n.m('ACME HOLDINGS LTD', 'withheld', 'psc-exists-but-not-identified', { lo: 0, loOpen: false, hi: 400_000, hiOpen: false });
    const r = n.verdict('ACME HOLDINGS LTD');
    expect(brief(r)).toMatchObject({ v: 'indeterminate', cs: '[30,70]' });
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.text).toBe('the owner of up to 40% of ACME HOLDINGS LTD is undisclosed (psc-exists-but-not-identified)');
  });

  it('R_hi second term: what unrestricted owners provably hold cannot be restricted', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    person(n, 'N');
    n.l('R', 'S', '(25,50]').l('N', 'S', 50);
    expect(brief(n.verdict('S')).cs).toBe('(25,50]');
  });
});

describe('cycles and diamonds', () => {
  it('2-cycle without an origin is clear, never stuck at maybe', () => {
    const n = new Net().e('A').e('B');
    n.l('A', 'B', 100).l('B', 'A', 100);
    const a = n.verdict('A');
    expect(brief(a)).toMatchObject({ v: 'clear', cs: '0', ls: '0' });
    expect(a.findings.map((f) => f.kind)).toContain('cycle');
  });

  it('self-ownership (treasury shares)', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    person(n, 'N');
    n.l('S', 'S', 20).l('R', 'S', 45).l('N', 'S', 35);
    const s = n.verdict('S');
    // control: 45 from R, S itself is not restricted -> clear; look-through: 45 + 0.2 x E(S) -> 56.25
    expect(brief(s)).toMatchObject({ c: 'clear', cs: '45', l: 'restricted' });
    expect(s.methods.lookThrough.restrictedShare.min).toBeCloseTo(56.25, 3);
    expect(s.methods.lookThrough.restrictedShare.max).toBeGreaterThanOrEqual(56.25);
    expect(s.methods.lookThrough.restrictedShare.max).toBeLessThan(56.26);
  });

  it('cross-holdings with an origin converge (E_A = 50 + 0.5 E_B, E_B = 0.5 E_A -> 66.67)', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('A').e('B');
    person(n, 'N');
    n.l('R', 'A', 50).l('B', 'A', 50).l('A', 'B', 50).l('N', 'B', 50);
    const a = n.verdict('A', { method: 'lookThrough' });
    const s = a.methods.lookThrough.restrictedShare;
    expect(s.min).toBeGreaterThan(66.66);
    expect(s.min).toBeLessThanOrEqual(66.6667);
    expect(s.max).toBeGreaterThanOrEqual(66.6666);
    expect(s.max - s.min).toBeLessThan(0.01);
    expect(a.verdict).toBe('restricted');
    // control: A has exactly 50 from R -> not more than 50; B 50% of A is clear -> A clear
    expect(brief(n.verdict('A', { method: 'control' }))).toMatchObject({ v: 'clear', cs: '50' });
  });

  it('diamond: R -> A, R -> B, A and B -> S counts both paths', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('A').e('B').e('S');
    person(n, 'N');
    n.l('R', 'A', 100).l('R', 'B', 100).l('A', 'S', 30).l('B', 'S', 30).l('N', 'S', 40);
    const s = n.verdict('S');
    expect(brief(s)).toMatchObject({ v: 'restricted', cs: '60', ls: '60' });
    expect(s.paths.items).toHaveLength(2);
  });

  it('paths are capped and say so', () => {
    const n = new Net().e('S');
    person(n, 'N');
    for (let i = 0; i < 30; i++) n.e(`R${i}`, { at: 'hq:CN' }).l(`R${i}`, 'S', 1);
    n.l('N', 'S', 70);
    const s = n.verdict('S');
    expect(s.paths.items).toHaveLength(25);
    expect(s.paths.truncated).toBe(true);
  });
});

describe('summary links and ultimate parents', () => {
  it('summary link is not added on top of an intact chain; disagreement is a finding', () => {
    const n = new Net().e('U', { at: 'hq:US' }).e('M').e('S').e('OTHER', { at: 'hq:CN' });
    n.l('U', 'M', { kind: 'control', basis: 'consolidation' }).l('M', 'S', { kind: 'control', basis: 'consolidation' });
    n.m('U', 'no-parent', 'NON_CONSOLIDATING');
    n.l('OTHER', 'S', { kind: 'control', basis: 'consolidation', summary: true });
    const s = n.verdict('S');
    expect(s.ultimateParents.computed.map((p) => p.name)).toEqual(['U']);
    expect(s.ultimateParents.reported.map((p) => [p.name, p.used])).toEqual([['OTHER', false]]);
    expect(s.ultimateParents.agree).toBe(false);
    expect(s.findings.map((f) => f.kind)).toContain('ultimate-parent-differs');
    // the chain is intact: the restricted "reported" parent does not make S restricted
    expect(s.methods.control.restrictedShare.min).toBe(0);
  });

  it('summary link used where the chain is broken (intermediate without data)', () => {
    const n = new Net().e('P', { at: 'hq:CN' }).e('M').e('S');
    n.l('M', 'S', { kind: 'control', basis: 'consolidation' });
    n.l('P', 'S', { kind: 'control', basis: 'consolidation', summary: true });
    const s = n.verdict('S');
    expect(s.verdict).toBe('restricted');
    expect(s.findings.map((f) => f.kind)).toContain('summary-used');
    expect(s.ultimateParents.reported[0]).toMatchObject({ name: 'P', used: true });
  });

  it('summary link used when the subject has no direct owners; agreeing reported parent has no finding', () => {
    const n = new Net().e('P', { at: 'hq:CN' }).e('S').e('Q', { at: 'hq:US' }).e('T');
    n.l('P', 'S', { kind: 'control', basis: 'consolidation', summary: true });
    n.l('Q', 'T', { kind: 'control', basis: 'consolidation' }).l('Q', 'T', { kind: 'control', basis: 'consolidation', summary: true });
    n.m('Q', 'no-parent', 'NATURAL_PERSONS');
    expect(n.verdict('S').verdict).toBe('restricted');
    const t = n.verdict('T');
    expect(t.ultimateParents.agree).toBe(true);
    expect(t.findings.map((f) => f.kind)).not.toContain('ultimate-parent-differs');
    expect(t.findings.map((f) => f.kind)).not.toContain('summary-used');
  });
});

describe('gaps', () => {
  it('chooses the smallest clearing set (greedy) among several unknowns', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S').e('I1').e('I2');
    person(n, 'N');
    // S: R 45% exact, I1 10% and I2 10% (each fully undisclosed), N 35%
    n.l('R', 'S', 45).l('I1', 'S', 10).l('I2', 'S', 10).l('N', 'S', 35);
    const s = n.verdict('S');
    expect(s.verdict).toBe('indeterminate');
    // 45 + 10 = 55 > 50 with either: both must be cleared
    expect(s.gaps.map((g) => g.entityName).sort()).toEqual(['I1', 'I2']);
    expect(s.gapsSettleTo).toBe('clear');
  });

  it('no gaps for a settled verdict', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('S');
    n.l('R', 'S', 60);
    expect(n.verdict('S').gaps).toEqual([]);
  });
});

describe('whole-graph screening', () => {
  it('matches the single-subject API for every entity', () => {
    const n = new Net().e('R', { at: 'hq:CN' }).e('A').e('B').e('C').e('D');
    person(n, 'N');
    n.l('R', 'A', 60).l('N', 'A', 40).l('A', 'B', '(25,50]').l('N', 'B', 50).l('B', 'C', 100).l('C', 'B', 10).l('R', 'D', 30);
    const g = n.graph();
    const p = policy();
    const res = screenAll(g, p);
    for (const e of n.entities) {
      const i = g.indexOf(e.id);
      const single = n.verdict(e.name);
      const entry = res.entry(i);
      expect(entry.verdict, e.name).toBe(single.verdict);
      expect(entry.control.restrictedShare, e.name).toEqual(single.methods.control.restrictedShare);
      expect(entry.lookThrough.restrictedShare, e.name).toEqual(single.methods.lookThrough.restrictedShare);
      expect(entry.reason.split(':')[0]).toBe(single.verdict.toUpperCase());
    }
  });
});
