export {
  IdentityError,
  certificateSha256,
  createIdentity,
  describeCertificate,
  loadIdentity,
  readPassphraseFile,
} from './identity.js';
export type { IdentityErrorCode, LoadedIdentity, NewIdentityInput, SignerInfo } from './identity.js';
