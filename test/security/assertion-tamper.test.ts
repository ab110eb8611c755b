// Issue 14: what raw SQL on a case database can do to the investigator's assertions, and that
// `audit --verify` names it: a stored document's bytes replaced, an assertion row edited (its fact,
// its reason, a retraction undone), an asserted link edited behind the assertion, an assertion
// row inserted without an audit entry, a document deleted. Real GLEIF excerpts, the real CLI.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../helpers/cli';
import { EXCERPT_LEI, GLEIF_EXCERPTS } from '../helpers/gleif-excerpts';

const FILES = GLEIF_EXCERPTS;
const WITHHELD = `lei:${EXCERPT_LEI.withheld}`;

interface Verification {
  isValid: boolean;
  status: string;
  problems: { code: string; message: string; table?: string; key?: number | string }[];
}

let dir: string;
let base: string;
let copies = 0;
const at = (f: string) => path.join(dir, f);

function tampered(statements: string): string {
  const file = at(`t${++copies}.db`);
  copyFileSync(base, file);
  const h = new Database(file);
  try {
    h.exec(statements);
  } finally {
    h.close();
  }
  return file;
}

async function verify(file: string): Promise<{ code: number; v: Verification }> {
  const r = await runCli(['audit', '--db', file, '--verify', '--json']);
  return { code: r.code, v: json<{ verification: Verification }>(r).verification ?? (json(r) as Verification) };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-assert-tamper-'));
  base = at('base.db');
  await runOk(['import', '--db', base, ...FILES]);
  writeFileSync(at('register.pdf'), '%PDF-1.4 shareholder register extract: Ivan Petrov (RU) 60%\n');
  await runOk(['assert', 'entity', '--db', base, '--name', 'Ivan Petrov', '--kind', 'person', '--country', 'RU', '--document', at('register.pdf'), '--why', 'named holder']);
  await runOk(['assert', 'link', '--db', base, 'asserted:1', WITHHELD, '--share', '60', '--document', at('register.pdf'), '--cite', 'p. 2', '--why', 'the withheld holder']);
  await runOk(['assert', 'location', '--db', base, WITHHELD, '--country', 'GB', '--role', 'headquarters', '--reference', 'letterhead', '--why', 'office']);
  await runOk(['assert', 'retract', '--db', base, '3', '--why', 'letterhead is not proof']);
  // a signed report whose verdict used assertions 1 and 2
  writeFileSync(at('pass.txt'), 'tamper test passphrase\n');
  await runOk(['identity', 'new', '--name', 'T. Tester', '--out', at('id.p12'), '--passphrase-file', at('pass.txt'), '--key-bits', '2048']);
  await runOk(['report', '--db', base, WITHHELD, '--as-of', '2023-06-10', '--out', at('report.pdf'), '--key', at('id.p12'), '--passphrase-file', at('pass.txt')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assertion tampering is detected by audit --verify', () => {
  it('the untouched database verifies', async () => {
    const { code, v } = await verify(base);
    expect(v.problems).toEqual([]);
    expect(code).toBe(0);
  });

  it.each([
    ['the stored document bytes replaced (same length)', `UPDATE assertion_documents SET content = CAST(replace(CAST(content AS TEXT), '60%', '40%') AS BLOB) WHERE file_name = 'register.pdf'`, 'file-mismatch', /register\.pdf/],
    ['the document row re-hashed to match new bytes', `UPDATE assertion_documents SET content = CAST('forged' AS BLOB), size = 6, sha256 = '${'ab'.repeat(32)}' WHERE file_name = 'register.pdf'`, 'row-edited', /assertion document 1/],
    ['the fact of an assertion edited', `UPDATE assertions SET content = replace(content, '600000', '400000') WHERE id = 2`, 'row-edited', /assertion 2/],
    ['the reason of an assertion edited', `UPDATE assertions SET reason = 'something else' WHERE id = 2`, 'row-edited', /assertion 2/],
    ['a retraction undone', `UPDATE assertions SET status = 'active', retracted_at = NULL, retraction_reason = NULL WHERE id = 3`, 'row-edited', /assertion 3/],
    ['the asserted link edited behind its assertion', `UPDATE links SET share_lo = 400000, share_hi = 400000 WHERE key = 'assertion|2'`, 'row-edited', /rows assertion 2 \(link\) stands for/],
    ['the asserted link deleted', `DELETE FROM links WHERE key = 'assertion|2'`, 'row-edited', /assertion 2/],
    ['an assertion row deleted', `PRAGMA foreign_keys = OFF; DELETE FROM assertions WHERE id = 3`, 'row-deleted', /assertion 3/],
    [
      'an assertion inserted with SQL, without an audit entry',
      `INSERT INTO sources (file_name, sha256, size, format, imported_at) VALUES ('x', 'x', 1, 'assertion', '2026-01-01');
       INSERT INTO assertions (fact, content, entity_id, document_id, reason, created_at, source_id) VALUES ('kind', '{}', 1, 1, 'r', '2026-01-01', last_insert_rowid())`,
      'row-unbound', /assertion 4/,
    ],
  ])('%s', async (_name, statements, code, message) => {
    const { code: exit, v } = await verify(tampered(statements));
    expect(exit).toBe(1);
    expect(v.isValid).toBe(false);
    const p = v.problems.find((x) => x.code === code);
    expect(p, JSON.stringify(v.problems)).toBeDefined();
    expect(p!.message).toMatch(message);
  });
});

describe('verify --db re-checks the assertions and documents a signed report used', () => {
  it('the untouched database: unchanged', async () => {
    const r = await runCli(['verify', at('report.pdf'), '--db', copyOf(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ assertions: { checked: number; unchanged: boolean } }>(r).assertions).toMatchObject({ checked: 2, unchanged: true });
  });

  it.each([
    ['the document bytes replaced', `UPDATE assertion_documents SET content = CAST(replace(CAST(content AS TEXT), '60%', '40%') AS BLOB) WHERE file_name = 'register.pdf'`, /stored bytes of register\.pdf/],
    ['the fact edited', `UPDATE assertions SET content = replace(content, '600000', '400000') WHERE id = 2`, /Assertion 2 differs/],
    ['the document swapped for another', `UPDATE assertion_documents SET sha256 = '${'cd'.repeat(32)}' WHERE file_name = 'register.pdf'`, /now cites another document/],
    ['the assertion deleted', `PRAGMA foreign_keys = OFF; DELETE FROM assertions WHERE id = 2`, /Assertion 2 of the report is not in this database/],
  ])('%s', async (_name, statements, message) => {
    const r = await runCli(['verify', at('report.pdf'), '--db', tampered(statements), '--json']);
    expect(r.code).toBe(1);
    const out = json<{ assertions: { unchanged: boolean; problems: { message: string }[] } }>(r);
    expect(out.assertions.unchanged).toBe(false);
    expect(out.assertions.problems.map((p) => p.message).join(' ')).toMatch(message);
  });
});

function copyOf(): string {
  return tampered('SELECT 1');
}
