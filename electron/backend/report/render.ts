// The verdict report as a PDF: title block, verdict banner, tables, the ownership diagram, the
// evidence attachment and an empty signature placeholder that signReport fills in.
import PDFDocument from 'pdfkit';
import { listsConsultedLines } from '../../../shared/domain/engine/lists';
import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import type { SignerInfo } from '../identity/index.js';
import { asOfMeaning } from '../../../shared/domain/engine/asof.js';
import { buildDiagram, COLORS, diagramHeight, drawDiagram } from './diagram.js';
import { entityViews, pathViews, pathsTruncated } from './views.js';
import {
  EVIDENCE_FILE_NAME,
  documentAttachmentName,
  buildEvidence,
  finalVerdictOf,
  normalizeAuditHead,
  normalizeNotes,
  serializeEvidence,
  sha256Hex,
} from './evidence.js';
import {
  formatBytes,
  formatPolicyValue,
  formatRange,
  formatTimestamp,
  humanizeKey,
  verdictLabel,
} from './format.js';
import { Typesetter, type TextStyle } from './typeset.js';
import type { ReportInput, VerdictValue } from './types.js';

type Doc = InstanceType<typeof PDFDocument>;

/** Keys of the document information dictionary that bind the visible report to the evidence. */
export const INFO_KEYS = {
  format: 'OwnerscopeReport',
  caseId: 'OwnerscopeCaseId',
  verdict: 'OwnerscopeVerdict',
  computedVerdict: 'OwnerscopeComputedVerdict',
  evidenceSha256: 'OwnerscopeEvidenceSHA256',
  evidenceName: 'OwnerscopeEvidenceName',
  signerCertSha256: 'OwnerscopeSignerCertSHA256',
} as const;

export const REPORT_FORMAT = '1';

// Room for a PKCS#7 with a 4096-bit key and a certificate chain of a few certificates.
export const SIGNATURE_BYTES = 12_288;

export interface RenderOptions {
  /** Who will sign: shown in the signature block and pinned in the document information. */
  signer?: SignerInfo | null;
}

const PAGE = { width: 595.28, height: 841.89 };
const M = { left: 50, right: 50, top: 50, bottom: 62 };
const CONTENT_W = PAGE.width - M.left - M.right;

const VERDICT_STYLE: Record<VerdictValue, { fill: string; band: string; ink: string }> = {
  restricted: { fill: COLORS.redFill, band: COLORS.red, ink: COLORS.red },
  clear: { fill: COLORS.greenFill, band: COLORS.green, ink: COLORS.green },
  indeterminate: { fill: COLORS.amberFill, band: '#c77c02', ink: COLORS.amber },
};

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
  size?: number;
  color?: string;
}

class Layout {
  readonly doc: Doc;
  readonly ts: Typesetter;
  y = M.top;

  constructor(doc: Doc) {
    this.doc = doc;
    this.ts = new Typesetter(doc);
  }

  get bottom(): number {
    return PAGE.height - M.bottom;
  }

  newPage(): void {
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    this.y = M.top + 22; // below the running header drawn at the end
  }

  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  section(title: string, firstBlockHeight = 40): void {
    this.ensure(30 + firstBlockHeight);
    this.y += 10;
    this.ts.line(title, M.left, this.y + 11, { size: 11.5, weight: 'bold', color: COLORS.navy });
    this.y += 17;
    this.doc.save().lineWidth(0.8).strokeColor(COLORS.navy).moveTo(M.left, this.y).lineTo(M.left + CONTENT_W, this.y).stroke().restore();
    this.y += 8;
  }

  paragraph(text: string, style: TextStyle = { size: 9 }, indent = 0): void {
    const width = CONTENT_W - indent;
    const lines = this.ts.wrap(text, width, style);
    const lh = style.size * 1.45;
    for (const l of lines) {
      this.ensure(lh);
      this.ts.line(l, M.left + indent, this.y + style.size * 0.95, { ...style, width });
      this.y += lh;
    }
  }

  bullets(items: string[], style: TextStyle = { size: 9 }): void {
    for (const item of items) {
      const lines = this.ts.wrap(item, CONTENT_W - 14, style);
      const lh = style.size * 1.45;
      this.ensure(lh * Math.min(lines.length, 3));
      this.doc.save().circle(M.left + 4, this.y + style.size * 0.6, 1.6).fill(style.color ?? COLORS.ink).restore();
      for (const l of lines) {
        this.ensure(lh);
        this.ts.line(l, M.left + 14, this.y + style.size * 0.95, { ...style, width: CONTENT_W - 14 });
        this.y += lh;
      }
      this.y += 2;
    }
  }

  /** Label/value pairs in two columns, the label muted. */
  keyValues(rows: Array<[string, string]>, labelWidth = 140, size = 8.8): void {
    const valueW = CONTENT_W - labelWidth - 8;
    for (const [label, value] of rows) {
      const lines = this.ts.wrap(value || '—', valueW, { size });
      const h = lines.length * size * 1.4 + 5;
      this.ensure(h);
      this.ts.line(label, M.left, this.y + 2.5 + size * 0.95, { size: size - 0.6, color: COLORS.muted });
      lines.forEach((l, i) => this.ts.line(l, M.left + labelWidth + 8, this.y + 2.5 + size * 0.95 + i * size * 1.4, { size, color: COLORS.ink }));
      this.y += h;
      this.doc.save().lineWidth(0.4).strokeColor('#e3e7eb').moveTo(M.left, this.y).lineTo(M.left + CONTENT_W, this.y).stroke().restore();
    }
  }

  /** `rowNotes` are set under their row across the full width: hashes that must not wrap. */
  table(columns: Column[], rows: string[][], options: { highlightRows?: Set<number>; rowNotes?: string[] } = {}): void {
    const pad = 4;
    const scale = CONTENT_W / columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    const header = () => {
      const h = 16;
      this.doc.save().rect(M.left, this.y, CONTENT_W, h).fill(COLORS.headerFill).restore();
      let cx = M.left;
      columns.forEach((c, i) => {
        this.ts.line(c.header, cx + pad, this.y + 10.8, { size: 7.5, weight: 'bold', color: COLORS.navy, align: c.align, width: widths[i]! - 2 * pad });
        cx += widths[i]!;
      });
      this.y += h;
    };
    this.ensure(16 + 18);
    header();
    rows.forEach((row, r) => {
      const cells = row.map((text, i) => this.ts.wrap(text || '—', widths[i]! - 2 * pad, { size: columns[i]!.size ?? 8.2 }));
      const lineH = (i: number) => (columns[i]!.size ?? 8.2) * 1.38;
      const note = options.rowNotes?.[r];
      const noteH = note ? 10 : 0;
      const h = Math.max(...cells.map((lines, i) => lines.length * lineH(i))) + 2 * pad + noteH;
      if (this.y + h > this.bottom) {
        this.newPage();
        header();
      }
      if (options.highlightRows?.has(r)) this.doc.save().rect(M.left, this.y, CONTENT_W, h).fill('#fdf4f3').restore();
      let cx = M.left;
      cells.forEach((lines, i) => {
        const c = columns[i]!;
        const size = c.size ?? 8.2;
        lines.forEach((l, k) =>
          this.ts.line(l, cx + pad, this.y + pad + size * 0.95 + k * lineH(i), { size, color: c.color ?? COLORS.ink, align: c.align, width: widths[i]! - 2 * pad }),
        );
        cx += widths[i]!;
      });
      if (note) this.ts.line(note, M.left + pad, this.y + h - pad - 2, { size: 7, color: COLORS.muted });
      this.y += h;
      this.doc.save().lineWidth(0.4).strokeColor('#dde2e7').moveTo(M.left, this.y).lineTo(M.left + CONTENT_W, this.y).stroke().restore();
    });
    this.y += 4;
  }
}

const METHOD_NAMES: Record<string, string> = {
  control: 'Control (majority control attributes the whole stake)',
  lookThrough: 'Look-through (shares multiplied along each chain)',
};

/**
 * The data dates of the sources the verdict read: "Data dated 2026-03-01", "Data dated 2026-02-28
 * to 2026-03-01 (3 sources)"; a source without a stated date is counted as such.
 */
export function dataDatesLine(sources: ReadonlyArray<{ dataDate?: string | null }> | undefined): string {
  const all = sources ?? [];
  const dates = [...new Set(all.map((s) => (s.dataDate ?? '').slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)))].sort();
  const undated = all.filter((s) => !/^\d{4}-\d{2}-\d{2}/.test(s.dataDate ?? '')).length;
  if (dates.length === 0) return all.length ? 'Data date not stated by the sources' : 'No data sources';
  const span = dates.length === 1 ? dates[0]! : `${dates[0]} to ${dates[dates.length - 1]}`;
  const counts = [all.length > 1 ? `${all.length} sources` : null, undated ? `${undated} undated` : null].filter(Boolean).join(', ');
  return `Data dated ${span}${counts ? ` (${counts})` : ''}`;
}

export function renderReport(input: ReportInput, options: RenderOptions = {}): Promise<Buffer> {
  const v = input.verdict;
  const evidence = buildEvidence(input);
  const evidenceBytes = serializeEvidence(evidence);
  const evidenceSha = sha256Hex(evidenceBytes);
  const finalVerdict = finalVerdictOf(input);
  const generatedAt = new Date(input.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) throw new Error(`generatedAt is not a timestamp: ${input.generatedAt}`);
  const audit = normalizeAuditHead(input.auditHead);
  const signer = options.signer ?? null;

  const doc = new PDFDocument({ autoFirstPage: false, bufferPages: true, pdfVersion: '1.7', compress: true, info: {} as never });
  const info = doc.info as unknown as Record<string, unknown>;
  info.Title = `Restricted-ownership verdict report: ${v.subject.name}`;
  info.Subject = `Case ${input.case.id}: ${verdictLabel(finalVerdict)}`;
  info.Author = signer?.name ?? 'Ownerscope';
  info.Creator = input.generator ?? 'Ownerscope';
  info.Producer = 'Ownerscope report (pdfkit)';
  info.CreationDate = generatedAt;
  info.ModDate = generatedAt;
  info[INFO_KEYS.format] = REPORT_FORMAT;
  info[INFO_KEYS.caseId] = input.case.id;
  info[INFO_KEYS.verdict] = finalVerdict;
  info[INFO_KEYS.computedVerdict] = v.verdict;
  info[INFO_KEYS.evidenceSha256] = evidenceSha;
  info[INFO_KEYS.evidenceName] = EVIDENCE_FILE_NAME;
  if (signer) info[INFO_KEYS.signerCertSha256] = signer.certSha256;

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const L = new Layout(doc);
  L.ts.isolate([v.subject.name, ...[...entityViews(v).values()].map((e) => e.name), signer?.name, input.decision?.decidedBy]);
  const { ts } = L;
  L.newPage();
  L.y = M.top;

  // Title block.
  ts.line('OWNERSCOPE', M.left, L.y + 8, { size: 8, weight: 'bold', color: COLORS.navy });
  ts.line('Restricted-ownership verdict report', M.left + 62, L.y + 8, { size: 8, color: COLORS.muted });
  ts.line(`Case ${input.case.id}`, M.left, L.y + 8, { size: 8, weight: 'bold', color: COLORS.navy, align: 'right', width: CONTENT_W });
  L.y += 14;
  doc.save().lineWidth(1.6).strokeColor(COLORS.navy).moveTo(M.left, L.y).lineTo(M.left + CONTENT_W, L.y).stroke().restore();
  L.y += 14;
  const subjectLines = ts.wrap(v.subject.name, CONTENT_W, { size: 19, weight: 'bold' });
  for (const l of subjectLines) {
    ts.line(l, M.left, L.y + 19, { size: 19, weight: 'bold', color: COLORS.ink });
    L.y += 26;
  }
  const ids = v.subject.identifiers?.length ? v.subject.identifiers.join('   ·   ') : 'no registry identifiers';
  L.y += ts.block(ids, M.left, L.y, CONTENT_W, { size: 9, color: COLORS.muted });
  L.y += 2;
  L.y += ts.block(`Verdict as of ${v.asOf}   ·   ${dataDatesLine(input.sources)}   ·   Policy “${v.policy.name}”   ·   Generated ${formatTimestamp(input.generatedAt)}`, M.left, L.y, CONTENT_W, {
    size: 8.5,
    color: COLORS.muted,
  });
  L.y += 2;
  L.y += ts.block(asOfMeaning(v.asOf), M.left, L.y, CONTENT_W, { size: 8, color: COLORS.muted });
  L.y += 6;

  // Verdict banner.
  const style = VERDICT_STYLE[finalVerdict] ?? VERDICT_STYLE.indeterminate;
  // The engine starts its one-liner with the verdict word, which the banner already shows.
  const reason = (v.reasons?.[0] ?? '').replace(/^(RESTRICTED|CLEAR|INDETERMINATE)\s*:\s*/i, '');
  const isOverride = input.decision?.kind === 'override';
  const bannerText = reason ? ts.wrap(reason, CONTENT_W - 40, { size: 9.5 }) : [];
  const overrideLine = isOverride ? `Investigator override: the computed verdict was ${verdictLabel(v.verdict)}.` : input.decision ? 'Confirmed by the investigator.' : 'Not yet decided by an investigator.';
  const bannerH = 44 + bannerText.length * 13 + 14;
  doc.save().rect(M.left, L.y, CONTENT_W, bannerH).fill(style.fill).restore();
  doc.save().rect(M.left, L.y, 6, bannerH).fill(style.band).restore();
  ts.line('VERDICT', M.left + 20, L.y + 16, { size: 7.5, weight: 'bold', color: style.ink });
  ts.line(verdictLabel(finalVerdict), M.left + 20, L.y + 38, { size: 20, weight: 'bold', color: style.ink });
  const q = 'More than 50% owned by entities in restricted regions?';
  ts.line(q, M.left + 20, L.y + 16, { size: 7.5, color: COLORS.muted, align: 'right', width: CONTENT_W - 36 });
  let by = L.y + 52;
  for (const l of bannerText) {
    ts.line(l, M.left + 20, by + 4, { size: 9.5, color: COLORS.ink });
    by += 13;
  }
  ts.line(overrideLine, M.left + 20, by + 6, { size: 8, color: COLORS.muted });
  L.y += bannerH + 12;
  if (isOverride) {
    // an override is read against what was computed: both verdicts and the reason, side by side
    L.table(
      [
        { header: 'Computed verdict', width: 105 },
        { header: 'Decided verdict (override)', width: 130 },
        { header: 'Justification', width: CONTENT_W - 235 },
      ],
      [[verdictLabel(v.verdict), verdictLabel(finalVerdict), input.decision?.justification?.trim() || '—']],
    );
    L.y += 8;
  }

  // Key facts.
  const decisionText = input.decision
    ? `${input.decision.kind === 'override' ? 'Override' : 'Confirm'}: ${verdictLabel(input.decision.verdict)}${input.decision.decidedBy ? ` — ${input.decision.decidedBy}` : ''}${input.decision.decidedAt ? `, ${formatTimestamp(input.decision.decidedAt)}` : ''}`
    : 'No decision recorded';
  L.keyValues([
    ['Subject', v.subject.name],
    // the subject is named by its public identifiers (an internal id means nothing outside this case database)
    ['Subject identifiers', v.subject.identifiers.length ? v.subject.identifiers.join(', ') : 'none: the subject has no public identifier in the imported data'],
    ['Case', `${input.case.id} · status ${input.case.status}`],
    ['Investigator decision', decisionText],
    ['Effective policy', `${v.policy.name}`],
    ['Policy SHA-256', v.policy.sha256],
    ['Evidence attachment', `${EVIDENCE_FILE_NAME} · SHA-256 ${evidenceSha}`],
    ...(input.assertions?.length ? ([['Investigator assertions', `${input.assertions.length} used: ${input.assertionSummary ?? ''}`]] as Array<[string, string]>) : []),
  ]);

  // 1. Methods.
  L.section('1. Method results', 60);
  const methodRows = Object.entries(v.methods)
    .filter((e): e is [string, NonNullable<(typeof e)[1]>] => !!e[1])
    .map(([key, m]) => [METHOD_NAMES[key] ?? humanizeKey(key), verdictLabel(m.verdict), formatRange(m.restrictedShare)]);
  L.table(
    [
      { header: 'Method', width: 300 },
      { header: 'Result', width: 90 },
      { header: 'Restricted share', width: 105, align: 'right' },
    ],
    methodRows,
  );
  if (v.reasons && v.reasons.length > 1) {
    L.y += 2;
    L.bullets(v.reasons.slice(1), { size: 8.8 });
  }

  // 2. Diagram.
  const model = buildDiagram(v);
  const dh = diagramHeight(model);
  L.section('2. Ownership diagram', Math.min(dh, L.bottom - M.top - 60));
  L.y += 4;
  L.y += drawDiagram(doc, ts, model, M.left, L.y, CONTENT_W) + 4;

  // 3. Evidence paths.
  const paths = pathViews(v);
  L.section('3. Evidence paths', 60);
  if (!paths.length) L.paragraph('No ownership path from a restricted origin reaches the subject.', { size: 9, color: COLORS.muted });
  paths.forEach((path, i) => {
    L.ensure(60);
    const title = `Path ${i + 1}${path.originName ? ` — from ${path.originName}` : ''}${path.share ? ` — ${path.share} of the subject` : ''}`;
    ts.line(ts.fit(title, CONTENT_W - 110, { size: 9, weight: 'bold' }), M.left, L.y + 9, { size: 9, weight: 'bold', color: path.matters ? COLORS.red : COLORS.ink });
    const tag = [path.matters ? 'restricted origin' : null, path.countsInControl === true ? 'counts in control' : null].filter(Boolean).join(' · ');
    if (tag) ts.line(tag, M.left, L.y + 9, { size: 7.5, weight: 'bold', color: COLORS.red, align: 'right', width: CONTENT_W });
    L.y += 15;
    if (path.originWhy) {
      ts.line(path.originWhy, M.left, L.y + 7, { size: 7.8, color: COLORS.muted });
      L.y += 12;
    }
    L.table(
      [
        { header: 'Owner', width: 105 },
        { header: 'Owned', width: 105 },
        { header: 'Relationship', width: 105 },
        // the registry's own statement, codes included (IS_DIRECTLY_CONSOLIDATED_BY …): room to wrap
        { header: 'Stated (code)', width: 70, size: 7.2 },
        { header: 'Source (record)', width: 110, size: 7.2, color: COLORS.muted },
      ],
      path.links.map((l) => [
        l.ownerName,
        l.ownedName,
        l.relationship,
        l.stated.replace(/_/g, '_\u200b'),
        l.source ? `${l.source.fileName}${l.source.recordRef !== null ? ` #${l.source.recordRef}` : ''}\nSHA-256 ${l.source.sha256.slice(0, 16)}…` : 'no source',
      ]),
    );
    L.y += 4;
  });
  const cut = pathsTruncated(v);
  if (cut.truncated) L.paragraph(`Only the ${cut.limit ?? paths.length} largest paths are listed; the evidence attachment holds the verdict as computed.`, { size: 8.5, color: COLORS.muted });

  // 4/5. Gaps and findings.
  L.section('4. Gaps in the data', 30);
  if (v.lists) {
    // a listed-party policy says which lists it read (none: the verdict cannot be clear)
    L.paragraph('Lists consulted:', { size: 9 });
    L.bullets(listsConsultedLines(v.lists), { size: 9 });
  }
  if (v.gaps?.length) L.bullets(v.gaps.map((g) => g.text), { size: 9 });
  else L.paragraph('No gaps: every owner on the relevant chains is disclosed.', { size: 9, color: COLORS.muted });
  L.section('5. Findings', 30);
  if (v.findings?.length) L.bullets(v.findings.map((f) => f.text), { size: 9 });
  else L.paragraph('No findings.', { size: 9, color: COLORS.muted });

  // Issue 14: every fact the verdict took from the investigator rather than a registry.
  if (input.assertions?.length) {
    L.section('5a. Investigator assertions used', 60);
    L.paragraph(
      `The verdict uses ${input.assertions.length} fact${input.assertions.length === 1 ? '' : 's'} asserted by an investigator from a document, not read from a registry (${input.assertionSummary ?? ''}).`,
      { size: 9 },
    );
    L.bullets(
      input.assertions.map((a) => {
        const doc = a.document.fileName ? `${a.document.fileName} (SHA-256 ${a.document.sha256}${a.document.size !== null ? `, ${formatBytes(a.document.size)}` : ''})` : `reference “${a.document.reference}” (SHA-256 ${a.document.sha256})`;
        return `Assertion ${a.id}${a.status !== 'active' ? ` [${a.status}]` : ''}: ${a.text}. Document: ${doc}${a.cite ? `, ${a.cite}` : ''}. Reason: ${a.reason}. By ${a.actor ?? 'unknown'}, ${formatTimestamp(a.createdAt)}.`;
      }),
      { size: 8.5 },
    );
    if (input.documents?.length) L.paragraph(`Embedded documents: ${input.documents.map((d) => documentAttachmentName(d)).join(', ')}.`, { size: 8, color: COLORS.muted });
  }

  // 6. Decision.
  L.section('6. Investigator decision and notes', 60);
  L.keyValues([
    ['Computed verdict', verdictLabel(v.verdict)],
    ['Decision', decisionText],
    ['Justification', input.decision?.justification?.trim() || (input.decision?.kind === 'confirm' ? 'Confirmed as computed.' : '—')],
  ]);
  const notes = normalizeNotes(input.notes);
  if (notes.length) {
    L.y += 6;
    ts.line('Notes', M.left, L.y + 8, { size: 8.2, color: COLORS.muted });
    L.y += 14;
    L.bullets(
      notes.map((n) => `${n.text}${n.author || n.at ? ` — ${[n.author, n.at ? formatTimestamp(n.at) : null].filter(Boolean).join(', ')}` : ''}`),
      { size: 9 },
    );
  }

  // 7. Policy.
  L.section('7. Effective policy', 60);
  const policyRows: Array<[string, string]> = Object.entries(v.policy)
    .filter(([k]) => k !== 'name' && k !== 'sha256')
    .map(([k, val]) => [humanizeKey(k), formatPolicyValue(val)]);
  L.keyValues([['Name', v.policy.name], ['SHA-256', v.policy.sha256], ...policyRows]);

  // 8. Sources.
  L.section('8. Data sources', 60);
  L.table(
    [
      { header: 'File', width: 215 },
      { header: 'Format', width: 70 },
      { header: 'Size', width: 55, align: 'right' },
      { header: 'Data date', width: 70 },
      { header: 'Imported', width: 85 },
    ],
    input.sources.map((s) => [s.fileName, s.format, formatBytes(s.size), s.dataDate ?? '—', s.importedAt ? formatTimestamp(s.importedAt).slice(0, 10) : '—']),
    { rowNotes: input.sources.map((s) => `SHA-256 ${s.sha256}`) },
  );

  // 9. Integrity.
  L.section('9. Integrity and signature', 110);
  L.keyValues([
    ['Audit-chain head', `${audit.hash}${audit.seq !== undefined && audit.seq !== null ? ` (entry ${audit.seq}${audit.action === 'report.sign' ? ': the signing of this report' : ''})` : ''}`],
    ['Evidence SHA-256', evidenceSha],
    ['Signed by', signer ? `${signer.name}${signer.org ? `, ${signer.org}` : ''}${signer.email ? ` <${signer.email}>` : ''}` : 'Unsigned draft'],
    ['Certificate SHA-256', signer ? signer.certSha256 : '—'],
  ]);
  L.y += 6;
  L.paragraph(
    'This document carries a PKCS#7 digital signature over all of its bytes and the evidence file named above as an attachment. ' +
      'Verify with “ownerscope verify” or any PDF reader that validates signatures; a changed byte, a replaced attachment or a removed signature is detected. ' +
      `The certificate is ${signer?.isSelfSigned === false ? 'issued by an organisation' : 'self-signed'}: compare its SHA-256 with the one the signer published.`,
    { size: 8, color: COLORS.muted },
  );

  // Running header and footer on every page, now that the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = PAGE.height - M.bottom + 22;
    doc.save().lineWidth(0.5).strokeColor(COLORS.rule).moveTo(M.left, fy - 10).lineTo(M.left + CONTENT_W, fy - 10).stroke().restore();
    ts.line(`Case ${input.case.id}  ·  Generated ${formatTimestamp(input.generatedAt)}  ·  ${verdictLabel(finalVerdict)}`, M.left, fy, { size: 7.2, color: COLORS.muted });
    ts.line(`Page ${i - range.start + 1} of ${range.count}`, M.left, fy, { size: 7.2, color: COLORS.muted, align: 'right', width: CONTENT_W });
    if (i > range.start) {
      ts.line(ts.fit(v.subject.name, CONTENT_W - 160, { size: 7.5 }), M.left, M.top + 2, { size: 7.5, color: COLORS.muted });
      ts.line('Restricted-ownership verdict report', M.left, M.top + 2, { size: 7.5, color: COLORS.muted, align: 'right', width: CONTENT_W });
      doc.save().lineWidth(0.5).strokeColor(COLORS.rule).moveTo(M.left, M.top + 8).lineTo(M.left + CONTENT_W, M.top + 8).stroke().restore();
    }
  }
  doc.switchToPage(range.start + range.count - 1);

  doc.file(evidenceBytes, {
    name: EVIDENCE_FILE_NAME,
    type: 'application/json',
    description: `Ownerscope evidence for case ${input.case.id} (SHA-256 ${evidenceSha})`,
    creationDate: generatedAt,
    modifiedDate: generatedAt,
    relationship: 'Data',
  } as never);

  for (const d of input.documents ?? []) {
    doc.file(d.content, {
      name: documentAttachmentName(d),
      type: d.mediaType ?? 'application/octet-stream',
      description: `Document cited by an investigator assertion (SHA-256 ${d.sha256})`,
      creationDate: generatedAt,
      modifiedDate: generatedAt,
      relationship: 'Source',
    } as never);
  }

  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: `Ownerscope verdict report, case ${input.case.id}: ${verdictLabel(finalVerdict)}`,
    contactInfo: signer?.email ?? '',
    name: signer?.name ?? '',
    location: signer?.org ?? '',
    signingTime: generatedAt,
    signatureLength: SIGNATURE_BYTES,
    appName: 'Ownerscope',
  } as never);
  doc.end();
  return done;
}
