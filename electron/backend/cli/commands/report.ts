// Commands of signed reports: identity (new, show), report, verify.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as C from '../../cases';
import { addTrustedSigner, createIdentity, loadIdentity, parseFingerprint, readTrustList, trustFile, userDataDir, type SignerInfo, type TrustedSigner } from '../../identity';
import { recheckEvidence, type RecheckResult } from '../../recheck';
import { recheckAssertions, type AssertionRecheck } from '../../assertions/check';
import { verifyReport, type VerifyResult } from '../../report';
import { VERSION } from '../../api/version';
import { checkCaseId, MAX_BYTES, PathError, readRegularFile } from '../../files/safe-path';
import { dateOption, intOption, parse, printJson, requireDb, UsageError, withCaseWrite, type CliIo, type Command } from '../io';
import type { Db } from '../../store/db';
import { actorOf, openCaseFor } from './cases';
import { passphraseOf } from '../passphrase';

/** A whole input file: a regular file only, at most `max` bytes (files/safe-path.ts). */
function readInput(file: string, what: string, max: number): Buffer {
  try {
    return readRegularFile(file, max, what);
  } catch (e) {
    if (e instanceof PathError && e.isMissing) throw new Error(`${file}: no such ${what}`);
    throw e;
  }
}

/** Writes next to the target, then renames: a reader never sees half a file. */
function writeAtomically(file: string, data: Buffer, mode?: number): void {
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${file}: the folder ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, mode === undefined ? {} : { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function signerLine(s: SignerInfo): string {
  return `${s.name}${s.org ? `, ${s.org}` : ''}${s.email ? ` <${s.email}>` : ''}`;
}

const signerJson = (s: SignerInfo) => ({ name: s.name, org: s.org, email: s.email, certSha256: s.certSha256, serialNumber: s.serialNumber, notBefore: s.notBefore, notAfter: s.notAfter, isSelfSigned: s.isSelfSigned });

// ---------------------------------------------------------------------------------------------

const identityUsages = {
  new: 'ownerscope identity new --name NAME [--org ORG] [--email EMAIL] --out ID.p12 [--passphrase-file FILE] [--key-bits 2048|3072|4096] [--valid-years N] [--force] [--json]',
  show: 'ownerscope identity show ID.p12 [--passphrase-file FILE] [--json]',
};
const identityUsage = Object.values(identityUsages).join('\n       ');

export const identityCommand: Command = {
  name: 'identity',
  summary: 'Signing identities: create a self-signed certificate and key in an encrypted PKCS#12, or check one (yours or your organisation\'s)',
  usage: identityUsage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'new') {
      const u = identityUsages.new;
      const { values, positionals } = parse(
        rest,
        {
          name: { type: 'string' }, org: { type: 'string' }, email: { type: 'string' }, out: { type: 'string' }, 'passphrase-file': { type: 'string' },
          'key-bits': { type: 'string' }, 'valid-years': { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' },
        },
        u,
      );
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${u}`);
      if (!values.name?.trim()) throw new UsageError(`--name NAME is required\nusage: ${u}`);
      if (!values.out) throw new UsageError(`--out ID.p12 is required\nusage: ${u}`);
      const keyBits = intOption(values['key-bits'], '--key-bits', 3072);
      if (![2048, 3072, 4096].includes(keyBits)) throw new UsageError(`--key-bits must be 2048, 3072 or 4096, got ${keyBits}`);
      const validYears = intOption(values['valid-years'], '--valid-years', 5);
      if (validYears < 1 || validYears > 30) throw new UsageError('--valid-years must be between 1 and 30');
      if (existsSync(values.out) && !values.force) throw new Error(`${values.out} already exists: choose another --out, or --force to replace it`);
      const passphrase = await passphraseOf(values['passphrase-file'], io, { confirm: true, usage: u });
      const p12 = createIdentity({ name: values.name, org: values.org, email: values.email, passphrase, keyBits, validYears });
      const signer = loadIdentity(p12, passphrase).signer;
      writeAtomically(values.out, p12, 0o600);
      // Your own identity is trusted from the start: your reports verify as yours. A failure here
      // leaves the identity usable and only means verify will not know it (said on stderr).
      const trustList = trustFile(userDataDir(io.env));
      let trusted = false;
      try {
        addTrustedSigner(userDataDir(io.env), { certSha256: signer.certSha256, name: signerLine(signer), source: 'own-identity' });
        trusted = true;
      } catch (e) {
        io.stderr(`ownerscope identity: the identity was written, but not added to your trust list ${trustList}: ${(e as Error).message}\n`);
      }
      if (values.json) printJson(io, { out: values.out, signer: signerJson(signer), trusted, trustList });
      else
        io.stdout(
          `identity ${signerLine(signer)} written to ${values.out} (encrypted PKCS#12)\ncertificate sha256 ${signer.certSha256}, valid until ${signer.notAfter.slice(0, 10)}\n` +
            (trusted ? `added to your trust list (${trustList})\n` : '') +
            'Publish the certificate SHA-256 to those who will check your reports; keep the passphrase file private.\n',
        );
      return 0;
    }
    if (sub === 'show') {
      const u = identityUsages.show;
      const { values, positionals } = parse(rest, { 'passphrase-file': { type: 'string' }, json: { type: 'boolean' } }, u);
      if (positionals.length !== 1) throw new UsageError(`exactly one ID.p12 expected\nusage: ${u}`);
      const loaded = loadIdentity(readInput(positionals[0]!, 'identity file', MAX_BYTES.identity), await passphraseOf(values['passphrase-file'], io, { usage: u }));
      if (values.json) printJson(io, { file: positionals[0], signer: signerJson(loaded.signer), chainCertificates: loaded.chain.length });
      else
        io.stdout(
          `${signerLine(loaded.signer)}\ncertificate sha256 ${loaded.signer.certSha256}\nserial ${loaded.signer.serialNumber}, valid ${loaded.signer.notBefore.slice(0, 10)} to ${loaded.signer.notAfter.slice(0, 10)}, ${loaded.signer.isSelfSigned ? 'self-signed' : 'issued by a certification authority'}${loaded.chain.length ? `, ${loaded.chain.length} chain certificate(s)` : ''}\n`,
        );
      return 0;
    }
    throw new UsageError(`${sub ? `unknown identity command "${sub}"` : 'an identity command is required'}\nusage: ${identityUsage}`);
  },
};

// ---------------------------------------------------------------------------------------------

const reportUsage =
  'ownerscope report --db CASE.db (REF | --case CASEID) --out REPORT.pdf --key ID.p12 [--passphrase-file FILE] [--policy PRESET|FILE.json] [--as-of YYYY-MM-DD] [--actor NAME] [--no-documents] [--json]';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Sign a PDF verdict report for a decided case (or, given a REF, for a new case confirmed by signing)',
  usage: reportUsage,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        db: { type: 'string' }, case: { type: 'string' }, out: { type: 'string' }, key: { type: 'string' }, 'passphrase-file': { type: 'string' },
        policy: { type: 'string' }, 'as-of': { type: 'string' }, actor: { type: 'string' }, json: { type: 'boolean' }, 'no-documents': { type: 'boolean' },
      },
      reportUsage,
    );
    const dbFile = requireDb(values.db, reportUsage);
    if (positionals.length > 1) throw new UsageError(`at most one REF expected\nusage: ${reportUsage}`);
    const ref = positionals[0];
    if (Boolean(ref) === Boolean(values.case)) throw new UsageError(`give exactly one of REF or --case CASEID\nusage: ${reportUsage}`);
    if (values.case && (values.policy || values['as-of'])) throw new UsageError(`--policy and --as-of apply to a new case (REF); a case keeps the policy it was opened with\nusage: ${reportUsage}`);
    if (!values.out) throw new UsageError(`--out REPORT.pdf is required\nusage: ${reportUsage}`);
    if (!values.key) throw new UsageError(`--key ID.p12 is required\nusage: ${reportUsage}`);
    const asOf = dateOption(values['as-of'], '--as-of');
    // The identity is checked before anything is written: a wrong passphrase opens no case.
    const p12 = readInput(values.key, 'identity file', MAX_BYTES.identity);
    const passphrase = await passphraseOf(values['passphrase-file'], io, { usage: reportUsage });
    const signer = loadIdentity(p12, passphrase).signer;
    const outFile = values.out;
    const outDir = path.dirname(path.resolve(outFile));
    if (!existsSync(outDir)) throw new Error(`${values.out}: the folder ${outDir} does not exist`);
    return withCaseWrite(dbFile, io, async (db) => {
      let caseId = values.case === undefined ? undefined : checkCaseId(values.case);
      let created = false;
      if (!caseId) {
        // The open case on this subject under this policy (e.g. from `case new`) when there is
        // one; else a case opened now. Undecided, it is confirmed by the signer, who stands behind
        // the computed verdict by signing; a decided one is signed as decided.
        const actor = values.actor?.trim() || signer.name;
        const { record, reused } = openCaseFor(db, ref!, values.policy, asOf, actor, { reuseOpen: true });
        if (!record.decision) C.decideCase(db, record.id, { kind: 'confirm', justification: 'Confirmed by signing the report (ownerscope report REF).' }, actor);
        caseId = record.id;
        created = !reused;
      } else {
        const c = C.getCase(db, caseId);
        if (!c.decision) throw new Error(`case ${caseId} has no decision yet: run ownerscope case decide --db ${dbFile} ${caseId} --confirm | --override VERDICT --why TEXT`);
      }
      const { pdf, pdfSha256, evidenceSha256 } = await C.produceCaseReport(db, caseId, { p12, passphrase }, { generator: `Ownerscope ${VERSION}`, actor: values.actor?.trim() || signer.name, embedDocuments: !values['no-documents'] });
      writeAtomically(outFile, pdf);
      const c = C.getCase(db, caseId);
      const head = C.auditHead(db);
      const summary = {
        out: values.out, caseId, caseCreated: created,
        subject: { ref: c.subjectRef, name: c.subjectName },
        verdict: c.decision?.verdict ?? c.computedVerdict, computedVerdict: c.computedVerdict, decision: c.decision?.kind ?? null,
        policy: { name: c.policy.name, sha256: c.policy.sha256 },
        signer: signerJson(signer), pdfSha256, evidenceSha256, size: pdf.length,
        auditHead: { seq: head.seq, hash: head.hash },
      };
      if (values.json) printJson(io, summary);
      else
        io.stdout(
          `${values.out}: signed report for case ${caseId}${created ? ' (opened and confirmed now)' : ''}: ${String(summary.verdict).toUpperCase()} — ${c.subjectName ?? c.subjectRef}\n` +
            `signed by ${signerLine(signer)} (certificate sha256 ${signer.certSha256})\npdf sha256 ${pdfSha256}, evidence sha256 ${evidenceSha256}, ${pdf.length.toLocaleString('en')} bytes\n`,
        );
      return 0;
    });
  },
};

// ---------------------------------------------------------------------------------------------

const verifyUsage = 'ownerscope verify REPORT.pdf [--db CASE.db] [--as-of YYYY-MM-DD] [--trust CERT_SHA256]... [--require-trusted] [--actor NAME] [--json]';

/** The top line: what a reader of the report may conclude. */
export const VERIFY_STATUS_TEXT = {
  valid: 'VALID',
  'valid-untrusted-signer': 'VALID SIGNATURE, SIGNER NOT IN YOUR TRUST LIST',
  invalid: 'INVALID',
} as const;

interface AuditCheck {
  /** Whether this database recorded the signing of this very report (same evidence SHA-256). */
  reportRecorded: boolean;
  caseId: string | null;
  /** The whole audit check with this report as an anchor; null when the report is not from this database. */
  chain: C.AuditVerification | null;
  /** The entry the report signed (its own report.sign entry, or the head before it for older reports), as found in this log. */
  signingEntry: { seq: number | null; hash: string | null; status: C.AnchorStatus; message: string } | null;
}

function recheckJson(r: RecheckResult) {
  return {
    asOf: r.policy.asOf, reportAsOf: r.policy.reportAsOf,
    subject: r.subject, policy: { name: r.policy.name, sha256: r.policy.sha256, reportSha256: r.policy.reportSha256 },
    stillHolds: r.stillHolds, verdict: r.verdict.verdict, reportComputedVerdict: r.diff.thenVerdict, reportedVerdict: r.reportedVerdict, wasOverride: r.wasOverride,
    methods: r.diff.methods, paths: r.diff.paths, sources: r.diff.sources, gaps: r.diff.gaps, changes: r.diff.changes,
  };
}

function verifyText(file: string, v: VerifyResult, trustedAs: string | null): string {
  if (!v.isValid) return `INVALID: ${file}\n` + v.reasons.map((r) => `  - ${r.message} [${r.code}]\n`).join('');
  const e = v.evidence!;
  const d = e.decision;
  let out =
    v.status === 'valid'
      ? `VALID: ${file} is an intact signed Ownerscope report\n`
      : `${VERIFY_STATUS_TEXT['valid-untrusted-signer']}: ${file} is an intact signed Ownerscope report, but its signer's certificate is not in your trust list:\n` +
        '  anyone can make a certificate with this name, organisation and e-mail. Compare the fingerprint below with the one the signer\n' +
        `  published, then: ownerscope trust add ${v.signer!.certSha256} --name "${v.signer!.name}"\n`;
  out += `signed by:  ${signerLine(v.signer!)}\n            certificate sha256 ${v.signer!.certSha256}${trustedAs ? ` (in your trust list as "${trustedAs}")` : ' (NOT in your trust list)'}\n`;
  out += `signed at:  ${v.signedAt ?? 'unknown'}\n`;
  out += `verdict:    ${String(v.verdict).toUpperCase()}${d ? (d.kind === 'override' ? ` (override of the computed ${String(v.computedVerdict).toUpperCase()}${d.justification ? `: ${d.justification}` : ''})` : ' (computed verdict confirmed)') : ''}\n`;
  out += `subject:    ${v.subject!.name}${e.verdict.subject.identifiers?.length ? ` (${e.verdict.subject.identifiers.slice(0, 3).join(', ')})` : ''}\n`;
  out += `case:       ${v.caseId}\n`;
  out += `policy:     ${e.verdict.policy.name} (sha256 ${e.verdict.policy.sha256}), as of ${e.verdict.asOf}\n`;
  out += `evidence:   sha256 ${v.evidenceSha256}; audit head ${e.auditHead.seq ? `#${e.auditHead.seq} ` : ''}${e.auditHead.hash}\n`;
  return out;
}

function recheckText(dbFile: string, r: RecheckResult): string {
  let out = `\non ${dbFile} as of ${r.policy.asOf} (the report: as of ${r.policy.reportAsOf}), same policy:\n`;
  out += r.stillHolds
    ? `  the verdict STILL HOLDS: ${r.verdict.verdict.toUpperCase()}\n`
    : `  the verdict NO LONGER HOLDS: the engine now computes ${r.verdict.verdict.toUpperCase()}; the report's computed verdict was ${r.diff.thenVerdict.toUpperCase()}\n`;
  if (r.wasOverride) out += `  (the report states ${r.reportedVerdict.toUpperCase()}, the investigator's override)\n`;
  out += r.diff.changes.length ? '  what changed:\n' + r.diff.changes.map((c) => `    - ${c}\n`).join('') : '  nothing changed in shares, paths, sources or gaps\n';
  if (r.verdict.reasons[0]) out += `  today: ${r.verdict.reasons[0]}\n`;
  return out;
}

function auditText(a: AuditCheck): string {
  if (!a.chain) return '  this database did not sign this report (neither the report nor its case is in it): its audit log is not checked against it\n';
  const s = a.signingEntry!;
  let out = s.status === 'ok' ? `  audit log: holds the entry the report signed, unchanged (#${s.seq}, case ${a.caseId})\n` : `  audit log: ${s.message}\n`;
  if (!a.chain.isValid) out += `  audit log BROKEN: ${a.chain.problems.map((p) => p.message).join(' ')}\n`;
  else if (a.chain.unprotectedFrom !== null) out += `  entries ${a.chain.unprotectedFrom}–${a.chain.head.seq} are newer than the last signed report: not protected\n`;
  return out;
}

/**
 * The report is checked against this database's log when the database signed it (its report
 * row is there) or holds its case (same id, opened at the same time): then the log must still
 * hold the entry the report signed. Deleting the report row does not make the check go away.
 */
function auditCheckOf(db: Db, file: string, pdf: Buffer, v: VerifyResult, trustList: string[]): AuditCheck {
  const recorded = C.findReportByEvidence(db, v.evidenceSha256!);
  const ev = v.evidence!;
  const sameCase = (() => {
    try {
      return C.getCase(db, ev.case.id).createdAt === ev.case.openedAt;
    } catch {
      return false;
    }
  })();
  if (!recorded && !sameCase) return { reportRecorded: false, caseId: null, chain: null, signingEntry: null };
  const chain = C.verifyAuditChain(db, { reports: [{ source: 'file', file, pdf }], trustList });
  const a = chain.anchors.find((x) => x.report.source === 'file')!;
  return { reportRecorded: !!recorded, caseId: recorded?.caseId ?? ev.case.id, chain, signingEntry: { seq: a.seq, hash: a.hash, status: a.status, message: a.message } };
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Verify a signed report offline (signature, whole-file coverage, evidence); with --db, whether its verdict still holds today',
  usage: verifyUsage,
  async run(args, io: CliIo) {
    const { values, positionals } = parse(
      args,
      {
        db: { type: 'string' }, 'as-of': { type: 'string' }, trust: { type: 'string', multiple: true }, 'require-trusted': { type: 'boolean' },
        actor: { type: 'string' }, json: { type: 'boolean' },
      },
      verifyUsage,
    );
    if (positionals.length !== 1) throw new UsageError(`exactly one REPORT.pdf expected\nusage: ${verifyUsage}`);
    const file = positionals[0]!;
    const asOf = dateOption(values['as-of'], '--as-of');
    let trusted: string[] | undefined;
    try {
      trusted = values.trust?.map(parseFingerprint);
    } catch (e) {
      throw new UsageError(`--trust takes a certificate SHA-256 (64 hex digits): ${(e as Error).message}`);
    }
    const trustList: TrustedSigner[] = readTrustList(userDataDir(io.env));
    const pdf = readInput(file, 'report', MAX_BYTES.report);
    // --trust pins the signer: any other is a failure, whatever the trust list says (a script
    // asking "is this Alice's?" gets that answer). --require-trusted fails any signer outside
    // the trust list and --trust. Otherwise an unknown signer is reported, not failed.
    const v = verifyReport(pdf, {
      ...(trusted ? { trustedCertSha256: trusted } : {}),
      trustList: trustList.map((t) => t.certSha256),
      requireTrusted: Boolean(values['require-trusted']),
    });
    const fp = v.signer?.certSha256;
    const trustedAs = !fp ? null : (trustList.find((t) => t.certSha256 === fp)?.name ?? (trusted?.includes(fp) ? '--trust' : null));
    let recheck: RecheckResult | null = null;
    let audit: AuditCheck | null = null;
    let recheckError: string | null = null;
    let asserted: AssertionRecheck | null = null;
    const evidence = v.evidence;
    if (values.db && v.isValid && evidence) {
      await withCaseWrite(values.db, io, (db) => {
        audit = auditCheckOf(db, file, pdf, v, [...trustList.map((t) => t.certSha256), ...(trusted ?? [])]);
        // the investigator's assertions the report used, and their documents, as recorded
        asserted = recheckAssertions(db, evidence);
        try {
          recheck = recheckEvidence(db, evidence, { asOf, audit: { actor: actorOf(values.actor, io), reportEvidenceSha256: v.evidenceSha256 } });
        } catch (e) {
          recheckError = (e as Error).message;
        }
      });
    }
    if (values.json) {
      printJson(io, {
        file, status: v.status, statusText: VERIFY_STATUS_TEXT[v.status], isValid: v.isValid, reasons: v.reasons,
        signer: v.signer ? signerJson(v.signer) : null, signerCertSha256: fp ?? null, signerTrusted: v.signerTrusted, signerTrustedAs: trustedAs, signedAt: v.signedAt,
        verdict: v.verdict, computedVerdict: v.computedVerdict, decision: v.evidence?.decision ?? null,
        caseId: v.caseId, subject: v.evidence ? { ...v.subject, identifiers: v.evidence.verdict.subject.identifiers ?? [] } : v.subject,
        policy: v.evidence ? { name: v.evidence.verdict.policy.name, sha256: v.evidence.verdict.policy.sha256 } : null, asOf: v.evidence?.verdict.asOf ?? null,
        evidenceSha256: v.evidenceSha256, auditHead: v.evidence?.auditHead ?? null, coversWholeFile: v.coversWholeFile,
        ...(values.db ? { recheck: recheck ? recheckJson(recheck) : null, recheckError: recheckError ?? (v.isValid ? null : 'not rechecked: the report is not valid'), audit, assertions: asserted } : {}),
      });
    } else {
      let out = verifyText(file, v, trustedAs);
      if (values.db) {
        if (!v.isValid) out += `\nnot rechecked against ${values.db}: the report is not valid\n`;
        else if (recheck) out += recheckText(values.db, recheck);
        else out += `\ncannot recheck on ${values.db}: ${recheckError}\n`;
        if (audit) out += auditText(audit);
        if (asserted) out += assertionsText(asserted);
      }
      io.stdout(out);
    }
    if (!v.isValid) {
      io.stderr(`ownerscope verify: ${file}: ${v.reasons[0]!.message}\n`);
      return 1;
    }
    // Fail closed: an intact report whose database's log was tampered with is not a pass.
    const chain = (audit as AuditCheck | null)?.chain;
    if (chain && !chain.isValid) {
      io.stderr(`ownerscope verify: ${file} is intact, but the audit log of ${values.db} is not: ${chain.problems[0]!.message}\n`);
      return 1;
    }
    const a = asserted as AssertionRecheck | null;
    if (a && !a.unchanged) {
      io.stderr(`ownerscope verify: ${file} is intact, but the assertions it used are not as it recorded them in ${values.db}: ${a.problems[0]!.message}\n`);
      return 1;
    }
    return 0;
  },
};

function assertionsText(a: AssertionRecheck): string {
  if (a.checked === 0) return '';
  let out = a.unchanged
    ? `  assertions: the ${a.checked} investigator assertion${a.checked === 1 ? '' : 's'} the report used and their documents are unchanged\n`
    : `  assertions CHANGED: ${a.problems.map((p) => p.message).join(' ')}\n`;
  for (const r of a.retracted) out += `  assertion ${r.id} was RETRACTED since the report (${r.at}: ${r.reason}): the verdict used a retracted assertion\n`;
  return out;
}
