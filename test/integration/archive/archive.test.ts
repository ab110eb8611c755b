import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, tmpCase, type Tmp } from '../psc/helpers';

const ZIP = path.join(FIXTURES, 'psc', 'psc-snapshot-parts.zip');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
let t: Tmp;
beforeEach(() => (t = tmpCase()));
afterEach(() => t.close());

describe('compressed inputs', () => {
  it('imports each zip entry as its own source with the archive and entry SHA-256', async () => {
    const r = await t.import([ZIP]);
    expect(r.map((x) => x.file)).toEqual(['psc-snapshot-parts.zip/psc-snapshot-part1.txt', 'psc-snapshot-parts.zip/psc-snapshot-part2.txt']);
    expect(r.every((x) => x.format === 'uk-psc-jsonl')).toBe(true);
    expect(r[0]!.records + r[1]!.records).toBe(19);
    const lines = readFileSync(path.join(FIXTURES, 'psc', 'psc-snapshot-sample_2024-12.jsonl'), 'utf8').split(/(?<=\n)/);
    expect(r[0]!.sha256).toBe(sha(lines.slice(0, 10).join('')));
    const rows = t.db.prepare('SELECT file_name, sha256, archive_sha256 FROM sources ORDER BY id').all() as { archive_sha256: string }[];
    expect(rows.every((x) => x.archive_sha256 === sha(readFileSync(ZIP)))).toBe(true);
  });

  it('imports gzip for every JSON format and CSV', async () => {
    const f = t.file('links.csv.gz', gzipSync(readFileSync(path.join(FIXTURES, 'csv', 'links.csv'))));
    const g = t.file('bods.json.gz', gzipSync(readFileSync(path.join(FIXTURES, 'bods', '0.4-indirect.json'))));
    const r = await t.import([f, g]);
    expect(r.map((x) => x.format)).toEqual(['csv-links', 'bods-json']);
  });

  it('fails clearly on a broken zip and a truncated gzip, leaving the database unchanged', async () => {
    const z = readFileSync(ZIP);
    await expect(t.import([t.file('broken.zip', z.subarray(0, z.length - 30))])).rejects.toThrow(/broken.zip: archive: broken or truncated zip archive/);
    const gz = gzipSync(readFileSync(path.join(FIXTURES, 'psc', 'psc-snapshot-sample_2024-12.jsonl')));
    await expect(t.import([t.file('trunc.jsonl.gz', gz.subarray(0, gz.length - 500))], 'uk-psc-jsonl')).rejects.toThrow(/truncated/);
    expect((t.db.prepare('SELECT COUNT(*) AS n FROM sources').get() as { n: number }).n).toBe(0);
  });
});
