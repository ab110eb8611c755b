// Every link the real samples produce gets a label in words (issue #15): no registry code, no
// JSON, no "undefined" left in it; GLEIF types keep their quantifiers, PSC/BODS their share.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { relationshipWords } from '../../../shared/domain/engine';
import { runOk } from '../../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'ownerscope-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fx = (sub: string, ext: RegExp) => readdirSync(path.resolve(__dirname, '../../fixtures', sub)).filter((f) => ext.test(f)).map((f) => path.resolve(__dirname, '../../fixtures', sub, f));
// the shared real samples beside the repository (../shared/samples), as the other real-data tests read them
const samples = (sub: string, names: string[]) => names.map((n) => path.resolve(__dirname, '../../../../shared/samples', sub, n));

describe('relationship words on real samples', () => {
  it('GLEIF, PSC and BODS links read as words', async () => {
    const db = path.join(dir, 'words.db');
    await runOk(['import', '--db', db, ...fx('gleif', /^cases-(l1|rr)\.xml$/), ...fx('psc', /\.jsonl$/), ...fx('bods', /^0\.4-.*\.json$/), ...samples('bods/official-examples-0.4.0', ['joint-ownership.json', 'mixed-direct-and-indirect-ownership.json'])]);
    const h = new Database(db, { readonly: true });
    const units = (u: number | null) => (u === null ? null : `${u / 10_000}%`);
    const rows = h.prepare('SELECT DISTINCT kind, control_basis, stated, share_lo, share_lo_open, share_hi, share_hi_open, is_summary FROM links').all() as Array<Record<string, never>>;
    h.close();
    expect(rows.length).toBeGreaterThan(10);
    const labels = rows.map((r) => {
      const lo = r.share_lo as number | null;
      const hi = r.share_hi as number | null;
      const share = lo === null ? null : lo === hi ? units(lo) : `${r.share_lo_open ? '(' : '['}${units(lo)}, ${units(hi)}${r.share_hi_open ? ')' : ']'}`;
      return relationshipWords({ kind: r.kind, controlBasis: r.control_basis, stated: r.stated, share, isSummary: r.is_summary === 1 });
    });
    if (process.env.SHOW_LABELS) console.log(labels.join('\n'));
    for (const l of labels) {
      expect(l).not.toMatch(/IS_[A-Z]|[{}]|undefined|null|NaN/);
      expect(l.length).toBeGreaterThan(3);
    }
    expect(labels).toContain('directly consolidated by (accounting consolidation, 51.5%)');
    expect(labels).toContain('more than 75%, up to 100% (shareholding)');
    expect(labels).toContain('branch of');
  });
});
