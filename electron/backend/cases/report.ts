// Case → signed report → recorded in the case and the audit log: the one call behind
// `ownerscope report --case` and the app's "Sign report".
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { createSignedReport } from '../report/sign.js';
import { verifyReport } from '../report/verify.js';
import { caseReportInput, recordReport } from './cases.js';

export async function produceCaseReport(
  db: Db,
  caseId: string,
  identity: { p12: Buffer; passphrase: string },
  options: { generatedAt?: string; generator?: string; actor?: string | null } = {},
): Promise<{ pdf: Buffer; pdfSha256: string; evidenceSha256: string }> {
  const input = caseReportInput(db, caseId, options);
  const { pdf, identity: id } = await createSignedReport(input, identity.p12, identity.passphrase);
  const check = verifyReport(pdf);
  if (!check.isValid) throw new Error(`The report just signed does not verify: ${check.reasons.map((r) => r.message).join(' ')}`);
  const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
  const head = typeof input.auditHead === 'string' ? input.auditHead : input.auditHead.hash;
  recordReport(
    db,
    caseId,
    { pdfSha256, evidenceSha256: check.evidenceSha256!, verdict: check.verdict as never, signerName: id.signer.name, signerCertSha256: id.signer.certSha256, auditHead: head },
    options.actor ?? id.signer.name,
  );
  return { pdf, pdfSha256, evidenceSha256: check.evidenceSha256! };
}
