export { renderReport, INFO_KEYS, SIGNATURE_BYTES, type RenderOptions } from './render.js';
export { signReport, createSignedReport, ReportSignError } from './sign.js';
export { verifyReport, type VerifyOptions, type VerifyReason, type VerifyReasonCode, type VerifyResult } from './verify.js';
export { buildEvidence, serializeEvidence, canonicalJson, finalVerdictOf, EVIDENCE_FILE_NAME, EVIDENCE_FORMAT, type Evidence } from './evidence.js';
export type * from './types.js';
