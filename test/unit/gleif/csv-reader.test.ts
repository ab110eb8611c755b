// The golden-copy CSV reader (gleif/csv.ts, a byte splitter that makes strings only of the fields
// the mapper reads) gives exactly the facts papaparse gave (the reader before it, kept in
// papaparse-reference.ts), on the fixtures, on generated golden copies, and on the CSV corners
// (quoted line breaks, "" escapes, \n or \r\n, a BOM, blank lines, unquoted fields, no final line
// break), whatever the chunk boundaries; and bad CSV is refused naming the line and the problem.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../electron/backend/import/gleif/csv';
import { LEVEL1, REPEX, RR, type Family } from '../../../electron/backend/import/gleif/families';
import type { ParseContext } from '../../../electron/backend/import/types';
import type { Fact } from '../../../shared/formats/facts';
import { GENERATED_FILES, L1_CSV_COLUMNS, RR_CSV_COLUMNS, csvLine, entitySpec, generateGleif, l1Row } from '../../bench/gleif-generate';
import { parseCsvWithPapaparse } from './papaparse-reference';

const FX = path.resolve(__dirname, '../../fixtures/gleif');
type Reader = typeof parseCsv;

interface Result {
  facts: Fact[];
  records: number;
  dataDate: string | null;
  error?: string;
}

async function run(read: Reader, fam: Family, bytes: Buffer, size: number, fileName = '20240601-0800-gleif-goldencopy-x.csv'): Promise<Result> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: Result = { facts: [], records: 0, dataDate: null };
  const ctx: ParseContext = {
    fileName,
    fail: (l, p) => {
      throw new Error(`${l}: ${p}`);
    },
    setDataDate: (d) => (out.dataDate = d),
    countRecords: (n) => (out.records += n),
    setExpectedRecords: () => {},
  };
  try {
    for await (const b of read(chunks(), ctx, fam)) out.facts.push(...b);
  } catch (e) {
    out.error = (e as Error).message;
  }
  return out;
}

async function same(fam: Family, bytes: Buffer, sizes = [bytes.length, 1, 3, 64, 4099, 65536]): Promise<Result> {
  const want = await run(parseCsvWithPapaparse, fam, bytes, bytes.length);
  expect(want.error).toBeUndefined();
  expect(want.records).toBeGreaterThan(0);
  for (const size of sizes) {
    const got = await run(parseCsv, fam, bytes, size);
    expect(got.error).toBeUndefined();
    expect(got.records).toBe(want.records);
    expect(got.dataDate).toBe(want.dataDate);
    expect(got.facts).toEqual(want.facts);
  }
  return want;
}

describe('golden-copy CSV reader: the same facts as papaparse', () => {
  it.each([
    [LEVEL1, '20240601-0800-gleif-goldencopy-lei2-cases.csv'],
    [RR, 'cases-rr.csv'],
    [RR, 'cases-rr-delta.csv'],
    [REPEX, 'cases-repex.csv'],
  ].map(([fam, file]) => [file as string, fam as Family]))('fixture %s', async (file, fam) => {
    await same(fam, readFileSync(path.join(FX, file)));
  });

  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'os-csv-reader-'));
    await generateGleif(600, dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each([
    [GENERATED_FILES.l1Csv, LEVEL1],
    [GENERATED_FILES.rrCsv, RR],
    [GENERATED_FILES.repexCsv, REPEX],
  ] as [string, Family][])('generated golden copy %s', async (file, fam) => {
    const r = await same(fam, readFileSync(path.join(dir, file)), [1 << 20, 7, 1000, 65536]);
    expect(r.records).toBeGreaterThan(10);
  });

  // Level 1 rows from the generator, with the corners of RFC 4180 written into their fields
  const rows = (n: number, edit: (r: Record<string, string | undefined>, i: number) => void, nl = '\r\n') => {
    let s = csvLine(L1_CSV_COLUMNS, Object.fromEntries(L1_CSV_COLUMNS.map((c) => [c, c])));
    for (let i = 0; i < n; i++) {
      const r = l1Row(entitySpec(i));
      edit(r, i);
      s += csvLine(L1_CSV_COLUMNS, r);
    }
    return nl === '\r\n' ? s : s.replaceAll('\r\n', nl);
  };
  const corners: [string, string][] = [
    ['quoted line breaks and "" escapes', rows(40, (r, i) => {
      r['Entity.LegalName'] = `Line ${i}\r\nsecond "quoted" line\nthird ""`;
      r['Entity.OtherEntityNames.OtherEntityName.1'] = i % 2 ? '"' : '""';
      r['Entity.OtherEntityNames.OtherEntityName.1.type'] = 'TRADING_OR_OPERATING_NAME';
    })],
    ['\\n line endings', rows(40, (r, i) => (r['Entity.LegalName'] = `N ${i}, "x"`), '\n')],
    ['multi-byte UTF-8', rows(40, (r, i) => (r['Entity.LegalName'] = `浙江测试 ${i} Ωmega 😀`))],
    ['blank lines, no final line break', rows(30, () => {}).replace(/\r\n("5)/, '\r\n\r\n$1').replace(/\r\n$/, '')],
    ['unquoted fields', rows(30, () => {}).replace(/"([^",\r\n]*)"/g, '$1')],
  ];
  it.each(corners)('%s', async (_name, text) => {
    await same(LEVEL1, Buffer.from(text, 'utf8'));
  });
  it('the corners are in the text', () => {
    expect(corners[0]![1]).toContain('\r\nsecond ""quoted"" line\nthird ');
    expect(corners[3]![1]).toContain('\r\n\r\n"');
    expect(corners[4]![1]).not.toMatch(/^"/);
  });

  it('a UTF-8 BOM before a quoted header is skipped (papaparse read "\uFEFF\"LEI\"" as a column name)', async () => {
    const text = rows(30, () => {});
    const want = await run(parseCsv, LEVEL1, Buffer.from(text), text.length);
    expect(want.records).toBe(30);
    for (const size of [1, 2, 3, 64]) expect(await run(parseCsv, LEVEL1, Buffer.from('\uFEFF' + text), size)).toEqual(want);
  });

  it('a field longer than a decoding piece (1 MiB), multi-byte characters across the cuts', async () => {
    const long = 'aΩ😀'.repeat(200_000) + '"';
    const text = rows(3, (r, i) => (r['Entity.LegalName'] = i === 1 ? long : `N ${i}`));
    const r = await same(LEVEL1, Buffer.from(text), [text.length, 65536, 1 << 20]);
    expect(r.facts.map((f) => (f.type === 'entity' ? f.name : '')).includes(long)).toBe(true);
  });

  it('relationships with a quoted line break in a field the mapper does not read', async () => {
    const x = readFileSync(path.join(FX, 'cases-rr.csv'), 'utf8');
    const col = RR_CSV_COLUMNS.indexOf('Registration.ValidationDocuments');
    expect(col).toBeGreaterThan(0);
    const lines = x.split('\r\n');
    for (let i = 1; i < lines.length - 1; i++) {
      const f = lines[i]!.split('","');
      f[col] = 'two\r\nlines, "quoted"'.replaceAll('"', '""');
      lines[i] = f.join('","');
    }
    await same(RR, Buffer.from(lines.join('\r\n')));
  });
});

describe('golden-copy CSV reader: bad CSV', () => {
  const fixture = readFileSync(path.join(FX, 'cases-rr.csv'), 'utf8');
  const lines = fixture.split('\r\n');
  const withLine3 = (edit: (l: string) => string) => Buffer.from([...lines.slice(0, 2), edit(lines[2]!), ...lines.slice(3)].join('\r\n'));
  it.each([
    ['text after a closing quote', withLine3((l) => l.replace('","', '"x,"')), /^line 3: malformed CSV: field 1 has text after its closing quote/],
    ['a quote never closed', Buffer.from(fixture.replace(/\r\n$/, '').replace(/"$/, '')), /^line \d+: malformed CSV: field \d+ opens a quote that is never closed/],
    ['a field too few', withLine3((l) => l.slice(0, l.lastIndexOf(','))), /^line 3: expected \d+ fields as in the header, found \d+/],
    ['a field too many', withLine3((l) => l + ',""'), /^line 3: expected \d+ fields as in the header, found \d+/],
    ['an empty file', Buffer.alloc(0), /^line 1: empty file: no CSV header/],
    ['a header without the required columns', Buffer.from('"a","b"\r\n"1","2"\r\n'), /^line 1: not a GLEIF Level 2 relationship \(RR-CDF\) CSV file: missing column\(s\)/],
  ])('%s', async (_name, bytes, message) => {
    for (const size of [bytes.length || 1, 1, 5, 100]) {
      const r = await run(parseCsv, RR, bytes, size);
      expect(r.error).toMatch(message);
    }
  });

  it('a bad record after line breaks inside quotes is named by its record line, as before', async () => {
    const text = rows2();
    const want = await run(parseCsvWithPapaparse, LEVEL1, Buffer.from(text), text.length);
    const got = await run(parseCsv, LEVEL1, Buffer.from(text), 100);
    expect(want.error).toMatch(/^line 4: /);
    expect(got.error).toBe(want.error);
  });
});

/** Three Level 1 rows, the first with a quoted line break, the third with a bad LEI. */
function rows2(): string {
  let s = csvLine(L1_CSV_COLUMNS, Object.fromEntries(L1_CSV_COLUMNS.map((c) => [c, c])));
  for (let i = 0; i < 3; i++) {
    const r = l1Row(entitySpec(i));
    if (i === 0) r['Entity.LegalName'] = 'two\nlines';
    if (i === 2) r.LEI = 'NOT-AN-LEI';
    s += csvLine(L1_CSV_COLUMNS, r);
  }
  return s;
}
