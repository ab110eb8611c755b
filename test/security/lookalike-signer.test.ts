// Issue 12 point 2: a look-alike self-signed identity (same name, organisation and e-mail as the
// real investigator) signs a report. The signature is cryptographically valid, so the only
// defence is the fingerprint: `verify` and the app must not call it simply VALID unless the
// fingerprint is in the user's trust list or given with --trust.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import { createIdentity, loadIdentity } from '../../electron/backend/identity/index.js';
import { createSignedReport } from '../../electron/backend/report/index.js';
import { json, runCli } from '../helpers/cli.js';
import { loadReportInput } from '../integration/report/helpers.js';

const NAME = 'Анна Лі';
const ORG = 'Acme Compliance AG';
const EMAIL = 'anna.li@acme.example';
const PASS = 'correct horse battery staple';

let dir: string;
let home: string;
let env: NodeJS.ProcessEnv;
let realPdf: string;
let fakePdf: string;
let realFp: string;
let fakeFp: string;
const at = (n: string) => join(dir, n);

interface VerifyJson {
  status: string;
  statusText: string;
  isValid: boolean;
  signerTrusted: boolean | null;
  signerTrustedAs: string | null;
  signerCertSha256: string | null;
  signer: { name: string; org: string; email: string; certSha256: string };
  reasons: { code: string }[];
}

const cli = (args: string[]) => runCli(args, { env });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-lookalike-'));
  home = at('home');
  mkdirSync(home);
  env = { OWNERSCOPE_HOME: home };
  writeFileSync(at('pass'), PASS + '\n');
  // The investigator's own identity, made with the CLI: trusted on creation.
  const made = await cli(['identity', 'new', '--name', NAME, '--org', ORG, '--email', EMAIL, '--out', at('real.p12'), '--passphrase-file', at('pass'), '--key-bits', '2048', '--json']);
  expect(made.code, made.stderr).toBe(0);
  const realP12 = readFileSync(at('real.p12'));
  realFp = loadIdentity(realP12, PASS).signer.certSha256;
  expect(json<{ trusted: boolean }>(made).trusted).toBe(true);
  // The attacker's: same name, organisation and e-mail, made elsewhere.
  const fakeP12 = createIdentity({ name: NAME, org: ORG, email: EMAIL, passphrase: PASS, keyBits: 2048 });
  fakeFp = loadIdentity(fakeP12, PASS).signer.certSha256;
  const input = loadReportInput();
  realPdf = at('real.pdf');
  fakePdf = at('fake.pdf');
  writeFileSync(realPdf, (await createSignedReport(input, realP12, PASS)).pdf);
  writeFileSync(fakePdf, (await createSignedReport(input, fakeP12, PASS)).pdf);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a look-alike signer', () => {
  it('is not in the trust list: VALID SIGNATURE, SIGNER NOT IN YOUR TRUST LIST', async () => {
    const r = await cli(['verify', fakePdf, '--json']);
    expect(r.code).toBe(0);
    const v = json<VerifyJson>(r);
    expect(v.signer).toMatchObject({ name: NAME, org: ORG, email: EMAIL });
    expect(v).toMatchObject({ isValid: true, status: 'valid-untrusted-signer', statusText: 'VALID SIGNATURE, SIGNER NOT IN YOUR TRUST LIST', signerTrusted: false, signerTrustedAs: null, signerCertSha256: fakeFp });
    const text = await cli(['verify', fakePdf]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^VALID SIGNATURE, SIGNER NOT IN YOUR TRUST LIST: /);
    expect(text.stdout).not.toMatch(/^VALID: /m);
    expect(text.stdout).toContain(fakeFp);
    expect(text.stdout).toContain('NOT in your trust list');
  });

  it('fails a script that requires a trusted signer (--require-trusted, --trust)', async () => {
    const strict = await cli(['verify', fakePdf, '--require-trusted', '--json']);
    expect(strict.code).toBe(1);
    expect(json<VerifyJson>(strict)).toMatchObject({ isValid: false, status: 'invalid', signerTrusted: false });
    expect(json<VerifyJson>(strict).reasons.map((x) => x.code)).toEqual(['untrusted-signer']);
    const pinned = await cli(['verify', fakePdf, '--trust', realFp]);
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toMatch(/^INVALID: /);
    expect(pinned.stdout).toContain('untrusted-signer');
  });

  it('is trusted when given with --trust, or after trust add; trust remove undoes it', async () => {
    const given = json<VerifyJson>(await cli(['verify', fakePdf, '--trust', fakeFp.toUpperCase().match(/../g)!.join(':'), '--json']));
    expect(given).toMatchObject({ status: 'valid', signerTrusted: true, signerTrustedAs: '--trust' });
    const added = await cli(['trust', 'add', fakeFp, '--name', 'Mallory (not Anna)', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(json<{ added: boolean }>(added).added).toBe(true);
    const v = json<VerifyJson>(await cli(['verify', fakePdf, '--json']));
    expect(v).toMatchObject({ status: 'valid', signerTrusted: true, signerTrustedAs: 'Mallory (not Anna)' });
    expect((await cli(['verify', fakePdf])).stdout).toMatch(/^VALID: [^\n]*\n[^]*in your trust list as "Mallory \(not Anna\)"/);
    const list = json<{ signers: { certSha256: string; name: string; source: string }[] }>(await cli(['trust', 'list', '--json']));
    expect(list.signers.map((s) => [s.certSha256, s.source])).toEqual([[realFp, 'own-identity'], [fakeFp, 'user']]);
    expect((await cli(['trust', 'list'])).stdout).toContain('Mallory (not Anna)');
    expect((await cli(['trust', 'remove', fakeFp])).code).toBe(0);
    expect(json<VerifyJson>(await cli(['verify', fakePdf, '--json'])).signerTrusted).toBe(false);
    const again = await cli(['trust', 'remove', fakeFp]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not in your trust list');
  });

  it('the own identity is trusted from its creation', async () => {
    const v = json<VerifyJson>(await cli(['verify', realPdf, '--json']));
    expect(v).toMatchObject({ isValid: true, status: 'valid', signerTrusted: true, signerCertSha256: realFp });
    expect((await cli(['verify', realPdf])).stdout).toMatch(/^VALID: /);
  });

  it('refuses malformed fingerprints and names (exit 2), and a damaged trust list (exit 1)', async () => {
    expect((await cli(['trust', 'add', 'abc', '--name', 'X'])).code).toBe(2);
    expect((await cli(['trust', 'add', fakeFp])).code).toBe(2);
    expect((await cli(['trust', 'remove', 'zz'.repeat(32)])).code).toBe(2);
    expect((await cli(['verify', fakePdf, '--trust', 'ab'])).code).toBe(2);
    const other = { OWNERSCOPE_HOME: at('damaged') };
    mkdirSync(other.OWNERSCOPE_HOME);
    writeFileSync(join(other.OWNERSCOPE_HOME, 'trusted-signers.json'), '{"format":"ownerscope-trust/1","signers":[{"certSha256":"nothex"}]}');
    const r = await runCli(['verify', fakePdf], { env: other });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('trusted-signers.json');
    expect((await runCli(['trust', 'list'], { env: other })).code).toBe(1);
  });
});

describe('the app (API)', () => {
  it('trusts its own identity on creation and import; report.verify says whether the signer is trusted; trust.add/list/remove', async () => {
    const dataDir = at('app-data');
    mkdirSync(dataDir);
    const backend = new Backend({ dataDir, host: browserHost() });
    const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> => {
      const r = await p;
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value;
    };
    const created = await ok(callBackend(backend, 'identity.create', { name: NAME, org: ORG, email: EMAIL, passphrase: PASS }));
    let list = await ok(callBackend(backend, 'trust.list', {}));
    expect(list.signers).toEqual([expect.objectContaining({ certSha256: created.signer!.certSha256, source: 'own-identity' })]);
    // an organisation's PKCS#12 imported in the app is trusted too
    await ok(callBackend(backend, 'identity.import', { path: at('real.p12'), passphrase: PASS }));
    list = await ok(callBackend(backend, 'trust.list', {}));
    expect(list.signers.map((s) => s.certSha256)).toEqual([created.signer!.certSha256, realFp]);

    const fake = await ok(callBackend(backend, 'report.verify', { path: fakePdf }));
    expect(fake).toMatchObject({ isValid: true, status: 'valid-untrusted-signer', signerTrusted: false, signer: { certSha256: fakeFp } });
    await ok(callBackend(backend, 'trust.add', { certSha256: fakeFp, name: 'Mallory' }));
    expect(await ok(callBackend(backend, 'report.verify', { path: fakePdf }))).toMatchObject({ status: 'valid', signerTrusted: true, signerTrustedAs: 'Mallory' });
    await ok(callBackend(backend, 'trust.remove', { certSha256: fakeFp }));
    expect((await ok(callBackend(backend, 'report.verify', { path: fakePdf }))).signerTrusted).toBe(false);

    const missing = await callBackend(backend, 'trust.remove', { certSha256: fakeFp });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bad = await callBackend(backend, 'trust.add', { certSha256: 'not a fingerprint', name: 'X' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'certSha256' } });
  });
});
