import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity, loadIdentity } from '../../../electron/backend/identity/index.js';
import {
  EVIDENCE_FILE_NAME,
  ReportSignError,
  buildEvidence,
  createSignedReport,
  renderReport,
  signReport,
  verifyReport,
  type ReportInput,
} from '../../../electron/backend/report/index.js';
import { loadReportInput, replaceAttachmentIncrementally, requireTools, run } from './helpers.js';

const PASS = 'correct horse battery staple';
let dir: string;
let input: ReportInput;
let p12: Buffer;
let pdf: Buffer;
let pdfPath: string;

function save(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const codes = (b: Buffer) => verifyReport(b).reasons.map((r) => r.code);

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf', 'pdfdetach', 'pdftotext', 'pdffonts');
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-report-'));
  input = loadReportInput();
  p12 = createIdentity({ name: 'Анна Лі', org: 'Acme Compliance AG', email: 'anna.li@acme.example', passphrase: PASS });
  pdf = (await createSignedReport(input, p12, PASS)).pdf;
  pdfPath = save('report.pdf', pdf);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('signed verdict report', () => {
  it('is a valid PKCS#7 detached signature over the whole document for poppler', () => {
    const out = run('pdfsig', [pdfPath]).stdout;
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('adbe.pkcs7.detached');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Анна Лі');
  });

  it('passes qpdf --check', () => {
    const r = run('qpdf', ['--check', pdfPath]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
  });

  it('carries the evidence JSON as an attachment that pdfdetach extracts intact', () => {
    expect(run('pdfdetach', ['-list', pdfPath]).stdout).toContain(EVIDENCE_FILE_NAME);
    const out = join(dir, 'extracted.json');
    expect(run('pdfdetach', ['-save', '1', '-o', out, pdfPath]).status).toBe(0);
    const bytes = readFileSync(out);
    const evidence = JSON.parse(bytes.toString('utf8'));
    expect(evidence).toEqual(JSON.parse(JSON.stringify(buildEvidence(input))));
    expect(evidence.verdict).toEqual(input.verdict);
    expect(evidence.case.id).toBe('C-2026-0042');
    expect(evidence.decision.kind).toBe('confirm');
    expect(sha256(bytes)).toBe(verifyReport(pdf).evidenceSha256);
  });

  it('shows names in Chinese, Cyrillic and Korean as text, the evidence hash, and page numbers', () => {
    const text = run('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']).stdout;
    expect(text).toContain('深圳市腾讯计算机系统有限公司');
    expect(text).toContain('Восток Холдинг');
    expect(text).toContain('한빛투자');
    expect(text).toContain(verifyReport(pdf).evidenceSha256!);
    expect(text).toContain(input.verdict.policy.sha256);
    expect(text).toContain(input.sources[0]!.sha256);
    expect(text).toMatch(/Page 1 of \d/);
    expect(text).toContain('RESTRICTED');
    expect(text).toContain('C-2026-0042');
  });

  it('embeds subset fonts covering CJK, Hangul and Arabic script', () => {
    const fonts = run('pdffonts', [pdfPath]).stdout;
    for (const face of ['NotoSans-Regular', 'NotoSansHans-Regular', 'NotoSansKR-Regular', 'NotoNaskhArabic']) {
      const line = fonts.split('\n').find((l) => l.includes(face));
      expect(line, face).toBeDefined();
      // emb sub uni columns
      expect(line).toMatch(/\+\S+\s+.*\byes\s+yes\s+yes\b/);
    }
  });

  it('verifies: signer, time, verdict and evidence', () => {
    const r = verifyReport(pdf);
    expect(r.reasons).toEqual([]);
    expect(r.isValid).toBe(true);
    expect(r.coversWholeFile).toBe(true);
    const id = loadIdentity(p12, PASS);
    expect(r.signer).toMatchObject({ name: 'Анна Лі', org: 'Acme Compliance AG', email: 'anna.li@acme.example', certSha256: id.signer.certSha256 });
    expect(Date.now() - Date.parse(r.signedAt!)).toBeLessThan(10 * 60_000);
    expect(r.verdict).toBe('restricted');
    expect(r.computedVerdict).toBe('restricted');
    expect(r.caseId).toBe('C-2026-0042');
    expect(r.subject?.name).toBe('深圳市腾讯计算机系统有限公司');
    expect(r.evidence?.verdict).toEqual(input.verdict);
    expect(verifyReport(pdf, { trustedCertSha256: [id.signer.certSha256] }).isValid).toBe(true);
    expect(verifyReport(pdf, { trustedCertSha256: ['00'.repeat(32)] }).reasons.map((x) => x.code)).toEqual(['untrusted-signer']);
  });
});

describe('tampering is detected', () => {
  it('a flipped byte in the signed range', () => {
    const tampered = Buffer.from(pdf);
    // Inside the page content, well before the signature value.
    const at = Math.floor(tampered.indexOf('stream') + 200);
    tampered[at] = tampered[at]! ^ 0x01;
    expect(codes(tampered)).toContain('digest-mismatch');
    expect(verifyReport(tampered).isValid).toBe(false);
    expect(run('pdfsig', [save('flipped.pdf', tampered)]).stdout).not.toContain('Signature is Valid.');
  });

  it('a flipped byte in the document information (the pinned evidence hash)', () => {
    const text = pdf.toString('latin1');
    const expected = verifyReport(pdf).evidenceSha256!;
    const at = text.indexOf(`(${expected})`) + 1;
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(pdf);
    tampered[at] = tampered[at] === 0x61 ? 0x62 : 0x61;
    expect(codes(tampered)).toEqual(expect.arrayContaining(['digest-mismatch', 'evidence-hash-mismatch']));
  });

  it('an attachment replaced by an incremental update after signing', () => {
    const forged = JSON.parse(readFileSync(join(dir, 'extracted.json'), 'utf8'));
    forged.verdict.verdict = 'clear';
    forged.finalVerdict = 'clear';
    const tampered = replaceAttachmentIncrementally(pdf, Buffer.from(JSON.stringify(forged)));
    const path = save('replaced.pdf', tampered);
    // The forged attachment is what a reader now extracts, and poppler still calls the
    // signature valid for the revision it covers: this is why verify checks coverage and hash.
    expect(run('qpdf', ['--check', path]).status).toBe(0);
    const out = join(dir, 'forged-out.json');
    run('pdfdetach', ['-save', '1', '-o', out, path]);
    expect(JSON.parse(readFileSync(out, 'utf8')).finalVerdict).toBe('clear');
    expect(run('pdfsig', [path]).stdout).not.toContain('Total document signed');
    const c = codes(tampered);
    expect(c).toContain('modified-after-signing');
    expect(c).toContain('evidence-hash-mismatch');
    expect(c).toContain('evidence-mismatch');
  });

  it('a truncated file', () => {
    const tampered = pdf.subarray(0, pdf.length - 700);
    expect(codes(tampered)).toContain('truncated');
  });

  it('a removed signature: emptied signature value, or never signed', async () => {
    const text = pdf.toString('latin1');
    const br = /\/ByteRange \[0 (\d+) (\d+) \d+\]/.exec(text)!;
    const tampered = Buffer.from(pdf);
    tampered.fill(0x30, Number(br[1]) + 1, Number(br[2]) - 1);
    expect(codes(tampered)).toContain('signature-empty');
    const unsigned = await renderReport(input);
    expect(codes(unsigned)).toEqual(['no-signature']);
    expect(codes(Buffer.from('%PDF-1.4\n%%EOF\n'))).toContain('no-signature');
  });

  it('refuses to sign a report prepared for another signer, and a wrong passphrase', async () => {
    const other = createIdentity({ name: 'Mallory', passphrase: 'another passphrase', keyBits: 2048 });
    const prepared = await renderReport(input, { signer: loadIdentity(p12, PASS).signer });
    await expect(signReport(prepared, other, 'another passphrase')).rejects.toBeInstanceOf(ReportSignError);
    await expect(signReport(prepared, p12, 'not the passphrase')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await expect(signReport(pdf, p12, PASS)).rejects.toMatchObject({ code: 'already-signed' });
  });
});

describe('decisions and verdict colours', () => {
  it('an override is stated and verified as the report verdict', async () => {
    const overridden: ReportInput = {
      ...input,
      decision: { kind: 'override', verdict: 'indeterminate', justification: 'Registry data for the Iranian holder is four years old; refer to legal.', decidedBy: 'A. Li', decidedAt: '2026-03-04T10:00:00.000Z' },
    };
    const { pdf: out } = await createSignedReport(overridden, p12, PASS);
    const r = verifyReport(out);
    expect(r.isValid).toBe(true);
    expect(r.verdict).toBe('indeterminate');
    expect(r.computedVerdict).toBe('restricted');
    const text = run('pdftotext', ['-enc', 'UTF-8', save('override.pdf', out), '-']).stdout;
    expect(text).toContain('INDETERMINATE');
    expect(text).toContain('Investigator override');
    expect(text).toContain('four years old');
  });
});
