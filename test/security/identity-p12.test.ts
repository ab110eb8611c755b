// Issue #12 point 7: identities are PKCS#12 files with PBKDF2 at >= 600,000 iterations and an
// HMAC-SHA256 MAC whose key derivation costs as much (a cheap MAC would be the cheap way to
// guess the passphrase). OpenSSL is the independent reader; identities from before the change
// (test/fixtures/identity) and ones OpenSSL writes still open.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { createIdentity, IdentityError, loadIdentity } from '../../electron/backend/identity';

const fixture = path.resolve(__dirname, '../fixtures/identity/forge-20000-before-issue-12.p12');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-p12-'));

/** `openssl pkcs12 -info -noout`: what OpenSSL says about the file's algorithms (it checks the MAC and decrypts). */
function opensslInfo(p12: Buffer, passphrase: string): string {
  const file = path.join(dir, `id-${Math.random().toString(36).slice(2)}.p12`);
  const pass = path.join(dir, 'pass.txt');
  writeFileSync(file, p12);
  writeFileSync(pass, passphrase);
  // -info -noout prints the structure to stderr; -nokeys would skip decrypting the key
  return execFileSync('openssl', ['pkcs12', '-info', '-in', file, '-noout', '-passin', `file:${pass}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) +
    execFileSync('sh', ['-c', `openssl pkcs12 -info -in "${file}" -noout -passin "file:${pass}" 2>&1 >/dev/null`], { encoding: 'utf8' });
}

describe('PKCS#12 identity files', () => {
  const passphrase = 'correct horse battery';
  const p12 = createIdentity({ name: 'Анна Лі', org: 'Acme', email: 'anna@acme.example', passphrase, keyBits: 2048 });

  it('OpenSSL reads a new identity: PBES2 PBKDF2-HMAC-SHA256 + AES-256-CBC at 600,000 iterations, MAC sha256 at 600,000', () => {
    const info = opensslInfo(p12, passphrase);
    expect(info).toMatch(/MAC: sha256, Iteration 600000/);
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/);
    expect(info).toMatch(/Certificate bag/);
  });

  it('OpenSSL extracts the same key and certificate', () => {
    const file = path.join(dir, 'export.p12');
    writeFileSync(file, p12);
    writeFileSync(path.join(dir, 'pw'), passphrase);
    const pem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `file:${path.join(dir, 'pw')}`, '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const id = loadIdentity(p12, passphrase);
    const key = forge.pki.privateKeyFromPem(pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY-----'))) as forge.pki.rsa.PrivateKey;
    expect(key.n.compareTo(id.privateKey.n)).toBe(0);
    expect(pem.replace(/\s/g, '')).toContain(id.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''));
    // the friendly name as a BMPString (UTF-16BE), as OpenSSL writes it
    expect(p12.indexOf(Buffer.from('Анна Лі <anna@acme.example>', 'utf16le').swap16())).toBeGreaterThan(0);
    expect(pem).toMatch(/friendlyName: .*<anna@acme\.example>/);
    expect(id.signer).toMatchObject({ name: 'Анна Лі', org: 'Acme', email: 'anna@acme.example', isSelfSigned: true });
  });

  it('a passphrase outside ASCII (UTF-8 for PBKDF2, UTF-16 for the MAC, as OpenSSL reads them)', () => {
    const pass = 'пароль 密码 🔑 ok';
    const other = createIdentity({ name: 'Ünïcode', passphrase: pass, keyBits: 2048 });
    expect(opensslInfo(other, pass)).toMatch(/MAC: sha256, Iteration 600000/);
    expect(loadIdentity(other, pass).signer.name).toBe('Ünïcode');
    const file = path.join(dir, 'unicode.p12');
    writeFileSync(file, other);
    writeFileSync(path.join(dir, 'upw'), pass);
    const pem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `file:${path.join(dir, 'upw')}`, '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('a wrong passphrase is named, for the new format too (checked by the MAC)', () => {
    expect(() => loadIdentity(p12, 'correct horse battery!')).toThrow(IdentityError);
    try {
      loadIdentity(p12, 'wrong one');
    } catch (e) {
      expect((e as IdentityError).code).toBe('wrong-passphrase');
    }
  });

  it('a changed byte inside the file is refused', () => {
    const bad = Buffer.from(p12);
    bad[Math.floor(bad.length / 2)] ^= 0x01;
    expect(() => loadIdentity(bad, passphrase)).toThrow(IdentityError);
  });

  it('an identity made before the change (node-forge, 20,000 iterations, SHA-1 MAC) still opens', () => {
    const id = loadIdentity(readFileSync(fixture), 'legacy-passphrase-1');
    expect(id.signer).toMatchObject({ name: 'Legacy Investigator', org: 'Old Build', email: 'legacy@example.org' });
    expect(() => loadIdentity(readFileSync(fixture), 'legacy-passphrase-2')).toThrow(/wrong passphrase/i);
  });

  it.each([
    ['OpenSSL 3 defaults (PBES2, SHA-256 MAC, 2048 iterations)', [] as string[]],
    ['legacy 3DES with the PKCS#12 KDF, SHA-1 MAC', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
    ['AES-128 key, no certificate encryption', ['-keypbe', 'AES-128-CBC', '-certpbe', 'NONE']],
  ])('an identity OpenSSL wrote opens: %s', (_what, args) => {
    const key = path.join(dir, 'k.pem');
    const cert = path.join(dir, 'c.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=Org Signer/O=Org Ltd'], { stdio: 'ignore' });
    const out = path.join(dir, `o-${args.length}.p12`);
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', out, '-passout', 'pass:org passphrase', ...args], { stdio: 'ignore' });
    const id = loadIdentity(readFileSync(out), 'org passphrase');
    expect(id.signer).toMatchObject({ name: 'Org Signer', org: 'Org Ltd' });
    expect(() => loadIdentity(readFileSync(out), 'not it')).toThrow(IdentityError);
  });

  it('a hostile file asking for billions of iterations is refused at once', () => {
    const key = path.join(dir, 'k2.pem');
    const cert = path.join(dir, 'c2.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=X'], { stdio: 'ignore' });
    const out = path.join(dir, 'costly.p12');
    // a small real file, then its MAC iteration count rewritten to 2^31 - 1
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', out, '-passout', 'pass:x', '-maciter', '-iter', '4097'], { stdio: 'ignore' });
    const pfx = forge.asn1.fromDer(forge.util.createBuffer(readFileSync(out).toString('binary')));
    const macData = (pfx.value as forge.asn1.Asn1[])[2]!;
    const iterations = (macData.value as forge.asn1.Asn1[])[2]!;
    expect(forge.util.bytesToHex(iterations.value as string)).toBe('1001');
    iterations.value = forge.asn1.integerToDer(2 ** 31 - 1).getBytes();
    const hostile = Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
    expect(() => loadIdentity(hostile, 'x')).toThrow(/2,147,483,647 iterations/);
  });
});
