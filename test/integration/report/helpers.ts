import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportInput, VerdictJson } from '../../../electron/backend/report/index.js';
import { PdfReader, type PdfRef } from '../../../electron/backend/report/pdf-parse.js';

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

export function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Appends an incremental update that replaces the evidence attachment's stream object. */
export function replaceAttachmentIncrementally(original: Buffer, newEvidence: Buffer): Buffer {
  const reader = new PdfReader(original);
  const trailer = reader.trailer();
  const root = reader.dict(trailer.entries.get('Root'), 'root');
  const names = reader.dict(root.entries.get('Names'), 'names');
  const tree = reader.dict(names.entries.get('EmbeddedFiles'), 'tree');
  const list = reader.resolve(tree.entries.get('Names')) as unknown[];
  const spec = reader.dict(list[1] as PdfRef, 'spec');
  const ef = reader.dict(spec.entries.get('EF'), 'ef');
  const streamRef = ef.entries.get('F') as PdfRef;
  const prevXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(original.toString('latin1'))![1]);
  const size = trailer.entries.get('Size') as number;
  const rootRef = trailer.entries.get('Root') as PdfRef;
  const infoRef = trailer.entries.get('Info') as PdfRef;
  const objOffset = original.length + 1;
  const obj = Buffer.concat([
    Buffer.from(`\n${streamRef.num} 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length ${newEvidence.length} >>\nstream\n`, 'latin1'),
    newEvidence,
    Buffer.from('\nendstream\nendobj\n', 'latin1'),
  ]);
  const xrefOffset = original.length + obj.length;
  const xref =
    `xref\n${streamRef.num} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size} /Root ${rootRef.num} 0 R /Info ${infoRef.num} 0 R /Prev ${prevXref} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([original, obj, Buffer.from(xref, 'latin1')]);
}
