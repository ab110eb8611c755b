// A batch of files in the app (Sources): each file is imported on its own transaction, so one bad
// file is rolled back alone and listed with its reason while the good ones before and after it
// are imported. Real worker threads, the demo's GLEIF files, a truncated copy of one of them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage, Events } from '../../../shared/api/contract';
import { Backend } from '../../../electron/backend/api/backend';
import { callBackend } from '../../../electron/backend/api/dispatch';
import { browserHost } from '../../../electron/backend/http/host';
import { zipFiles } from '../../../electron/backend/export/zip';

const demo = path.resolve(__dirname, '../../../demo');
let dir: string;
let backend: Backend;
let bad: string;
const events: EventMessage[] = [];

async function ended(jobId: string): Promise<EventMessage> {
  for (;;) {
    const m = events.find((e) => (e.event === 'import.done' || e.event === 'import.failed') && e.data.jobId === jobId);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function importBatch(paths: string[]): Promise<EventMessage> {
  const r = await callBackend(backend, 'import.start', { paths });
  if (!r.ok) throw new Error(r.error.message);
  return ended(r.value.jobId);
}

const sources = async () => {
  const r = await callBackend(backend, 'sources.list', {});
  return r.ok ? r.value.map((s) => s.fileName) : [];
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-app-batch-'));
  const good = readFileSync(path.join(demo, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), 'utf8');
  bad = path.join(dir, 'truncated-lei.xml');
  writeFileSync(bad, good.slice(0, Math.floor(good.length * 0.6)));
  backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost() });
  backend.onEvent((m) => events.push(m));
  const c = await callBackend(backend, 'case.create', { path: path.join(dir, 'case.db') });
  expect(c.ok).toBe(true);
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a batch import in the app', () => {
  it('imports the good files around a bad one and lists the bad one with file, place and reason', async () => {
    const m = await importBatch([path.join(demo, 'cases-l1.xml'), bad, path.join(demo, 'cases-rr.xml')]);
    expect(m.event).toBe('import.done');
    const done = m.data as Events['import.done'];
    expect(done.files.map((f) => f.file)).toEqual(['cases-l1.xml', 'cases-rr.xml']);
    expect(done.failed).toHaveLength(1);
    expect(done.failed[0]!.file).toBe('truncated-lei.xml');
    expect(done.failed[0]!.message).toMatch(/truncated-lei\.xml/);
    expect(`${done.failed[0]!.location} ${done.failed[0]!.message}`).toMatch(/line \d+|byte \d+/);
    // the bad file left nothing behind: no source row, no entity of its records
    expect(await sources()).toEqual(['cases-l1.xml', 'cases-rr.xml']);
    const s = await callBackend(backend, 'entity.search', { query: 'lei:' + /<lei:LEI>([^<]+)/.exec(readFileSync(bad, 'utf8'))![1] });
    expect(s.ok && s.value).toEqual([]);
  });

  it('fails as a whole, naming every problem, when no file of the batch can be imported', async () => {
    const other = path.join(dir, 'not-a-register.txt');
    writeFileSync(other, 'hello\n');
    const m = await importBatch([bad, other]);
    expect(m.event).toBe('import.failed');
    const f = m.data as Events['import.failed'];
    expect(f.file).toBe('truncated-lei.xml');
    expect(f.message).toMatch(/not-a-register\.txt/);
    expect(await sources()).toEqual(['cases-l1.xml', 'cases-rr.xml']);
  });
});

describe('a file whose format is not recognised', () => {
  // an in-house entity list with an LEI column: csv-entities' detection leaves headers with "lei"
  // to the registry formats, so the user names the format
  const content = 'id,scheme,name,kind,jurisdiction,lei\nK-1,csv,Kestrel Holdings AG,company,CH,529900KESTREL0000017\nK-2,csv,Anna Meier,person,,\n';

  it('is detected as needing a format, with a message that names no command-line flag', async () => {
    const file = path.join(dir, 'clients.txt');
    writeFileSync(file, content);
    const r = await callBackend(backend, 'import.detect', { paths: [file, path.join(demo, 'cases-l1.xml')] });
    expect(r.ok).toBe(true);
    const [unknown, known] = r.ok ? r.value : [];
    expect(unknown).toMatchObject({ name: 'clients.txt', format: null, needsFormat: true });
    expect(unknown!.error).toMatch(/format not recognised/);
    expect(unknown!.error).not.toMatch(/--/);
    expect(known).toMatchObject({ format: 'gleif-l1-xml', needsFormat: false, error: null });
  });

  it('imports in the format chosen for it while the others of the batch are detected', async () => {
    const file = path.join(dir, 'clients-2.txt');
    writeFileSync(file, content);
    const other = path.join(demo, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml');
    const r = await callBackend(backend, 'import.start', { paths: [file, other], formats: ['csv-entities', null] });
    if (!r.ok) throw new Error(r.error.message);
    const m = await ended(r.value.jobId);
    expect(m.event).toBe('import.done');
    const done = m.data as Events['import.done'];
    expect(done.files.map((f) => [f.file, f.format])).toEqual([['clients-2.txt', 'csv-entities'], ['lei-cdf31_goldencopy_2023-06-05_excerpt.xml', 'gleif-l1-xml']]);
    expect(done.files[0]!.entities).toBe(2);
    const s = await callBackend(backend, 'entity.search', { query: 'Kestrel Holdings' });
    expect(s.ok && s.value.map((h) => h.name)).toContain('Kestrel Holdings AG');
  });

  it('refuses formats that do not match the paths or are unknown', async () => {
    const file = path.join(dir, 'clients.txt');
    const wrongLength = await callBackend(backend, 'import.start', { paths: [file], formats: ['csv-entities', null] });
    expect(!wrongLength.ok && wrongLength.error).toMatchObject({ code: 'invalid-input', field: 'formats' });
    const unknown = await callBackend(backend, 'import.start', { paths: [file], formats: ['csv-people'] });
    expect(!unknown.ok && unknown.error).toMatchObject({ code: 'invalid-input', field: 'formats[0]' });
    expect(!unknown.ok && unknown.error.message).toMatch(/known formats: .*csv-entities/);
  });
});

describe('a zip archive (the way GLEIF publishes its golden copies)', () => {
  const content = 'id,scheme,name,kind,jurisdiction,lei\nK-1,csv,Kestrel Holdings AG,company,CH,529900KESTREL0000017\n';
  const zip = (name: string, entries: string[], extra?: { name: string; text: string }) => {
    const file = path.join(dir, name);
    writeFileSync(file, zipFiles([...entries.map((e) => ({ name: e, data: readFileSync(path.join(demo, e)) })), ...(extra ? [{ name: extra.name, data: Buffer.from(extra.text) }] : [])]));
    return file;
  };

  it('is detected by its entries: a zip of registry files needs no format chosen', async () => {
    const file = zip('golden-copies.zip', ['cases-l1.xml', 'cases-rr.xml']);
    const r = await callBackend(backend, 'import.detect', { paths: [file] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value[0]).toMatchObject({ name: 'golden-copies.zip', needsFormat: false, error: null, format: null });
    expect(r.value[0]!.formatLabel).toMatch(/^zip of 2: .*Level 1.*, .*relationship/i);
    expect(r.value[0]!.entries).toEqual([
      { name: 'cases-l1.xml', format: 'gleif-l1-xml', formatLabel: expect.any(String), error: null },
      { name: 'cases-rr.xml', format: 'gleif-rr-xml', formatLabel: expect.any(String), error: null },
    ]);
  });

  it('with an entry no format recognises: the format chosen applies to that entry only, the others keep theirs', async () => {
    const file = zip('mixed.zip', ['cases-l1.xml'], { name: 'clients.txt', text: content });
    const d = await callBackend(backend, 'import.detect', { paths: [file] });
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value[0]).toMatchObject({ needsFormat: true, format: null, formatLabel: null });
    expect(d.value[0]!.error).toMatch(/mixed\.zip\/clients\.txt: start of file: format not recognised/);
    expect(d.value[0]!.entries!.map((e) => [e.name, e.format])).toEqual([['cases-l1.xml', 'gleif-l1-xml'], ['clients.txt', null]]);
    // again: the GLEIF entry has the bytes of a file imported above
    const r = await callBackend(backend, 'import.start', { paths: [file], formats: ['csv-entities'], again: true });
    if (!r.ok) throw new Error(r.error.message);
    const m = await ended(r.value.jobId);
    expect(m.event, JSON.stringify(m.data)).toBe('import.done');
    const done = m.data as Events['import.done'];
    expect(done.files.map((f) => [f.file, f.format])).toEqual([['mixed.zip/cases-l1.xml', 'gleif-l1-xml'], ['mixed.zip/clients.txt', 'csv-entities']]);
  });
});
