export {
  IdentityError,
  certificateSha256,
  createIdentity,
  describeCertificate,
  loadIdentity,
  readPassphraseFile,
} from './identity.js';
export type { IdentityErrorCode, LoadedIdentity, NewIdentityInput, SignerInfo } from './identity.js';
export {
  TRUST_FILE_NAME,
  addTrustedSigner,
  normalizeFingerprint,
  parseFingerprint,
  readTrustList,
  removeTrustedSigner,
  trustFile,
  userDataDir,
  type TrustedSigner,
} from './trust.js';
