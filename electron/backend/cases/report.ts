// Case → signed report → recorded in the case and the audit log: the one call behind
// `ownerscope report --case` and the app's "Sign report".
//
// The report names the audit head *including* its own report.sign entry: the entry is computed
// first (prepareReport), its hash goes into the evidence, the PDF is rendered and signed, and only
// then are the entry, the report row (with the PDF) and the case status written in one
// transaction. The entry cannot hold the PDF's hash (the PDF holds the entry's); it holds the
// SHA-256 of the evidence without its audit head instead, and the stored PDF is the rest.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { loadIdentity } from '../identity/index.js';
import { evidenceBodySha256 } from '../report/evidence.js';
import { createSignedReport } from '../report/sign.js';
import { verifyReport } from '../report/verify.js';
import { AuditHeadMovedError } from './audit.js';
import { prepareReport, recordPreparedReport } from './cases.js';

/** Signing renders a PDF (seconds); if the log moves meanwhile, the report is made again on the new head. */
const ATTEMPTS = 3;

export async function produceCaseReport(
  db: Db,
  caseId: string,
  identity: { p12: Buffer; passphrase: string },
  options: { generatedAt?: string; generator?: string; actor?: string | null; embedDocuments?: boolean } = {},
): Promise<{ pdf: Buffer; pdfSha256: string; evidenceSha256: string; auditHead: { seq: number; hash: string } }> {
  const { signer } = loadIdentity(identity.p12, identity.passphrase);
  for (let attempt = 1; ; attempt++) {
    const prepared = prepareReport(db, caseId, signer, { ...options, actor: options.actor ?? signer.name });
    const { pdf } = await createSignedReport(prepared.input, identity.p12, identity.passphrase);
    const check = verifyReport(pdf);
    if (!check.isValid) throw new Error(`The report just signed does not verify: ${check.reasons.map((r) => r.message).join(' ')}`);
    if (!check.evidence || evidenceBodySha256(check.evidence) !== prepared.evidenceBodySha256) throw new Error('internal: the signed evidence is not the evidence its report.sign entry records');
    const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
    try {
      recordPreparedReport(db, prepared, { pdf, pdfSha256, evidenceSha256: check.evidenceSha256! });
    } catch (e) {
      if (e instanceof AuditHeadMovedError && attempt < ATTEMPTS) continue;
      throw e;
    }
    const e = prepared.sign.entry;
    return { pdf, pdfSha256, evidenceSha256: check.evidenceSha256!, auditHead: { seq: e.seq, hash: e.hash } };
  }
}
