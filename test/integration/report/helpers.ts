import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportInput, VerdictJson } from '../../../electron/backend/report/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/report/', import.meta.url));

export function loadReportInput(): ReportInput {
  const verdict = JSON.parse(readFileSync(FIXTURES + 'verdict-restricted.json', 'utf8')) as VerdictJson;
  const rest = JSON.parse(readFileSync(FIXTURES + 'case.json', 'utf8')) as Omit<ReportInput, 'verdict'>;
  return { verdict, ...rest };
}

/** The external checkers are part of the contract: a missing tool is a failure, not a skip. */
export function requireTools(...tools: string[]): void {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length) {
    throw new Error(`Missing ${missing.join(', ')}: install with "apt-get install -y poppler-utils qpdf" (CI does this in .ci/run).`);
  }
}

export function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
