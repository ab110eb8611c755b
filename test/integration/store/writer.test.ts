import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exactShare } from '../../../shared/domain/model';
import type { EntityFact, LinkFact, UndisclosedFact } from '../../../shared/formats/facts';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { entityDetail, resolveRef, searchEntities } from '../../../electron/backend/store/queries';
import { indexPendingNames } from '../../../electron/backend/store/search-index';
import { FactWriter } from '../../../electron/backend/store/writer';
import { historyRows } from '../../../electron/backend/store/history';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-writer-'));
  db = openCaseDb(path.join(dir, 'case.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function source(name: string): number {
  return Number(
    db.prepare(`INSERT INTO sources (file_name, sha256, size, format, imported_at) VALUES (?, 'x', 1, 'test', '2026-01-01')`).run(name).lastInsertRowid,
  );
}

const acme = (name: string, country: string): EntityFact => ({
  type: 'entity', ref: { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' }, recordRef: 'record 1', kind: 'company', name,
  names: [{ name: '艾克米控股有限公司', type: 'other', lang: 'zh' }], identifiers: [{ scheme: 'gb-coh', value: '00000042' }],
  countries: [{ role: 'jurisdiction', code: country, text: country }],
});
const link = (pct: number): LinkFact => ({
  type: 'link', key: 'test|A|B', recordRef: 'line 2', owner: { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' },
  owned: { scheme: 'gb-coh', value: '00000099' }, kind: 'shares', share: exactShare(pct * 10_000), stated: `${pct}%`,
  isSummary: false, status: 'active',
});

describe('fact writer', () => {
  it('a link or marker deleted by one source and stated again by a later one comes back, once', () => {
    const marker = (reason: string): UndisclosedFact => ({
      type: 'undisclosed', key: 'test|M', recordRef: 'line 3', subject: { scheme: 'gb-coh', value: '00000099' },
      category: 'withheld', scope: 'direct', reason, status: 'active',
    });
    const w1 = new FactWriter(db, source('a.xml'));
    w1.apply(link(30));
    w1.apply(marker('NON_PUBLIC'));
    const w2 = new FactWriter(db, source('delta.xml'));
    w2.apply({ type: 'delete', object: 'link', key: 'test|A|B', recordRef: 'line 1' });
    w2.apply({ type: 'delete', object: 'undisclosed', key: 'test|M', recordRef: 'line 2' });
    expect(db.prepare('SELECT count(*) n FROM links').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM undisclosed').get()).toEqual({ n: 0 });
    const w3 = new FactWriter(db, source('b.xml'));
    w3.apply(link(45));
    w3.apply(marker('DETRIMENT_NOT_EXCLUDED'));
    w3.apply(marker('DETRIMENT_NOT_EXCLUDED')); // the same record twice: unchanged, still one row
    expect(db.prepare('SELECT share_lo, source_id FROM links').all()).toEqual([{ share_lo: 450_000, source_id: 3 }]);
    expect(db.prepare('SELECT reason, source_id FROM undisclosed').all()).toEqual([{ reason: 'DETRIMENT_NOT_EXCLUDED', source_id: 3 }]);
    w3.finish(); // writes the packed confirmation (an import always finishes its writer)
    expect(historyRows(db).map((h) => ({ object: h.object, action: h.action }))).toEqual([
      { object: 'link', action: 'insert' }, { object: 'undisclosed', action: 'insert' },
      { object: 'link', action: 'delete' }, { object: 'undisclosed', action: 'delete' },
      { object: 'link', action: 'update' }, { object: 'undisclosed', action: 'update' }, { object: 'undisclosed', action: 'unchanged' },
    ]);
    // deleted and stated again within one file (the writer learns of the deletion as it goes)
    const w4 = new FactWriter(db, source('c.xml'));
    w4.apply({ type: 'delete', object: 'link', key: 'test|A|B', recordRef: 'line 1' });
    w4.apply(link(51));
    expect(db.prepare('SELECT share_lo, source_id FROM links').all()).toEqual([{ share_lo: 510_000, source_id: 4 }]);
  });

  it('a case database opened later still knows that links were deleted', () => {
    new FactWriter(db, source('a.xml')).apply(link(30));
    new FactWriter(db, source('delta.xml')).apply({ type: 'delete', object: 'link', key: 'test|A|B', recordRef: 'line 1' });
    const file = db.name;
    db.close();
    db = openCaseDb(file);
    new FactWriter(db, source('b.xml')).apply(link(40));
    expect(db.prepare(`SELECT action FROM record_history WHERE object = 'link' ORDER BY id`).all()).toEqual([{ action: 'insert' }, { action: 'delete' }, { action: 'update' }]);
    expect(db.prepare('SELECT count(*) n FROM links').get()).toEqual({ n: 1 });
  });

  it('an entity with several identifiers: each stored once, found by any of them', () => {
    const w = new FactWriter(db, source('a.xml'));
    const fact = { ...acme('ACME HOLDINGS LTD', 'GB'), identifiers: [{ scheme: 'lei', value: '5493001KJTIIGC8Y1R12' }, { scheme: 'gb-coh', value: '00000042' }, { scheme: 'ra', value: 'RA000585:00000042' }] };
    w.apply(fact);
    expect(db.prepare('SELECT scheme, value FROM identifiers ORDER BY scheme').all()).toEqual([
      { scheme: 'gb-coh', value: '00000042' }, { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' }, { scheme: 'ra', value: 'RA000585:00000042' },
    ]);
    const id = resolveRef(db, 'lei:5493001KJTIIGC8Y1R12');
    expect(resolveRef(db, 'gb-coh:00000042')).toBe(id);
    expect(resolveRef(db, 'ra:RA000585:00000042')).toBe(id);
    // names and countries beyond one statement's rows all land, in order
    const many = { ...fact, names: Array.from({ length: 9 }, (_, i) => ({ name: `ACME ALIAS ${i}`, type: 'other' as const })), countries: Array.from({ length: 6 }, (_, i) => ({ role: 'residence' as const, code: `C${i}`, text: `C${i}` })) };
    new FactWriter(db, source('b.xml')).apply(many);
    expect((db.prepare('SELECT name FROM entity_names WHERE entity_id = ? ORDER BY id').all(id) as { name: string }[]).map((r) => r.name)).toEqual(['ACME HOLDINGS LTD', ...many.names.map((n) => n.name)]);
    expect((db.prepare('SELECT code FROM entity_countries WHERE entity_id = ? ORDER BY id').all(id) as { code: string }[]).map((r) => r.code)).toEqual(many.countries.map((c) => c.code));
  });

  it('upserts by key: a newer source updates instead of duplicating and history keeps both', () => {
    const w1 = new FactWriter(db, source('old.xml'));
    w1.apply(acme('ACME HOLDINGS LTD', 'GB'));
    w1.apply(link(30));
    const w2 = new FactWriter(db, source('new.xml'));
    w2.apply(acme('ACME GROUP LTD', 'CN'));
    w2.apply(link(60));
    expect(db.prepare('SELECT count(*) n FROM entities WHERE is_placeholder = 0').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) n FROM links').get()).toEqual({ n: 1 });
    const id = resolveRef(db, 'lei:5493001KJTIIGC8Y1R12');
    const d = entityDetail(db, id, '2026-11-25');
    expect(d.name).toBe('ACME GROUP LTD');
    expect(d.countries.map((c) => c.code)).toEqual(['CN']);
    expect(d.holdings[0]!.share!.lo).toBe(600_000);
    const hist = db.prepare(`SELECT action, source_id FROM record_history WHERE object = 'link' ORDER BY id`).all();
    expect(hist).toEqual([
      { action: 'insert', source_id: 1 },
      { action: 'update', source_id: 2 },
    ]);
  });

  it('marks a re-stated identical record unchanged', () => {
    new FactWriter(db, source('a.xml')).apply(acme('ACME', 'GB'));
    const w = new FactWriter(db, source('b.xml'));
    w.apply(acme('ACME', 'GB'));
    expect(w.counts.unchanged).toBe(1);
  });

  it('creates a placeholder for an owned entity known only by reference, filled in later', () => {
    const w = new FactWriter(db, source('a.xml'));
    w.apply(link(51));
    expect(w.counts.placeholders).toBe(2);
    const owned = resolveRef(db, 'gb-coh:99');
    expect(entityDetail(db, owned, '2026-11-25').isPlaceholder).toBe(true);
    w.apply({ ...acme('TARGET LTD', 'GB'), ref: { scheme: 'gb-coh', value: '00000099' }, identifiers: [], names: [] });
    expect(entityDetail(db, owned, '2026-11-25')).toMatchObject({ isPlaceholder: false, name: 'TARGET LTD' });
  });

  it('finds names in any script, by substring, and identifiers, once the import indexes them', () => {
    new FactWriter(db, source('a.xml')).apply(acme('ACME HOLDINGS LTD', 'GB'));
    expect(searchEntities(db, 'holdings')).toHaveLength(0); // written, not yet indexed
    expect(indexPendingNames(db)).toBe(2);
    expect(searchEntities(db, 'holdings')[0]?.name).toBe('ACME HOLDINGS LTD');
    expect(searchEntities(db, '控股')[0]?.name).toBe('ACME HOLDINGS LTD');
    expect(searchEntities(db, '艾克米控股')[0]?.matched).toBe('艾克米控股有限公司');
    expect(searchEntities(db, '42')[0]?.name).toBe('ACME HOLDINGS LTD');
    expect(searchEntities(db, 'lei:5493001kjtiigc8y1r12')).toHaveLength(1);
    expect(searchEntities(db, 'nothing like this')).toHaveLength(0);
  });

  it('keeps two LEIs that share a registry number as two entities', () => {
    const w = new FactWriter(db, source('a.xml'));
    w.apply(acme('ACME FUND A', 'GB'));
    w.apply({ ...acme('ACME FUND B', 'GB'), ref: { scheme: 'lei', value: '529900T8BM49AURSDO55' } });
    const a = resolveRef(db, 'lei:5493001KJTIIGC8Y1R12');
    const b = resolveRef(db, 'lei:529900T8BM49AURSDO55');
    expect(a).not.toBe(b);
    expect(entityDetail(db, a, '2026-11-25').name).toBe('ACME FUND A');
    expect(entityDetail(db, b, '2026-11-25').name).toBe('ACME FUND B');
  });

  it('merges a record from another source by a shared registry number, adding its topics', () => {
    new FactWriter(db, source('gleif.xml')).apply(acme('ACME HOLDINGS LTD', 'GB'));
    new FactWriter(db, source('ftm.json')).apply({
      type: 'entity', ref: { scheme: 'ftm', value: 'NK-acme' }, recordRef: 'line 1', kind: 'company', name: 'Acme Holdings',
      names: [], identifiers: [{ scheme: 'gb-coh', value: '00000042' }], countries: [], topics: ['sanction'],
    });
    const id = resolveRef(db, 'ftm:NK-acme');
    expect(id).toBe(resolveRef(db, 'lei:5493001KJTIIGC8Y1R12'));
    // the GLEIF record re-stated later keeps the sanction topic another source gave
    new FactWriter(db, source('gleif2.xml')).apply(acme('ACME HOLDINGS LIMITED', 'GB'));
    expect(entityDetail(db, id, '2026-11-25')).toMatchObject({ name: 'ACME HOLDINGS LIMITED', topics: ['sanction'] });
  });

  it('keeps the name index right when names are replaced before and after indexing', () => {
    const w = new FactWriter(db, source('a.xml'));
    w.apply(acme('FIRST NAME LTD', 'GB'));
    w.apply(acme('SECOND NAME LTD', 'GB')); // replaces the pending names of the same record
    indexPendingNames(db);
    expect(searchEntities(db, 'FIRST NAME')).toHaveLength(0);
    expect(searchEntities(db, 'SECOND NAME')).toHaveLength(1);
    new FactWriter(db, source('b.xml')).apply(acme('THIRD NAME LTD', 'GB')); // replaces indexed names
    indexPendingNames(db);
    expect(searchEntities(db, 'SECOND NAME')).toHaveLength(0);
    expect(searchEntities(db, 'THIRD NAME')[0]?.name).toBe('THIRD NAME LTD');
    expect(searchEntities(db, '艾克米')).toHaveLength(1);
    // the FTS index agrees with its content table
    expect(() => db.exec(`INSERT INTO name_search(name_search, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
  });
});

