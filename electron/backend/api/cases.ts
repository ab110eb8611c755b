// Cases inside a case database (subject, verdict snapshot, decision, notes), the audit log, and
// signed reports: wired to electron/backend/cases and electron/backend/report.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { checkCaseId, fileInside, MAX_BYTES, readRegularFile } from '../files/safe-path';
import type * as T from '../../../shared/api/types';
import * as C from '../cases';
import type { VerdictJson } from '../report';
import { writeTurn } from '../store/concurrency';
import { resolveRef } from '../store/queries';
import { identityFile, identityStatus, passphraseFor } from './identity';
import { ApiFailure } from './errors';
import { VERSION } from './version';
import path from 'node:path';
import { verifyReport } from '../report';
import { readTrustList } from '../identity';
import type { Backend } from './backend';
import { computeVerdict } from '../verdict/verdict';
import { recheckEvidence } from '../recheck';
import { effectivePolicy } from './verdict';
import type { HandlerGroup } from './handlers';

type CaseMethods = 'case.list' | 'case.get' | 'case.start' | 'case.decide' | 'case.note' | 'case.audit' | 'report.sign' | 'report.verify';

function toRecord(b: Backend, c: C.CaseRecord): T.CaseRecord {
  const db = b.requireDb();
  let subjectId = -1;
  try {
    subjectId = resolveRef(db, c.subjectRef);
  } catch {
    // the subject may have left the data since; the case still shows
  }
  const reports = (db.prepare(`SELECT name FROM pragma_table_info('case_reports')`).all().length > 0
    ? (db.prepare('SELECT * FROM case_reports WHERE case_id = ? ORDER BY rowid').all(c.id) as Record<string, unknown>[])
    : []
  ).map((r) => ({ path: String(r.pdf_sha256 ?? ''), signedAt: typeof r.signed_at === 'string' ? r.signed_at : typeof r.at === 'string' ? r.at : null }));
  return {
    id: c.id, subjectId, subjectName: c.subjectName ?? c.subjectRef, status: c.status, policyName: c.policy?.name ?? null,
    verdict: c.computedVerdict,
    decision: c.decision ? { kind: c.decision.kind, verdict: c.decision.verdict, justification: c.decision.justification, decidedAt: c.decision.decidedAt } : null,
    notes: C.listNotes(db, c.id).map((n) => ({ text: n.text, at: n.at })), createdAt: c.createdAt, reports,
  };
}

const actor = (b: Backend) => identityStatus(b).signer?.name ?? null;

const handlers: HandlerGroup<CaseMethods> = {
  async 'case.list'(_i, b) {
    return C.listCases(b.requireDb()).map((c) => toRecord(b, c));
  },
  async 'case.get'(i, b) {
    return toRecord(b, C.getCase(b.requireDb(), checkCaseId(i.caseId)));
  },
  async 'case.start'(i, b) {
    const db = b.requireDb();
    // a write: it waits its turn while an import holds the case database (then the verdict is
    // computed on the data as imported)
    const c = await writeTurn(db, () => {
      const id = resolveRef(db, i.ref);
      const verdict = computeVerdict(db, id, effectivePolicy(i.policy, i.asOf));
      return C.createCase(db, {
        subjectRef: String(id), subjectName: verdict.subject.name, policy: verdict.policy as unknown as C.PolicySnapshot,
        verdict: verdict as unknown as VerdictJson, actor: actor(b),
      });
    });
    return toRecord(b, c);
  },
  async 'case.decide'(i, b) {
    const db = b.requireDb();
    if (i.decision === 'override') {
      if (!i.verdict) throw new ApiFailure('invalid-input', 'an override names the verdict you stand behind', 'verdict');
      if (!i.justification?.trim()) throw new ApiFailure('invalid-input', 'an override needs a written justification', 'justification');
      const override = { kind: 'override' as const, verdict: i.verdict, justification: i.justification };
      return toRecord(b, await writeTurn(db, () => C.decideCase(db, checkCaseId(i.caseId), override, actor(b))));
    }
    const confirm = { kind: 'confirm' as const, ...(i.justification ? { justification: i.justification } : {}) };
    return toRecord(b, await writeTurn(db, () => C.decideCase(db, checkCaseId(i.caseId), confirm, actor(b))));
  },
  async 'case.note'(i, b) {
    const db = b.requireDb();
    await writeTurn(db, () => C.addNote(db, checkCaseId(i.caseId), i.text, actor(b)));
    return toRecord(b, C.getCase(db, checkCaseId(i.caseId)));
  },
  async 'case.audit'(_i, b) {
    const db = b.requireDb();
    const v = C.verifyAuditChain(db);
    return {
      entries: C.listAudit(db, { limit: 500 }).map((e) => ({ seq: e.seq, at: e.at, action: e.action, summary: `${e.action}${e.caseId ? ` (case ${e.caseId})` : ''}${e.actor ? ` by ${e.actor}` : ''}`, hash: e.hash })),
      // Every problem found (chain, case rows, signed reports), and what no signature covers.
      isIntact: v.isValid,
      problems: [
        ...v.problems.map((p) => p.message),
        ...(v.isValid && v.unprotectedFrom !== null ? [`Entries ${v.unprotectedFrom}–${v.head.seq} are not protected by a signed report.`] : []),
      ],
    };
  },
  async 'report.sign'(i, b) {
    const db = b.requireDb();
    if (!existsSync(identityFile(b))) throw new ApiFailure('identity-error', 'create or import your signing identity first');
    const passphrase = passphraseFor(b, i.passphrase);
    const { pdf, pdfSha256 } = await writeTurn(db, () => C.produceCaseReport(db, checkCaseId(i.caseId), { p12: readFileSync(identityFile(b)), passphrase }, { generator: `Ownerscope ${VERSION}` }));
    const dir = path.join(b.dataDir, 'reports');
    mkdirSync(dir, { recursive: true });
    const fileName = `ownerscope-report-${checkCaseId(i.caseId)}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}.pdf`;
    // the case id is C-NNNN (checked above), and the name must stay a name inside the reports folder
    const file = fileInside(dir, fileName);
    writeFileSync(file, pdf);
    b.markProduced(file);
    const c = C.getCase(db, checkCaseId(i.caseId));
    return { path: file, fileName, sha256: pdfSha256, size: pdf.length, verdict: c.decision?.verdict ?? c.computedVerdict ?? 'indeterminate' };
  },
  async 'report.verify'(i, b) {
    const trustList = readTrustList(b.dataDir);
    const r = verifyReport(readRegularFile(i.path, MAX_BYTES.report, 'report'), { trustList: trustList.map((t) => t.certSha256) });
    let stillHolds: boolean | null = null;
    const changes: string[] = [];
    // With a case database open, recompute the reported verdict on today's data (the same
    // recheck as `ownerscope verify --db`) and say what changed.
    if (r.isValid && b.db && r.evidence?.verdict) {
      try {
        const db = b.db;
        // the recheck appends an audit entry: it waits its turn
        const re = await writeTurn(db, () =>
          recheckEvidence(db, r.evidence as Parameters<typeof recheckEvidence>[1], {
            audit: { actor: null, reportEvidenceSha256: r.evidenceSha256 ?? null },
          }),
        );
        stillHolds = re.stillHolds;
        changes.push(...re.diff.changes);
      } catch (e) {
        changes.push(`could not recompute on this case database: ${(e as Error).message}`);
      }
    }
    return {
      isValid: r.isValid, status: r.status, fileName: path.basename(i.path),
      signer: r.signer ? { name: r.signer.name, org: r.signer.org, email: r.signer.email, certSha256: r.signer.certSha256 } : null,
      signerTrusted: r.signerTrusted, signerTrustedAs: trustList.find((t) => t.certSha256 === r.signer?.certSha256)?.name ?? null,
      signedAt: r.signedAt, verdict: (r.verdict as 'restricted' | 'clear' | 'indeterminate' | null) ?? null,
      subject: r.subject?.name ?? null, problems: r.reasons.map((x) => x.message), stillHolds, changes,
    };
  },
};

export const caseHandlers = { handlers, isAvailable: true, hasReports: true };
