// History without copies (#13): a re-stated record costs a statement, not its content; a newer
// full golden copy writes only what changed and marks what it no longer contains as dropped; a
// delta never drops; the counts new / changed / unchanged / dropped are reported.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { objectsChangedBySource } from '../../../electron/backend/store/changes';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { entityHistory, historyRows } from '../../../electron/backend/store/history';
import { resolveRef } from '../../../electron/backend/store/queries';
import { removeSourceFacts } from '../../../electron/backend/store/sources';
import { isFullSnapshot } from '../../../electron/backend/store/writer';

const fx = (f: string) => path.resolve('test/fixtures/gleif', f);
const dir = mkdtempSync(path.join(tmpdir(), 'ownerscope-hist-'));
let n = 0;
function fresh(): Db {
  return openCaseDb(path.join(dir, `case-${n++}.db`));
}
const one = (db: Db, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
const contentsStored = (db: Db) => one(db, 'SELECT coalesce(sum(count), 0) n FROM record_contents');

const RECORD = /<rr:RelationshipRecord>[\s\S]*?<\/rr:RelationshipRecord>\s*/g;
const FEEDER = 'gleif-rr|FUND0000000000000597|MASTERFUND0000001444|IS_FEEDER_TO';

describe('record history without copies', () => {
  it('the same records again: one statement each, no content stored again', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    const contents = contentsStored(db);
    expect(contents).toBe(25);
    const [l1, rr] = await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')], { again: true }); // --again: the same bytes are skipped otherwise
    expect(l1).toMatchObject({ inserted: 0, changed: 0, unchanged: 14, dropped: 0 });
    expect(rr).toMatchObject({ inserted: 0, changed: 0, unchanged: 11, dropped: 0 });
    expect(contentsStored(db)).toBe(contents);
    // a confirmation per record, but as rows only the first import's 25: the 25 of the second are packed
    expect(historyRows(db)).toHaveLength(50);
    expect(one(db, 'SELECT count(*) n FROM record_statements')).toBe(25);
    expect(one(db, 'SELECT coalesce(sum(count), 0) n FROM record_confirmations')).toBe(25);
    expect(objectsChangedBySource(db, rr!.sourceId)).toEqual([]);
  });

  it('a newer full golden copy: only the changed record is stored, the missing one is dropped (its facts stay)', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    const contents = contentsStored(db);
    const xml = readFileSync(fx('cases-rr.xml'), 'utf8');
    const records = xml.match(RECORD)!;
    const feeder = records.find((r) => r.includes('IS_FEEDER_TO'))!;
    const changed = records.find((r) => r.includes('<rr:LastUpdateDate>') && r !== feeder)!;
    const newer = xml.replace(feeder, '').replace(changed, changed.replace('<rr:LastUpdateDate>2024-01-01T00:00:00Z', '<rr:LastUpdateDate>2024-07-01T00:00:00Z'));
    const file = path.join(dir, '20240701-0800-gleif-goldencopy-rr-golden-copy.xml');
    writeFileSync(file, newer);
    const [r] = await importFiles(db, [file]);
    expect(r).toMatchObject({ inserted: 0, changed: 1, unchanged: 9, dropped: 1 });
    expect(contentsStored(db)).toBe(contents + 1);
    expect(one(db, 'SELECT count(*) n FROM links WHERE key = ?', FEEDER)).toBe(1);
    const changes = objectsChangedBySource(db, r!.sourceId);
    expect(changes.filter((c) => c.action === 'dropped')).toEqual([{ object: 'link', key: FEEDER, action: 'dropped' }]);
    expect(changes.filter((c) => c.action === 'update')).toHaveLength(1);
    // the entity view says who stated the feeder link and which file no longer does
    const fund = resolveRef(db, 'lei:FUND0000000000000597');
    const h = entityHistory(db, fund).find((x) => x.key === FEEDER)!;
    expect(h.statedBy.map((s) => [s.fileName, s.action])).toEqual([['cases-rr.xml', 'insert'], [path.basename(file), 'dropped']]);
    const upd = entityHistory(db, resolveRef(db, changedOwned(changed))).flatMap((x) => x.statedBy).find((s) => s.action === 'update')!;
    expect(upd.differs).toEqual(['attributes']);
    // and what each said there: the attribute that changed, before and after
    expect(upd.changes).toEqual([{ field: 'attributes.lastUpdateDate', before: '2024-01-01T00:00:00Z', after: '2024-07-01T00:00:00Z' }]);
  });

  it('a delta file (or a file that deletes) drops nothing', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    const [d] = await importFiles(db, [fx('cases-rr-delta.xml')]);
    expect(d!.dropped).toBe(0);
    expect(isFullSnapshot('gleif-rr-xml', '20240601-0800-gleif-goldencopy-rr-last-day.xml', 0)).toBe(false);
    expect(isFullSnapshot('gleif-l1-csv', '20240601-0800-gleif-goldencopy-lei2-golden-copy.csv', 0)).toBe(true);
    expect(isFullSnapshot('gleif-l1-csv', 'golden-copy.csv', 3)).toBe(false);
    expect(isFullSnapshot('uk-psc-jsonl', 'psc-snapshot.jsonl', 0)).toBe(false);
  });
});

describe('unchanged confirmations packed (migration 012)', () => {
  const pageBytes = (db: Db) => one(db, 'SELECT page_count * page_size n FROM pragma_page_count(), pragma_page_size()');

  it('the same file again adds a few bytes per record, and still says who stated what', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    db.exec('VACUUM');
    const statements = one(db, 'SELECT count(*) n FROM record_statements');
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')], { again: true });
    // no row per record: one pack per file
    expect(one(db, 'SELECT count(*) n FROM record_statements')).toBe(statements);
    expect(one(db, 'SELECT count(*) n FROM record_confirmations')).toBe(2);
    const fund = resolveRef(db, 'lei:FUND0000000000000597');
    const h = entityHistory(db, fund).find((x) => x.key === FEEDER)!;
    expect(h.statedBy.map((s) => [s.sourceId, s.action, s.recordRef])).toEqual([
      [2, 'insert', h.statedBy[0]!.recordRef],
      [4, 'unchanged', h.statedBy[0]!.recordRef],
    ]);
    expect(h.statedBy[0]!.recordRef).toMatch(/^line \d+$/);
    // statement ids are one order over rows and packs
    const ids = historyRows(db).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Math.min(...historyRows(db).filter((r) => r.source_id === 4).map((r) => r.id))).toBeGreaterThan(Math.max(...historyRows(db).filter((r) => r.source_id === 2).map((r) => r.id)));
    // two packs cost a few pages at most, not a row per record
    const before = pageBytes(db);
    db.exec('VACUUM');
    expect(pageBytes(db)).toBeLessThanOrEqual(before);
  });

  it('removing the source that inserted the records falls back to the packed confirmation', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    await importFiles(db, [fx('cases-rr.xml')], { again: true });
    const links = one(db, 'SELECT count(*) n FROM links');
    const r = removeSourceFacts(db, 2, new Date().toISOString());
    expect(r.removed).toBe(0);
    expect(r.fellBack).toBe(11);
    expect(one(db, 'SELECT count(*) n FROM links')).toBe(links);
    expect(one(db, 'SELECT count(*) n FROM links WHERE source_id = 3')).toBe(links);
    // and removing the packed source as well leaves none of its links
    const r2 = removeSourceFacts(db, 3, new Date().toISOString());
    expect(r2.removed).toBe(11);
    expect(one(db, 'SELECT count(*) n FROM links')).toBe(0);
    expect(one(db, 'SELECT count(*) n FROM record_confirmations')).toBe(0);
  });

  it('a full golden copy drops what it lacks, whether the last statement was a row or a pack', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    await importFiles(db, [fx('cases-rr.xml')], { again: true }); // every link confirmed in a pack
    const xml = readFileSync(fx('cases-rr.xml'), 'utf8');
    const feeder = xml.match(RECORD)!.find((r) => r.includes('IS_FEEDER_TO'))!;
    const without = path.join(dir, '20240701-0800-gleif-goldencopy-rr-golden-copy.xml');
    writeFileSync(without, xml.replace(feeder, ''));
    const [a] = await importFiles(db, [without]);
    expect(a).toMatchObject({ changed: 0, unchanged: 10, dropped: 1 });
    // the full copy with the feeder link again restates it (a pack after its dropped row)…
    const withIt = path.join(dir, '20240801-0800-gleif-goldencopy-rr-golden-copy.xml');
    writeFileSync(withIt, xml);
    const [b] = await importFiles(db, [withIt], { again: true }); // the same bytes as cases-rr.xml
    expect(b).toMatchObject({ unchanged: 11, dropped: 0 });
    // …so the next copy without it drops it again, once
    const [c] = await importFiles(db, [without], { again: true });
    expect(c).toMatchObject({ unchanged: 10, dropped: 1 });
    const fund = resolveRef(db, 'lei:FUND0000000000000597');
    const h = entityHistory(db, fund).find((x) => x.key === FEEDER)!;
    expect(h.statedBy.map((s) => s.action)).toEqual(['insert', 'unchanged', 'dropped', 'unchanged', 'dropped']);
  });

  it('after the source of its rows is removed, a key stated only in packs is still dropped by a full copy that lacks it', async () => {
    const db = fresh();
    await importFiles(db, [fx('cases-l1.xml'), fx('cases-rr.xml')]);
    await importFiles(db, [fx('cases-rr.xml')], { again: true }); // source 3: every link confirmed in a pack
    // the wrong file: source 2 (the rows) is removed; its links fall back to source 3's packs
    expect(removeSourceFacts(db, 2, new Date().toISOString())).toMatchObject({ removed: 0, fellBack: 11 });
    const xml = readFileSync(fx('cases-rr.xml'), 'utf8');
    const feeder = xml.match(RECORD)!.find((r) => r.includes('IS_FEEDER_TO'))!;
    const without = path.join(dir, '20240901-0800-gleif-goldencopy-rr-golden-copy.xml');
    writeFileSync(without, xml.replace(feeder, ''));
    const [a] = await importFiles(db, [without]);
    expect(a).toMatchObject({ changed: 0, unchanged: 10, dropped: 1 });
    const fund = resolveRef(db, 'lei:FUND0000000000000597');
    const h = entityHistory(db, fund).find((x) => x.key === FEEDER)!;
    expect(h.statedBy.map((s) => [s.sourceId, s.action])).toEqual([[3, 'unchanged'], [a!.sourceId, 'dropped']]);
    // each statement is told once (the one moved out of its pack is not also read from it)
    expect(historyRows(db).filter((r) => r.object_key === FEEDER)).toHaveLength(2);
    // and with the last source of its statements removed too, the key is gone from the history
    removeSourceFacts(db, 3, new Date().toISOString());
    removeSourceFacts(db, a!.sourceId, new Date().toISOString());
    expect(historyRows(db).filter((r) => r.object_key === FEEDER)).toHaveLength(0);
    expect(one(db, 'SELECT count(*) n FROM links')).toBe(0);
  });
});

function changedOwned(record: string): string {
  return `lei:${/<rr:StartNode>\s*<rr:NodeID>([^<]+)/.exec(record)![1]}`;
}
