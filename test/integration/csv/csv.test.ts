import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entityByRef, FIXTURES, tmpCase, type Tmp } from '../psc/helpers';

const F = (n: string) => path.join(FIXTURES, 'csv', n);
let t: Tmp;
beforeEach(() => (t = tmpCase()));
afterEach(() => t.close());

describe('in-house CSV import', () => {
  it('detects entities and links files by header and maps the documented columns', async () => {
    const r = await t.import([F('entities.csv'), F('links.csv')]);
    expect(r.map((x) => x.format)).toEqual(['csv-entities', 'csv-links']);
    const acme = entityByRef(t.db, 'gb-coh', '01234567');
    expect(acme.name).toBe('Acme Trading Ltd');
    expect(entityByRef(t.db, 'lei', '213800OWNERSCOPE0181').id).toBe(acme.id);
    const wang = entityByRef(t.db, 'csv', 'P-1');
    expect(t.db.prepare('SELECT role, code, text FROM entity_countries WHERE entity_id = ? ORDER BY role').all(wang.id)).toEqual([
      { role: 'nationality', code: 'CN', text: 'Chinese' },
      { role: 'residence', code: 'HK', text: 'Hong Kong' },
    ]);
    expect(r[0]!.warnings.map((w) => w.problem).join()).toContain('"Atlantis"');
    const l = t.db.prepare(`SELECT share_lo, share_lo_open, share_hi, share_hi_open FROM links WHERE owner_id = ? AND kind = 'shares'`).get(wang.id);
    expect(l).toEqual({ share_lo: 500000, share_lo_open: 1, share_hi: 750000, share_hi_open: 0 });
    expect(t.db.prepare(`SELECT status, end_date, control_basis FROM links WHERE key = 'csv:board-2019'`).get()).toEqual({ status: 'inactive', end_date: '2020-01-01', control_basis: 'board' });
  });

  it('fails clearly on bad input', async () => {
    await expect(t.import([t.file('a.csv', 'owner_ref,owned_ref,kind,share_exact\ncsv:a,csv:b,shares,150\n')])).rejects.toThrow(/row 2: share_exact must be a percentage/);
    await expect(t.import([t.file('b.csv', 'owner_ref,owned_ref,kind\ncsv:a,csv:b\n')])).rejects.toThrow(/row 2: 2 fields but the header has 3/);
    await expect(t.import([t.file('c.csv', 'owner_ref,owned_ref,kind\ncsv:a,csv:b,ownership\n')])).rejects.toThrow(/kind must be one of/);
    await expect(t.import([t.file('d.csv', 'id,name,kind\nX,,company\n')])).rejects.toThrow(/row 2: name is empty/);
    await expect(t.import([t.file('e.csv', 'owner_ref,owned_ref,start_date\nnot-a-ref,csv:b,2020-13-45\n')])).rejects.toThrow(/not a reference/);
  });
});
