// Generates a UK Companies House PSC snapshot of a given number of lines (JSON lines, the shape of
// the real snapshot parts: test/fixtures/psc/psc-snapshot-sample_2024-12.jsonl): individuals,
// corporate PSCs that are themselves companies of the snapshot (chains of UK companies) or foreign
// ones, legal persons (governments), statements, super-secure PSCs, ceased records, and the totals
// line that ends each part. Streaming output, deterministic.
//   node --import tsx test/bench/psc-generate.ts --lines 1000000 --out FILE
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rnd } from './gleif-generate';

const FORENAMES = ['Marc', 'Anna', 'Michael', 'Sarah', 'David', 'Olga', 'Wei', 'Fatima', 'James', 'Priya', 'Ivan', 'Chloe'];
const SURNAMES = ['Feldman', 'Saunders', 'Smith', 'Jones', 'Petrov', 'Li', 'Khan', 'Brown', 'Taylor', 'Nowak', 'Okafor', 'Murphy'];
const WORDS = ['Harbour', 'Meridian', 'Atlas', 'Pearl', 'Union', 'Caspian', 'Northern', 'Albion', 'Thames', 'Severn', 'Pennine', 'Cotswold'];
const TOWNS = ['Harrogate', 'Cheltenham', 'Hull', 'Leeds', 'Bristol', 'London', 'Cardiff', 'Glasgow', 'Manchester', 'York'];
const BANDS = ['25-to-50', '50-to-75', '75-to-100'];
const FOREIGN = [
  { country: 'Cyprus', authority: 'Cyprus Companies Law', form: 'Limited Company' },
  { country: 'British Virgin Islands', authority: 'BVI Business Companies Act', form: 'Business Company' },
  { country: 'Netherlands', authority: 'Dutch Civil Code', form: 'B.V.' },
  { country: 'Russia', authority: 'Civil Code Of The Russian Federation', form: 'Ooo' },
];

const pick = <T>(xs: readonly T[], i: number, salt: number): T => xs[Math.floor(rnd(i, salt) * xs.length)]!;
const companyNumber = (c: number) => String(1_000_000 + c).padStart(8, '0');
/** A PSC id as Companies House makes them: 27 URL-safe characters. */
function pscId(i: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let k = 0; k < 27; k++) s += abc[Math.floor(rnd(i, 100 + k) * 64)]!;
  return s;
}
const etag = (i: number) => Array.from({ length: 5 }, (_, k) => Math.floor(rnd(i, 200 + k) * 0xffffffff).toString(16).padStart(8, '0')).join('');
const date = (i: number, salt: number, from = 2016) => `${from + Math.floor(rnd(i, salt) * (2025 - from))}-${String(1 + Math.floor(rnd(i, salt + 1) * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd(i, salt + 2) * 28)).padStart(2, '0')}`;

function address(i: number): Record<string, string> {
  return { address_line_1: `${pick(WORDS, i, 10)} Street`, country: 'England', locality: pick(TOWNS, i, 11), postal_code: `HG${1 + (i % 9)} ${1 + (i % 9)}ND`, premises: String(1 + (i % 120)) };
}

function natures(i: number, corporate: boolean): string[] {
  const band = pick(BANDS, i, 20);
  const out = [`ownership-of-shares-${band}-percent`];
  if (rnd(i, 21) < 0.6) out.push(`voting-rights-${band}-percent`);
  if (rnd(i, 22) < 0.15) out.push(corporate ? 'right-to-appoint-and-remove-directors' : 'significant-influence-or-control');
  return out;
}

/** Line i of the snapshot, for company c (lines of a company are consecutive, as in the real files). */
function line(i: number, c: number, companies: number): string {
  const number = companyNumber(c);
  const r = rnd(i, 1);
  const kindSelf = (k: string, seg: string) => `/company/${number}/persons-with-significant-control/${seg}/${pscId(i)}`;
  const ceased = rnd(i, 2) < 0.1 ? { ceased_on: date(i, 40, 2020) } : {};
  let data: Record<string, unknown>;
  if (r < 0.62) {
    const fore = pick(FORENAMES, i, 3);
    const sur = pick(SURNAMES, i, 4);
    data = {
      address: address(i), ...ceased, country_of_residence: 'England', date_of_birth: { month: 1 + (i % 12), year: 1940 + (i % 60) }, etag: etag(i),
      kind: 'individual-person-with-significant-control', links: { self: kindSelf('individual', 'individual') }, name: `Mr ${fore} ${sur}`,
      name_elements: { forename: fore, surname: sur, title: 'Mr' }, nationality: 'British', natures_of_control: natures(i, false), notified_on: date(i, 30),
    };
  } else if (r < 0.88) {
    // a UK company of the snapshot (a chain upwards) or a foreign one
    const uk = rnd(i, 5) < 0.7;
    const parent = Math.floor(rnd(i, 6) * companies);
    const f = pick(FOREIGN, i, 7);
    const identification = uk
      ? { country_registered: 'England & Wales', legal_authority: 'Companies Act 2006', legal_form: 'Private Limited Company', place_registered: 'Companies House', registration_number: companyNumber(parent) }
      : { country_registered: f.country, legal_authority: f.authority, legal_form: f.form, registration_number: `F${i}` };
    data = {
      address: address(i + 1), ...ceased, etag: etag(i), identification, kind: 'corporate-entity-person-with-significant-control',
      links: { self: kindSelf('corporate', 'corporate-entity') }, name: `${pick(WORDS, uk ? parent : i, 8)} ${pick(WORDS, uk ? parent : i, 9)} ${uk ? parent : i} ${uk ? 'Limited' : f.form}`,
      natures_of_control: natures(i, true), notified_on: date(i, 30),
    };
  } else if (r < 0.9) {
    data = {
      address: address(i + 2), etag: etag(i), identification: { legal_authority: 'Government', legal_form: 'Government Department' },
      kind: 'legal-person-person-with-significant-control', links: { self: kindSelf('legal', 'legal-person') }, name: `Secretary Of State For ${pick(WORDS, i, 12)}`,
      natures_of_control: ['ownership-of-shares-75-to-100-percent'], notified_on: date(i, 30),
    };
  } else if (r < 0.995) {
    const statement = rnd(i, 13) < 0.6 ? 'no-individual-or-entity-with-signficant-control' : 'psc-exists-but-not-identified';
    data = {
      ...ceased, etag: etag(i), kind: 'persons-with-significant-control-statement',
      links: { self: `/company/${number}/persons-with-significant-control-statements/${pscId(i)}` }, notified_on: date(i, 30), statement,
    };
  } else {
    data = {
      ceased: false, description: 'super-secure-persons-with-significant-control', etag: etag(i), kind: 'super-secure-person-with-significant-control',
      links: { self: kindSelf('super', 'super-secure') },
    };
  }
  return JSON.stringify({ company_number: number, data }) + '\n';
}

/** Writes `lines` lines (the last one the totals line) to `file`. */
export async function generatePsc(lines: number, file: string): Promise<{ lines: number; companies: number }> {
  // about 1.6 PSC lines per company, as in the real snapshot (12.8M PSCs and statements, ~8M companies with any)
  const companies = Math.max(1, Math.round((lines - 1) / 1.6));
  const ws = createWriteStream(file);
  let buf = '';
  const flush = async () => {
    if (!ws.write(buf)) await new Promise<void>((r) => ws.once('drain', () => r()));
    buf = '';
  };
  let c = 0;
  let left = 0;
  let statements = 0;
  for (let i = 0; i < lines - 1; i++) {
    if (left === 0) {
      c = Math.min(companies - 1, c + (i === 0 ? 0 : 1));
      left = 1 + Math.floor(rnd(c, 50) * 2.2);
    }
    left--;
    const l = line(i, c, companies);
    if (l.includes('-statement"')) statements++;
    buf += l;
    if (buf.length >= 1 << 16) await flush();
  }
  buf += JSON.stringify({ data: { kind: 'totals#persons-of-significant-control-snapshot', persons_of_significant_control_count: lines - 1 - statements, statements_count: statements, exemptions_count: 0, generated_at: '2024-11-22T03:43:03Z' } }) + '\n';
  await flush();
  await new Promise<void>((r, j) => ws.end((e?: Error | null) => (e ? j(e) : r())));
  return { lines, companies: c + 1 };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(arg('lines') ?? '1000000');
  const out = arg('out');
  if (!out || !Number.isInteger(n) || n < 2) {
    console.error('usage: node --import tsx test/bench/psc-generate.ts --lines N --out FILE');
    process.exit(2);
  }
  const t = Date.now();
  const r = await generatePsc(n, out);
  console.log(`wrote ${r.lines} lines (${r.companies} companies) to ${out} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
}
