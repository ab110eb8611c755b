// Saved GLEIF API responses through the CLI: every fixture imports with its entities, links and
// markers; a parent response with --from-url and a children page change a verdict; `import -` reads
// standard input (hashed like the file, gzip too) with detection or --format.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb } from '../../../electron/backend/store/db';
import { json, runCli, runOk } from '../../helpers/cli';

const API = path.resolve('test/fixtures/gleif/api');
const fx = (name: string) => path.join(API, name);
let dir: string;
let n = 0;
const newDb = () => path.join(dir, `case-${++n}.db`);
const stdinOf = (b: Buffer, size = 1000) => Readable.from((function* () {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
})());

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-gleif-api-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Imported = { imported: { file: string; format: string; sha256: string; size: number; records: number; entities: number; links: number; markers: number; dataDate: string | null }[] };
type Verdict = {
  verdict: string;
  paths: { items: { steps: { links: { source: { fileName: string; recordRef: string } }[] }[] }[] };
  gaps: { text: string }[];
};
type Trace = { nodes: Record<string, { name: string; identifiers: string[]; hasUndisclosed: boolean }>; links: Record<string, unknown> };

const CHILD = 'lei:5299009NORDLICHT0096';
const PARENT_URL = 'https://api.gleif.org/api/v1/lei-records/5299009NORDLICHT0096/direct-parent';

describe('import of GLEIF API responses', () => {
  it.each([
    // file, --from-url, records, entities, links, markers
    ['lei-record_5493001KJTIIGC8Y1R12.json', undefined, 1, 1, 0, 0],
    ['lei-records-page.json', undefined, 12, 12, 0, 0],
    ['direct-parent_5493001KJTIIGC8Y1R12.json', undefined, 1, 1, 0, 0],
    ['direct-parent_5493001KJTIIGC8Y1R12.json', 'https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12/direct-parent', 1, 1, 1, 0],
    ['ultimate-parent_5493001KJTIIGC8Y1R12.json', 'https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12/ultimate-parent', 1, 1, 1, 0],
    ['direct-parent-relationship_5493001KJTIIGC8Y1R12.json', undefined, 1, 0, 1, 0],
    ['ultimate-parent-relationship_5493001KJTIIGC8Y1R12.json', undefined, 1, 0, 1, 0],
    ['direct-children_5299001ERX0K10IZUL40.json', undefined, 2, 2, 2, 0],
    ['ultimate-children_5299001ERX0K10IZUL40.json', undefined, 2, 2, 2, 0],
    ['direct-child-relationships_5299001ERX0K10IZUL40.json', undefined, 2, 0, 2, 0],
    ['ultimate-child-relationships_5299001ERX0K10IZUL40.json', undefined, 2, 0, 2, 0],
    ['direct-child-relationships_5493001KJTIIGC8Y1R12-empty.json', undefined, 0, 0, 0, 0],
    ['direct-parent-reporting-exception_254900LNRYNOQ9YPU758.json', undefined, 1, 0, 0, 1],
    ['ultimate-parent-reporting-exception_21380068P1DRHMJ8KU70.json', undefined, 1, 0, 0, 1],
    ['cases-lei-records.json', undefined, 2, 2, 0, 0],
    ['cases-direct-parent-relationship.json', undefined, 1, 0, 1, 0],
    ['cases-reporting-exceptions.json', undefined, 3, 0, 0, 3],
  ] as const)('%s (--from-url %s)', async (file, url, records, entities, links, markers) => {
    const db = newDb();
    const r = json<Imported>(await runOk(['import', '--db', db, fx(file), '--json', ...(url ? ['--from-url', url] : [])]));
    expect(r.imported[0]).toMatchObject({ file, format: 'gleif-api-json', records, entities, links, markers });
    expect(r.imported[0]!.sha256).toBe(createHash('sha256').update(readFileSync(fx(file))).digest('hex'));
  });

  it('a parent response with --from-url links the child to its parent: the verdict and trace follow it', async () => {
    const db = newDb();
    await runOk(['import', '--db', db, fx('group-lei-record.json')]);
    const before = json<Verdict>(await runOk(['verdict', '--db', db, CHILD, '--json']));
    expect(before.verdict).not.toBe('restricted');

    await runOk(['import', '--db', db, fx('group-direct-parent.json'), '--from-url', PARENT_URL]);
    const after = json<Verdict>(await runOk(['verdict', '--db', db, CHILD, '--json']));
    expect(after.verdict).toBe('restricted');
    const sources = after.paths.items.flatMap((p) => p.steps.flatMap((s) => s.links.map((l) => l.source)));
    expect(sources).toContainEqual(expect.objectContaining({ fileName: 'group-direct-parent.json', recordRef: 'record 1' }));

    await runOk(['import', '--db', db, fx('group-ultimate-parent-reporting-exception.json')]);
    const t = json<Trace>(await runOk(['trace', '--db', db, CHILD, '--json']));
    const parent = Object.values(t.nodes).find((x) => x.identifiers.includes('lei:2534009VOLGAHOLD0054'))!;
    expect(parent.name).toBe('ПАО «Волга Холдинг»');
    expect(parent.hasUndisclosed).toBe(true);
    expect(Object.keys(t.links)).toHaveLength(1);
  });

  it('a children page links each child to the parent its links name, without --from-url', async () => {
    const db = newDb();
    await runOk(['import', '--db', db, fx('group-direct-children.json')]);
    // the page names the parent's LEI only: where the parent is comes with its own record
    expect(json<Verdict>(await runOk(['verdict', '--db', db, CHILD, '--json'])).verdict).toBe('indeterminate');
    await runOk(['import', '--db', db, fx('group-direct-parent.json')]);
    expect(json<Verdict>(await runOk(['verdict', '--db', db, CHILD, '--json'])).verdict).toBe('restricted');
  });

  it('the request URL reaches the parse worker too', async () => {
    for (const parallel of [false, true]) {
      const db = openCaseDb(newDb());
      try {
        const [r] = await importFiles(db, [fx('group-direct-parent.json')], { parallel, requestUrl: PARENT_URL });
        expect(r, `parallel ${parallel}`).toMatchObject({ entities: 1, links: 1 });
      } finally {
        db.close();
      }
    }
  });

  it('refuses bad --from-url use with exit 2, and a contradicting one with exit 1', async () => {
    const db = newDb();
    const two = await runCli(['import', '--db', db, fx('group-lei-record.json'), fx('group-direct-parent.json'), '--from-url', PARENT_URL]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--from-url names the request of one FILE, got 2 files/);
    const bad = await runCli(['import', '--db', db, fx('group-direct-parent.json'), '--from-url', 'https://example.org/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from-url must be a GLEIF API URL/);
    const wrong = await runCli(['import', '--db', db, fx('group-direct-children.json'), '--from-url', PARENT_URL]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/group-direct-children\.json: top-level "links": the response says it answers lei-records\/2534009VOLGAHOLD0054\/direct-children, but --from-url says lei-records\/5299009NORDLICHT0096\/direct-parent/);
  });

  it('names the file and record of a bad response, and imports nothing', async () => {
    const db = newDb();
    const bad = path.join(dir, 'saved.json');
    writeFileSync(bad, '{"data":[{"type":"lei-records","attributes":{"lei":"5299009NORDLICHT0096","entity":{"legalName":{"name":"X"},"legalAddress":{"country":"DE"},"jurisdiction":"DE","status":"SLEEPING"},"registration":{"status":"ISSUED"}}}]}');
    const r = await runCli(['import', '--db', db, fx('group-lei-record.json'), bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/saved\.json: record 1 \(LEI 5299009NORDLICHT0096\): unknown Entity\.EntityStatus "SLEEPING"/);
    expect(json<{ sources: unknown[] }>(await runOk(['sources', '--db', db, '--json'])).sources).toEqual([]);
  });
});

describe('import - (standard input)', () => {
  it('detects the format from the head, hashes what it read and records it as stdin', async () => {
    const db = newDb();
    const bytes = readFileSync(fx('lei-records-page.json'));
    // chunks smaller than the 64 KiB head: the head is assembled from several reads and nothing is lost
    const r = json<Imported>(await runCli(['import', '--db', db, '-', '--json'], { stdin: stdinOf(bytes, 777) }));
    expect(r.imported[0]).toMatchObject({ file: 'stdin', format: 'gleif-api-json', records: 12, entities: 12, size: bytes.length });
    expect(r.imported[0]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const s = json<{ sources: { fileName: string; sha256: string; size: number; format: string }[] }>(await runOk(['sources', '--db', db, '--json']));
    expect(s.sources[0]).toMatchObject({ fileName: 'stdin', sha256: r.imported[0]!.sha256, size: bytes.length });
  });

  it('reads gzip, a golden-copy file, and --from-url / --format with it', async () => {
    const db = newDb();
    const golden = readFileSync(path.resolve('test/fixtures/gleif/cases-l1.xml'));
    const gz = gzipSync(golden);
    const r = json<Imported>(await runCli(['import', '--db', db, '-', '--json'], { stdin: stdinOf(gz, 100) }));
    expect(r.imported[0]).toMatchObject({ file: 'stdin', format: 'gleif-l1-xml', records: 14, size: gz.length });
    expect(r.imported[0]!.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    const p = json<Imported>(await runCli(['import', '--db', db, '-', '--format', 'gleif-api-json', '--from-url', PARENT_URL, '--json'], {
      stdin: stdinOf(readFileSync(fx('group-direct-parent.json'))),
    }));
    expect(p.imported[0]).toMatchObject({ format: 'gleif-api-json', entities: 1, links: 1 });
  });

  it('mixes standard input with files in one import', async () => {
    const db = newDb();
    const r = json<Imported>(await runCli(['import', '--db', db, fx('group-lei-record.json'), '-', '--json'], {
      stdin: stdinOf(readFileSync(fx('group-direct-children.json'))),
    }));
    expect(r.imported.map((x) => x.file)).toEqual(['group-lei-record.json', 'stdin']);
  });

  it('says what is wrong with standard input', async () => {
    const db = newDb();
    const unknown = await runCli(['import', '--db', db, '-'], { stdin: stdinOf(Buffer.from('hello\n')) });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/stdin: start of file: format not recognised .* name it with --format/);
    const zip = await runCli(['import', '--db', db, '-'], { stdin: stdinOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])) });
    expect(zip.code).toBe(1);
    expect(zip.stderr).toMatch(/stdin: start of file: a zip archive cannot be read from standard input/);
    const twice = await runCli(['import', '--db', db, '-', '-'], { stdin: stdinOf(Buffer.from('{}')) });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/- \(standard input\) can be given once/);
    const badFormat = await runCli(['import', '--db', db, '-', '--format', 'gleif-api-xml'], { stdin: stdinOf(Buffer.from('{}')) });
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format: unknown format "gleif-api-xml"/);
  });

  it('reads the standard input of the real command', () => {
    const db = newDb();
    const out = execFileSync(process.execPath, ['bin/ownerscope.mjs', 'import', '--db', db, '-', '--json'], {
      input: readFileSync(fx('direct-children_5299001ERX0K10IZUL40.json')), env: { ...process.env, OWNERSCOPE_HOME: dir },
    });
    expect((JSON.parse(out.toString('utf8')) as Imported).imported[0]).toMatchObject({ file: 'stdin', format: 'gleif-api-json', entities: 2, links: 2 });
  });
});
