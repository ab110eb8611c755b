import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { ImportError } from '../../../electron/backend/import/types';
import { entityByRef, FIXTURES, tmpCase, type Tmp } from './helpers';

const SAMPLE = path.join(FIXTURES, 'psc', 'psc-snapshot-sample_2024-12.jsonl');
let t: Tmp;
beforeEach(() => (t = tmpCase()));
afterEach(() => t.close());

describe('UK PSC snapshot import (real sample)', () => {
  it('maps bands, shares vs votes, control, statements and super-secure records', async () => {
    const [r] = await t.import([SAMPLE]);
    expect(r!.format).toBe('uk-psc-jsonl');
    expect(r!.records).toBe(19);
    expect(r!.dataDate).toBe('2024-11-22T03:43:03Z');
    // 07102351 owned 75-100% by a Chinese state body
    const owned = entityByRef(t.db, 'gb-coh', '07102351');
    const link = t.db.prepare('SELECT l.*, e.kind AS ownerKind, e.name AS ownerName FROM links l JOIN entities e ON e.id = l.owner_id WHERE owned_id = ?').get(owned.id) as Record<string, unknown>;
    expect(link).toMatchObject({ kind: 'shares', share_lo: 750000, share_lo_open: 1, share_hi: 1000000, share_hi_open: 0, ownerKind: 'state-body', status: 'active' });
    expect(String(link['stated'])).toContain('more than 75% of the shares');
    const ctry = t.db.prepare(`SELECT code, text FROM entity_countries WHERE entity_id = ? AND role = 'jurisdiction'`).get(link['owner_id']) as { code: string; text: string };
    expect(ctry).toEqual({ code: 'CN', text: "People'S Republic Of China" });
    // 06452920: shares 75-100 but votes 25-50, as two links
    const wpp = entityByRef(t.db, 'gb-coh', '06452920');
    const lv = t.db.prepare('SELECT kind, share_lo, share_hi FROM links WHERE owned_id = ? ORDER BY kind').all(wpp.id);
    expect(lv).toEqual([{ kind: 'shares', share_lo: 750000, share_hi: 1000000 }, { kind: 'votes', share_lo: 250000, share_hi: 500000 }]);
    // 25-to-50 is (25, 50]: exactly 50% is not a majority
    const b = t.db.prepare(`SELECT share_lo_open, share_hi_open, share_hi FROM links WHERE key = 'gb-psc:55y0_U-Q2wwTXDXh6mmo0BJPpM8|shares'`).get();
    expect(b).toEqual({ share_lo_open: 1, share_hi_open: 0, share_hi: 500000 });
    // board appointment as control/board
    expect(t.db.prepare(`SELECT kind, control_basis FROM links WHERE key = 'gb-psc:m5XNR_-nKtmMDh9BkcfpD7Pzkic|board'`).get()).toEqual({ kind: 'control', control_basis: 'board' });
    // corporate PSC with a UK number is the gb-coh entity, zero-padded
    expect(entityByRef(t.db, 'gb-coh', '00686734').name).toBe('Robert Hitchins Limited');
    // ceased PSC kept, inactive with an end date
    expect(t.db.prepare(`SELECT status, end_date FROM links WHERE key = 'gb-psc:w4N_sH7yjfQmrQl93tx5yu7WW50|shares'`).get()).toEqual({ status: 'inactive', end_date: '2018-02-27' });
    // ROE "more than 25%" → (25, 100]
    expect(t.db.prepare(`SELECT share_lo, share_lo_open, share_hi FROM links WHERE key = 'gb-psc:28NaTOioatSpvI7hNY3qz_fKYoI|shares'`).get()).toEqual({ share_lo: 250000, share_lo_open: 1, share_hi: 1000000 });
    const markers = t.db.prepare('SELECT key, category, status FROM undisclosed ORDER BY key').all();
    expect(markers).toEqual([
      { key: 'gb-psc:NcZQQA0LMrXYV1u0fGRHLrGIL_I', category: 'withheld', status: 'active' },
      { key: 'gb-psc:Z1EPZ-AyS_CpOQyqHfFzyRcbkdg', category: 'no-parent', status: 'inactive' },
    ]);
  });

  it('reports countries it cannot normalize as warnings on the source', async () => {
    const [r] = await t.import([SAMPLE]);
    expect(r!.warnings.length).toBeGreaterThan(0);
    const stored = JSON.parse((t.db.prepare('SELECT warnings FROM sources').get() as { warnings: string }).warnings) as { problem: string }[];
    expect(stored.some((w) => w.problem.includes('Companies Act 2006'))).toBe(true);
  });

  it('re-import updates instead of duplicating', async () => {
    await t.import([SAMPLE]);
    const count = () => (t.db.prepare('SELECT (SELECT COUNT(*) FROM entities) + (SELECT COUNT(*) FROM links) * 1000 AS n').get() as { n: number }).n;
    const before = count();
    // the same bytes are skipped unless forced (test/integration/import/reimport.test.ts)
    const [r] = await importFiles(t.db, [SAMPLE], { again: true });
    expect(count()).toBe(before);
    expect(r!.unchanged).toBeGreaterThan(0);
  });

  it('maps exemptions and the synthetic shapes', async () => {
    await t.import([path.join(FIXTURES, 'psc', 'synthetic-shapes.jsonl')]);
    const m = t.db.prepare('SELECT key, category, reason FROM undisclosed ORDER BY key').all() as { key: string; category: string; reason: string }[];
    expect(m.map((x) => x.category).sort()).toEqual(['no-parent', 'unknown', 'withheld']);
    expect(m.find((x) => x.key.startsWith('gb-psc-exemption:01234567'))?.reason).toBe('psc-exempt-as-shares-admitted-on-market');
  });

  it('fails clearly on a truncated line, wrong types and unknown kinds, leaving the database unchanged', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const truncated = t.file('trunc.jsonl', text.slice(0, text.length - 40));
    await expect(t.import([truncated], 'uk-psc-jsonl')).rejects.toThrow(/line 20: truncated JSON/);
    const wrong = t.file('wrong.jsonl', '{"company_number":"01234567","data":{"kind":"individual-person-with-significant-control","name":"X","links":{"self":"/a/b/ID1"},"natures_of_control":"ownership-of-shares-75-to-100-percent"}}\n');
    await expect(t.import([wrong], 'uk-psc-jsonl')).rejects.toThrow(/line 1: data.natures_of_control must be a list of strings/);
    const num = t.file('num.jsonl', '{"company_number":1234567,"data":{"kind":"exemptions"}}\n');
    await expect(t.import([num], 'uk-psc-jsonl')).rejects.toThrow(ImportError);
    const kind = t.file('kind.jsonl', '{"company_number":"01234567","data":{"kind":"martian-person-with-significant-control","links":{"self":"/x/Y"}}}\n');
    await expect(t.import([kind], 'uk-psc-jsonl')).rejects.toThrow(/unknown data.kind "martian/);
    expect((t.db.prepare('SELECT COUNT(*) AS n FROM sources').get() as { n: number }).n).toBe(0);
  });
});
