// The report in plain language (issue #15): the data dates of the sources used (not the date the
// report was generated), relationships in words with the code beside them, and an override shown
// against the computed verdict with its justification, the chain still drawn.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../../../electron/backend/report/index.js';
import { dataDatesLine } from '../../../electron/backend/report/render.js';
import { loadReportInput, requireTools, run } from './helpers.js';

let dir: string;
let text: string;
let input: ReportInput;

beforeAll(async () => {
  requireTools('pdftotext');
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-plain-'));
  input = loadReportInput();
  input.decision = { kind: 'override', verdict: 'indeterminate', justification: 'The Iranian holder sold its stake in 2025 (share purchase agreement, p. 4).', decidedBy: 'A. Li', decidedAt: '2026-03-03T14:02:11.000Z' };
  const pdf = await renderReport(input);
  writeFileSync(join(dir, 'override.pdf'), pdf);
  text = run('pdftotext', ['-enc', 'UTF-8', join(dir, 'override.pdf'), '-']).stdout.replace(/\s+/g, ' ');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('plain-language report', () => {
  it('gives the data dates of the sources, not the generation date', () => {
    const dates = input.sources.map((s) => s.dataDate!.slice(0, 10)).sort();
    expect(text).toContain(`Data dated ${dates[0]} to ${dates[dates.length - 1]} (${input.sources.length} sources)`);
    expect(text).toContain(`Verdict as of ${input.verdict.asOf}`);
    expect(dataDatesLine([{ dataDate: '2026-03-01' }])).toBe('Data dated 2026-03-01');
    expect(dataDatesLine([{ dataDate: '2026-03-01T00:00:00Z' }, { dataDate: null }])).toBe('Data dated 2026-03-01 (2 sources, 1 undated)');
    expect(dataDatesLine([{ dataDate: null }])).toBe('Data date not stated by the sources');
  });
  it('shows an override beside the computed verdict with its justification, and still draws the chain', () => {
    expect(text).toMatch(/Computed verdict Decided verdict \(override\) Justification RESTRICTED INDETERMINATE The Iranian holder sold its stake/);
    expect(text).toContain('2. Ownership diagram');
    expect(text).toContain('Path 1 — from');
  });
  it('names relationships in words, with the stated code in its own column', () => {
    expect(text).toContain('Relationship');
    expect(text).toContain('Stated (code)');
    expect(text).toContain('30% (shareholding)');
  });
});
