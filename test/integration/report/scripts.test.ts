// Names in every script investigators meet (issue #15): a report whose subject, owners and notes
// carry names in each script the font chain covers must embed a glyph for every character (no
// .notdef box) and give every name back through pdftotext, in logical order, with right-to-left
// names (Hebrew, Arabic, Persian) set by the Unicode bidi algorithm.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../../../electron/backend/identity/index.js';
import { createSignedReport, verifyReport, type ReportInput } from '../../../electron/backend/report/index.js';
import { Typesetter, visualOrder } from '../../../electron/backend/report/typeset.js';
import { loadReportInput, requireTools, run } from './helpers.js';

// Real company names, one per script (the Korean, Chinese, Cyrillic and Persian ones are the
// fixture's own).
const RENAMED: Record<string, string> = {
  '深圳市腾讯计算机系统有限公司': 'בנק הפועלים בע"מ', // Hebrew subject
  'Shenzhen Harbour Investment Holdings Limited': 'საქართველოს ბანკი', // Georgian
  'ООО «Восток Холдинг»': 'Հայաստանի Էլեկտրական Ցանցեր', // Armenian
  '한빛투자 주식회사': 'บริษัท ปตท. จำกัด (มหาชน)', // Thai
};
const IN_NOTES = [
  'भारत पेट्रोलियम कॉर्पोरेशन', // Devanagari (set in Noto Sans, which covers it)
  'বাংলাদেশ ব্যাংক', // Bengali
  'இந்தியன் வங்கி', // Tamil
  'የኢትዮጵያ ንግድ ባንክ', // Ethiopic
  'トヨタ自動車株式会社', // Japanese
  'Ελληνική Τράπεζα', // Greek
  '한빛투자 주식회사', // Hangul
  '中国石油天然气集团有限公司', // Chinese
  'شرکت ملی نفت ایران', // Persian
  'ООО «Газпром»', // Cyrillic
];
const ALL = [...Object.values(RENAMED), ...IN_NOTES, 'شرکت سرمایه\u200cگذاری پارس'];

let dir: string;
let pdfPath: string;
let input: ReportInput;

beforeAll(async () => {
  requireTools('pdftotext', 'pdffonts');
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-scripts-'));
  let json = JSON.stringify(loadReportInput());
  for (const [from, to] of Object.entries(RENAMED)) json = json.split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1));
  input = JSON.parse(json) as ReportInput;
  input.notes = IN_NOTES.map((text, i) => ({ text, author: 'A. Li', at: `2026-03-0${1 + (i % 9)}T09:00:00.000Z` }));
  const p12 = createIdentity({ name: 'Анна Лі', org: 'Acme', email: 'a@acme.example', passphrase: 'pass phrase 1' });
  const pdf = (await createSignedReport(input, p12, 'pass phrase 1')).pdf;
  pdfPath = join(dir, 'scripts.pdf');
  writeFileSync(pdfPath, pdf);
  if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, pdf);
  expect(verifyReport(pdf).reasons).toEqual([]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('names in every script', () => {
  it('every character of every name has a glyph (no .notdef) in the face it is set in, regular and bold', () => {
    const ts = new Typesetter(new PDFDocument({ autoFirstPage: false }));
    for (const name of ALL) for (const weight of ['regular', 'bold'] as const) expect(ts.missing(name, weight), `${name} (${weight})`).toEqual([]);
  });

  it('the missing-glyph check itself finds a character no face covers', () => {
    const ts = new Typesetter(new PDFDocument({ autoFirstPage: false }));
    // U+1680C, a Bamum ideograph, and U+0D05, Malayalam A: no face of the chain has them
    expect(ts.missing('Acme \u{1680C} \u0d05')).toEqual(['\u{1680C}', '\u0d05']);
  });

  it('embeds a subset of each script face the names use', () => {
    const fonts = run('pdffonts', [pdfPath]).stdout;
    for (const face of ['NotoSansHebrew', 'NotoSansGeorgian', 'NotoSansArmenian', 'NotoSansThai', 'NotoSansBengali', 'NotoSansTamil', 'NotoSansEthiopic', 'NotoSansHans', 'NotoSansKR', 'NotoNaskhArabic', 'NotoSans-Regular']) {
      const line = fonts.split('\n').find((l) => l.includes(face));
      expect(line, `${face} in\n${fonts}`).toBeDefined();
      expect(line).toMatch(/\+\S+\s+.*\byes\s+yes\s+yes\b/);
    }
  });

  it('pdftotext gives every name back', () => {
    // NFKC on both sides: Thai SARA AM is set as its compatibility decomposition (typeset.ts)
    const text = run('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']).stdout.normalize('NFKC');
    // pdftotext marks right-to-left text with directional embedding characters, and a zero-width
    // non-joiner has no glyph to carry it: compare without them
    const invisible = /[\u200c\u200d\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
    const plain = text.replace(invisible, '');
    const lost = ALL.filter((name) => !plain.includes(name.normalize('NFKC').replace(invisible, '')));
    expect(lost, plain).toEqual([]);
  });
});

describe('bidi (UAX #9) run order', () => {
  const doc = new PDFDocument({ autoFirstPage: false });
  const ts = new Typesetter(doc);
  it('a Hebrew name with a number and a Latin legal form: the digits stay left to right, the paragraph right to left', () => {
    const runs = ts.runs('בנק 2024 Ltd');
    // the space between the number and the Latin word resolves to the paragraph's level (N2)
    expect(runs.map((r) => [r.text, r.level])).toEqual([
      ['בנק ', 1],
      ['2024', 2],
      [' ', 1],
      ['Ltd', 2],
    ]);
    // drawn right to left: "Ltd", the space, "2024", then the Hebrew word at the right
    expect(visualOrder(runs.map((r) => r.level))).toEqual([3, 2, 1, 0]);
  });
  it('rule L2 reverses runs from the highest level down', () => {
    expect(visualOrder([0, 0])).toEqual([0, 1]);
    expect(visualOrder([1, 1, 1])).toEqual([2, 1, 0]);
    // RTL paragraph with an embedded number: "R1 N2 R1" shows as R1' N2 R1 reversed around N
    expect(visualOrder([1, 2, 1])).toEqual([2, 1, 0]);
    expect(visualOrder([1, 2, 2, 1])).toEqual([3, 1, 2, 0]);
    expect(visualOrder([0, 1, 1, 0])).toEqual([0, 2, 1, 3]);
  });
});
