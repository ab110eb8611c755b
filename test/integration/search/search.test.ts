// Typo- and transliteration-tolerant search on the demo's real GLEIF records (demo/cases-l1.xml):
// "Pearl Harbour Trading Limited", "ПАО «Волга Банк»", "浙江测试控股集团有限公司" (these GLEIF records
// carry an ASCII transliteration of their own), and a CSV register extract whose Cyrillic and
// Greek names have none: those are found through the transliterated key alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { loadMigrations, openCaseDb, type Db } from '../../../electron/backend/store/db';
import { searchEntities } from '../../../electron/backend/store/queries';
import { latinKey, queryKey } from '../../../electron/backend/store/search-index';
import { candidatesFor } from '../../../electron/backend/resolve';

const demo = path.resolve(__dirname, '../../../demo');
let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'os-search-'));
  db = openCaseDb(path.join(dir, 'case.db'));
  const csv = path.join(dir, 'register.csv');
  writeFileSync(csv, 'id,scheme,name,identifiers,jurisdiction\nRU-1,csv,ООО Газпром,,RU\nGR-1,csv,Ελληνική Εταιρεία Συμμετοχών,,GR\nRU-2,csv,Gazprom OOO,,RU\nHK-1,csv,Pearl Harbor Trading Ltd,,HK\n');
  await importFiles(db, [path.join(demo, 'cases-l1.xml'), path.join(demo, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), csv]);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = (q: string, limit = 10, offset = 0) => searchEntities(db, q, limit, offset).map((h) => h.matched);

describe('search keys', () => {
  it('transliterates names in other scripts to Latin words and leaves Latin names alone', () => {
    expect(latinKey('ООО Газпром')).toBe('ooo gazprom');
    expect(latinKey('ПАО «Волга Банк»')).toBe('pao volga bank');
    expect(latinKey('Ελληνική Εταιρεία')).toBe('elliniki etaireia');
    expect(latinKey('Société Générale')).toBeNull();
    expect(queryKey('OOO  Gazprom')).toBe('ooo gazprom');
  });
});

describe('entity search', () => {
  it('finds a name with a typo ("Pearl Harbor" → "Pearl Harbour")', () => {
    const hits = searchEntities(db, 'Pearl Harbor', 10);
    // the register's own "Pearl Harbor Trading Ltd" first (as typed), then the similar spelling
    expect(hits.map((h) => [h.matched, h.how])).toEqual([['Pearl Harbor Trading Ltd', 'name'], ['Pearl Harbour Trading Limited', 'similar']]);
  });

  it('finds a Cyrillic or Greek name from its transliteration ("OOO Gazprom" → "ООО Газпром")', () => {
    const hits = searchEntities(db, 'OOO Gazprom', 10);
    expect(hits[0]?.matched).toBe('ООО Газпром');
    expect(hits[0]?.how).toBe('transliteration');
    expect(names('Elliniki Etaireia')).toEqual(['Ελληνική Εταιρεία Συμμετοχών']);
    // and with a typo in the transliteration
    expect(names('OOO Gazprm')).toContain('ООО Газпром');
  });

  it('finds a Latin name from a query in Cyrillic, and a typo in a real GLEIF name', () => {
    expect(names('Волга')).toContain('Volga Bank (London Branch)');
    expect(names('Volga Bnak')).toContain('PAO Volga Bank');
  });

  it('finds a Chinese name from its characters (two characters scan names)', () => {
    expect(names('浙江')).toContain('浙江测试控股集团有限公司');
    expect(names('测试控股')).toContain('浙江测试控股集团有限公司');
  });

  it('the exact name still ranks first, and unrelated names do not match', () => {
    expect(names('Pearl Harbour Trading')[0]).toBe('Pearl Harbour Trading Limited');
    expect(names('Qwxyz Holdings Zzz')).toEqual([]);
  });

  it('proposes resolution candidates across scripts and spellings, never across unrelated names', () => {
    const idOf = (q: string) => searchEntities(db, q, 1)[0]!.id;
    const gazprom = idOf('ООО Газпром');
    const cands = candidatesFor(db, gazprom);
    expect(cands.map((c) => c.otherId)).toEqual([idOf('Gazprom OOO')]);
    expect(cands[0]!.reason).toContain('"gazprom"');
    const pearl = candidatesFor(db, idOf('Pearl Harbour Trading Limited'));
    expect(pearl.map((c) => c.otherId)).toEqual([idOf('Pearl Harbor Trading Ltd')]);
    expect(pearl[0]!.reason).toMatch(/spelled alike/);
    expect(candidatesFor(db, idOf('Ελληνική'))).toEqual([]);
  });

  it('pages beyond the first results without repeating a hit', () => {
    const all = searchEntities(db, 'Fund', 500).map((h) => h.id);
    expect(all.length).toBeGreaterThan(4);
    const pages = [...searchEntities(db, 'Fund', 2, 0), ...searchEntities(db, 'Fund', 2, 2), ...searchEntities(db, 'Fund', 2, 4)].map((h) => h.id);
    expect(pages).toEqual(all.slice(0, 6));
    expect(new Set(pages).size).toBe(pages.length);
  });

  it('an older database gets the Latin keys of its names when upgraded (migration 011)', async () => {
    const file = path.join(dir, 'old.db');
    const old = openCaseDb(file);
    await importFiles(old, [path.join(dir, 'register.csv')]);
    old.close();
    // as a database of the schema before 011: what 011 and every later migration create is gone
    // (their triggers first: 011's sits on a table that stays)
    const raw = new Database(file);
    const later = loadMigrations().filter((m) => m.version >= 11).map((m) => m.sql).join('\n');
    for (const [, name] of later.matchAll(/CREATE TRIGGER (?:IF NOT EXISTS )?(\w+)/gi)) raw.exec(`DROP TRIGGER IF EXISTS ${name}`);
    for (const [, name] of later.matchAll(/CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?(\w+)/gi)) raw.exec(`DROP TABLE IF EXISTS ${name}`);
    expect(raw.prepare(`SELECT count(*) n FROM sqlite_schema WHERE name IN ('name_search_latin', 'record_confirmations')`).get()).toEqual({ n: 0 });
    // the version just before 011: the migrations before it are already applied
    raw.pragma(`user_version = ${loadMigrations().filter((m) => m.version < 11).pop()!.version}`);
    raw.close();
    const up = openCaseDb(file);
    try {
      expect(searchEntities(up, 'OOO Gazprom', 10).map((h) => h.matched)).toContain('ООО Газпром');
    } finally {
      up.close();
    }
  });
});
