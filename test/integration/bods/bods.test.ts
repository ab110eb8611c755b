import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, tmpCase, type Tmp } from '../psc/helpers';

const F = (n: string) => path.join(FIXTURES, 'bods', n);
let t: Tmp;
beforeEach(() => (t = tmpCase()));
afterEach(() => t.close());

describe('BODS import (official examples and real GLEIF-derived 0.2)', () => {
  it('0.2: a replaced ownership statement is removed and an unspecified party becomes a withheld marker', async () => {
    const [r] = await t.import([F('0.2-single-update.json')]);
    expect(r!.format).toBe('bods-json');
    const links = t.db.prepare('SELECT key, kind, share_lo, share_hi, share_lo_open, share_hi_open FROM links').all();
    expect(links).toEqual([{ key: 'bods:676ce2ec-e244-409e-85f9-9823e88bc099|shares', kind: 'shares', share_lo: 500000, share_hi: 500000, share_lo_open: 0, share_hi_open: 0 }]);
    expect(t.db.prepare('SELECT category, reason FROM undisclosed').all()).toEqual([{ category: 'withheld', reason: 'interested-party-has-not-provided-information' }]);
    expect(t.db.prepare(`SELECT code FROM entity_countries WHERE role = 'nationality'`).all()).toEqual([{ code: 'GB' }]);
  });

  it('0.3 and 0.4: the primary indirect relationship with components is a summary, components are not', async () => {
    for (const f of ['0.3-indirect.json', '0.4-indirect.json']) {
      const u = tmpCase();
      try {
        await u.import([F(f)]);
        const rows = u.db.prepare('SELECT kind, share_lo, is_summary FROM links ORDER BY is_summary, key').all() as { is_summary: number; share_lo: number | null }[];
        expect(rows.filter((x) => x.is_summary === 1)).toHaveLength(1);
        if (f.startsWith('0.4')) expect(rows.find((x) => x.is_summary === 1)!.share_lo).toBe(300000);
      } finally {
        u.close();
      }
    }
  });

  it('0.4: records grouped by recordId, latest wins, stale slots removed', async () => {
    const [r] = await t.import([F('0.4-tecido.json')]);
    expect(r!.records).toBe(11);
    // 022EBEB66B: new, updated twice, then closed → its links are kept, inactive, ended on the closing date
    const closed = t.db.prepare(`SELECT status, end_date FROM links WHERE key LIKE 'bods:022EBEB66B|%'`).all() as { status: string; end_date: string }[];
    expect(closed.length).toBeGreaterThan(0);
    for (const l of closed) expect(l).toEqual({ status: 'inactive', end_date: '2023-03-03' });
    // 02089A4E68: still open after its last update
    const open = t.db.prepare(`SELECT status FROM links WHERE key LIKE 'bods:02089A4E68|%'`).all() as { status: string }[];
    expect(open.some((l) => l.status === 'active')).toBe(true);
    expect(t.db.prepare(`SELECT status FROM entities e JOIN identifiers i ON i.entity_id = e.id WHERE i.value = '018AF6B3EB'`).get()).toEqual({ status: 'INACTIVE' });
  });

  it('real GLEIF-derived 0.2 relationships: other-influence-or-control as control, references across files', async () => {
    const [r] = await t.import([F('0.2-rr-data-out.json')]);
    expect(r!.links).toBe(10);
    const kinds = t.db.prepare('SELECT DISTINCT kind, control_basis FROM links').all();
    expect(kinds).toEqual([{ kind: 'control', control_basis: 'influence' }]);
    // the entity statements live in another file: placeholders keyed by statement id until it arrives
    expect((t.db.prepare(`SELECT COUNT(*) AS n FROM entities WHERE is_placeholder = 1`).get() as { n: number }).n).toBeGreaterThan(0);
  });

  it('reads JSON Lines as well as arrays', async () => {
    const arr = JSON.parse(readFileSync(F('0.4-indirect.json'), 'utf8')) as unknown[];
    const f = t.file('lines.jsonl', arr.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const [r] = await t.import([f]);
    expect(r!.format).toBe('bods-json');
    expect(r!.links).toBe(3);
  });

  it('share semantics per version: 0.2 defaults vs 0.4 numeric exclusive bounds', async () => {
    const st = (version: string, share: object) => ({
      statementID: `s-${version}`, statementType: 'ownershipOrControlStatement', publicationDetails: { bodsVersion: version },
      subject: { describedByEntityStatement: 'e1' }, interestedParty: { describedByEntityStatement: 'e2' },
      interests: [{ type: 'shareholding', share }],
    });
    await t.import([t.file('v2.json', JSON.stringify([st('0.2', { minimum: 50, maximum: 75 })]))]);
    expect(t.db.prepare('SELECT share_lo, share_lo_open, share_hi, share_hi_open FROM links').get()).toEqual({ share_lo: 500000, share_lo_open: 0, share_hi: 750000, share_hi_open: 1 });
    const v4 = {
      statementId: 'x'.repeat(32), recordId: 'r1', recordType: 'relationship', recordStatus: 'new', publicationDetails: { bodsVersion: '0.4' },
      recordDetails: { subject: 'e1', interestedParty: 'e3', interests: [{ type: 'shareholding', share: { exclusiveMinimum: 50, maximum: 75 } }] },
    };
    await t.import([t.file('v4.json', JSON.stringify([v4]))]);
    expect(t.db.prepare(`SELECT share_lo, share_lo_open, share_hi, share_hi_open FROM links WHERE key = 'bods:r1|shares'`).get()).toEqual({ share_lo: 500000, share_lo_open: 1, share_hi: 750000, share_hi_open: 0 });
  });

  it('fails clearly on a wrong version, wrong types and a truncated file', async () => {
    const base = { statementID: 's1', statementType: 'entityStatement', name: 'A' };
    await expect(t.import([t.file('v.json', JSON.stringify([{ ...base, publicationDetails: { bodsVersion: '0.1' } }]))], 'bods-json')).rejects.toThrow(/record 1.*unsupported BODS version "0.1"/);
    const bool4 = {
      statementId: 'y'.repeat(32), recordId: 'r2', recordType: 'relationship', publicationDetails: { bodsVersion: '0.4' },
      recordDetails: { subject: 'a', interestedParty: 'b', interests: [{ type: 'shareholding', share: { minimum: 50, exclusiveMinimum: true } }] },
    };
    await expect(t.import([t.file('b.json', JSON.stringify([bool4]))], 'bods-json')).rejects.toThrow(/exclusiveMinimum is a boolean, but BODS 0.4 uses numbers/);
    const typ = { statementID: 's2', statementType: 'ownershipOrControlStatement', subject: { describedByEntityStatement: 'a' }, interestedParty: { describedByEntityStatement: 'b' }, interests: [{ type: 'shareholding', share: { exact: '50' } }] };
    await expect(t.import([t.file('t.json', JSON.stringify([typ]))], 'bods-json')).rejects.toThrow(/share.exact must be a number/);
    const text = readFileSync(F('0.4-indirect.json'), 'utf8');
    await expect(t.import([t.file('tr.json', text.slice(0, text.length - 200))], 'bods-json')).rejects.toThrow(/truncated/);
    expect((t.db.prepare('SELECT COUNT(*) AS n FROM sources').get() as { n: number }).n).toBe(0);
  });
});
