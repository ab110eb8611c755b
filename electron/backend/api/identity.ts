// The investigator's signing identity: an encrypted PKCS#12 in the user's data folder, plus a
// public description of its certificate so the UI can show who signs without the passphrase.
// The passphrase is never written in clear: it is kept by the host's secret store (Electron
// safeStorage, or memory for this session in browser mode) only when the user asks.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { MAX_BYTES, readRegularFile } from '../files/safe-path';
import path from 'node:path';
import type * as T from '../../../shared/api/types';
import { addTrustedSigner, createIdentity, describeCertificate, loadIdentity, readTrustList, removeTrustedSigner } from '../identity';
import type { Backend } from './backend';
import { ApiFailure } from './errors';
import type { HandlerGroup } from './handlers';

export const identityFile = (b: Backend) => path.join(b.dataDir, 'identity.p12');
const infoFile = (b: Backend) => path.join(b.dataDir, 'identity.json');

export function identityStatus(b: Backend): T.IdentityStatus {
  const has = existsSync(identityFile(b)) && existsSync(infoFile(b));
  const signer = has ? (JSON.parse(readFileSync(infoFile(b), 'utf8')) as T.IdentityStatus['signer']) : null;
  const stored = b.host.secrets.get() !== null;
  return { hasIdentity: has, signer, passphraseStorage: stored ? b.host.secrets.kind : 'none', isPassphraseStored: stored };
}

function save(b: Backend, p12: Buffer, passphrase: string, remember: boolean | undefined): T.IdentityStatus {
  const loaded = loadIdentity(p12, passphrase);
  const s = describeCertificate(loaded.certificate);
  writeFileSync(identityFile(b), p12, { mode: 0o600 });
  writeFileSync(
    infoFile(b),
    JSON.stringify({ name: s.name, org: s.org, email: s.email, certSha256: s.certSha256, notAfter: s.notAfter }, null, 2),
  );
  if (remember) b.host.secrets.set(passphrase);
  else b.host.secrets.clear();
  // Your own identity is trusted from the start: your reports verify as yours.
  addTrustedSigner(b.dataDir, { certSha256: s.certSha256, name: [s.name, s.org].filter(Boolean).join(', '), source: 'own-identity' });
  return identityStatus(b);
}

/** The passphrase given now, or the remembered one; a clear error when there is neither. */
export function passphraseFor(b: Backend, given: string | undefined): string {
  const p = given ?? b.host.secrets.get();
  if (!p) throw new ApiFailure('wrong-passphrase', 'the passphrase of your signing identity is needed to sign');
  return p;
}

export const identityHandlers: HandlerGroup<'identity.status' | 'identity.create' | 'identity.import' | 'identity.forget' | 'trust.list' | 'trust.add' | 'trust.remove'> = {
  async 'identity.status'(_i, b) {
    return identityStatus(b);
  },
  async 'identity.create'(i, b) {
    const p12 = createIdentity({ name: i.name, org: i.org || undefined, email: i.email || undefined, passphrase: i.passphrase });
    return save(b, p12, i.passphrase, i.remember);
  },
  async 'identity.import'(i, b) {
    return save(b, readRegularFile(i.path, MAX_BYTES.identity, 'identity file'), i.passphrase, i.remember);
  },
  async 'identity.forget'(_i, b) {
    b.host.secrets.clear();
    for (const f of [identityFile(b), infoFile(b)]) if (existsSync(f)) rmSync(f);
    return identityStatus(b);
  },
  async 'trust.list'(_i, b) {
    return { signers: readTrustList(b.dataDir) };
  },
  async 'trust.add'(i, b) {
    return { signers: addTrustedSigner(b.dataDir, { certSha256: i.certSha256, name: i.name }).signers };
  },
  async 'trust.remove'(i, b) {
    const { signers, wasListed } = removeTrustedSigner(b.dataDir, i.certSha256);
    if (!wasListed) throw new ApiFailure('not-found', `${i.certSha256} is not in your trust list`, 'certSha256');
    return { signers };
  },
};
