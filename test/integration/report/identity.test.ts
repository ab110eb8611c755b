import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { IdentityError, createIdentity, loadIdentity, readPassphraseFile } from '../../../electron/backend/identity/index.js';

describe('signing identity', () => {
  const p12 = createIdentity({ name: '李安娜', org: 'Acme Compliance AG', email: 'anna@acme.example', passphrase: 'a long passphrase', keyBits: 2048 });

  it('is a self-signed SHA-256 certificate with signing key usage', () => {
    const id = loadIdentity(p12, 'a long passphrase');
    expect(id.signer).toMatchObject({ name: '李安娜', org: 'Acme Compliance AG', email: 'anna@acme.example', isSelfSigned: true });
    expect(id.signer.certSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(id.certificate.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
    const ku = id.certificate.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean };
    expect(ku.digitalSignature && ku.nonRepudiation).toBe(true);
    expect((id.certificate.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBeGreaterThanOrEqual(2048);
  });

  it('keeps the key encrypted with AES-256 (PBES2) in the PKCS#12', () => {
    const id = loadIdentity(p12, 'a long passphrase');
    // The private exponent must not appear in the file in clear.
    const d = Buffer.from(id.privateKey.d.toByteArray()).subarray(1, 33);
    expect(p12.indexOf(d)).toBe(-1);
    const aes256CbcOid = Buffer.from(forge.asn1.oidToDer('2.16.840.1.101.3.4.1.42').getBytes(), 'binary');
    expect(p12.indexOf(aes256CbcOid)).toBeGreaterThan(0);
  });

  it('names a wrong passphrase clearly', () => {
    expect(() => loadIdentity(p12, 'wrong passphrase')).toThrow(IdentityError);
    try {
      loadIdentity(p12, 'wrong passphrase');
    } catch (err) {
      expect((err as IdentityError).code).toBe('wrong-passphrase');
      expect((err as Error).message).toMatch(/wrong passphrase/i);
    }
    expect(() => loadIdentity(Buffer.from('not a p12'), 'x')).toThrow(/PKCS#12/);
  });

  it('refuses weak input', () => {
    expect(() => createIdentity({ name: 'A', passphrase: 'short' })).toThrow(/at least/);
    expect(() => createIdentity({ name: '', passphrase: 'long enough' })).toThrow(/name/);
    expect(() => createIdentity({ name: 'A', passphrase: 'long enough', keyBits: 1024 })).toThrow(/2048/);
  });

  it('reads a passphrase file without its trailing newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ownerscope-id-'));
    try {
      writeFileSync(join(dir, 'pass'), 'a long passphrase\n');
      expect(readPassphraseFile(join(dir, 'pass'))).toBe('a long passphrase');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
