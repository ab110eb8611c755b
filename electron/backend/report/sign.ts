// Fills the signature placeholder that renderReport leaves in every report.
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import { loadIdentity, type LoadedIdentity } from '../identity/index.js';
import { PdfReader, PdfString, isDict } from './pdf-parse.js';
import { INFO_KEYS, renderReport } from './render.js';
import type { ReportInput } from './types.js';

export class ReportSignError extends Error {
  readonly code: 'not-signable' | 'signer-mismatch' | 'already-signed';
  constructor(code: ReportSignError['code'], message: string) {
    super(message);
    this.name = 'ReportSignError';
    this.code = code;
  }
}

/**
 * PKCS#7 detached SHA-256 signer. Replaces @signpdf/signer-p12 because node-forge re-encodes the
 * issuer name of the SignerInfo from the parsed certificate and UTF-8-encodes UTF8String values a
 * second time: with a name such as "Анна Лі" the SignerInfo then names no certificate in the
 * signature and validators (poppler/NSS) fail. Decoding those values first makes the re-encoding
 * byte-identical to the certificate's issuer.
 */
class IdentitySigner extends Signer {
  private readonly identity: LoadedIdentity;
  constructor(identity: LoadedIdentity) {
    super();
    this.identity = identity;
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const { certificate, privateKey, chain } = this.identity;
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdfBuffer.toString('binary'));
    p7.addCertificate(certificate);
    for (const extra of chain) p7.addCertificate(extra);
    const issuer = certificate.issuer.attributes.map((a) =>
      a.valueTagClass === (forge.asn1.Type.UTF8 as unknown) && typeof a.value === 'string' ? { ...a, value: forge.util.decodeUtf8(a.value) } : a,
    );
    p7.addSigner({
      key: privateKey,
      issuer,
      serialNumber: certificate.serialNumber,
      digestAlgorithm: forge.pki.oids.sha256!,
      // contentType, signingTime, messageDigest: the order validators expect.
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime!, value: (signingTime ?? new Date()) as never },
        { type: forge.pki.oids.messageDigest! },
      ],
    } as never);
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

export async function signReport(pdf: Buffer, p12: Buffer, passphrase: string, signingTime?: Date): Promise<Buffer> {
  // Loading first gives the clear wrong-passphrase error and the signer's fingerprint.
  const identity = loadIdentity(p12, passphrase);
  const text = pdf.toString('latin1');
  if (!text.includes('/ByteRange [0 /********** /********** /**********]')) {
    throw new ReportSignError(
      /\/ByteRange\s*\[\s*0\s+\d+/.test(text) ? 'already-signed' : 'not-signable',
      'This PDF has no empty signature placeholder: sign a PDF produced by renderReport.',
    );
  }
  // A report rendered for one signer must not be signed by another: its visible signature block
  // would name the wrong person.
  const pinned = pinnedSigner(pdf);
  if (pinned && pinned !== identity.signer.certSha256) {
    throw new ReportSignError('signer-mismatch', `The report was prepared for certificate ${pinned}, not ${identity.signer.certSha256}.`);
  }
  return new SignPdf().sign(pdf, new IdentitySigner(identity), signingTime);
}

function pinnedSigner(pdf: Buffer): string | null {
  const reader = new PdfReader(pdf);
  const info = reader.resolve(reader.trailer().entries.get('Info'));
  if (!isDict(info)) return null;
  const v = reader.resolve(info.entries.get(INFO_KEYS.signerCertSha256));
  return v instanceof PdfString ? v.text() : null;
}

/** Render for a signer and sign in one step: what the app and the CLI call. */
export async function createSignedReport(input: ReportInput, p12: Buffer, passphrase: string, signingTime?: Date): Promise<{ pdf: Buffer; identity: LoadedIdentity }> {
  const identity = loadIdentity(p12, passphrase);
  const unsigned = await renderReport(input, { signer: identity.signer });
  const pdf = await signReport(unsigned, p12, passphrase, signingTime);
  return { pdf, identity };
}
