// Issue 11 points 2 and 3 on real samples: states and state bodies (the official BODS 0.4
// state-owned-enterprise example, and the same file with every country code changed to CN), and
// GLEIF sole proprietors (all 28 in the bundled Level 1 JSON sample; a Chinese one is a variant of
// the Danish one, since the sample has none).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES, importCase, readSample, type Case } from './real-data';

const FI_SOE = path.join(SAMPLES, 'bods', 'official-examples-0.4.0', 'bods-package-fi-soe.json');
const GASGRID = 'fi-pro:3007894-1';

describe('states and state bodies (BODS 0.4 FI state-owned enterprise)', () => {
  let fi: Case;
  let cn: Case;
  beforeAll(async () => {
    fi = await importCase([FI_SOE]);
    cn = await importCase([{ name: 'bods-package-cn-soe.json', text: readSample(FI_SOE).replaceAll('"code": "FI"', '"code": "CN"') }]);
  });
  afterAll(() => {
    fi.close();
    cn.close();
  });

  it('Gasgrid Finland Oy is CLEAR under restricted-regions, ultimate parent Suomen tasavalta, no gap', () => {
    const r = fi.verdict(GASGRID, undefined, 'restricted-regions');
    expect(r.verdict).toBe('clear');
    expect(r.gaps).toEqual([]);
    expect(r.ultimateParents.computed.map((p) => p.name)).toEqual(['Suomen tasavalta']);
    expect(r.ultimateParents.agree).toBe(true);
    const texts = r.findings.map((f) => f.text);
    expect(texts).toContain('Suomen tasavalta is a state: it has no owners by definition and is located in its own country (FI)');
    expect(texts).toContain(
      'Valtiovarainministerio is a state body whose owners are not stated: it is held by the state of its jurisdiction, Suomen tasavalta (FI), as 100%',
    );
    expect(r.findings.map((f) => f.kind)).not.toContain('ultimate-parent-differs');
  });

  it('the state itself has no owners and is never an unknown-owner gap', () => {
    const r = fi.verdict('bods:05ce06ec97b1');
    expect(r.verdict).toBe('clear');
    expect(r.gaps).toEqual([]);
    expect(r.reasons[0]).toBe('CLEAR: Suomen tasavalta is a state (it has no owners) and is not a restricted origin');
  });

  it('the ministry is held by its state: its chain ends at the state', () => {
    const r = fi.verdict('bods:7ff95ba3682c');
    expect(r.verdict).toBe('clear');
    expect(r.gaps).toEqual([]);
    expect(r.ultimateParents.computed.map((p) => p.name)).toEqual(['Suomen tasavalta']);
  });

  it('every country code changed to CN: RESTRICTED, with a chain from the state', () => {
    const r = cn.verdict(GASGRID, undefined, 'restricted-regions');
    expect(r.verdict).toBe('restricted');
    expect(r.ultimateParents.computed.map((p) => p.name)).toEqual(['Suomen tasavalta']);
    const fromState = r.paths.items.filter((p) => p.origin.name === 'Suomen tasavalta');
    expect(fromState.length).toBeGreaterThan(0);
    expect(fromState[0]!.origin.why).toBe('a state, located in CN');
    expect(fromState.map((p) => p.steps.map((s) => s.ownerName).join(' > '))).toContain(
      'Suomen tasavalta > Valtiovarainministerio > Suomen Kaasuverkko Oy',
    );
  });

  it('the CN state alone (Gasgrid and its holding companies not in CN) still makes Gasgrid RESTRICTED through the state', async () => {
    // only the state and its ministry moved to CN
    const all = JSON.parse(readSample(FI_SOE)) as { recordId: string; recordDetails: { jurisdiction?: { code: string; name: string } } }[];
    for (const s of all) if (['05ce06ec97b1', '7ff95ba3682c'].includes(s.recordId)) s.recordDetails.jurisdiction = { name: 'China', code: 'CN' };
    const c = await importCase([{ name: 'state-cn.json', text: JSON.stringify(all) }]);
    try {
      const r = c.verdict(GASGRID);
      expect(r.verdict).toBe('restricted');
      expect(r.findings.map((f) => f.kind)).not.toContain('origin');
      expect(r.paths.items.map((p) => p.origin.name)).toContain('Valtiovarainministerio');
    } finally {
      c.close();
    }
  });
});

describe('GLEIF sole proprietors (Level 1 JSON sample)', () => {
  const FILE = path.join(SAMPLES, 'gleif-level1', '20240505-0000-gleif-goldencopy-lei2-intra-day.json');
  let c: Case;
  let soleIds: number[];
  beforeAll(async () => {
    c = await importCase([FILE]);
    soleIds = (c.db.prepare("SELECT id FROM entities WHERE category = 'SOLE_PROPRIETOR' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  });
  afterAll(() => c.close());

  it('all 28 are located by their business registration, none is "location of person unknown"', () => {
    expect(soleIds).toHaveLength(28);
    for (const id of soleIds) {
      const r = c.verdict(id);
      expect(r.verdict, r.reasons[0]).toBe('clear');
      expect(r.reasons[0]).not.toMatch(/unknown|not known/);
      expect(r.findings.find((f) => f.kind === 'sole-proprietor-location')?.text).toMatch(
        /^.+ is a sole proprietor \(one natural person trading under that name\): the person's location was read from the business registration \(legal address [A-Z]{2}, headquarters [A-Z]{2}, jurisdiction [A-Z]{2}\)$/,
      );
    }
  });

  it('the Danish one is CLEAR, the same record moved to CN is RESTRICTED', async () => {
    const dk = soleIds.map((id) => c.verdict(id)).find((r) => /legal address DK/.test(r.findings.map((f) => f.text).join('\n')))!;
    expect(dk.verdict).toBe('clear');
    const lei = dk.subject.identifiers.find((i) => i.startsWith('lei:'))!.slice(4);
    const doc = JSON.parse(readSample(FILE)) as { records: { LEI: { $: string }; Entity: Record<string, any> }[] };
    const rec = doc.records.find((r) => r.LEI.$ === lei)!;
    rec.Entity.LegalAddress.Country.$ = 'CN';
    rec.Entity.HeadquartersAddress.Country.$ = 'CN';
    rec.Entity.LegalJurisdiction.$ = 'CN';
    for (const a of [rec.Entity.LegalAddress, rec.Entity.HeadquartersAddress]) delete a.Region;
    const cnCase = await importCase([{ name: '20240505-0000-gleif-goldencopy-lei2-intra-day.json', text: JSON.stringify({ ...doc, records: [rec] }) }]);
    try {
      const r = cnCase.verdict(`lei:${lei}`);
      expect(r.verdict).toBe('restricted');
      expect(r.reasons[0]).toMatch(/\(legal address in CN \(the business registration of a sole proprietor\)\)$/);
    } finally {
      cnCase.close();
    }
  });
});

// The same rules from an investigator's CSV (the fixture's header): a state is `kind` state-body
// with `category` STATE, a sole trader `kind` person with `category` SOLE_PROPRIETOR.
describe.each([
  ['DK', 'clear'],
  ['CN', 'restricted'],
])('CSV: a state, its ministry, a company it holds, and a sole trader, all in %s', (cc, expected) => {
  let c: Case;
  beforeAll(async () => {
    const header = readSample(path.resolve('test/fixtures/csv/entities.csv')).split('\n')[0]!;
    const lheader = readSample(path.resolve('test/fixtures/csv/links.csv')).split('\n')[0]!;
    const entities = [
      header,
      `S-1,csv,Kingdom,state-body,${cc},,,,,,,,,STATE,`,
      `M-1,csv,Ministry of Industry,state-body,${cc},,,,,,,,,,`,
      `C-1,csv,State Energy A/S,company,GB,,,,,,,,,,`,
      `T-1,csv,Jens Jensen Consulting,person,${cc},${cc},${cc},,,,,,,SOLE_PROPRIETOR,`,
    ].join('\n');
    const links = [lheader, 'csv:S-1,csv:M-1,control,influence,,,,,,,,,,,,', 'csv:M-1,csv:C-1,shares,,100,,,,,,,,,,,'].join('\n');
    c = await importCase([{ name: 'entities.csv', text: `${entities}\n` }, { name: 'links.csv', text: `${links}\n` }]);
  });
  afterAll(() => c.close());

  it(`the company held through the ministry is ${expected}, ultimate parent the state, no gap`, () => {
    const r = c.verdict('csv:C-1');
    expect(r.verdict).toBe(expected);
    expect(r.gaps).toEqual([]);
    expect(r.ultimateParents.computed.map((p) => p.name)).toEqual(['Kingdom']);
  });
  it('the state has no owners: never an unknown-owner gap', () => {
    const r = c.verdict('csv:S-1');
    expect(r.verdict).toBe(expected);
    expect(r.gaps).toEqual([]);
    expect(r.findings.map((f) => f.kind)).toContain('state');
  });
  it(`the sole trader is located by its business registration: ${expected}`, () => {
    const r = c.verdict('csv:T-1');
    expect(r.verdict).toBe(expected);
    expect(r.findings.map((f) => f.kind)).toContain('sole-proprietor-location');
  });
});
