// Hostile "GLEIF API responses": prototype keys, huge and non-finite numbers, deep nesting, oversized
// resources and members, huge strings. Each is either imported as plain data (nothing inherited is
// read, no prototype is touched, nothing is walked that the mapping does not need) or refused with an
// error naming the file and record; a refused file leaves the database unchanged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../helpers/cli';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-hostile-api-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LEI = '5299009NORDLICHT0096';
function record(extra: Record<string, unknown> = {}, entityExtra: Record<string, unknown> = {}) {
  return {
    type: 'lei-records', id: LEI,
    attributes: {
      lei: LEI,
      entity: { legalName: { name: 'Nordlicht Komponenten GmbH', language: 'de' }, legalAddress: { country: 'DE' }, jurisdiction: 'DE', category: 'GENERAL', status: 'ACTIVE', ...entityExtra },
      registration: { status: 'ISSUED' },
      ...extra,
    },
  };
}

async function importText(body: string): Promise<{ code: number; stderr: string; db: string; file: string }> {
  const file = path.join(dir, `hostile-${++n}.json`);
  writeFileSync(file, body);
  const db = path.join(dir, `case-${n}.db`);
  const r = await runCli(['import', '--db', db, file, '--format', 'gleif-api-json']);
  return { code: r.code, stderr: r.stderr, db, file: path.basename(file) };
}

async function sourceCount(db: string): Promise<number> {
  return json<{ sources: unknown[] }>(await runOk(['sources', '--db', db, '--json'])).sources.length;
}

describe('hostile GLEIF API JSON', () => {
  it('prototype keys are plain unknown keys: nothing inherited is read and no prototype changes', async () => {
    // JSON.parse makes "__proto__" an own property; a reader using `in` or plain indexing on a
    // merged object would take its members for the record's own
    const body = `{"__proto__":{"data":[]},"constructor":{"prototype":{"polluted":"yes"}},"data":[{"type":"lei-records","attributes":{"__proto__":{"lei":"${LEI}","polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"hasOwnProperty":1}}]}`;
    const r = await importText(body);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hostile-\d+\.json: record 1: missing LEI/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');

    const ok = await importText(JSON.stringify({ data: [record({ hasOwnProperty: 'x', toString: 'y' })] }).replace('"entity":{', '"entity":{"__proto__":{"legalName":{"name":"Injected"}},'));
    expect(ok.code, ok.stderr).toBe(0);
    const shown = await runOk(['show', '--db', ok.db, `lei:${LEI}`, '--json']);
    expect(shown.stdout).toContain('Nordlicht Komponenten GmbH');
    expect(shown.stdout).not.toContain('Injected');
    expect(({} as Record<string, unknown>).legalName).toBeUndefined();
  });

  it('huge and non-finite numbers are refused where text is expected, naming the field', async () => {
    const big = await importText(`{"data":[{"type":"lei-records","attributes":{"lei":1e400}}]}`);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/record 1: attributes\.lei: expected text, got the number Infinity/);
    const amount = await importText(JSON.stringify({
      data: {
        type: 'relationship-records',
        attributes: {
          relationship: {
            startNode: { id: LEI, type: 'LEI' }, endNode: { id: '2534009VOLGAHOLD0054', type: 'LEI' }, type: 'IS_DIRECTLY_CONSOLIDATED_BY', status: 'ACTIVE',
            quantifiers: [{ measurementMethod: 'ACCOUNTING_CONSOLIDATION', amount: 'REPLACE', units: 'PERCENTAGE' }],
          },
          registration: { status: 'PUBLISHED' },
        },
      },
    }).replace('"REPLACE"', '1e30'));
    expect(amount.code).toBe(1);
    expect(amount.stderr).toMatch(/record 1: QuantifierAmount "1e\+30" is not a percentage between 0 and 100/);
    expect(await sourceCount(amount.db)).toBe(0);
  });

  it('deep nesting in members the mapping does not read is never walked; where it reads, it is refused', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const unread = await importText(JSON.stringify({ jsonapi: 'x', data: [record({ eventGroups: 'DEEP' })] }).replace('"DEEP"', deep).replace('"x"', deep));
    expect(unread.code, unread.stderr).toBe(0);
    const read = await importText(JSON.stringify({ data: [record({}, { legalName: 'DEEP' })] }).replace('"DEEP"', deep));
    expect(read.code).toBe(1);
    expect(read.stderr).toMatch(new RegExp(`record 1 \\(LEI ${LEI}\\): LEI ${LEI}: missing Entity\\.LegalName`));
  });

  it('an oversized resource or member is refused before it is parsed', async () => {
    const pad = 'x'.repeat(17 * 1024 * 1024);
    const res = await importText(JSON.stringify({ data: [record({ padding: pad })] }));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 1: resource 1 of "data" is larger than 16 MiB: not a GLEIF API response/);
    const meta = await importText(JSON.stringify({ meta: { padding: 'x'.repeat(2 * 1024 * 1024) }, data: [] }));
    expect(meta.code).toBe(1);
    expect(meta.stderr).toMatch(/the top-level "meta" member is larger than 1 MiB/);
    // a large member nobody reads is skipped without being kept
    const skipped = await importText(JSON.stringify({ jsonapi: { padding: pad }, data: [record()] }));
    expect(skipped.code, skipped.stderr).toBe(0);
  });

  it('a huge string is refused without being quoted back whole', async () => {
    const r = await importText(JSON.stringify({ data: [record({ lei: 'A'.repeat(200_000) })] }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/attributes\.lei: text of 200000 characters is longer than any GLEIF field/);
    expect(r.stderr.length).toBeLessThan(1000);
  });

  it('a long saved error response is summarised', async () => {
    const r = await importText(JSON.stringify({ errors: Array.from({ length: 100 }, () => ({ status: '500', title: 'x'.repeat(5_000) })) }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the file is a GLEIF API error response/);
    expect(r.stderr.length).toBeLessThan(2000);
  });
});

describe('hostile golden-copy JSON', () => {
  it('a record nested deep enough to overflow the stack is refused naming file and record', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const file = path.join(dir, '20240505-0000-gleif-goldencopy-deep.json');
    writeFileSync(file, `{"records":[{"LEI":"${LEI}","Entity":{"LegalName":{"$":"X"},"Foo":${deep}}}]}`);
    const r = await runCli(['import', '--db', path.join(dir, 'deep.db'), file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/20240505-0000-gleif-goldencopy-deep\.json: record 1 \(line 1\): a value under Entity\.Foo is nested more than 64 levels deep/);
  });
});
