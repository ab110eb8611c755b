// Issue 11: the CLI text, the JSON (what the API's verdict.compute and the UI read) and the signed
// report say the same thing: every gap and finding sentence, and what "as of" means, on the real
// FI state-owned example moved to CN and on a PSC record that ceased without a date.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOfMeaning } from '../../../shared/domain/engine';
import { createIdentity } from '../../../electron/backend/identity/index';
import { createSignedReport, type ReportInput, type VerdictJson } from '../../../electron/backend/report/index';
import { runCli, json } from '../../helpers/cli';
import { requireTools, run } from '../report/helpers';
import { FIXTURES, SAMPLES, importCase, readSample, type Case } from './real-data';
import type { VerdictResult } from '../../../electron/backend/verdict/verdict';

const flat = (t: string) => t.replace(/\s+/g, ' ');

function pscCeasedWithoutDate(): { name: string; text: string } {
  const r = JSON.parse(readSample(FIXTURES, 'psc', 'psc-snapshot-sample_2024-12.jsonl').split('\n')[0]!) as { data: Record<string, unknown> };
  Object.assign(r.data, { nationality: 'Chinese', country_of_residence: 'China', ceased: true });
  return { name: 'psc.jsonl', text: `${JSON.stringify(r)}\n` };
}

describe.each([
  {
    name: 'BODS FI state-owned enterprise, every country CN',
    files: () => [{ name: 'cn-soe.json', text: readSample(SAMPLES, 'bods', 'official-examples-0.4.0', 'bods-package-fi-soe.json').replaceAll('"code": "FI"', '"code": "CN"') }],
    ref: 'fi-pro:3007894-1', asOf: '2024-01-01', verdict: 'restricted',
  },
  { name: 'PSC ceased without a date', files: () => [pscCeasedWithoutDate()], ref: 'gb-coh:08209948', asOf: '2020-01-01', verdict: 'indeterminate' },
])('$name', (t) => {
  let c: Case;
  let fromJson: VerdictResult;
  let text: string;
  beforeAll(async () => {
    c = await importCase(t.files());
    const db = path.join(c.dir, 'case.db');
    c.db.close();
    const j = await runCli(['verdict', '--db', db, t.ref, '--as-of', t.asOf, '--json']);
    expect(j.code, j.stderr).toBe(0);
    fromJson = json<VerdictResult>(j);
    const tx = await runCli(['verdict', '--db', db, t.ref, '--as-of', t.asOf]);
    expect(tx.code, tx.stderr).toBe(0);
    text = tx.stdout;
  });
  afterAll(() => rmSync(c.dir, { recursive: true, force: true }));

  it('the JSON carries the verdict, its gaps and its findings', () => {
    expect(fromJson.verdict).toBe(t.verdict);
    expect(fromJson.findings.length + fromJson.gaps.length).toBeGreaterThan(1);
  });

  it('the CLI text prints every gap and finding of the JSON, and the as-of meaning', () => {
    for (const s of [...fromJson.gaps.map((g) => g.text), ...fromJson.findings.map((f) => f.text)]) expect(text).toContain(s);
    expect(text).toContain(asOfMeaning(t.asOf));
  });

  it('the signed report prints the same sentences', async () => {
    requireTools('pdftotext');
    const input: ReportInput = {
      verdict: fromJson as unknown as VerdictJson,
      case: { id: 'C-11', status: 'decided' },
      decision: { kind: 'confirm', verdict: fromJson.verdict, decidedBy: 'A. Li', decidedAt: '2026-03-02T10:00:00.000Z' },
      notes: [],
      sources: fromJson.sources.map((s) => ({ fileName: s.fileName, sha256: s.sha256, size: 1, format: 'test', dataDate: null })),
      auditHead: 'cd'.repeat(32),
      generatedAt: '2026-03-02T10:05:00.000Z',
    };
    const p12 = createIdentity({ name: 'A. Li', passphrase: 'same passphrase', keyBits: 2048 });
    const { pdf } = await createSignedReport(input, p12, 'same passphrase');
    const dir = mkdtempSync(path.join(tmpdir(), 'os-same-'));
    try {
      const file = path.join(dir, 'r.pdf');
      writeFileSync(file, pdf);
      const pdfText = flat(run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout);
      for (const s of [...fromJson.gaps.map((g) => g.text), ...fromJson.findings.map((f) => f.text)]) expect(pdfText).toContain(flat(s));
      expect(pdfText).toContain(flat(asOfMeaning(t.asOf)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
