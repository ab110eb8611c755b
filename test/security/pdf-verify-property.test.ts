// Issue 12 point 1, as a property: whatever is inserted, overwritten, deleted or appended as an
// incremental update on a real signed report, `verify` says VALID only when poppler agrees that
// the signature is valid over the total document, and never for a file whose visible text
// differs from the original's. Poppler is the judge; it is run for every case verify accepts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../../electron/backend/identity/index.js';
import { createSignedReport, verifyReport } from '../../electron/backend/report/index.js';
import { loadReportInput, replaceAttachmentIncrementally, requireTools, run } from '../integration/report/helpers.js';
import { appendRevision, fakeByteRangeInGap, firstPageContents, firstPageStreamBody, shadowTailForgery, signedLayout } from './pdf-attacks.js';

const PASS = 'correct horse battery staple';
let dir: string;
let pdf: Buffer;
let originalText: string;
let n = 0;

const text = (file: string) => run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout;

beforeAll(async () => {
  requireTools('pdfsig', 'pdftotext');
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-verify-prop-'));
  const p12 = createIdentity({ name: 'Анна Лі', org: 'Acme Compliance AG', email: 'anna.li@acme.example', passphrase: PASS, keyBits: 2048 });
  pdf = (await createSignedReport(loadReportInput(), p12, PASS)).pdf;
  const path = join(dir, 'report.pdf');
  writeFileSync(path, pdf);
  originalText = text(path);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Bytes that mean something to a PDF reader, as well as noise.
const TOKENS = ['>', '<', '>>', '<<', ' ', '\n', '0', 'f', 'endobj', 'endstream', 'stream\n', '%%EOF\n', 'startxref\n0\n', 'trailer', 'xref\n', '/ByteRange [0 1 2 3]', ' 0 R', '1 0 obj', '(', ')', '\\'];
const insertion = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 48 }).map((a) => Buffer.from(a)),
  fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 6 }).map((t) => Buffer.from(t.join(''), 'latin1')),
);

type Mutation = (p: Buffer) => Buffer;

function mutations(): fc.Arbitrary<{ label: string; apply: Mutation }> {
  const { b, c } = signedLayout(pdf);
  const len = pdf.length;
  // Anywhere, and where the structure is: the gap and its edges, the trailer.
  const position = fc.oneof(fc.integer({ min: 0, max: len }), fc.integer({ min: b - 40, max: b + 40 }), fc.integer({ min: c - 200, max: c + 40 }), fc.integer({ min: len - 400, max: len }));
  const word = fc.constantFrom('Clear', 'CLEAR', 'Not restricted', 'Cleared');
  return fc.oneof(
    fc.tuple(position, insertion).map(([at, bytes]) => ({ label: `insert ${bytes.length} bytes at ${at}`, apply: (p: Buffer) => Buffer.concat([p.subarray(0, at), bytes, p.subarray(at)]) })),
    fc.tuple(position, insertion).map(([at, bytes]) => ({
      label: `overwrite ${bytes.length} bytes at ${at}`,
      apply: (p: Buffer) => {
        const out = Buffer.from(p);
        bytes.copy(out, Math.min(at, out.length - 1));
        return out;
      },
    })),
    fc.tuple(position, fc.integer({ min: 1, max: 64 })).map(([at, k]) => ({ label: `delete ${k} bytes at ${at}`, apply: (p: Buffer) => Buffer.concat([p.subarray(0, at), p.subarray(at + k)]) })),
    fc.tuple(fc.integer({ min: b + 1, max: c - 2 }), fc.constantFrom(...'0123456789abcdefABCDEF \n>'.split(''))).map(([at, ch]) => ({
      label: `gap byte ${at} := ${JSON.stringify(ch)}`,
      apply: (p: Buffer) => {
        const out = Buffer.from(p);
        out.write(ch, at, 'latin1');
        return out;
      },
    })),
    word.map((w) => ({ label: `shadow tail "${w}"`, apply: (p: Buffer) => shadowTailForgery(p, w) })),
    word.map((w) => ({ label: `incremental update of page 1 "${w}"`, apply: (p: Buffer) => appendRevision(p, [{ num: firstPageContents(p), body: firstPageStreamBody(p, w) }]) })),
    fc.uint8Array({ minLength: 2, maxLength: 200 }).map((a) => ({ label: 'incremental update of the evidence', apply: (p: Buffer) => replaceAttachmentIncrementally(p, Buffer.from(a)) })),
    fc.constant({ label: 'fake /ByteRange in the gap', apply: fakeByteRangeInGap }),
    fc.constant({ label: 'nothing', apply: (p: Buffer) => Buffer.from(p) }),
  );
}

const RUNS = Number(process.env.OWNERSCOPE_PROPERTY_RUNS ?? 400);

describe('verify agrees with poppler', () => {
  // 400 runs take a few seconds on an idle machine; the timeout leaves room for a loaded one.
  it('is VALID only if pdfsig says "Signature is Valid" and "Total document signed", and the text is the original', { timeout: Math.max(120_000, RUNS * 300) }, () => {
    let valid = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutations(), { minLength: 1, maxLength: 3 }), (steps) => {
        let file: Buffer;
        try {
          file = steps.reduce((p, s) => s.apply(p), pdf);
        } catch {
          return; // a helper could not apply to an already mangled file
        }
        const r = verifyReport(file);
        if (!r.isValid) {
          refused++;
          expect(r.reasons.length).toBeGreaterThan(0);
          return;
        }
        valid++;
        const path = join(dir, `case-${n++}.pdf`);
        writeFileSync(path, file);
        const sig = run('pdfsig', [path]).stdout;
        const label = steps.map((s) => s.label).join(', ');
        expect(sig, label).toContain('Signature is Valid');
        expect(sig, label).toContain('Total document signed');
        expect(text(path), label).toEqual(originalText);
        rmSync(path);
      }),
      { numRuns: RUNS, seed: Number(process.env.OWNERSCOPE_PROPERTY_SEED ?? Date.now() % 2 ** 31) },
    );
    // Both sides of the implication were exercised.
    expect(refused).toBeGreaterThan(0);
    expect(valid).toBeGreaterThan(0);
  });
});
