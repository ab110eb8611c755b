// The report rendered from the real engine's output (shared/domain/engine), not a hand-written
// fixture: the two are built in parallel and this test is where their contract meets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, explainSubject, type VerdictReport } from '../../../shared/domain/engine/index.js';
import { policySha256, resolvePolicy } from '../../../shared/domain/policy/policy.js';
import { createIdentity } from '../../../electron/backend/identity/index.js';
import { createSignedReport, verifyReport, type ReportInput, type VerdictJson } from '../../../electron/backend/report/index.js';
import { requireTools, run } from './helpers.js';

const source = { sourceId: 1, fileName: 'gleif-rr.xml', sha256: 'ab'.repeat(32), recordRef: 'line 12' };
const pct = (p: number) => ({ lo: p * 10_000, loOpen: false, hi: p * 10_000, hiOpen: false });

function engineVerdict(): VerdictReport {
  const b = new GraphBuilder();
  b.addEntity({ id: 1, name: '深圳市腾讯计算机系统有限公司', kind: 'company', countries: [{ role: 'jurisdiction', code: 'SG' }], identifiers: ['lei:5493002X4NKJNQ7C0S12'] });
  b.addEntity({ id: 2, name: 'ООО «Восток Холдинг»', kind: 'company', countries: [{ role: 'jurisdiction', code: 'RU' }] });
  b.addEntity({ id: 3, name: 'شرکت سرمایه‌گذاری پارس', kind: 'company', countries: [{ role: 'jurisdiction', code: 'IR' }] });
  b.addEntity({ id: 4, name: 'Harbour Holdings Pte Ltd', kind: 'company', countries: [{ role: 'jurisdiction', code: 'SG' }] });
  b.addEntity({ id: 5, name: '한빛투자 주식회사', kind: 'company', countries: [{ role: 'jurisdiction', code: 'KR' }] });
  const link = (id: number, ownerId: number, ownedId: number, p: number) =>
    b.addLink({ id, ownerId, ownedId, kind: 'shares', share: pct(p), stated: `${p}%`, isSummary: false, status: 'active', source: { ...source, recordRef: `line ${id}` } });
  link(10, 2, 4, 30);
  link(11, 3, 4, 45);
  link(12, 4, 1, 60);
  link(13, 5, 1, 40);
  const graph = b.freeze();
  const policy = resolvePolicy({ preset: 'restricted-regions', restrictedCountries: ['RU', 'IR', 'KP'] } as never, { today: '2026-03-01' });
  return explainSubject(graph, policy, 1, { maxPaths: 25, policySha256: policySha256(policy) });
}

describe('report from the engine verdict', () => {
  it('renders, signs and verifies the engine output unchanged', async () => {
    requireTools('pdfsig', 'pdftotext');
    const verdict = engineVerdict();
    const asJson: VerdictJson = verdict; // the contract: the engine's type is accepted as is
    const input: ReportInput = {
      verdict: asJson,
      case: { id: 'C-0007', status: 'decided' },
      decision: { kind: 'confirm', verdict: verdict.verdict, decidedBy: 'A. Li', decidedAt: '2026-03-02T10:00:00.000Z' },
      notes: ['Checked against the registry extract.'],
      sources: [{ fileName: source.fileName, sha256: source.sha256, size: 2048, format: 'gleif-rr', dataDate: '2026-03-01' }],
      auditHead: 'cd'.repeat(32),
      generatedAt: '2026-03-02T10:05:00.000Z',
    };
    const p12 = createIdentity({ name: 'A. Li', passphrase: 'engine passphrase', keyBits: 2048 });
    const { pdf } = await createSignedReport(input, p12, 'engine passphrase');
    const dir = mkdtempSync(join(tmpdir(), 'ownerscope-engine-report-'));
    try {
      const path = join(dir, 'engine.pdf');
      writeFileSync(path, pdf);
      expect(run('pdfsig', [path]).stdout).toContain('Signature is Valid.');
      const r = verifyReport(pdf);
      expect(r.reasons).toEqual([]);
      expect(r.verdict).toBe(verdict.verdict);
      expect(r.evidence?.verdict).toEqual(JSON.parse(JSON.stringify(verdict)));
      const text = run('pdftotext', ['-enc', 'UTF-8', path, '-']).stdout;
      expect(text).toContain('深圳市腾讯计算机系统有限公司');
      expect(text).toContain('Восток Холдинг');
      expect(text).toContain('Harbour Holdings Pte Ltd');
      expect(verdict.paths.items.length).toBeGreaterThan(0);
      expect(text).toContain('Path 1 — from');
      if (process.env.OWNERSCOPE_KEEP_REPORT) writeFileSync(process.env.OWNERSCOPE_KEEP_REPORT, pdf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
