// Offline verification of a signed report: the PKCS#7 signature over the byte ranges, that the
// ranges cover the whole file, and that the embedded evidence is the evidence the signed pages
// were made from (its SHA-256 is in the signed document information and printed on the page).
//
// Everything is read the way a viewer reads it: through the final startxref, the cross-reference
// table and the document structure (trailer → Root → AcroForm → Fields → the signature field's
// /V), never by searching the text. A report is valid only when that structure leaves no room for
// a second reading: one revision, every byte accounted for by the cross-reference table, exactly
// one signature whose ByteRange covers the whole file but its own /Contents hex string, that
// string holding only the signature and zero padding. A file that fails any of these is refused
// with a reason code, whatever its signature says (docs/REPORTS.md).
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import forge from 'node-forge';
import { describeCertificate, normalizeFingerprint, type SignerInfo } from '../identity/index.js';
import { EVIDENCE_FILE_NAME, EVIDENCE_FORMAT, sha256Hex, type Evidence } from './evidence.js';
import { PdfReader, PdfRef, PdfString, isDict, type PdfDict, type PdfValue, type Span } from './pdf-parse.js';
import { INFO_KEYS } from './render.js';

export type VerifyReasonCode =
  | 'no-signature'
  | 'signature-empty'
  | 'byte-range-invalid'
  | 'structure-invalid'
  | 'signature-gap-invalid'
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
  /**
   * Whether the signer certificate's SHA-256 is one the caller trusts (`trustedCertSha256` or
   * `trustList`); null when there is no readable signer. A valid report by an untrusted signer
   * stays `isValid` (the signature and the report are intact) unless `requireTrusted` or pinned.
   */
  signerTrusted: boolean | null;
  /** 'valid' (intact, trusted signer), 'valid-untrusted-signer' (intact, signer not trusted), 'invalid'. */
  status: 'valid' | 'valid-untrusted-signer' | 'invalid';
}

export interface VerifyOptions {
  /** Pinned for this check (`verify --trust`): any other signer is a failure (`untrusted-signer`), whatever the trust list says. */
  trustedCertSha256?: string[];
  /** The user's trust list: a listed signer makes `signerTrusted` true; an unlisted one fails only with `requireTrusted`. */
  trustList?: string[];
  /** A signer in neither list is a failure (`untrusted-signer`). */
  requireTrusted?: boolean;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** RSA PKCS#1 v1.5 signature algorithms, by the digest they imply (null: rsaEncryption, the SignerInfo's digest). */
const SIGNATURE_ALGORITHMS: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

function bytesOf(node: Asn1 | undefined): Buffer {
  return Buffer.from(typeof node?.value === 'string' ? node.value : '', 'binary');
}

function derOf(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/** The node, checked to be of this class and type; `what` names it in the error. */
function expect(node: Asn1 | undefined, tagClass: forge.asn1.Class, type: number, what: string): Asn1 {
  if (!node || node.tagClass !== tagClass || node.type !== type) throw new Error(`${what} is missing or of the wrong type`);
  return node;
}

const oidOf = (node: Asn1 | undefined, what: string) => forge.asn1.derToOid(expect(node, Class.UNIVERSAL, Type.OID, what).value as string);

function integerOf(node: Asn1 | undefined, what: string): number {
  const b = bytesOf(expect(node, Class.UNIVERSAL, Type.INTEGER, what));
  return b.length === 1 ? b[0]! : -1;
}

/** An AlgorithmIdentifier: the OID, with absent or NULL parameters. */
function algorithm(node: Asn1 | undefined, what: string): string {
  const parts = children(expect(node, Class.UNIVERSAL, Type.SEQUENCE, what));
  if (parts.length > 2 || (parts[1] && (parts[1].type !== Type.NULL || parts[1].tagClass !== Class.UNIVERSAL))) throw new Error(`${what} has unexpected parameters`);
  return oidOf(parts[0], what);
}

interface ParsedSignature {
  certs: Asn1[];
  /** The SignerInfo's issuer Name (DER) and serial number: which certificate signed. */
  issuerDer: Buffer;
  serialDer: Buffer;
  digestName: string;
  signedAttrs: Asn1;
  messageDigest: Buffer;
  signingTime: Date | null;
  signature: Buffer;
}

/**
 * Reads the PKCS#7 detached signature the way Ownerscope writes it, and nothing else: one
 * SignerInfo identified by issuer and serial, signed attributes with contentType data and a
 * message digest, an RSA signature. A loose reader accepts encodings another validator
 * (poppler/NSS) refuses; the two must never disagree, so anything unexpected is an error.
 */
function parsePkcs7(der: Buffer): ParsedSignature {
  const root = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { strict: true, parseAllBytes: true } as never);
  if (!derOf(root).equals(der)) throw new Error('the signature is not in canonical DER encoding');
  const [oid, wrapped, ...extra] = children(expect(root, Class.UNIVERSAL, Type.SEQUENCE, 'ContentInfo'));
  if (oidOf(oid, 'the content type') !== OID.signedData || extra.length) throw new Error('not a PKCS#7 signedData');
  const sdParts = children(expect(children(expect(wrapped, Class.CONTEXT_SPECIFIC, 0, 'the signed content'))[0], Class.UNIVERSAL, Type.SEQUENCE, 'SignedData'));
  if (sdParts.length !== 5) throw new Error('SignedData has unexpected parts (it must hold certificates and no revocation lists)');
  const [version, digestAlgs, encap, certNode, signerInfos] = sdParts as [Asn1, Asn1, Asn1, Asn1, Asn1];
  if (integerOf(version, 'SignedData version') !== 1) throw new Error('unexpected SignedData version');
  const algs = children(expect(digestAlgs, Class.UNIVERSAL, Type.SET, 'digestAlgorithms'));
  const encapParts = children(expect(encap, Class.UNIVERSAL, Type.SEQUENCE, 'encapContentInfo'));
  if (encapParts.length !== 1 || oidOf(encapParts[0], 'encapsulated content type') !== OID.data) throw new Error('not a detached signature over data');
  const certs = children(expect(certNode, Class.CONTEXT_SPECIFIC, 0, 'certificates'));
  const sis = children(expect(signerInfos, Class.UNIVERSAL, Type.SET, 'signerInfos'));
  if (sis.length !== 1) throw new Error(`${sis.length} SignerInfos; exactly one expected`);
  const s = children(expect(sis[0], Class.UNIVERSAL, Type.SEQUENCE, 'SignerInfo'));
  if (s.length !== 6) throw new Error('SignerInfo has unexpected parts (signed attributes required, unsigned attributes refused)');
  if (integerOf(s[0], 'SignerInfo version') !== 1) throw new Error('unexpected SignerInfo version');
  const [issuer, serial, ...more] = children(expect(s[1], Class.UNIVERSAL, Type.SEQUENCE, 'issuerAndSerialNumber'));
  if (more.length) throw new Error('issuerAndSerialNumber has unexpected parts');
  expect(issuer, Class.UNIVERSAL, Type.SEQUENCE, 'issuer');
  expect(serial, Class.UNIVERSAL, Type.INTEGER, 'serial number');
  const digestOid = algorithm(s[2], 'digestAlgorithm');
  const digestName = DIGESTS[digestOid];
  if (!digestName) throw new Error(`unsupported digest algorithm ${digestOid}`);
  if (algs.length !== 1 || algorithm(algs[0], 'digestAlgorithms') !== digestOid) throw new Error('digestAlgorithms does not name the SignerInfo digest');
  const signedAttrs = expect(s[3], Class.CONTEXT_SPECIFIC, 0, 'signed attributes');
  const sigAlg = algorithm(s[4], 'signatureAlgorithm');
  if (!(sigAlg in SIGNATURE_ALGORITHMS) || (SIGNATURE_ALGORITHMS[sigAlg] !== null && SIGNATURE_ALGORITHMS[sigAlg] !== digestName)) throw new Error(`unsupported signature algorithm ${sigAlg}`);
  const signature = bytesOf(expect(s[5], Class.UNIVERSAL, Type.OCTETSTRING, 'signature'));
  const attrs = new Map<string, Asn1>();
  for (const attr of children(signedAttrs)) {
    const [typeNode, valueSet, ...rest] = children(expect(attr, Class.UNIVERSAL, Type.SEQUENCE, 'attribute'));
    const type = oidOf(typeNode, 'attribute type');
    const values = children(expect(valueSet, Class.UNIVERSAL, Type.SET, 'attribute values'));
    if (rest.length || values.length !== 1 || attrs.has(type)) throw new Error(`signed attribute ${type} is malformed or repeated`);
    attrs.set(type, values[0]!);
  }
  if (oidOf(attrs.get(OID.contentType), 'the contentType attribute') !== OID.data) throw new Error('the contentType attribute is not data');
  const messageDigest = bytesOf(expect(attrs.get(OID.messageDigest), Class.UNIVERSAL, Type.OCTETSTRING, 'the messageDigest attribute'));
  const time = attrs.get(OID.signingTime);
  let signingTime: Date | null = null;
  if (time) {
    if (time.tagClass !== Class.UNIVERSAL || (time.type !== Type.UTCTIME && time.type !== Type.GENERALIZEDTIME)) throw new Error('the signingTime attribute is not a time');
    signingTime = time.type === Type.UTCTIME ? forge.asn1.utcTimeToDate(time.value as string) : forge.asn1.generalizedTimeToDate(time.value as string);
  }
  return { certs, issuerDer: derOf(issuer!), serialDer: derOf(serial!), digestName, signedAttrs, messageDigest, signingTime, signature };
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

function infoText(reader: PdfReader, info: PdfDict | null, key: string): string | null {
  if (!info) return null;
  // pdfkit writes information strings as indirect objects.
  const v = reader.resolve(info.entries.get(key));
  return v instanceof PdfString ? v.text() : null;
}

function findEmbedded(reader: PdfReader, tree: PdfValue | undefined, name: string, depth = 0): PdfValue | undefined {
  if (depth > 8) return undefined;
  reader.visitTreeNode();
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

/** The one signature dictionary, found through the document structure. */
function findSignature(reader: PdfReader): { dict: PdfDict | null; problem: { code: VerifyReasonCode; message: string } | null } {
  const root = reader.dict(reader.trailer().entries.get('Root'), 'the document catalog');
  const acroForm = root.entries.get('AcroForm');
  if (acroForm === undefined) return { dict: null, problem: { code: 'no-signature', message: 'The PDF carries no signature (no form with a signature field).' } };
  const fields = reader.resolve(reader.dict(acroForm, 'the form (AcroForm)').entries.get('Fields'));
  if (!Array.isArray(fields)) throw new Error('the form has no /Fields array');
  const signatures: PdfDict[] = [];
  const visit = (field: PdfValue, depth: number) => {
    if (depth > 8) throw new Error('form fields nested too deeply');
    reader.visitTreeNode();
    const f = reader.dict(field, 'a form field');
    const kids = reader.resolve(f.entries.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) visit(k, depth + 1);
    if (f.entries.get('FT') === '/Sig' && f.entries.get('V') !== undefined) signatures.push(reader.dict(f.entries.get('V'), 'the signature value (/V)'));
  };
  for (const f of fields) visit(f, 0);
  if (signatures.length === 0) return { dict: null, problem: { code: 'no-signature', message: 'The PDF carries no signature (its signature field has no value).' } };
  if (signatures.length > 1) return { dict: null, problem: { code: 'structure-invalid', message: `The PDF carries ${signatures.length} signatures; an Ownerscope report has exactly one.` } };
  return { dict: signatures[0]!, problem: null };
}

/** Length in bytes of the DER element at the start of `der`, or null when its header is malformed. */
function derLength(der: Buffer): number | null {
  if (der.length < 2) return null;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  return 2 + n + len;
}

const within = (s: Span, ranges: Span[]) => ranges.some(([from, to]) => s[0] >= from && s[1] <= to);

/** The page objects and their content streams, in page order. */
function pageSpans(reader: PdfReader, node: PdfValue | undefined, out: { page: number; spans: Span[] }[], depth = 0): void {
  if (depth > 16 || out.length > 10_000) throw new Error('the page tree is too deep or too large');
  reader.visitTreeNode();
  const dict = reader.dict(node, 'a page tree node');
  const type = dict.entries.get('Type');
  if (type === '/Pages') {
    const kids = reader.resolve(dict.entries.get('Kids'));
    if (!Array.isArray(kids)) throw new Error('a page tree node has no /Kids');
    for (const kid of kids) pageSpans(reader, kid, out, depth + 1);
    return;
  }
  if (type !== '/Page') throw new Error(`a page tree node is of type ${String(type)}`);
  const spans: Span[] = [reader.span(node)];
  const contents = dict.entries.get('Contents');
  const streams = contents instanceof PdfRef ? [contents] : reader.resolve(contents);
  if (!Array.isArray(streams) || streams.length === 0) throw new Error(`page ${out.length + 1} has no content stream`);
  for (const ref of streams) {
    reader.stream(ref); // must decode
    spans.push(reader.span(ref));
  }
  out.push({ page: out.length + 1, spans });
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
    signerTrusted: null,
    status: 'invalid',
  };
  const fail = (code: VerifyReasonCode, message: string) => {
    if (!result.reasons.some((r) => r.code === code && r.message === message)) result.reasons.push({ code, message });
  };
  const text = pdf.toString('latin1');
  const isDraft = text.includes('/ByteRange [0 /**********');

  // Not a PDF at all (a .docx, the CSV, an image picked by mistake): say so in those words rather
  // than "no signature" or a cross-reference error. Viewers accept the header within the first 1024 bytes.
  if (!text.slice(0, 1024).includes('%PDF-')) {
    fail('structure-invalid', 'Not a PDF: the file does not start with %PDF- (a signed report is a PDF file).');
    return result;
  }

  // 0. The structure, read as a viewer reads it.
  let reader: PdfReader;
  try {
    reader = new PdfReader(pdf);
  } catch (err) {
    // Unreadable: say what it most likely is; nothing below is trusted.
    const range = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
    if (!range) fail('no-signature', isDraft ? 'The report was never signed (unsigned draft).' : 'The PDF carries no signature.');
    else if (Number(range[2]) + Number(range[3]) > pdf.length) fail('truncated', `The file is ${pdf.length} bytes but the signature covers ${Number(range[2]) + Number(range[3])}: it has been truncated.`);
    fail('structure-invalid', `The PDF structure cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
    return result;
  }
  const layout = reader.layoutProblems();
  if (layout.length) {
    fail('structure-invalid', `The file holds data outside its cross-reference table, which viewers and this check could read differently: ${layout.slice(0, 3).join('; ')}${layout.length > 3 ? `; and ${layout.length - 3} more` : ''}.`);
  }
  if (reader.trailer().entries.has('Encrypt')) fail('structure-invalid', 'The PDF is encrypted; an Ownerscope report never is.');
  if (reader.revisions.length > 1) {
    const redefined = [...reader.redefined].sort((x, y) => x - y);
    fail('modified-after-signing', `The file has ${reader.revisions.length} revisions: ${reader.revisions.length - 1} incremental update(s) were added to the report${redefined.length ? `, redefining object(s) ${redefined.slice(0, 8).join(', ')}` : ''}.`);
  }

  // 1. The signature and what it covers.
  let signedRanges: Span[] | null = null;
  try {
    const { dict: sigDict, problem } = findSignature(reader);
    if (problem) fail(problem.code, problem.code === 'no-signature' && isDraft ? 'The report was never signed (unsigned draft).' : problem.message);
    if (sigDict) checkSignature(reader, pdf, sigDict, result, fail, (r) => (signedRanges = r));
  } catch (err) {
    fail('structure-invalid', `The signature cannot be located: ${err instanceof Error ? err.message : String(err)}.`);
  }

  // 2. The report and its evidence.
  let info: PdfDict | null = null;
  const infoField = (key: string) => {
    try {
      return infoText(reader, info, key);
    } catch {
      return null;
    }
  };
  let evidenceBytes: Buffer | null = null;
  try {
    const trailer = reader.trailer();
    const root = reader.dict(trailer.entries.get('Root'), 'catalog');
    // The visible pages, the information dictionary and the evidence must all be signed bytes.
    const signed = signedRanges as Span[] | null;
    const unsigned = (what: string, span: Span) => signed && !within(span, signed) && fail('modified-after-signing', `${what} is not covered by the signature.`);
    const pages: { page: number; spans: Span[] }[] = [];
    pageSpans(reader, root.entries.get('Pages'), pages);
    for (const p of pages) for (const span of p.spans) unsigned(`Page ${p.page} (object at offset ${span[0]})`, span);
    const infoValue = reader.resolve(trailer.entries.get('Info'));
    info = isDict(infoValue) ? infoValue : null;
    if (trailer.entries.get('Info') instanceof PdfRef) unsigned('The document information dictionary', reader.span(trailer.entries.get('Info')));
    if (!infoField(INFO_KEYS.evidenceSha256)) {
      fail('not-a-report', 'The PDF is not an Ownerscope verdict report (no evidence hash in its document information).');
    } else {
      const names = reader.dict(root.entries.get('Names'), 'names dictionary');
      const fileName = infoField(INFO_KEYS.evidenceName) ?? EVIDENCE_FILE_NAME;
      const spec = findEmbedded(reader, names.entries.get('EmbeddedFiles'), fileName);
      if (!spec) fail('evidence-missing', `The evidence attachment ${fileName} is missing.`);
      else {
        const ef = reader.dict(reader.dict(spec, 'file specification').entries.get('EF'), 'embedded file dictionary');
        unsigned('The evidence attachment', reader.span(ef.entries.get('F')));
        evidenceBytes = reader.stream(ef.entries.get('F'));
      }
    }
  } catch (err) {
    fail('evidence-unreadable', `The report structure cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
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

  if (result.signer) {
    const fp = result.signer.certSha256;
    const pinned = options.trustedCertSha256?.map(normalizeFingerprint);
    result.signerTrusted = !!pinned?.includes(fp) || (options.trustList ?? []).map(normalizeFingerprint).includes(fp);
    if (pinned && !pinned.includes(fp)) {
      fail('untrusted-signer', `The signer certificate ${fp} is not one of the trusted certificates given for this check.`);
    } else if (options.requireTrusted && !result.signerTrusted) {
      fail('untrusted-signer', `The signer certificate ${fp} is not in your trust list.`);
    }
  }
  result.isValid = result.reasons.length === 0;
  result.status = !result.isValid ? 'invalid' : result.signerTrusted ? 'valid' : 'valid-untrusted-signer';
  return result;
}

type Fail = (code: VerifyReasonCode, message: string) => void;

/** The signature dictionary's ByteRange, the gap it leaves, and the PKCS#7 value in that gap. */
function checkSignature(reader: PdfReader, pdf: Buffer, sigDict: PdfDict, result: VerifyResult, fail: Fail, setSigned: (ranges: Span[]) => void): void {
  const range = reader.resolve(sigDict.entries.get('ByteRange'));
  const contents = reader.resolve(sigDict.entries.get('Contents'));
  if (Array.isArray(range) && range.some((v) => typeof v === 'string')) {
    fail('no-signature', 'The report was never signed (unsigned draft).');
    return;
  }
  if (!Array.isArray(range) || range.length !== 4 || !range.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    fail('byte-range-invalid', 'The signature\'s /ByteRange is not four whole numbers.');
    return;
  }
  if (!(contents instanceof PdfString) || !contents.isHex || !contents.span) {
    fail('signature-gap-invalid', 'The signature value (/Contents) is not a hex string.');
    return;
  }
  const [a, b, c, d] = range as [number, number, number, number];
  if (a !== 0 || b !== contents.span[0] || c !== contents.span[1]) {
    fail('byte-range-invalid', `The signature's byte range [${a} ${b} ${c} ${d}] does not leave out exactly its own signature value (at ${contents.span[0]}–${contents.span[1]}).`);
    return;
  }
  if (c + d > pdf.length) {
    fail('truncated', `The file is ${pdf.length} bytes but the signature covers ${c + d}: it has been truncated.`);
    return;
  }
  result.coversWholeFile = c + d === pdf.length;
  if (!result.coversWholeFile) {
    fail('modified-after-signing', `${pdf.length - (c + d)} bytes were appended after signing (an incremental update): the signature does not cover them.`);
  }
  setSigned([[a, a + b], [c, c + d]]);
  // The gap: "<", the signature's DER in hex, "0" padding, ">" — nothing else, no white space.
  const hex = pdf.toString('latin1', b + 1, c - 1);
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) {
    fail('signature-gap-invalid', 'The signature value holds characters other than hex digits: data was hidden in the unsigned gap.');
    return;
  }
  const raw = Buffer.from(hex, 'hex');
  if (!raw.some((x) => x !== 0)) {
    fail('signature-empty', 'The signature value is empty: the signature was removed or never applied.');
    return;
  }
  const len = derLength(raw);
  if (len === null || len > raw.length || raw.subarray(len).some((x) => x !== 0)) {
    fail('signature-gap-invalid', 'The signature value is not one DER signature followed by zero padding: data was hidden in the unsigned gap.');
    return;
  }
  let sig: ParsedSignature;
  try {
    sig = parsePkcs7(raw.subarray(0, len));
  } catch (err) {
    fail('signature-unreadable', `The signature cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
    return;
  }
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const certDers = sig.certs.map(derOf);
  // The SignerInfo names its certificate by issuer and serial number, as validators look it up.
  const idx = sig.certs.findIndex((node) => {
    const tbs = children(children(node)[0]);
    const offset = tbs[0]?.tagClass === Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version
    const serial = tbs[offset];
    const issuer = tbs[offset + 2];
    return !!serial && !!issuer && derOf(serial).equals(sig.serialDer) && derOf(issuer).equals(sig.issuerDer);
  });
  if (idx < 0) {
    fail('signature-unreadable', 'The signature does not contain the signer certificate.');
    return;
  }
  const certDer = certDers[idx]!;
  result.signer = describe(certDer, sig.certs[idx]!);
  result.signedAt = sig.signingTime?.toISOString() ?? null;
  const digest = createHash(sig.digestName).update(signed).digest();
  const key = new X509Certificate(certDer).publicKey;
  if (!digest.equals(sig.messageDigest)) {
    fail('digest-mismatch', 'The document bytes differ from the bytes that were signed: the report was changed after signing.');
  }
  const attrsDer = derOf(forge.asn1.create(Class.UNIVERSAL, Type.SET, true, sig.signedAttrs.value as Asn1[]));
  if (!cryptoVerify(sig.digestName, attrsDer, key, sig.signature)) {
    fail('signature-invalid', 'The signature value does not verify with the signer certificate.');
  }
}
