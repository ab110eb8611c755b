import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entityByRef, FIXTURES, SAMPLES, tmpCase, type Tmp } from '../psc/helpers';

const F = (n: string) => path.join(FIXTURES, 'ftm', n);
let t: Tmp;
beforeEach(() => (t = tmpCase()));
afterEach(() => t.close());

describe('FollowTheMoney import (own fixtures)', () => {
  it('maps entities, identifiers, topics, ownership percentages and sanctions', async () => {
    const [r] = await t.import([F('entities.ftm.jsonl')]);
    expect(r!.format).toBe('ftm-jsonl');
    const acme = entityByRef(t.db, 'ftm', 'os-acme-holding');
    expect(entityByRef(t.db, 'lei', '213800OWNERSCOPE0278').id).toBe(acme.id);
    expect(entityByRef(t.db, 'gb-coh', '03530981').id).toBe(acme.id);
    expect(entityByRef(t.db, 'reg', 'ru:1027700000000').name).toBe('OOO Kaztrade');
    const ivanov = t.db.prepare(`SELECT topics, attributes FROM entities WHERE id = ?`).get(entityByRef(t.db, 'ftm', 'os-ivanov').id) as { topics: string; attributes: string };
    expect(JSON.parse(ivanov.topics)).toEqual(expect.arrayContaining(['sanction', 'role.oligarch']));
    expect(JSON.parse(ivanov.attributes).sanctions).toContain('TEST-PROGRAM');
    const links = Object.fromEntries(
      (t.db.prepare('SELECT key, share_lo, share_hi, status, end_date, stated FROM links').all() as { key: string }[]).map((l) => [l.key, l]),
    );
    expect(links['ftm:own-1']).toMatchObject({ share_lo: 510000, share_hi: 510000, status: 'active' });
    expect(links['ftm:own-2']).toMatchObject({ share_lo: 500000, status: 'inactive', end_date: '2019-12-31' });
    expect(links['ftm:own-3']).toMatchObject({ share_lo: 250000, share_hi: 500000 });
    expect(links['ftm:own-4']).toMatchObject({ share_lo: null, stated: expect.stringContaining('about a half') });
    expect(links['ftm:own-5']).toMatchObject({ share_lo: 10000 });
    const warnings = r!.warnings.map((w) => w.problem).join('\n');
    expect(warnings).toContain('"suhh"');
    expect(warnings).toContain('about a half');
    expect(warnings).toContain('Address ×1');
  });

  it('applies delta files: MOD updates, DEL removes, ADD adds', async () => {
    await t.import([F('entities.ftm.jsonl')]);
    await t.import([F('delta.ftm.jsonl')]);
    expect(t.db.prepare(`SELECT share_lo FROM links WHERE key = 'ftm:own-1'`).get()).toEqual({ share_lo: 605000 });
    expect(t.db.prepare(`SELECT 1 FROM links WHERE key = 'ftm:own-5'`).get()).toBeUndefined();
    expect(entityByRef(t.db, 'ftm', 'os-new').name).toBe('New Org');
  });

  it('fails clearly on bad input', async () => {
    await expect(t.import([t.file('op.jsonl', '{"op":"UPSERT","entity":{"id":"x"}}\n')], 'ftm-jsonl')).rejects.toThrow(/line 1: unknown delta op "UPSERT"/);
    await expect(t.import([t.file('p.jsonl', '{"id":"x","schema":"Company","properties":{"name":"Acme"}}\n')], 'ftm-jsonl')).rejects.toThrow(/properties.name must be a list of strings/);
    await expect(t.import([t.file('tr.jsonl', '{"id":"x","schema":"Company","properties":{"name":["Ac')], 'ftm-jsonl')).rejects.toThrow(/line 1: truncated JSON/);
    await expect(t.import([t.file('o.jsonl', '{"id":"o","schema":"Ownership","properties":{"owner":["a"]}}\n')], 'ftm-jsonl')).rejects.toThrow(/owner and asset are required/);
  });
});

const REAL = path.join(SAMPLES, 'opensanctions-ftm');
describe.skipIf(!existsSync(REAL))('FollowTheMoney import (real OpenSanctions samples, read in place, not copied)', () => {
  it('imports every sample entity and delta file', async () => {
    const files = readdirSync(REAL).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(REAL, f));
    const results = await t.import(files, 'ftm-jsonl');
    expect(results.every((r) => r.format === 'ftm-jsonl')).toBe(true);
    const inter = entityByRef(t.db, 'ftm', 'NK-2GdmHtZTeNXjNVrBGEXZNj');
    expect(t.db.prepare(`SELECT code FROM entity_countries WHERE entity_id = ?`).all(inter.id)).toContainEqual({ code: 'BY' });
    expect(entityByRef(t.db, 'reg', 'by:808000714').id).toBe(inter.id);
    // the synthetic NK-500Poltergeist is added by one delta and deleted by the next
    const p = t.db.prepare(`SELECT status FROM entities e JOIN identifiers i ON i.entity_id = e.id WHERE i.value = 'NK-500Poltergeist'`).get();
    expect(p).toEqual({ status: 'REMOVED' });
  });
});
