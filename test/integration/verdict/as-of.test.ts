// Issue 11 point 1: a link counts as of date D when its own dates cover D, whatever its status
// today; a link known to have ended without an end date counts as undecided before the data date
// of the source that says so, and not from then on. Table-driven over every format that carries
// dated links, on real records. The samples hold no ended link from a restricted owner, so each
// case is a small variant of a real record (stated per row): the owner moved to a restricted
// country, the period set to 2014-03-01..2021-08-31 and the status set to ended.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { END, START, gleifEnded as gleif } from '../../helpers/ended-links';
import { FIXTURES, SAMPLES, importCase, readSample, type Case } from './real-data';


interface Variant {
  format: string;
  /** what was changed in the real record */
  change: string;
  files: (ended: 'dated' | 'status-only') => { name: string; text: string }[];
  subject: string;
  owner: string;
  /** the format cannot say "ended" without a date */
  noStatusOnly?: boolean;
}

// UK PSC: the first real record of the snapshot sample (a 75-100% individual), made Chinese.
function psc(ended: 'dated' | 'status-only'): { name: string; text: string }[] {
  const line = readSample(FIXTURES, 'psc', 'psc-snapshot-sample_2024-12.jsonl').split('\n')[0]!;
  const r = JSON.parse(line) as { company_number: string; data: Record<string, unknown> };
  r.data['nationality'] = 'Chinese';
  r.data['country_of_residence'] = 'China';
  r.data['notified_on'] = START;
  if (ended === 'dated') r.data['ceased_on'] = END;
  else r.data['ceased'] = true;
  return [{ name: 'psc.jsonl', text: `${JSON.stringify(r)}\n` }];
}

// BODS 0.4: the official FI example's Gasgrid and Suomen Kaasuverkko records and their 76.5%
// shareholding; the shareholder moved to CN, the interest dated.
function bods(): { name: string; text: string }[] {
  const all = JSON.parse(readSample(SAMPLES, 'bods', 'official-examples-0.4.0', 'bods-package-fi-soe.json')) as Record<string, any>[];
  const keep = all.filter((s) => ['19f1c5afe9d7', '0199c515a699', '87ed6d1daf8f'].includes(s.recordId));
  for (const s of keep) {
    if (s.recordId === '0199c515a699') s.recordDetails.jurisdiction = { name: 'China', code: 'CN' };
    if (s.recordId === '19f1c5afe9d7') delete s.recordDetails.foundingDate;
    if (s.recordId === '87ed6d1daf8f') Object.assign(s.recordDetails.interests[0], { startDate: START, endDate: END });
  }
  return [{ name: 'bods.json', text: JSON.stringify(keep) }];
}

// FollowTheMoney: the fixture's OOO Kaztrade, its Russian owner Ivan Ivanov and their real
// ownership record own-2, with the percentage raised to 60 and the period moved; the company
// moved to KZ (it is Russian, an origin itself, in the fixture).
function ftm(): { name: string; text: string }[] {
  const lines = readSample(FIXTURES, 'ftm', 'entities.ftm.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  const keep = lines.filter((e) => ['os-kaz-llc', 'os-ivanov', 'own-2'].includes(e.id));
  const own = keep.find((e) => e.id === 'own-2')!;
  keep.find((e) => e.id === 'os-kaz-llc')!.properties.jurisdiction = ['kz'];
  Object.assign(own.properties, { percentage: ['60'], startDate: [START], endDate: [END] });
  return [{ name: 'ftm.jsonl', text: keep.map((e) => JSON.stringify(e)).join('\n') + '\n' }];
}

// CSV: the fixture's Acme Trading Ltd and Wang Wei (HK resident), the real 50-75% row, dated.
function csv(ended: 'dated' | 'status-only'): { name: string; text: string }[] {
  const entities = readSample(FIXTURES, 'csv', 'entities.csv').split('\n').slice(0, 3).join('\n') + '\n';
  const links = readSample(FIXTURES, 'csv', 'links.csv').split('\n');
  const row = links[1]!.replace(',2021-01-01,,,,', ended === 'dated' ? `,${START},${END},inactive,,` : `,${START},,inactive,,`);
  return [
    { name: 'entities.csv', text: entities },
    { name: 'links.csv', text: `${links[0]}\n${row}\n` },
  ];
}

const VARIANTS: Variant[] = [
  { format: 'GLEIF RR', change: 'period and INACTIVE status set, parent moved to CN', files: gleif, subject: 'lei:001GPB6A9XPE8XJICC14', owner: 'lei:5493001Z012YSB2A0K51' },
  { format: 'UK PSC', change: 'notified_on/ceased_on (or ceased: true) set, person made Chinese', files: psc, subject: 'gb-coh:08209948', owner: '' },
  { format: 'BODS 0.4', change: 'interest startDate/endDate set, shareholder moved to CN', files: bods, subject: 'fi-pro:3007894-1', owner: 'fi-pro:3010424-9', noStatusOnly: true },
  { format: 'FollowTheMoney', change: 'Ownership startDate/endDate and percentage changed, company moved to KZ', files: ftm, subject: 'ftm:os-kaz-llc', owner: 'ftm:os-ivanov', noStatusOnly: true },
  { format: 'CSV', change: 'start_date/end_date/status set', files: csv, subject: 'gb-coh:01234567', owner: 'csv:P-1' },
];

describe.each(VARIANTS)('$format ($change)', (v) => {
  let dated: Case;
  let statusOnly: Case | null = null;
  beforeAll(async () => {
    dated = await importCase(v.files('dated'));
    if (!v.noStatusOnly) statusOnly = await importCase(v.files('status-only'));
  });
  afterAll(() => {
    dated.close();
    statusOnly?.close();
  });

  it('a link dated 2014-03-01..2021-08-31 counts on 2020-01-01 although it is ended today', () => {
    const r = dated.verdict(v.subject, '2020-01-01');
    expect(r.verdict, r.reasons[0]).toBe('restricted');
    expect(r.paths.items.length).toBeGreaterThan(0);
    expect(r.findings.map((f) => f.kind)).not.toContain('ended-links-ignored');
  });

  it.each(['2013-01-01', '2022-01-01'])('it does not count on %s (outside its dates): shown, not counted', (d) => {
    const r = dated.verdict(v.subject, d);
    expect(r.verdict).not.toBe('restricted');
    expect(r.paths.items).toEqual([]);
    expect(r.findings.find((f) => f.kind === 'ended-links-ignored')?.text).toMatch(new RegExp(`^1 link into .* did not hold on ${d} `));
  });

  it.skipIf(v.noStatusOnly)('ended without an end date: undecided before the source\'s data date, not counted from it', () => {
    const c = statusOnly!;
    const r = c.verdict(v.subject, '2020-01-01');
    expect(r.verdict, r.reasons[0]).toBe('indeterminate');
    const gap = r.gaps.find((g) => g.kind === 'link-may-have-ended');
    const file = v.files('status-only').at(-1)!.name;
    expect(gap?.text).toMatch(new RegExp(`^whether .+ still held .+ of .+ on 2020-01-01 is not known \\(${file.replace('.', '\\.')} says it ended by ${c.dataDate(file)}\\)$`));
    // the share is a real number, never "unknown"
    expect(gap!.text).not.toMatch(/unknown of|up to unknown/);
    expect(r.methods.control.restrictedShare.min).toBe(0);
    const after = c.verdict(v.subject, '2099-01-01');
    expect(after.gaps.map((g) => g.kind)).not.toContain('link-may-have-ended');
    expect(after.paths.items).toEqual([]);
    expect(after.verdict).not.toBe('restricted');
  });
});

describe('entities: existence on the date', () => {
  let c: Case;
  beforeAll(async () => {
    // the real FI example: Gasgrid Finland Oy was founded on 2020-01-01
    c = await importCase([path.join(SAMPLES, 'bods', 'official-examples-0.4.0', 'bods-package-fi-soe.json')]);
  });
  afterAll(() => c.close());
  it('an entity founded after D did not exist on D: nothing counts, a finding says so', () => {
    const r = c.verdict('fi-pro:3007894-1', '2019-06-30');
    expect(r.findings.find((f) => f.kind === 'not-existing-on-date')?.text).toBe(
      'Gasgrid Finland Oy did not exist on 2019-06-30 (it was founded on 2020-01-01): no link into or out of it counts on that date',
    );
    expect(r.ultimateParents.computed).toEqual([]);
  });
  it('on its founding date it exists and its links count', () => {
    const r = c.verdict('fi-pro:3007894-1', '2020-01-01');
    expect(r.findings.map((f) => f.kind)).not.toContain('not-existing-on-date');
    expect(r.ultimateParents.computed.map((p) => p.name)).toEqual(['Suomen tasavalta']);
  });
});
