// Hostile content in import files: a JSON line of tens of MiB (and a 256 MiB line that
// compresses to almost nothing), bytes that are not UTF-8 inside a real GLEIF record, a zip with
// two entries of the same name. Each is refused quickly, naming the file and the line, and the
// case database is left unchanged.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../electron/backend/import/runner';
import { openCaseDb, type Db } from '../../electron/backend/store/db';

const FIXTURES = path.resolve(__dirname, '../fixtures');

describe('hostile import content', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-hostile-input-'));
    db = openCaseDb(path.join(dir, 'case.db'));
  });
  afterEach(() => db.close());
  const sources = () => (db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n;

  for (const parallel of [false, true]) {
    it(`a 40 MiB JSON line is refused naming file and line (${parallel ? 'parse worker' : 'in thread'})`, async () => {
      const psc = readFileSync(path.join(FIXTURES, 'psc/psc-snapshot-sample_2024-12.jsonl'), 'utf8').split('\n');
      const rec = JSON.parse(psc[0]!) as { data: Record<string, unknown> };
      const long = JSON.stringify({ ...rec, data: { ...rec.data, name: 'x'.repeat(40 * 1024 * 1024) } });
      const file = path.join(dir, 'psc-long.jsonl');
      writeFileSync(file, [psc[0], psc[1], long, psc[2]].join('\n') + '\n');
      await expect(importFiles(db, [file], { parallel })).rejects.toThrow(/psc-long\.jsonl: line 3: record longer than 16 MiB/);
      expect(sources()).toBe(0);
    }, 60_000);
  }

  it('a 256 MiB line in a small gzip file is refused after reading at most the limit', async () => {
    const file = path.join(dir, 'bomb.ftm.jsonl.gz');
    const out = createWriteStream(file);
    const gz = createGzip({ level: 1 });
    gz.pipe(out);
    gz.write('{"id": "x", "schema": "Company", "properties": {"name": ["');
    const block = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 256; i++) if (!gz.write(block)) await once(gz, 'drain');
    gz.end('"]}}\n');
    await once(out, 'close');
    await expect(importFiles(db, [file], { format: 'ftm-jsonl', parallel: false })).rejects.toThrow(/bomb\.ftm\.jsonl\.gz: line 1: record longer than 16 MiB/);
    expect(sources()).toBe(0);
  }, 60_000);

  it('bytes FF FE inside a city name of a real GLEIF record are refused naming the line', async () => {
    const xml = readFileSync(path.join(FIXTURES, 'gleif/lei-cdf31_goldencopy_2023-06-05_excerpt.xml'));
    const at = xml.indexOf('<lei:City>') + '<lei:City>'.length;
    const line = xml.subarray(0, at).toString('latin1').split('\n').length;
    const bad = Buffer.concat([xml.subarray(0, at + 2), Buffer.from([0xff, 0xfe]), xml.subarray(at + 2)]);
    const file = path.join(dir, 'l1-bad.xml');
    writeFileSync(file, bad);
    await expect(importFiles(db, [file])).rejects.toThrow(new RegExp(`l1-bad\\.xml: line ${line}: not valid UTF-8 \\(bytes FF FE`));
    expect(sources()).toBe(0);
  });

  it('invalid UTF-8 in a CSV and a JSON file is refused naming the line', async () => {
    const csv = readFileSync(path.join(FIXTURES, 'csv/entities.csv'), 'latin1').split('\n');
    csv[2] = csv[2]!.replace(/,/, ',\u00e9'); // a Latin-1 é (one byte E9): not UTF-8
    const csvFile = path.join(dir, 'entities-latin1.csv');
    writeFileSync(csvFile, Buffer.from(csv.join('\n'), 'latin1'));
    await expect(importFiles(db, [csvFile])).rejects.toThrow(/entities-latin1\.csv: line 3: not valid UTF-8 \(bytes E9/);
    const json = readFileSync(path.join(FIXTURES, 'gleif/20240505-0000-gleif-goldencopy-lei2-intra-day.json'));
    const cut = json.indexOf('"', 200);
    const jsonFile = path.join(dir, 'rr-bad.json');
    writeFileSync(jsonFile, Buffer.concat([json.subarray(0, cut + 1), Buffer.from([0xc3]), json.subarray(cut + 1)]));
    const jline = json.subarray(0, cut).toString('latin1').split('\n').length;
    await expect(importFiles(db, [jsonFile])).rejects.toThrow(new RegExp(`rr-bad\\.json: line ${jline}: not valid UTF-8`));
    expect(sources()).toBe(0);
  });

  it('a multi-byte character cut by every chunk boundary is still valid (gzip streams in 16 KiB chunks)', async () => {
    // real names with accents, repeated so that some character straddles a chunk boundary
    const psc = readFileSync(path.join(FIXTURES, 'psc/psc-snapshot-sample_2024-12.jsonl'), 'utf8').trim().split('\n');
    const rec = JSON.parse(psc[0]!) as { company_number: string; data: Record<string, unknown> };
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify({ ...rec, company_number: String(10000000 + i), data: { ...rec.data, name: `Zoë Ångström-Łukasz 北京 ${'é'.repeat(i % 7)}` } }));
    const file = path.join(dir, 'psc-accents.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await importFiles(db, [file], { parallel: false });
    expect(r[0]!.records).toBe(3000);
  });

  it('a zip with two entries of the same name is refused (the real PSC parts archive, second entry renamed)', async () => {
    const zip = readFileSync(path.join(FIXTURES, 'psc/psc-snapshot-parts.zip'));
    const patched = Buffer.from(zip.toString('latin1').replaceAll('psc-snapshot-part2.txt', 'psc-snapshot-part1.txt'), 'latin1');
    const file = path.join(dir, 'twice.zip');
    writeFileSync(file, patched);
    await expect(importFiles(db, [file])).rejects.toThrow(/twice\.zip: psc-snapshot-part1\.txt: the archive holds two entries with this name/);
    expect(sources()).toBe(0);
  });
});
