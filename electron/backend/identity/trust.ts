// The user's trust list: the certificate SHA-256 fingerprints of signers whose reports the user
// accepts as theirs. A self-signed certificate proves nothing about who made it (anyone can make
// one with the same name, organisation and e-mail), so `verify` and the Verify view only say a
// report is from a known signer when its fingerprint is in this list. Kept as a JSON file in the
// user's data folder, next to the app's signing identity.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IdentityError } from './identity.js';

export const TRUST_FILE_NAME = 'trusted-signers.json';
const FORMAT = 'ownerscope-trust/1';

export interface TrustedSigner {
  /** SHA-256 of the certificate DER, 64 lower-case hex digits. */
  certSha256: string;
  /** Who the user says this is (free text, shown next to the fingerprint). */
  name: string;
  addedAt: string;
  /** 'own-identity' when added because the user created or imported this identity. */
  source: 'user' | 'own-identity';
}

/**
 * The user's data folder (identity, trust list), one for the command line, browser mode and the
 * desktop app, so that a signer trusted in one is trusted in the others: $OWNERSCOPE_HOME, else
 * the platform's per-user configuration folder as Electron names it for the app "Ownerscope":
 * $XDG_CONFIG_HOME/ownerscope or ~/.config/ownerscope on Linux (the path earlier versions used),
 * ~/Library/Application Support/Ownerscope on macOS, %APPDATA%\Ownerscope on Windows. The desktop
 * app sets its userData path to this folder before it starts (electron/main/main.ts).
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.OWNERSCOPE_HOME) return path.resolve(env.OWNERSCOPE_HOME);
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ownerscope');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Ownerscope');
  const base = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return path.join(base, 'ownerscope');
}

export const trustFile = (dataDir: string) => path.join(dataDir, TRUST_FILE_NAME);

/** Lower-case hex without separators; accepts AB:CD:… and spaces as other tools print them. */
export function normalizeFingerprint(fp: string): string {
  return fp.toLowerCase().replace(/[\s:]/g, '');
}

/** A fingerprint as given by a user: normalised, or a clear error. */
export function parseFingerprint(fp: string): string {
  const n = normalizeFingerprint(fp);
  if (!/^[0-9a-f]{64}$/.test(n)) throw new IdentityError('invalid-input', `"${fp}" is not a certificate SHA-256 fingerprint (64 hex digits)`);
  return n;
}

/** The trust list; empty when the file does not exist. A damaged file is an error, never an empty list silently. */
export function readTrustList(dataDir: string): TrustedSigner[] {
  const file = trustFile(dataDir);
  if (!existsSync(file)) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new IdentityError('invalid-input', `${file}: the trust list cannot be read: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; signers?: unknown };
  if (!d || d.format !== FORMAT || !Array.isArray(d.signers)) throw new IdentityError('invalid-input', `${file}: not an Ownerscope trust list (format ${FORMAT})`);
  return d.signers.map((s: Partial<TrustedSigner>, i: number) => {
    if (!s || typeof s.certSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.certSha256) || typeof s.name !== 'string') {
      throw new IdentityError('invalid-input', `${file}: entry ${i + 1} is not a fingerprint with a name`);
    }
    return { certSha256: s.certSha256, name: s.name, addedAt: typeof s.addedAt === 'string' ? s.addedAt : '', source: s.source === 'own-identity' ? 'own-identity' : 'user' };
  });
}

function writeTrustList(dataDir: string, signers: TrustedSigner[]): void {
  mkdirSync(dataDir, { recursive: true });
  const file = trustFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, signers }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Adds (or renames) a trusted signer; returns its entry, the list and whether the fingerprint is new. */
export function addTrustedSigner(
  dataDir: string,
  input: { certSha256: string; name: string; source?: TrustedSigner['source'] },
): { signer: TrustedSigner; signers: TrustedSigner[]; isNew: boolean } {
  const certSha256 = parseFingerprint(input.certSha256);
  const name = input.name.trim();
  if (!name) throw new IdentityError('invalid-input', 'a trusted signer needs a name (--name): who is this certificate?');
  if (name.length > 200) throw new IdentityError('invalid-input', 'the name of a trusted signer is at most 200 characters');
  const signers = readTrustList(dataDir);
  const at = signers.findIndex((s) => s.certSha256 === certSha256);
  const entry: TrustedSigner = { certSha256, name, addedAt: new Date().toISOString(), source: input.source ?? 'user' };
  if (at >= 0) signers[at] = { ...signers[at]!, name };
  else signers.push(entry);
  writeTrustList(dataDir, signers);
  return { signer: at >= 0 ? signers[at]! : entry, signers, isNew: at < 0 };
}

/** Removes a trusted signer; false when it was not in the list. */
export function removeTrustedSigner(dataDir: string, fingerprint: string): { signers: TrustedSigner[]; wasListed: boolean } {
  const certSha256 = parseFingerprint(fingerprint);
  const signers = readTrustList(dataDir);
  const rest = signers.filter((s) => s.certSha256 !== certSha256);
  if (rest.length !== signers.length) writeTrustList(dataDir, rest);
  return { signers: rest, wasListed: rest.length !== signers.length };
}
