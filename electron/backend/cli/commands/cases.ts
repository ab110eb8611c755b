// Commands of the case workflow: case (new, decide, note, attach, list, show) and audit.
import { checkCaseId, MAX_BYTES, readRegularFile, requireRegularFile } from '../../files/safe-path';
import { userInfo } from 'node:os';
import path from 'node:path';
import { formatBounds, type VerdictReport } from '../../../../shared/domain/engine';
import * as C from '../../cases';
import { readTrustList, userDataDir } from '../../identity/trust';
import type { VerdictJson, VerdictValue } from '../../report';
import { caseFlags, flaggedCaseIds } from '../../store/sources';
import type { Db } from '../../store/db';
import { resolveRef } from '../../store/queries';
import { policyFromArgs } from '../../verdict/policy-input';
import { computeVerdict } from '../../verdict/verdict';
import { mediaTypeOf } from '../../files/media-type';
import { retractedAmong } from '../../assertions/check';
import { dateOption, parse, printJson, requireDb, table, UsageError, withCaseDb, withCaseWrite, type CliIo, type Command } from '../io';

export const VERDICT_VALUES: readonly VerdictValue[] = ['restricted', 'clear', 'indeterminate'];

/** Who is acting, for the audit log: --actor, else $OWNERSCOPE_ACTOR, else the OS user name. */
export function actorOf(given: string | undefined, io: CliIo): string | null {
  if (given?.trim()) return given.trim();
  if (io.env.OWNERSCOPE_ACTOR?.trim()) return io.env.OWNERSCOPE_ACTOR.trim();
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

/**
 * Computes the verdict for REF and opens a case with it as the frozen snapshot. The case's
 * subject reference is the subject's first identifier (portable across databases), else its id.
 */
export function openCaseFor(
  db: Db,
  ref: string,
  policyArg: string | undefined,
  asOf: string | undefined,
  actor: string | null,
  options: { reuseOpen?: boolean } = {},
): { record: C.CaseRecord; verdict: VerdictReport; reused: boolean } {
  const policy = policyFromArgs(policyArg, asOf);
  const subjectId = resolveRef(db, ref);
  const verdict = computeVerdict(db, subjectId, policy);
  const subjectRef = verdict.subject.identifiers[0] ?? `id:${subjectId}`;
  // The same question (subject, effective policy with its date) already has a case in progress:
  // that one is answered, not a second one opened beside it.
  const open = options.reuseOpen ? C.findOpenCase(db, subjectRef, verdict.policy.sha256) : null;
  if (open) return { record: open, verdict, reused: true };
  const record = C.createCase(db, {
    subjectRef,
    subjectName: verdict.subject.name,
    policy: verdict.policy as unknown as C.PolicySnapshot,
    verdict: verdict as unknown as VerdictJson,
    actor,
  });
  return { record, verdict, reused: false };
}


/** The case as the CLI prints it in JSON (docs/CASES.md). `verdict` is the frozen snapshot. */
export function caseJson(db: Db, c: C.CaseRecord, options: { detail?: boolean; verdict?: boolean } = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: c.id,
    status: c.status,
    subject: { ref: c.subjectRef, name: c.subjectName, id: c.verdict ? c.verdict.subject.id : null, identifiers: C.subjectIdentifiers(db, c) },
    policy: { name: c.policy.name, sha256: c.policy.sha256, asOf: (c.policy as { asOf?: string }).asOf ?? null },
    computedVerdict: c.computedVerdict,
    computedAt: c.computedAt,
    reason: c.verdict?.reasons?.[0] ?? null,
    decision: c.decision,
    verdict: c.decision?.verdict ?? c.computedVerdict,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    // issue 14: the verdict snapshot used assertions retracted since (the case is flagged)
    retractedAssertions: retractedAmong(db, c.verdict),
  };
  if (options.detail) {
    base.notes = C.listNotes(db, c.id);
    base.evidenceFiles = C.listEvidenceFiles(db, c.id);
    base.reports = C.listReports(db, c.id);
    base.audit = C.listAudit(db, { caseId: c.id }).map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, hash: e.hash }));
  }
  if (options.verdict) base.verdictSnapshot = c.verdict;
  // only a flagged case carries the key (sources remove), so the JSON of other cases is as before
  const flags = caseFlags(db, c.id);
  if (flags.length) base.flags = flags;
  return base;
}

function caseText(db: Db, c: C.CaseRecord, detail: boolean): string {
  const v = c.verdict as unknown as VerdictReport | null;
  let out = `case ${c.id}  ${c.status.toUpperCase()}\n`;
  for (const f of caseFlags(db, c.id)) out += `FLAGGED (${f.flag}, ${f.at}): ${f.detail}\n`;
  const idents = C.subjectIdentifiers(db, c);
  out += `subject: ${c.subjectName ?? '?'} (${c.subjectRef})${idents.length ? `  ${idents.join(', ')}` : ''}\n`;
  out += `policy: ${c.policy.name} (sha256 ${c.policy.sha256.slice(0, 16)}…)${v ? `, as of ${v.asOf}` : ''}\n`;
  if (v) {
    out += `computed verdict: ${v.verdict.toUpperCase()} (${c.computedAt})\n`;
    if (v.reasons?.[0]) out += `  ${v.reasons[0]}\n`;
    if (v.methods?.control) out += `  control method ${v.methods.control.verdict}, restricted share ${formatBounds(v.methods.control.restrictedShare)}\n`;
    if (v.methods?.lookThrough) out += `  look-through method ${v.methods.lookThrough.verdict}, restricted share ${formatBounds(v.methods.lookThrough.restrictedShare)}\n`;
  } else out += 'computed verdict: none\n';
  if (c.decision) {
    out += `decision: ${c.decision.kind === 'confirm' ? 'confirmed' : `overridden to ${c.decision.verdict.toUpperCase()}`} by ${c.decision.decidedBy ?? 'unknown'} (${c.decision.decidedAt})\n`;
    if (c.decision.justification) out += `  why: ${c.decision.justification}\n`;
  } else out += 'decision: none yet (ownerscope case decide)\n';
  out += `opened ${c.createdAt}${c.createdBy ? ` by ${c.createdBy}` : ''}\n`;
  for (const r of retractedAmong(db, c.verdict)) out += `FLAG: the verdict used assertion ${r.id}, retracted ${r.at}: ${r.reason}\n`;
  if (!detail) return out;
  const notes = C.listNotes(db, c.id);
  out += `notes (${notes.length}):\n` + notes.map((n) => `  [${n.id}] ${n.at}${n.author ? ` ${n.author}` : ''}: ${n.text.replace(/\n/g, '\n      ')}\n`).join('');
  const files = C.listEvidenceFiles(db, c.id);
  out += `evidence files (${files.length}):\n` + files.map((f) => `  [${f.id}] ${f.fileName}  ${f.size} bytes  sha256 ${f.sha256}\n`).join('');
  const reports = C.listReports(db, c.id);
  out += `reports (${reports.length}):\n` + reports.map((r) => `  ${r.createdAt}  ${r.verdict.toUpperCase()}  signed by ${r.signerName ?? '?'}  pdf sha256 ${r.pdfSha256}\n`).join('');
  return out;
}

const usages = {
  new: 'ownerscope case new --db CASE.db REF [--policy PRESET|FILE.json] [--as-of YYYY-MM-DD] [--actor NAME] [--json]',
  decide: 'ownerscope case decide --db CASE.db CASEID (--confirm | --override VERDICT) --why TEXT [--actor NAME] [--json]',
  note: 'ownerscope case note --db CASE.db CASEID TEXT... [--actor NAME] [--json]',
  attach: 'ownerscope case attach --db CASE.db CASEID FILE... [--actor NAME] [--json]',
  list: 'ownerscope case list --db CASE.db [--status open|decided|reported] [--json]',
  show: 'ownerscope case show --db CASE.db CASEID [--json]',
};
const caseUsage = Object.values(usages).join('\n       ');


function oneCaseId(positionals: string[], usage: string): string {
  const id = positionals[0];
  if (!id) throw new UsageError(`CASEID is required\nusage: ${usage}`);
  return checkCaseId(id);
}

export const caseCommand: Command = {
  name: 'case',
  summary: 'Cases: open one with its verdict snapshot, decide (confirm or override), add notes and evidence files, list, show',
  usage: caseUsage,
  async run(args, io) {
    const [sub, ...rest] = args;
    const common = { db: { type: 'string' }, json: { type: 'boolean' }, actor: { type: 'string' } } as const;
    switch (sub) {
      case 'new': {
        const u = usages.new;
        const { values, positionals } = parse(rest, { ...common, policy: { type: 'string' }, 'as-of': { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${u}`);
        const asOf = dateOption(values['as-of'], '--as-of');
        return withCaseWrite(dbFile, io, (db) => {
          const { record } = openCaseFor(db, positionals[0]!, values.policy, asOf, actorOf(values.actor, io));
          if (values.json) printJson(io, { case: caseJson(db, record, { verdict: true }) });
          else io.stdout(`opened case ${record.id}\n` + caseText(db, record, false) + `next: ownerscope case decide --db ${dbFile} ${record.id} --confirm | --override VERDICT, --why TEXT\n`);
          return 0;
        });
      }
      case 'decide': {
        const u = usages.decide;
        const { values, positionals } = parse(rest, { ...common, confirm: { type: 'boolean' }, override: { type: 'string' }, why: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        const id = oneCaseId(positionals, u);
        if (positionals.length !== 1) throw new UsageError(`exactly one CASEID expected\nusage: ${u}`);
        if (Boolean(values.confirm) === (values.override !== undefined)) throw new UsageError(`give exactly one of --confirm or --override VERDICT\nusage: ${u}`);
        let decision: C.DecisionInput & { justification?: string };
        if (values.override !== undefined) {
          const verdict = values.override.toLowerCase() as VerdictValue;
          if (!VERDICT_VALUES.includes(verdict)) throw new UsageError(`--override must be one of ${VERDICT_VALUES.join(', ')}, got "${values.override}"`);
          if (!values.why?.trim()) throw new UsageError(`an override needs a written justification: --why TEXT\nusage: ${u}`);
          decision = { kind: 'override', verdict, justification: values.why };
        } else {
          // Standing behind the computed verdict is a decision too: it needs its reason.
          if (!values.why?.trim()) throw new UsageError(`confirming needs a written justification too: --why TEXT\nusage: ${u}`);
          decision = { kind: 'confirm', justification: values.why };
        }
        return withCaseWrite(dbFile, io, (db) => {
          const c = C.decideCase(db, id, decision, actorOf(values.actor, io));
          if (values.json) printJson(io, { case: caseJson(db, c) });
          else io.stdout(`case ${c.id}: ${c.decision!.kind === 'confirm' ? `confirmed ${c.decision!.verdict.toUpperCase()}` : `overridden: ${c.computedVerdict?.toUpperCase()} → ${c.decision!.verdict.toUpperCase()}`}\n`);
          return 0;
        });
      }
      case 'note': {
        const u = usages.note;
        const { values, positionals } = parse(rest, common, u);
        const dbFile = requireDb(values.db, u);
        const id = oneCaseId(positionals, u);
        // The note is every word after CASEID joined by one space; quote it to keep line breaks.
        const text = positionals.slice(1).join(' ');
        if (!text.trim()) throw new UsageError(`the note TEXT is required\nusage: ${u}`);
        return withCaseWrite(dbFile, io, (db) => {
          const n = C.addNote(db, id, text, actorOf(values.actor, io));
          if (values.json) printJson(io, { caseId: id, note: n });
          else io.stdout(`case ${id}: note ${n.id} added\n`);
          return 0;
        });
      }
      case 'attach': {
        const u = usages.attach;
        const { values, positionals } = parse(rest, common, u);
        const dbFile = requireDb(values.db, u);
        const id = oneCaseId(positionals, u);
        const files = positionals.slice(1);
        if (files.length === 0) throw new UsageError(`no FILE given\nusage: ${u}`);
        for (const f of files) requireRegularFile(f, 'evidence file');
        return withCaseWrite(dbFile, io, (db) => {
          const actor = actorOf(values.actor, io);
          // All files or none: one transaction around the per-file ones.
          // all files or none: the command's one write transaction
          const attached = files.map((f) => C.attachEvidenceFile(db, id, { fileName: path.basename(f), content: readRegularFile(f, MAX_BYTES.attachment, 'evidence file'), mediaType: mediaTypeOf(f) }, actor));
          if (values.json) printJson(io, { caseId: id, files: attached });
          else io.stdout(attached.map((a) => `case ${id}: evidence file ${a.id} ${a.fileName}, ${a.size} bytes, sha256 ${a.sha256}\n`).join(''));
          return 0;
        });
      }
      case 'list': {
        const u = usages.list;
        const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' }, status: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${u}`);
        const status = values.status as C.CaseStatus | undefined;
        if (status && !['open', 'decided', 'reported'].includes(status)) throw new UsageError(`--status must be open, decided or reported, got "${status}"`);
        return withCaseDb(dbFile, (db) => {
          const cases = C.listCases(db, status ? { status } : {});
          const flagged = flaggedCaseIds(db);
          if (values.json) printJson(io, { cases: cases.map((c) => caseJson(db, c)) });
          else if (cases.length === 0) io.stdout('no cases\n');
          else
            io.stdout(
              table([
                ['id', 'status', 'computed', 'decided', 'opened', 'subject'],
                ...cases.map((c) => [c.id, flagged.has(c.id) ? `${c.status} FLAGGED` : c.status, c.computedVerdict ?? '-', c.decision ? `${c.decision.verdict}${c.decision.kind === 'override' ? ' (override)' : ''}` : '-', c.createdAt.slice(0, 10), `${c.subjectName ?? '?'} (${c.subjectRef})${retractedAmong(db, c.verdict).length ? '  FLAG: used a retracted assertion' : ''}`]),
              ]),
            );
          return 0;
        });
      }
      case 'show': {
        const u = usages.show;
        const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' } }, u);
        const dbFile = requireDb(values.db, u);
        const id = oneCaseId(positionals, u);
        return withCaseDb(dbFile, (db) => {
          const c = C.getCase(db, id);
          if (values.json) printJson(io, { case: caseJson(db, c, { detail: true, verdict: true }) });
          else io.stdout(caseText(db, c, true));
          return 0;
        });
      }
      default:
        throw new UsageError(`${sub ? `unknown case command "${sub}"` : 'a case command is required'}\nusage: ${caseUsage}`);
    }
  },
};

const auditUsage = 'ownerscope audit --db CASE.db [--verify] [--case CASEID] [--head SHA256] [--report REPORT.pdf]... [--json]';

function payloadSummary(p: unknown): string {
  const s = typeof p === 'string' ? p : JSON.stringify(p);
  return [...s].length > 90 ? [...s].slice(0, 89).join('') + '…' : s;
}

const range = (a: number, b: number) => (a === b ? `entry ${a}` : `entries ${a}–${b}`);

/** The verification as text: what was found, what is protected by a signature, what is not. */
export function auditVerificationText(v: C.AuditVerification, expectedHead?: string): string {
  let out = '';
  if (!v.isValid) {
    out += v.firstBad
      ? `AUDIT CHAIN BROKEN at entry ${v.firstBad.seq} (${v.firstBad.problem}): ${v.firstBad.message}\n`
      : `AUDIT LOG BROKEN: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'} found\n`;
    for (const p of v.problems.filter((p) => !v.firstBad || p.code !== v.firstBad.problem || p.seq !== v.firstBad.seq)) out += `  - ${p.message} [${p.code}]\n`;
  } else if (v.status === 'intact') {
    out += `audit chain intact: ${v.count} entries, head #${v.head.seq} ${v.head.hash}${expectedHead ? ' (the expected head is in the log)' : ''}; every entry is protected by a signed report\n`;
  } else {
    out += `audit chain consistent: ${v.count} entries, head #${v.head.seq} ${v.head.hash}; no tampering detected${expectedHead ? ' (the expected head is in the log)' : ''}\n`;
  }
  for (const a of v.anchors.filter((a) => a.status === 'ok')) {
    const r = a.report;
    out += `protected: ${range(1, a.seq!)} by the signed report ${r.source === 'file' ? r.file : `${r.reportId} stored in the database`} (case ${r.caseId}, signed by ${r.signer?.name ?? '?'}, certificate sha256 ${r.signer?.certSha256 ?? '?'})\n`;
  }
  for (const a of v.anchors.filter((a) => a.status === 'untrusted')) out += `not counted: ${a.message}\n`;
  if (v.unprotectedFrom !== null && v.count > 0) {
    const one = v.unprotectedFrom === v.head.seq;
    out += `NOT PROTECTED: ${range(v.unprotectedFrom, v.head.seq)} ${one ? 'is' : 'are'} ${v.protectedThrough ? 'newer than the last signed report' : 'covered by no signed report'}: ${one ? 'it' : 'they'} could have been appended, edited, reordered or had newer entries removed without detection${v.protectedThrough ? '' : ' (give a report signed from this database with --report)'}\n`;
  }
  return out;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'List the hash-chained audit log and check it (chain, case rows, signed reports as anchors); a problem is named (exit 1), entries no signature covers are said to be not protected',
  usage: auditUsage,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        db: { type: 'string' }, verify: { type: 'boolean' }, case: { type: 'string' }, head: { type: 'string' },
        report: { type: 'string', multiple: true }, json: { type: 'boolean' },
      },
      auditUsage,
    );
    const dbFile = requireDb(values.db, auditUsage);
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${auditUsage}`);
    const head = values.head?.toLowerCase();
    if (head !== undefined && !/^[0-9a-f]{64}$/.test(head)) throw new UsageError(`--head must be a SHA-256 (64 hex digits), got "${values.head}"`);
    const reports: C.ReportAnchorInput[] = (values.report ?? []).map((file) => {
      return { source: 'file', file, pdf: readRegularFile(file, MAX_BYTES.report, 'report') };
    });
    return withCaseDb(dbFile, (db) => {
      const trustList = readTrustList(userDataDir(io.env)).map((t) => t.certSha256);
      const verification = C.verifyAuditChain(db, { ...(head ? { expectedHead: head } : {}), reports, trustList });
      const entries = values.verify ? null : C.listAudit(db, values.case ? { caseId: values.case } : {});
      if (values.json) printJson(io, entries ? { entries, verification } : { verification });
      else {
        let out = '';
        if (entries) {
          const bad = verification.firstBad?.seq;
          const unprotected = verification.unprotectedFrom ?? Infinity;
          out += entries.length === 0 ? 'the audit log is empty\n' : table([
            ['seq', 'at', 'actor', 'action', 'case', 'hash', 'details'],
            ...entries.map((e) => [`${e.seq === bad ? '✗ ' : e.seq >= unprotected ? '? ' : ''}${e.seq}`, e.at, e.actor ?? '-', e.action, e.caseId ?? '-', e.hash.slice(0, 12), payloadSummary(e.payload)]),
          ]);
          if (entries.length && verification.unprotectedFrom !== null) out += '(? not protected by a signed report)\n';
        }
        out += auditVerificationText(verification, head);
        // Reports signed before schema 6 are not stored: only their file can serve as an anchor.
        const unstored = C.listStoredReports(db).filter((r) => !r.pdf && !verification.anchors.some((a) => a.report.evidenceSha256 === r.evidenceSha256));
        for (const r of unstored) out += `report ${r.id} of case ${r.caseId} (pdf sha256 ${r.pdfSha256}) is not stored in the database: give its file with --report to use it as an anchor\n`;
        io.stdout(out);
      }
      if (!verification.isValid) {
        const p = verification.problems[0]!;
        io.stderr(`ownerscope audit: ${verification.firstBad ? `the audit chain is broken at entry ${verification.firstBad.seq}: ${verification.firstBad.message}` : p.message}\n`);
        return 1;
      }
      return 0;
    });
  },
};
