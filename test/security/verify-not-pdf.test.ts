// Verifying a file that is not a PDF at all says "not a PDF", not a cross-reference error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyReport } from '../../electron/backend/report/verify';

describe('verify of a non-PDF', () => {
  it('says the file is not a PDF, for a real PSC JSON Lines file and for random bytes', () => {
    const csv = readFileSync(path.resolve(__dirname, '../../demo/psc-snapshot-sample_2024-12.jsonl'));
    for (const buf of [csv, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])]) {
      const r = verifyReport(buf);
      expect(r.status).toBe('invalid');
      expect(r.reasons.map((x) => x.message).join(' ')).toMatch(/^Not a PDF/);
    }
  });
});
