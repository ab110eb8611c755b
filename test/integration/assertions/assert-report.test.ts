// Issue 14: the signed report of a verdict that used assertions (real GLEIF excerpts, real pdfsig,
// pdftotext, pdfdetach): it lists every assertion with its document's name, SHA-256, page, reason,
// author and time, embeds the asserted facts in the evidence JSON and the document itself, and
// `verify --db` re-checks them; a retraction afterwards flags the case and the recheck.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../../helpers/cli';
import { requireTools, run } from '../report/helpers';
import { EXCERPT_LEI, GLEIF_EXCERPTS } from '../../helpers/gleif-excerpts';

const FILES = GLEIF_EXCERPTS;
const WITHHELD = `lei:${EXCERPT_LEI.withheld}`;

let dir: string;
let db: string;
let key: string;
let pass: string;
let docSha: string;
const at = (f: string) => path.join(dir, f);

beforeAll(async () => {
  requireTools('pdfsig', 'pdftotext', 'pdfdetach');
  dir = mkdtempSync(path.join(tmpdir(), 'os-assert-report-'));
  db = at('case.db');
  pass = at('pass.txt');
  key = at('id.p12');
  writeFileSync(pass, 'assertion report passphrase\n');
  await runOk(['identity', 'new', '--name', 'A. Li', '--out', key, '--passphrase-file', pass, '--key-bits', '2048']);
  await runOk(['import', '--db', db, ...FILES]);
  writeFileSync(at('register.txt'), 'Shareholder register extract, 01370W6ZIY66KQ4J3570, 2023-05-31\nIvan Petrov (RU): 60%\n');
  docSha = createHash('sha256').update(readFileSync(at('register.txt'))).digest('hex');
  await runOk(['assert', 'entity', '--db', db, '--name', 'Ivan Petrov', '--kind', 'person', '--country', 'RU', '--document', at('register.txt'), '--cite', 'p. 1', '--why', 'named as holder', '--actor', 'A. Li']);
  await runOk(['assert', 'link', '--db', db, 'asserted:1', WITHHELD, '--share', '60', '--document', at('register.txt'), '--cite', 'p. 1, line 2', '--why', 'the withheld 60% is his', '--actor', 'A. Li']);
  await runOk(['case', 'new', '--db', db, WITHHELD, '--as-of', '2023-06-10', '--actor', 'A. Li']);
  await runOk(['case', 'decide', '--db', db, 'C-0001', '--confirm', '--why', 'the paths are documented in the registry extracts', '--actor', 'A. Li']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the report of a verdict that used assertions', () => {
  it('lists each assertion with its document SHA-256, page, reason, author and time; embeds facts and document; verifies', async () => {
    const pdf = at('report.pdf');
    await runOk(['report', '--db', db, '--case', 'C-0001', '--out', pdf, '--key', key, '--passphrase-file', pass]);
    expect(run('pdfsig', [pdf]).stdout).toContain('Signature is Valid.');
    const text = run('pdftotext', ['-layout', pdf, '-']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Investigator assertions used');
    expect(text).toContain('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
    expect(text).toContain(docSha);
    expect(text).toMatch(/Assertion 2: Ivan Petrov \(#\d+\) holds 60% \(shares\) of 01370W6ZIY66KQ4J3570.*Document: register\.txt.*p\. 1, line 2\. Reason: the withheld 60% is his\. By A\. Li/);
    // the document itself travels with the report, byte for byte
    const list = run('pdfdetach', ['-list', pdf]).stdout;
    const name = `document-${docSha.slice(0, 12)}-register.txt`;
    expect(list).toContain(name);
    expect(list).toContain('ownerscope-evidence.json');
    const out = at('detached');
    run('mkdir', ['-p', out]);
    run('pdfdetach', ['-saveall', '-o', out, pdf]);
    expect(createHash('sha256').update(readFileSync(path.join(out, name))).digest('hex')).toBe(docSha);
    const evidence = JSON.parse(readFileSync(path.join(out, 'ownerscope-evidence.json'), 'utf8')) as {
      assertions: { id: number; content: { fact: string; share?: { lo: number } }; document: { sha256: string }; cite: string; reason: string; actor: string; createdAt: string }[];
      assertionSummary: string;
      embeddedDocuments: { attachmentName: string; sha256: string }[];
    };
    expect(evidence.assertions.map((a) => a.content.fact)).toEqual(['entity', 'link']);
    expect(evidence.assertions[1]).toMatchObject({ content: { share: { lo: 600000 } }, document: { sha256: docSha }, cite: 'p. 1, line 2', actor: 'A. Li' });
    expect(evidence.embeddedDocuments).toEqual([{ fileName: 'register.txt', attachmentName: name, sha256: docSha, size: readFileSync(at('register.txt')).length }]);

    const v = await runCli(['verify', pdf, '--db', db, '--json']);
    expect(v.code, v.stderr).toBe(0);
    expect(json<{ assertions: { checked: number; unchanged: boolean } }>(v).assertions).toMatchObject({ checked: 2, unchanged: true });
    expect((await runOk(['verify', pdf, '--db', db])).stdout).toContain('the 2 investigator assertions the report used and their documents are unchanged');
  });

  it('--no-documents lists the documents without embedding them', async () => {
    await runOk(['case', 'new', '--db', db, WITHHELD, '--as-of', '2023-06-10']);
    await runOk(['case', 'decide', '--db', db, 'C-0002', '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
    const pdf = at('no-docs.pdf');
    await runOk(['report', '--db', db, '--case', 'C-0002', '--out', pdf, '--key', key, '--passphrase-file', pass, '--no-documents']);
    expect(run('pdfdetach', ['-list', pdf]).stdout).not.toContain('register.txt');
    expect(run('pdftotext', [pdf, '-']).stdout.replace(/\s+/g, ' ')).toContain(docSha);
  });

  it('after a retraction the case is flagged and verify --db says the verdict used a retracted assertion', async () => {
    await runOk(['assert', 'retract', '--db', db, '2', '--why', 'the register was superseded']);
    const shown = json<{ case: { retractedAssertions: { id: number; reason: string }[] } }>(await runOk(['case', 'show', '--db', db, 'C-0001', '--json']));
    expect(shown.case.retractedAssertions).toMatchObject([{ id: 2, reason: 'the register was superseded' }]);
    expect((await runOk(['case', 'list', '--db', db])).stdout).toContain('FLAG: used a retracted assertion');
    const v = await runCli(['verify', at('report.pdf'), '--db', db]);
    expect(v.stdout).toContain('assertion 2 was RETRACTED since the report');
    expect(v.stdout).toContain('the verdict NO LONGER HOLDS');
  });
});
