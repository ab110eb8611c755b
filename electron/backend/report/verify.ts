// Offline verification of a signed report: the PKCS#7 signature over the byte ranges, that the
// ranges cover the whole file, and that the embedded evidence is the evidence the signed pages
// were made from (its SHA-256 is in the signed document information and printed on the page).
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import forge from 'node-forge';
import { describeCertificate, type SignerInfo } from '../identity/index.js';
import { EVIDENCE_FILE_NAME, EVIDENCE_FORMAT, sha256Hex, type Evidence } from './evidence.js';
import { PdfReader, PdfString, isDict, type PdfDict, type PdfValue } from './pdf-parse.js';
import { INFO_KEYS } from './render.js';

export type VerifyReasonCode =
  | 'no-signature'
  | 'signature-empty'
  | 'byte-range-invalid'
  | 'truncated'
  | 'modified-after-signing'
  | 'signature-unreadable'
  | 'digest-mismatch'
  | 'signature-invalid'
  | 'signer-mismatch'
  | 'untrusted-signer'
  | 'not-a-report'
  | 'evidence-missing'
  | 'evidence-unreadable'
  | 'evidence-hash-mismatch'
  | 'evidence-mismatch';

export interface VerifyReason {
  code: VerifyReasonCode;
  message: string;
}

export interface VerifyResult {
  isValid: boolean;
  /** Empty when valid; otherwise every problem found, most fundamental first. */
  reasons: VerifyReason[];
  signer: SignerInfo | null;
  /** Signing time claimed by the signer (signingTime attribute), ISO-8601. */
  signedAt: string | null;
  /** The verdict the report states (after the investigator's decision). */
  verdict: string | null;
  computedVerdict: string | null;
  caseId: string | null;
  subject: { id: string; name: string } | null;
  evidence: Evidence | null;
  evidenceSha256: string | null;
  /** True when the signed byte ranges cover every byte of the file except the signature itself. */
  coversWholeFile: boolean;
}

export interface VerifyOptions {
  /** Certificate SHA-256 fingerprints the caller trusts; when given, any other signer is a failure. */
  trustedCertSha256?: string[];
}

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

type Asn1 = forge.asn1.Asn1;

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

function bytesOf(node: Asn1 | undefined): Buffer {
  return Buffer.from(typeof node?.value === 'string' ? node.value : '', 'binary');
}

function derOf(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

interface ParsedSignature {
  certs: Asn1[];
  serialHex: string;
  digestName: string;
  signedAttrs: Asn1 | null;
  messageDigest: Buffer | null;
  signingTime: Date | null;
  signature: Buffer;
}

function parsePkcs7(der: Buffer): ParsedSignature {
  const root = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { strict: false, parseAllBytes: false } as never);
  const [oid, wrapped] = children(root);
  if (!oid || forge.asn1.derToOid(oid.value as string) !== OID.signedData) throw new Error('not a PKCS#7 signedData');
  const sd = children(wrapped)[0];
  const parts = children(sd);
  const certNode = parts.find((p) => p.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
  const signerInfos = parts[parts.length - 1];
  const si = children(signerInfos)[0];
  if (!si) throw new Error('no SignerInfo');
  const s = children(si);
  const sid = s[1]!;
  const serial = children(sid)[1];
  const digestOid = forge.asn1.derToOid(children(s[2])[0]!.value as string);
  const digestName = DIGESTS[digestOid];
  if (!digestName) throw new Error(`unsupported digest algorithm ${digestOid}`);
  let i = 3;
  let signedAttrs: Asn1 | null = null;
  if (s[3]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && s[3].type === 0) {
    signedAttrs = s[3];
    i = 4;
  }
  const signature = bytesOf(s[i + 1]);
  let messageDigest: Buffer | null = null;
  let signingTime: Date | null = null;
  for (const attr of children(signedAttrs ?? undefined)) {
    const [typeNode, valueSet] = children(attr);
    const type = forge.asn1.derToOid(typeNode!.value as string);
    const value = children(valueSet)[0];
    if (type === OID.messageDigest) messageDigest = bytesOf(value);
    if (type === OID.signingTime && value) {
      signingTime =
        value.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(value.value as string) : forge.asn1.generalizedTimeToDate(value.value as string);
    }
  }
  return {
    certs: children(certNode),
    serialHex: bytesOf(serial).toString('hex').replace(/^0+/, ''),
    digestName,
    signedAttrs,
    messageDigest,
    signingTime,
    signature,
  };
}

function describe(certDer: Buffer, node: Asn1): SignerInfo {
  try {
    return describeCertificate(forge.pki.certificateFromAsn1(node));
  } catch {
    // Non-RSA certificates: forge cannot read them; node can.
    const x = new X509Certificate(certDer);
    const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(x.subject)?.[1] ?? null;
    return {
      name: field('CN') ?? x.subject,
      org: field('O'),
      email: field('emailAddress'),
      certSha256: createHash('sha256').update(certDer).digest('hex'),
      serialNumber: x.serialNumber.toLowerCase(),
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      isSelfSigned: x.checkIssued(x),
    };
  }
}

function infoText(reader: PdfReader | null, info: PdfDict | null, key: string): string | null {
  if (!info || !reader) return null;
  // pdfkit writes information strings as indirect objects.
  const v = reader.resolve(info.entries.get(key));
  return v instanceof PdfString ? v.text() : null;
}

function findEmbedded(reader: PdfReader, tree: PdfValue | undefined, name: string, depth = 0): PdfValue | undefined {
  if (depth > 8) return undefined;
  const node = reader.dict(tree, 'names tree');
  const names = reader.resolve(node.entries.get('Names'));
  if (Array.isArray(names)) {
    for (let i = 0; i + 1 < names.length; i += 2) {
      const key = names[i];
      if (key instanceof PdfString && key.text() === name) return names[i + 1];
    }
  }
  const kids = reader.resolve(node.entries.get('Kids'));
  if (Array.isArray(kids)) {
    for (const kid of kids) {
      const hit = findEmbedded(reader, kid, name, depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

export function verifyReport(pdf: Buffer, options: VerifyOptions = {}): VerifyResult {
  const result: VerifyResult = {
    isValid: false,
    reasons: [],
    signer: null,
    signedAt: null,
    verdict: null,
    computedVerdict: null,
    caseId: null,
    subject: null,
    evidence: null,
    evidenceSha256: null,
    coversWholeFile: false,
  };
  const fail = (code: VerifyReasonCode, message: string) => result.reasons.push({ code, message });
  const text = pdf.toString('latin1');

  // 1. The signature and what it covers.
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges[ranges.length - 1];
  if (!last) {
    fail('no-signature', text.includes('/ByteRange [0 /**********') ? 'The report was never signed (unsigned draft).' : 'The PDF carries no signature.');
  } else {
    const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
    if (a !== 0 || b <= 0 || c <= b + 1) {
      fail('byte-range-invalid', `The signature's byte range [${a} ${b} ${c} ${d}] is malformed.`);
    } else if (c + d > pdf.length) {
      fail('truncated', `The file is ${pdf.length} bytes but the signature covers ${c + d}: it has been truncated.`);
    } else if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) {
      fail('byte-range-invalid', 'The signature byte range does not frame the signature value.');
    } else {
      result.coversWholeFile = c + d === pdf.length;
      if (!result.coversWholeFile) {
        fail('modified-after-signing', `${pdf.length - (c + d)} bytes were appended after signing (an incremental update): the signature does not cover them.`);
      }
      const hex = pdf.toString('latin1', b + 1, c - 1).replace(/\s+/g, '');
      const der = Buffer.from(hex, 'hex');
      if (!/[1-9a-f]/i.test(hex)) {
        fail('signature-empty', 'The signature value is empty: the signature was removed or never applied.');
      } else {
        let sig: ParsedSignature | null = null;
        try {
          sig = parsePkcs7(der);
        } catch (err) {
          fail('signature-unreadable', `The signature cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
        }
        if (sig) {
          const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
          const certDers = sig.certs.map(derOf);
          const idx = certDers.findIndex((der) => new X509Certificate(der).serialNumber.toLowerCase().replace(/^0+/, '') === sig!.serialHex);
          if (idx < 0) {
            fail('signature-unreadable', 'The signature does not contain the signer certificate.');
          } else {
            const certDer = certDers[idx]!;
            result.signer = describe(certDer, sig.certs[idx]!);
            result.signedAt = sig.signingTime?.toISOString() ?? null;
            const digest = createHash(sig.digestName).update(signed).digest();
            const key = new X509Certificate(certDer).publicKey;
            if (sig.signedAttrs) {
              if (!sig.messageDigest || !digest.equals(sig.messageDigest)) {
                fail('digest-mismatch', 'The document bytes differ from the bytes that were signed: the report was changed after signing.');
              }
              const attrsDer = derOf(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, sig.signedAttrs.value as Asn1[]));
              if (!cryptoVerify(sig.digestName, attrsDer, key, sig.signature)) {
                fail('signature-invalid', 'The signature value does not verify with the signer certificate.');
              }
            } else if (!cryptoVerify(sig.digestName, signed, key, sig.signature)) {
              fail('digest-mismatch', 'The document bytes differ from the bytes that were signed.');
            }
            const trusted = options.trustedCertSha256?.map((t) => t.toLowerCase().replace(/[^0-9a-f]/g, ''));
            if (trusted && !trusted.includes(result.signer.certSha256)) {
              fail('untrusted-signer', `The signer certificate ${result.signer.certSha256} is not one of the trusted certificates.`);
            }
          }
        }
      }
    }
  }

  // 2. The report and its evidence.
  let info: PdfDict | null = null;
  let reader: PdfReader | null = null;
  const infoField = (key: string) => {
    try {
      return infoText(reader, info, key);
    } catch {
      return null;
    }
  };
  let evidenceBytes: Buffer | null = null;
  try {
    reader = new PdfReader(pdf);
    const trailer = reader.trailer();
    const infoValue = reader.resolve(trailer.entries.get('Info'));
    info = isDict(infoValue) ? infoValue : null;
    if (!infoField(INFO_KEYS.evidenceSha256)) {
      fail('not-a-report', 'The PDF is not an Ownerscope verdict report (no evidence hash in its document information).');
    } else {
      const root = reader.dict(trailer.entries.get('Root'), 'catalog');
      const names = reader.dict(root.entries.get('Names'), 'names dictionary');
      const fileName = infoField(INFO_KEYS.evidenceName) ?? EVIDENCE_FILE_NAME;
      const spec = findEmbedded(reader, names.entries.get('EmbeddedFiles'), fileName);
      if (!spec) fail('evidence-missing', `The evidence attachment ${fileName} is missing.`);
      else {
        const ef = reader.dict(reader.dict(spec, 'file specification').entries.get('EF'), 'embedded file dictionary');
        evidenceBytes = reader.stream(ef.entries.get('F'));
      }
    }
  } catch (err) {
    if (!result.reasons.some((r) => r.code === 'truncated')) {
      fail('evidence-unreadable', `The report structure cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
    }
  }
  result.caseId = infoField(INFO_KEYS.caseId);
  result.verdict = infoField(INFO_KEYS.verdict);
  result.computedVerdict = infoField(INFO_KEYS.computedVerdict);
  const pinnedSigner = infoField(INFO_KEYS.signerCertSha256);
  if (pinnedSigner && result.signer && pinnedSigner !== result.signer.certSha256) {
    fail('signer-mismatch', `The report names certificate ${pinnedSigner} as signer but was signed with ${result.signer.certSha256}.`);
  }
  if (evidenceBytes) {
    result.evidenceSha256 = sha256Hex(evidenceBytes);
    const expected = infoField(INFO_KEYS.evidenceSha256);
    if (expected !== result.evidenceSha256) {
      fail('evidence-hash-mismatch', `The attached evidence has SHA-256 ${result.evidenceSha256}, but the report states ${expected}.`);
    }
    try {
      const evidence = JSON.parse(evidenceBytes.toString('utf8')) as Evidence;
      if (evidence?.format !== EVIDENCE_FORMAT) throw new Error(`unknown format ${String(evidence?.format)}`);
      result.evidence = evidence;
      result.subject = { id: String(evidence.verdict.subject.id), name: evidence.verdict.subject.name };
      const mismatches = [
        evidence.finalVerdict !== result.verdict ? `verdict ${evidence.finalVerdict} vs ${result.verdict}` : null,
        evidence.verdict.verdict !== result.computedVerdict ? `computed verdict ${evidence.verdict.verdict} vs ${result.computedVerdict}` : null,
        evidence.case.id !== result.caseId ? `case ${evidence.case.id} vs ${result.caseId}` : null,
      ].filter(Boolean);
      if (mismatches.length) fail('evidence-mismatch', `The evidence does not match the report: ${mismatches.join('; ')}.`);
    } catch (err) {
      fail('evidence-unreadable', `The evidence attachment is not readable evidence JSON: ${err instanceof Error ? err.message : String(err)}.`);
    }
  }

  result.isValid = result.reasons.length === 0;
  return result;
}
