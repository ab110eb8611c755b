// PKCS#12 (RFC 7292) written and read with Node's native crypto. node-forge writes only a
// SHA-1 MAC and runs every key derivation in JavaScript (600,000 PBKDF2-HMAC-SHA256 rounds take
// it many seconds), so the identity file is built here:
//   - the private key in a pkcs8ShroudedKeyBag, PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC;
//   - the certificates (public) in a plain data SafeContents, as node-forge did;
//   - the integrity MAC HMAC-SHA256, its key from the PKCS#12 KDF (RFC 7292 B.2) with SHA-256.
// Both key derivations use the same iteration count: the MAC is checked first by every reader,
// so a cheaper MAC would be the cheaper way to guess the passphrase. `openssl pkcs12` reads the
// result (test/security/identity-p12.test.ts). The ASN.1 is encoded with node-forge's DER codec.
import { createCipheriv, createDecipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

/** Digests by OID (MAC digest algorithms) and PBKDF2 PRFs by OID, as Node names them. */
const DIGESTS: Record<string, { name: string; bytes: number; block: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', bytes: 20, block: 64 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', bytes: 28, block: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', bytes: 32, block: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', bytes: 48, block: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', bytes: 64, block: 128 },
};
const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHERS: Record<string, { name: string; keyBytes: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyBytes: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyBytes: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyBytes: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyBytes: 24 },
};
const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const HMAC_SHA256_OID = '1.2.840.113549.2.9';
const AES256_CBC_OID = '2.16.840.1.101.3.4.1.42';

/** What this module writes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const P12_ITERATIONS = 600_000;
/**
 * What it accepts in a file: a hostile identity file with two billion rounds would hold the
 * backend for hours. Ten times what is written here is far above any real tool's default.
 */
export const MAX_P12_ITERATIONS = 6_000_000;

export class Pkcs12Error extends Error {
  /** 'mac': the integrity check failed (a wrong passphrase or a changed file); 'unsupported': an algorithm only node-forge reads. */
  readonly kind: 'mac' | 'decrypt' | 'format' | 'unsupported' | 'too-costly';
  constructor(kind: Pkcs12Error['kind'], message: string) {
    super(message);
    this.name = 'Pkcs12Error';
    this.kind = kind;
  }
}

type Node = forge.asn1.Asn1;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const bin = (b: Buffer) => b.toString('binary');
const buf = (s: string) => Buffer.from(s, 'binary');
const seq = (...items: Node[]) => asn1.create(U, T.SEQUENCE, true, items);
const set = (...items: Node[]) => asn1.create(U, T.SET, true, items);
const oid = (o: string) => asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: Buffer) => asn1.create(U, T.OCTETSTRING, false, bin(b));
const int = (n: number) => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(U, T.NULL, false, '');
const explicit0 = (inner: Node) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const der = (n: Node) => buf(asn1.toDer(n).getBytes());

/** The password as the PKCS#12 KDF takes it: a BMPString (UTF-16BE) with a two-byte NUL terminator. */
function bmpPassword(passphrase: string): Buffer {
  const le = Buffer.from(passphrase + '\0', 'utf16le');
  return le.swap16();
}

/** RFC 7292 appendix B.2; id 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(digest: string, passphrase: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const d = Object.values(DIGESTS).find((x) => x.name === digest);
  if (!d) throw new Pkcs12Error('unsupported', `unsupported digest ${digest}`);
  const v = d.block;
  const repeat = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([repeat(salt), repeat(bmpPassword(passphrase))]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(digest).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) a = createHash(digest).update(a).digest();
    out.push(a);
    produced += a.length;
    if (produced >= length) break;
    // I_j = (I_j + B + 1) mod 2^v for each v-byte block of I, B = A repeated to v bytes
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = a[i % a.length]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo DER of each key found. */
  keys: Buffer[];
  /** X.509 DER of each certificate found. */
  certificates: Buffer[];
}

export interface Pkcs12WriteInput {
  privateKeyInfo: Buffer;
  /** The key's own certificate first, then any chain. */
  certificates: Buffer[];
  passphrase: string;
  friendlyName?: string;
  iterations?: number;
}

function pbes2Encrypt(plain: Buffer, passphrase: string, iterations: number): Node {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const algorithm = seq(
    oid(OID.pbes2),
    seq(seq(oid(OID.pbkdf2), seq(octets(salt), int(iterations), seq(oid(HMAC_SHA256_OID), nul()))), seq(oid(AES256_CBC_OID), octets(iv))),
  );
  return seq(algorithm, octets(encrypted));
}

export function writePkcs12(input: Pkcs12WriteInput): Buffer {
  const iterations = input.iterations ?? P12_ITERATIONS;
  const localKeyId = createHash('sha1').update(input.certificates[0]!).digest();
  const attributes = () => {
    const attrs = [seq(oid(OID.localKeyId), set(octets(localKeyId)))];
    if (input.friendlyName) attrs.push(seq(oid(OID.friendlyName), set(asn1.create(U, T.BMPSTRING, false, input.friendlyName) /* forge's DER writer encodes BMPString as UTF-16BE */)));
    return set(...attrs);
  };
  const certBags = input.certificates.map((c, i) =>
    seq(oid(OID.certBag), explicit0(seq(oid(OID.x509Certificate), explicit0(octets(c)))), ...(i === 0 ? [attributes()] : [])),
  );
  const keyBag = seq(oid(OID.shroudedKeyBag), explicit0(pbes2Encrypt(input.privateKeyInfo, input.passphrase, iterations)), attributes());
  const dataInfo = (safeContents: Node) => seq(oid(OID.data), explicit0(octets(der(safeContents))));
  const authSafe = der(seq(dataInfo(seq(...certBags)), dataInfo(seq(keyBag))));

  const macSalt = randomBytes(16);
  const macKey = pkcs12Kdf('sha256', input.passphrase, macSalt, 3, iterations, 32);
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const macData = seq(seq(seq(oid(SHA256_OID), nul()), octets(mac)), octets(macSalt), int(iterations));
  return der(seq(int(3), seq(oid(OID.data), explicit0(octets(authSafe))), macData));
}

// ---- reading -------------------------------------------------------------------------------

const children = (n: Node | undefined, what: string): Node[] => {
  if (!n || !Array.isArray(n.value)) throw new Pkcs12Error('format', `${what} is not a structure`);
  return n.value as Node[];
};
const oidOf = (n: Node | undefined, what: string): string => {
  if (!n || n.type !== T.OID || typeof n.value !== 'string') throw new Pkcs12Error('format', `${what} is not an OID`);
  return asn1.derToOid(n.value);
};
/** An OCTET STRING's bytes; BER's constructed (chunked) form is joined. */
const octetsOf = (n: Node | undefined, what: string): Buffer => {
  if (!n || n.type !== T.OCTETSTRING) throw new Pkcs12Error('format', `${what} is not an OCTET STRING`);
  if (typeof n.value === 'string') return buf(n.value);
  return Buffer.concat((n.value as Node[]).map((c) => octetsOf(c, what)));
};
const intOf = (n: Node | undefined, what: string): number => {
  if (!n || n.type !== T.INTEGER || typeof n.value !== 'string') throw new Pkcs12Error('format', `${what} is not an INTEGER`);
  const bytes = buf(n.value);
  if (bytes.length > 6 || (bytes[0]! & 0x80) !== 0) throw new Pkcs12Error('too-costly', `${what} is out of range`);
  return bytes.reduce((acc, b) => acc * 256 + b, 0);
};
const fromDer = (b: Buffer, what: string): Node => {
  try {
    return asn1.fromDer(forge.util.createBuffer(bin(b)));
  } catch {
    throw new Pkcs12Error('format', `${what} is not valid DER`);
  }
};
const checkIterations = (n: number, what: string) => {
  if (n < 1) throw new Pkcs12Error('format', `${what}: iteration count ${n}`);
  if (n > MAX_P12_ITERATIONS) throw new Pkcs12Error('too-costly', `${what} asks for ${n.toLocaleString('en')} iterations (at most ${MAX_P12_ITERATIONS.toLocaleString('en')} are accepted)`);
};

/** PBES2 with PBKDF2 (any HMAC-SHA PRF) and AES-CBC or 3DES-CBC; anything else is left to node-forge. */
function pbes2Decrypt(algorithm: Node, encrypted: Buffer, passphrase: string): Buffer {
  const [algOid, params] = children(algorithm, 'encryption algorithm');
  if (oidOf(algOid, 'encryption algorithm') !== OID.pbes2) {
    // legacy PKCS#12 PBE (params: salt, iterations): node-forge decrypts it, but not at any cost
    checkIterations(intOf(children(params, 'PBE parameters')[1], 'PBE iteration count'), 'the legacy encryption');
    throw new Pkcs12Error('unsupported', 'a legacy PKCS#12 encryption');
  }
  const [kdf, scheme] = children(params, 'PBES2 parameters');
  const [kdfOid, kdfParams] = children(kdf, 'key derivation');
  if (oidOf(kdfOid, 'key derivation') !== OID.pbkdf2) throw new Pkcs12Error('unsupported', 'a key derivation other than PBKDF2');
  const kp = children(kdfParams, 'PBKDF2 parameters');
  const salt = octetsOf(kp[0], 'PBKDF2 salt');
  const iterations = intOf(kp[1], 'PBKDF2 iteration count');
  checkIterations(iterations, 'the key');
  const prfNode = kp.find((n, i) => i >= 2 && n.type === T.SEQUENCE);
  const prf = prfNode ? PRFS[oidOf(children(prfNode, 'PRF')[0], 'PRF')] : 'sha1';
  if (!prf) throw new Pkcs12Error('unsupported', 'an unknown PBKDF2 PRF');
  const [cipherOid, ivNode] = children(scheme, 'encryption scheme');
  const cipher = CIPHERS[oidOf(cipherOid, 'encryption scheme')];
  if (!cipher) throw new Pkcs12Error('unsupported', 'an unknown cipher');
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, cipher.keyBytes, prf);
  try {
    const d = createDecipheriv(cipher.name, key, octetsOf(ivNode, 'IV'));
    return Buffer.concat([d.update(encrypted), d.final()]);
  } catch {
    throw new Pkcs12Error('decrypt', 'the key cannot be decrypted with this passphrase');
  }
}

/** Checks the MAC (when there is one) and returns the AuthenticatedSafe's bytes. */
function openPfx(p12: Buffer, passphrase: string): { authSafe: Buffer; hasMac: boolean } {
  const pfx = children(fromDer(p12, 'the file'), 'the file');
  if (intOf(pfx[0], 'PFX version') !== 3) throw new Pkcs12Error('format', 'not a PKCS#12 version 3 file');
  const [ctype, content] = children(pfx[1], 'authSafe');
  if (oidOf(ctype, 'authSafe type') !== OID.data) throw new Pkcs12Error('unsupported', 'a public-key integrity mode');
  const authSafe = octetsOf(children(content, 'authSafe content')[0], 'authSafe');
  if (!pfx[2]) return { authSafe, hasMac: false };
  const [digestInfo, saltNode, iterNode] = children(pfx[2], 'MacData');
  const [algorithm, digestNode] = children(digestInfo, 'MAC');
  const digest = DIGESTS[oidOf(children(algorithm, 'MAC algorithm')[0], 'MAC algorithm')];
  if (!digest) throw new Pkcs12Error('unsupported', 'an unknown MAC digest');
  const iterations = iterNode ? intOf(iterNode, 'MAC iteration count') : 1;
  checkIterations(iterations, 'the MAC');
  const key = pkcs12Kdf(digest.name, passphrase, octetsOf(saltNode, 'MAC salt'), 3, iterations, digest.bytes);
  const expected = octetsOf(digestNode, 'MAC value');
  const actual = createHmac(digest.name, key).update(authSafe).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    throw new Pkcs12Error('mac', 'the integrity check failed: wrong passphrase, or the file was changed');
  return { authSafe, hasMac: true };
}

/**
 * Reads the keys and certificates of a PKCS#12 whose encryption is PBES2 (what this module,
 * OpenSSL 3 and node-forge's AES option write). A file using the legacy PKCS#12 PBE schemes
 * (RC2, 3DES with the PKCS#12 KDF) raises `unsupported` after its MAC was checked, so the caller
 * can hand it to node-forge without paying the MAC twice.
 */
export function readPkcs12(p12: Buffer, passphrase: string): Pkcs12Contents & { hasMac: boolean } {
  const { authSafe, hasMac } = openPfx(p12, passphrase);
  const out: Pkcs12Contents = { keys: [], certificates: [] };
  for (const info of children(fromDer(authSafe, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const [ctype, content] = children(info, 'ContentInfo');
    const type = oidOf(ctype, 'ContentInfo type');
    let safeContents: Buffer;
    if (type === OID.data) safeContents = octetsOf(children(content, 'data')[0], 'data');
    else if (type === OID.encryptedData) {
      const [, eci] = children(children(content, 'encryptedData')[0], 'EncryptedData');
      const [, algorithm, encrypted] = children(eci, 'EncryptedContentInfo');
      // [0] IMPLICIT OCTET STRING: primitive bytes or constructed chunks
      const bytes = typeof encrypted!.value === 'string' ? buf(encrypted!.value) : Buffer.concat((encrypted!.value as Node[]).map((c) => octetsOf(c, 'encrypted content')));
      safeContents = pbes2Decrypt(algorithm!, bytes, passphrase);
    } else throw new Pkcs12Error('unsupported', 'an enveloped SafeContents');
    for (const bag of children(fromDer(safeContents, 'SafeContents'), 'SafeContents')) {
      const [bagOid, bagValue] = children(bag, 'SafeBag');
      const value = children(bagValue, 'SafeBag value')[0];
      const kind = oidOf(bagOid, 'SafeBag type');
      if (kind === OID.certBag) {
        const [certType, certValue] = children(value, 'CertBag');
        if (oidOf(certType, 'CertBag type') === OID.x509Certificate) out.certificates.push(octetsOf(children(certValue, 'certificate')[0], 'certificate'));
      } else if (kind === OID.shroudedKeyBag) {
        const [algorithm, encrypted] = children(value, 'EncryptedPrivateKeyInfo');
        out.keys.push(pbes2Decrypt(algorithm!, octetsOf(encrypted, 'encrypted key'), passphrase));
      } else if (kind === OID.keyBag) {
        out.keys.push(der(value!));
      }
    }
  }
  return { ...out, hasMac };
}

/** The PFX without its MacData, for node-forge once the MAC has been checked here. */
export function withoutMac(p12: Buffer): forge.asn1.Asn1 {
  const pfx = fromDer(p12, 'the file');
  (pfx.value as Node[]).splice(2);
  return pfx;
}
