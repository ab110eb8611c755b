// Signing identities: a self-signed X.509 certificate plus its private key, held only inside an
// encrypted PKCS#12. The private key exists in clear only in memory, for the length of a signing.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { MAX_BYTES, readRegularFile } from '../files/safe-path';
import forge from 'node-forge';
import { Pkcs12Error, readPkcs12, withoutMac, writePkcs12 } from './p12';

export type IdentityErrorCode = 'wrong-passphrase' | 'invalid-p12' | 'no-key' | 'no-certificate' | 'invalid-input';

export class IdentityError extends Error {
  readonly code: IdentityErrorCode;
  constructor(code: IdentityErrorCode, message: string) {
    super(message);
    this.name = 'IdentityError';
    this.code = code;
  }
}

export interface NewIdentityInput {
  name: string;
  org?: string;
  email?: string;
  passphrase: string;
  /** Certificate lifetime; signatures stay verifiable after expiry, this only bounds reuse. Default 5 years. */
  validYears?: number;
  /** RSA modulus size; 2048 minimum. Default 3072. */
  keyBits?: number;
}

/** Who a certificate names, as shown in reports and by `verify`. */
export interface SignerInfo {
  name: string;
  org: string | null;
  email: string | null;
  /** SHA-256 of the certificate DER, lower-case hex: the identity's fingerprint. */
  certSha256: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  isSelfSigned: boolean;
}

export interface LoadedIdentity {
  signer: SignerInfo;
  certificatePem: string;
  /** Kept as forge objects: callers hand them straight to the PKCS#7 signer. */
  privateKey: forge.pki.rsa.PrivateKey;
  certificate: forge.pki.Certificate;
  /** Other certificates in the file (an organisation's chain), embedded in signatures. */
  chain: forge.pki.Certificate[];
}

const MIN_PASSPHRASE_LENGTH = 8;

export function createIdentity(input: NewIdentityInput): Buffer {
  const name = input.name?.trim();
  if (!name) throw new IdentityError('invalid-input', 'An identity needs a name.');
  if (!input.passphrase || input.passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new IdentityError('invalid-input', `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  const email = input.email?.trim() || undefined;
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) throw new IdentityError('invalid-input', `Not an e-mail address: ${email}`);
  const bits = input.keyBits ?? 3072;
  if (bits < 2048) throw new IdentityError('invalid-input', 'RSA keys shorter than 2048 bits are refused.');

  // Node's native generator: forge's pure-JS one takes seconds for 3072 bits.
  const { privateKey: keyPem } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.rsa.setPublicKey(privateKey.n, privateKey.e);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive 16-byte serial: the high bit cleared so DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + (input.validYears ?? 5));
  cert.validity.notAfter = notAfter;

  const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: name, valueTagClass: forge.asn1.Type.UTF8 as never }];
  if (input.org?.trim()) attrs.push({ name: 'organizationName', value: input.org.trim(), valueTagClass: forge.asn1.Type.UTF8 as never });
  if (email) attrs.push({ name: 'emailAddress', value: email });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    // emailProtection/documentSigning style EKU: 1.3.6.1.5.5.7.3.4 is what PDF readers recognise.
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (email) extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: email }] });
  cert.setExtensions(extensions);
  cert.sign(privateKey, forge.md.sha256.create());

  const friendlyName = email ? `${name} <${email}>` : name;
  // PKCS#12 written natively (p12.ts): node-forge's writer has only a SHA-1 MAC and would run
  // 600,000 PBKDF2 rounds in JavaScript
  return writePkcs12({
    privateKeyInfo: Buffer.from(forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey))).getBytes(), 'binary'),
    certificates: [Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')],
    passphrase: input.passphrase,
    friendlyName,
  });
}

const WRONG_PASSPHRASE = 'Wrong passphrase for this identity file.';

/** Keys and certificates of the file: natively (PBES2, any MAC), else by node-forge (legacy PBE schemes). */
function readBags(p12: Buffer, passphrase: string): { keys: forge.pki.PrivateKey[]; certs: forge.pki.Certificate[] } {
  try {
    const r = readPkcs12(p12, passphrase);
    return {
      keys: r.keys.map((k) => forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(k.toString('binary'))))),
      certs: r.certificates.map((c) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(c.toString('binary'))))),
    };
  } catch (err) {
    if (!(err instanceof Pkcs12Error)) throw new IdentityError('invalid-p12', `The PKCS#12 identity cannot be read: ${(err as Error).message}`);
    if (err.kind === 'mac') throw new IdentityError('wrong-passphrase', WRONG_PASSPHRASE);
    if (err.kind === 'too-costly') throw new IdentityError('invalid-p12', `The identity file is refused: ${err.message}.`);
    if (err.kind === 'format') throw new IdentityError('invalid-p12', `The file is not a PKCS#12 (.p12/.pfx) identity (${err.message}).`);
    // 'unsupported' (RC2, 3DES-PBE) or 'decrypt' after a good MAC (a key encrypted from a
    // non-ASCII passphrase by node-forge, which does not use UTF-8): node-forge reads those.
    // Its MAC check is skipped: it passed above, and forge would redo it in JavaScript.
  }
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    store = forge.pkcs12.pkcs12FromAsn1(withoutMac(p12), false, passphrase);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/Invalid password|bad decrypt|decrypt/i.test(message)) throw new IdentityError('wrong-passphrase', WRONG_PASSPHRASE);
    throw new IdentityError('invalid-p12', `The PKCS#12 identity cannot be read: ${message}`);
  }
  const keys = [
    ...(store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(store.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ].flatMap((b) => (b.key ? [b.key] : []));
  const certs = (store.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  return { keys, certs };
}

export function loadIdentity(p12: Buffer | Uint8Array, passphrase: string): LoadedIdentity {
  const { keys, certs } = readBags(Buffer.from(p12), passphrase);
  const privateKey = keys.find((k) => (k as forge.pki.rsa.PrivateKey).n) as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) {
    // A PKCS#12 without a MAC decrypts "successfully" with any password into garbage bags.
    throw new IdentityError('no-key', 'The identity file holds no private key readable with this passphrase (wrong passphrase, or not an RSA key).');
  }
  const certificate = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n && pub.n.compareTo(privateKey.n) === 0 && pub.e.compareTo(privateKey.e) === 0;
  });
  if (!certificate) throw new IdentityError('no-certificate', 'The identity file has no certificate matching its private key.');
  return {
    signer: describeCertificate(certificate),
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKey,
    certificate,
    chain: certs.filter((c) => c !== certificate),
  };
}

/** Reads a passphrase file as the CLI does: UTF-8, one trailing newline (LF or CRLF) dropped. */
export function readPassphraseFile(path: string): string {
  const text = readRegularFile(path, MAX_BYTES.small, 'passphrase file').toString('utf8').replace(/\r?\n$/, '');
  if (!text) throw new IdentityError('invalid-input', `The passphrase file is empty: ${path}`);
  return text;
}

export function certificateSha256(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

function field(cert: forge.pki.Certificate, shortName: string): string | null {
  const f = cert.subject.getField(shortName) as { value?: string } | null;
  if (!f || typeof f.value !== 'string') return null;
  // forge hands UTF8String values back as raw UTF-8 bytes in a binary string.
  try {
    return forge.util.decodeUtf8(f.value);
  } catch {
    return f.value;
  }
}

export function describeCertificate(cert: forge.pki.Certificate): SignerInfo {
  let isSelfSigned = false;
  try {
    isSelfSigned = cert.isIssuer(cert) && cert.verify(cert);
  } catch {
    isSelfSigned = false;
  }
  return {
    name: field(cert, 'CN') ?? '(no common name)',
    org: field(cert, 'O'),
    email: field(cert, 'E'),
    certSha256: certificateSha256(cert),
    serialNumber: cert.serialNumber,
    notBefore: cert.validity.notBefore.toISOString(),
    notAfter: cert.validity.notAfter.toISOString(),
    isSelfSigned,
  };
}
