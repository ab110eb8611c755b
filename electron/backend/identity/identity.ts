// Signing identities: a self-signed X.509 certificate plus its private key, held only inside an
// encrypted PKCS#12. The private key exists in clear only in memory, for the length of a signing.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';

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

// Iteration count for PBKDF2 (key bag) and the PKCS#12 MAC KDF. node-forge runs the MAC KDF in
// pure JavaScript, so this is a compromise between brute-force cost and a signing that takes
// under a second.
const P12_ITERATIONS = 20_000;

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
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert], input.passphrase, {
    algorithm: 'aes256',
    prfAlgorithm: 'sha256',
    count: P12_ITERATIONS,
    saltSize: 16,
    friendlyName,
    generateLocalKeyId: true,
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
}

export function loadIdentity(p12: Buffer | Uint8Array, passphrase: string): LoadedIdentity {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
  } catch {
    throw new IdentityError('invalid-p12', 'The file is not a PKCS#12 (.p12/.pfx) identity.');
  }
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    store = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/MAC could not be verified|Invalid password|bad decrypt|decrypt/i.test(message)) {
      throw new IdentityError('wrong-passphrase', 'Wrong passphrase for this identity file.');
    }
    throw new IdentityError('invalid-p12', `The PKCS#12 identity cannot be read: ${message}`);
  }
  const keyBags = [
    ...(store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(store.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const privateKey = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) {
    // A PKCS#12 without a MAC decrypts "successfully" with any password into garbage bags.
    throw new IdentityError('no-key', 'The identity file holds no private key readable with this passphrase (wrong passphrase, or not an RSA key).');
  }
  const certs = (store.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
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
  const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
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
