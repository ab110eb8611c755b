// Streaming parsers must give the same facts whatever the chunk boundaries (mid-record, mid-UTF-8
// character, between \r and \n, inside quoted fields and JSON strings).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gleifFormats } from '../../../electron/backend/import/gleif';
import type { FormatModule, ParseContext } from '../../../electron/backend/import/types';
import type { Fact } from '../../../shared/formats/facts';

const FX = path.resolve(__dirname, '../../fixtures/gleif');

async function run(mod: FormatModule, bytes: Buffer, size: number): Promise<{ facts: Fact[]; records: number }> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  let records = 0;
  const ctx: ParseContext = {
    fileName: 'x', fail: (l, p) => { throw new Error(`${l}: ${p}`); }, setDataDate: () => {}, countRecords: (n) => (records += n), setExpectedRecords: () => {},
  };
  const facts: Fact[] = [];
  for await (const b of mod.parse(chunks(), ctx)) facts.push(...b);
  return { facts, records };
}

describe.each([
  ['gleif-l1-xml', 'cases-l1.xml'],
  ['gleif-l1-csv', '20240601-0800-gleif-goldencopy-lei2-cases.csv'],
  ['gleif-rr-csv', 'cases-rr.csv'],
  ['gleif-rr-xml', 'cases-rr.xml'],
  ['gleif-repex-csv', 'cases-repex.csv'],
  ['gleif-l1-json', '20240505-0000-gleif-goldencopy-lei2-intra-day.json'],
])('%s %s', (id, file) => {
  const mod = gleifFormats.find((m) => m.id === id)!;
  const bytes = readFileSync(path.join(FX, file));
  it('is independent of chunk boundaries', async () => {
    const whole = await run(mod, bytes, bytes.length);
    expect(whole.records).toBeGreaterThan(0);
    for (const size of [1, 2, 3, 7, 64, 1000, 4099]) {
      const got = await run(mod, bytes, size);
      expect(got.records).toBe(whole.records);
      expect(got.facts).toEqual(whole.facts);
    }
  });
});
