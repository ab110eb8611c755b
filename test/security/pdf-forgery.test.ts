// Issue 12 point 1: a forged report that poppler shows differently from what `verify` checked.
// The attack runs on a real report signed by the project's own signer and is judged by poppler
// (pdfsig, pdftotext): verify must never call VALID what a viewer shows as something else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../../electron/backend/identity/index.js';
import { createSignedReport, verifyReport } from '../../electron/backend/report/index.js';
import { runCli } from '../helpers/cli.js';
import { loadReportInput, requireTools, run } from '../integration/report/helpers.js';
import { appendRevision, fakeByteRangeInGap, shadowTailForgery, signedLayout, withFirstPageVerdict } from './pdf-attacks.js';

const PASS = 'correct horse battery staple';
let dir: string;
let pdf: Buffer;
let pdfPath: string;

const save = (name: string, data: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const pageOne = (file: string) => run('pdftotext', ['-enc', 'UTF-8', '-f', '1', '-l', '1', file, '-']).stdout;

beforeAll(async () => {
  requireTools('pdfsig', 'pdftotext');
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-forgery-'));
  const p12 = createIdentity({ name: 'Анна Лі', org: 'Acme Compliance AG', email: 'anna.li@acme.example', passphrase: PASS, keyBits: 2048 });
  pdf = (await createSignedReport(loadReportInput(), p12, PASS)).pdf;
  pdfPath = save('report.pdf', pdf);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a shadow copy of the signed tail behind the signature value', () => {
  it('makes poppler show a different first page and report a digest mismatch', () => {
    const forged = save('forged.pdf', shadowTailForgery(pdf, 'Clear'));
    expect(pageOne(pdfPath)).not.toContain('Clear');
    expect(pageOne(pdfPath)).toContain('RESTRICTED');
    const shown = pageOne(forged);
    expect(shown).toContain('Clear');
    expect(shown).not.toEqual(pageOne(pdfPath));
    const sig = run('pdfsig', [forged]).stdout;
    expect(sig).toContain('Digest Mismatch');
    expect(sig).not.toContain('Signature is Valid');
  });

  it('is INVALID for verify (library and CLI), naming the bytes outside the signed structure', async () => {
    const forged = shadowTailForgery(pdf, 'Clear');
    const r = verifyReport(forged);
    expect(r.isValid).toBe(false);
    const codes = r.reasons.map((x) => x.code);
    expect(codes).toContain('structure-invalid');
    expect(codes).toContain('digest-mismatch');
    const cli = await runCli(['verify', save('forged-cli.pdf', forged)]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^INVALID/);
    expect(cli.stdout).not.toMatch(/^VALID/m);
    expect(cli.stdout).toContain('[structure-invalid]');
  });

  it('the changed page alone, at the original offsets, is a digest mismatch', () => {
    const changed = withFirstPageVerdict(pdf, 'Clear');
    expect(run('pdfsig', [save('changed.pdf', changed)]).stdout).toContain('Digest Mismatch');
    expect(verifyReport(changed).reasons.map((x) => x.code)).toContain('digest-mismatch');
  });
});

describe('the unsigned gap of /Contents', () => {
  it('holds only the signature hex and zero padding: a fake /ByteRange in the padding is refused', () => {
    const forged = fakeByteRangeInGap(pdf);
    // poppler reads these ranges differently and no longer sees the whole document signed.
    expect(run('pdfsig', [save('gap.pdf', forged)]).stdout).not.toContain('Total document signed');
    const r = verifyReport(forged);
    expect(r.isValid).toBe(false);
    // The second /ByteRange makes the signature dictionary unreadable: refused as a structure.
    expect(r.reasons.map((x) => x.code)).toContain('structure-invalid');
    expect(r.reasons[0]!.message).toMatch(/ByteRange/);
  });

  it('hidden data hex-encoded after the DER signature, or white space in the padding, is refused', () => {
    const { b, c } = signedLayout(pdf);
    const gap = pdf.toString('latin1', b + 1, c - 1);
    const padAt = b + 1 + gap.search(/0+$/) + 64;
    const hidden = Buffer.from(pdf);
    hidden.write(Buffer.from('/ByteRange [0 1 2 3]').toString('hex'), padAt, 'latin1');
    const spaced = Buffer.from(pdf);
    spaced.write(' \n ', padAt, 'latin1');
    for (const forged of [hidden, spaced]) {
      const r = verifyReport(forged);
      expect(r.isValid).toBe(false);
      expect(r.reasons.map((x) => x.code)).toEqual(['signature-gap-invalid']);
    }
  });

  it('the untouched report stays valid for both', () => {
    expect(run('pdfsig', [pdfPath]).stdout).toContain('Signature is Valid');
    expect(verifyReport(pdf).reasons).toEqual([]);
  });
});

describe('hostile structure', () => {
  it('trees whose nodes are their own kids (names tree, page tree) are refused without an exponential walk', () => {
    const text = pdf.toString('latin1');
    const namesNum = Number(/\/Type \/Catalog[^]*?\/Names (\d+) 0 R/.exec(text)![1]);
    const kids = (n: number) => Array.from({ length: 16 }, () => `${n} 0 R`).join(' ');
    const names = appendRevision(pdf, [{ num: namesNum, body: Buffer.from(`<< /EmbeddedFiles ${namesNum} 0 R /Kids [${kids(namesNum)}] >>`) }]);
    const r = verifyReport(names);
    expect(r.isValid).toBe(false);
    expect(r.reasons.find((x) => x.code === 'evidence-unreadable')?.message).toMatch(/more than 100000 nodes/);
    const pagesNum = Number(/\/Pages (\d+) 0 R/.exec(text)![1]);
    const pages = appendRevision(pdf, [{ num: pagesNum, body: Buffer.from(`<< /Type /Pages /Count 3 /Kids [${kids(pagesNum)}] >>`) }]);
    expect(verifyReport(pages).reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['modified-after-signing', 'evidence-unreadable']));
  });

  it('an incremental update adding /Encrypt to the trailer is refused', () => {
    const text = pdf.toString('latin1');
    const infoNum = Number(/\/Info (\d+) 0 R/.exec(text.slice(text.lastIndexOf('trailer')))![1]);
    const updated = appendRevision(pdf, [{ num: infoNum, body: Buffer.from('<< /Producer (x) >>') }]);
    const encrypted = Buffer.from(updated.toString('latin1').replace(/\/Prev (\d+) >>\nstartxref\n(\d+)\n%%EOF\n$/, '/Prev $1 /Encrypt 1 0 R >>\nstartxref\n$2\n%%EOF\n'), 'latin1');
    expect(encrypted.length).toBeGreaterThan(updated.length);
    expect(verifyReport(encrypted).reasons.map((x) => x.code)).toContain('structure-invalid');
  });
});
