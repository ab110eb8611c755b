// Imports the real GLEIF samples and the case fixtures into real SQLite files via the runner.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { ImportCancelled, ImportError, type FormatId } from '../../../electron/backend/import/types';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { makeLei } from '../../../shared/formats/gleif/lei';
import { L1_XML_HEAD, L1_XML_TAIL, entitySpec, l1Xml, genLei, L1_CSV_COLUMNS, csvLine, l1Row } from '../../bench/gleif-generate';
import { L } from '../../fixtures/gleif/make-fixtures';
import { historyRows } from '../../../electron/backend/store/history';

const FX = path.resolve(__dirname, '../../fixtures/gleif');
const fx = (f: string) => path.join(FX, f);
const L1_XML = fx('lei-cdf31_goldencopy_2023-06-05_excerpt.xml');
const L1_JSON = fx('20240505-0000-gleif-goldencopy-lei2-intra-day.json');
const L1_LEGACY = fx('legacy-lei-cdf21_concatenated_20180901_top10.xml');
const RR_XML = fx('rr-cdf21_goldencopy_2023-06-05_excerpt.xml');
const REPEX_XML = fx('repex21_goldencopy_2023-06-09_excerpt.xml');

const tmp = mkdtempSync(path.join(tmpdir(), 'gleif-it-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function freshDb(): Db {
  return openCaseDb(path.join(tmp, `case-${n++}.db`));
}
function write(name: string, text: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
}

/** Every table's content, sorted, for byte-for-byte comparisons of database content. */
function dump(db: Db): string {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
  const out: Record<string, string[]> = {};
  for (const { name } of tables) out[name] = (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort();
  return JSON.stringify({ v: db.pragma('user_version', { simple: true }), out });
}

const count = (db: Db, sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
const entityOf = (db: Db, scheme: string, value: string) =>
  db.prepare('SELECT e.* FROM identifiers i JOIN entities e ON e.id = i.entity_id WHERE i.scheme = ? AND i.value = ?').get(scheme, value) as Record<string, unknown> | undefined;

describe('real GLEIF samples', () => {
  const db = freshDb();
  let results: Awaited<ReturnType<typeof importFiles>>;
  it('imports Level 1 XML + JSON + legacy 2.1, RR and repex in one transaction', async () => {
    results = await importFiles(db, [L1_XML, L1_JSON, L1_LEGACY, RR_XML, REPEX_XML]);
    expect(results.map((r) => [r.format, r.records])).toEqual([
      ['gleif-l1-xml', 13], ['gleif-l1-json', 577], ['gleif-l1-xml', 10], ['gleif-rr-xml', 10], ['gleif-repex-xml', 10],
    ]);
    expect(results.map((r) => r.dataDate)).toEqual(['2023-06-05T08:20:51Z', '2024-05-05T00:00:00Z', '2018-09-01T11:00:01+02:00', '2023-06-05T09:24:22Z', '2023-06-09T09:03:29Z']);
  });

  it('has the expected rows', () => {
    expect(count(db, 'SELECT count(*) n FROM entities WHERE is_placeholder = 0')).toBe(600);
    expect(count(db, "SELECT count(*) n FROM identifiers WHERE scheme = 'lei'")).toBe(614); // 600 + 14 parents known only from RR
    expect(count(db, "SELECT count(*) n FROM entity_countries WHERE role = 'jurisdiction'")).toBe(600);
    expect(count(db, "SELECT count(*) n FROM entity_countries WHERE role = 'legal-address'")).toBe(600);
    expect(count(db, 'SELECT count(*) n FROM links')).toBe(10);
    expect(count(db, 'SELECT count(*) n FROM undisclosed')).toBe(10);
    expect(count(db, "SELECT count(*) n FROM entities WHERE kind = 'person' AND category = 'SOLE_PROPRIETOR'")).toBe(28);
    expect(count(db, "SELECT count(*) n FROM entities WHERE kind = 'state-body'")).toBe(2);
  });

  it('Companies House company numbers become gb-coh identifiers', () => {
    expect(entityOf(db, 'gb-coh', '03004112')?.name).toBeDefined();
    expect((entityOf(db, 'gb-coh', '03004112') as { record_key: string }).record_key).toBe('lei:1595D0QCK7Y15293JK84');
    expect(entityOf(db, 'ra', 'RA000585:03004112')).toEqual(entityOf(db, 'lei', '1595D0QCK7Y15293JK84'));
  });

  it('keeps LAPSED and RETIRED entities with their status', () => {
    expect(entityOf(db, 'lei', '004L5FPTUREIWK9T2N63')).toMatchObject({ registration_status: 'LAPSED', status: 'ACTIVE', kind: 'company' });
    expect(entityOf(db, 'lei', '00TR8NKAEL48RGTZEW89')).toMatchObject({ registration_status: 'RETIRED', status: 'INACTIVE' });
  });

  it('reads the real parent chain of 010CMKZ3VON21WF2ZD45 (direct and ultimate, LAPSED but active)', () => {
    const rows = db.prepare(
      `SELECT o.value owner, l.kind, l.control_basis, l.is_summary, l.status, l.registration_status, l.start_date
       FROM links l JOIN identifiers c ON c.entity_id = l.owned_id AND c.scheme = 'lei' JOIN identifiers o ON o.entity_id = l.owner_id AND o.scheme = 'lei'
       WHERE c.value = '010CMKZ3VON21WF2ZD45' ORDER BY l.is_summary`,
    ).all();
    expect(rows).toEqual([
      { owner: 'ZZG38T0MDR3QY1ETUA76', kind: 'control', control_basis: 'consolidation', is_summary: 0, status: 'active', registration_status: 'LAPSED', start_date: expect.any(String) },
      { owner: '3C7474T6CDKPR9K6YT90', kind: 'control', control_basis: 'consolidation', is_summary: 1, status: 'active', registration_status: 'LAPSED', start_date: expect.any(String) },
    ]);
    expect(count(db, "SELECT count(*) n FROM links WHERE kind = 'fund-management'")).toBe(8);
  });

  it('maps reporting exceptions to markers', () => {
    const m = db.prepare(`SELECT category, count(*) n FROM undisclosed GROUP BY category ORDER BY category`).all();
    expect(m).toEqual([{ category: 'no-parent', n: 9 }, { category: 'withheld', n: 1 }]);
    expect(db.prepare(`SELECT key, reason, scope FROM undisclosed WHERE category = 'withheld'`).get()).toEqual({
      key: 'gleif-repex|01370W6ZIY66KQ4J3570|DIRECT_ACCOUNTING_CONSOLIDATION_PARENT', reason: 'NON_PUBLIC', scope: 'direct',
    });
  });

  it('names are searchable', () => {
    expect(count(db, `SELECT count(*) n FROM name_search WHERE name_search MATCH '"Fidelity Advisor"'`)).toBeGreaterThan(0);
  });
});

describe('case fixtures (branches, funds, quantifiers, statuses, CN-ZJ)', () => {
  async function load(files: string[]) {
    const db = freshDb();
    await importFiles(db, files.map(fx));
    return db;
  }
  /** Content independent of source ids, row ids and record references: XML and CSV must agree. */
  const semantic = (db: Db) => ({
    entities: db.prepare(`SELECT i.value lei, e.kind, e.name, e.status, e.registration_status, e.category, e.attributes, e.is_placeholder FROM entities e JOIN identifiers i ON i.entity_id = e.id AND i.scheme = 'lei' ORDER BY lei`).all(),
    ids: db.prepare(`SELECT scheme, value FROM identifiers ORDER BY 1, 2`).all(),
    names: db.prepare(`SELECT record_key, name, type, lang FROM entity_names ORDER BY 1, 2, 3`).all(),
    countries: db.prepare(`SELECT record_key, role, code, subdivision, text FROM entity_countries ORDER BY 1, 2`).all(),
    links: db.prepare(`SELECT key, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, stated, is_summary, start_date, end_date, status, registration_status, attributes FROM links ORDER BY key`).all(),
    markers: db.prepare(`SELECT key, category, scope, reason, detail, status FROM undisclosed ORDER BY key`).all(),
  });
  let xmlDb: Db;

  it('XML and CSV renderings give the same database content', async () => {
    xmlDb = await load(['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml']);
    const csvDb = await load(['20240601-0800-gleif-goldencopy-lei2-cases.csv', 'cases-rr.csv', 'cases-repex.csv']);
    expect(semantic(csvDb)).toEqual(semantic(xmlDb));
  });

  it('CN-ZJ jurisdiction counts as CN with the subdivision kept', () => {
    expect(xmlDb.prepare(`SELECT role, code, subdivision, text FROM entity_countries WHERE record_key = ? ORDER BY role`).all(`lei:${L.zjParent}`)).toEqual([
      { role: 'headquarters', code: 'CN', subdivision: 'CN-ZJ', text: 'CN' },
      { role: 'jurisdiction', code: 'CN', subdivision: 'CN-ZJ', text: 'CN-ZJ' },
      { role: 'legal-address', code: 'CN', subdivision: 'CN-ZJ', text: 'CN' },
    ]);
  });

  it('kinds by category, incl. branch, fund, sole proprietor, state bodies; ANNULLED/DUPLICATE with bad check digits accepted', () => {
    const kinds = Object.fromEntries(Object.entries(L).map(([k, lei]) => [k, (entityOf(xmlDb, 'lei', lei) as { kind: string; registration_status: string }).kind]));
    expect(kinds).toEqual({
      zjParent: 'company', hkSub: 'company', branch: 'branch', ruHead: 'company', fund: 'fund', manager: 'company', irGov: 'state-body',
      soleProp: 'person', retired: 'company', annulled: 'company', duplicate: 'company', lapsed: 'company', intlOrg: 'state-body', master: 'fund',
    });
    expect(entityOf(xmlDb, 'gb-coh', 'BR012345')?.name).toBe('Volga Bank (London Branch)');
    expect(entityOf(xmlDb, 'gb-coh', 'SC012345')?.name).toBe('Merged Away Ltd');
    // the ANNULLED record shares RA000585:1234567 with the manager; it must not be merged into it
    expect(entityOf(xmlDb, 'gb-coh', '01234567')?.name).toBe('Atlas Asset Management Limited');
    expect(entityOf(xmlDb, 'lei', L.annulled)?.name).toBe('Annulled Record Ltd');
  });

  it('links: quantifiers, branch, funds, inactive/ended, dead registrations', () => {
    const link = (start: string, end: string, type: string) =>
      xmlDb.prepare('SELECT * FROM links WHERE key = ?').get(`gleif-rr|${start}|${end}|${type}`) as Record<string, unknown>;
    expect(link(L.hkSub, L.zjParent, 'IS_DIRECTLY_CONSOLIDATED_BY')).toMatchObject({
      kind: 'control', control_basis: 'consolidation', is_summary: 0, share_lo: 10_000, share_hi: 1_000_000,
      stated: 'IS_DIRECTLY_CONSOLIDATED_BY ACCOUNTING_CONSOLIDATION 1.00 PERCENTAGE', start_date: '2015-03-01', status: 'active',
    });
    expect(JSON.parse(link(L.hkSub, L.zjParent, 'IS_DIRECTLY_CONSOLIDATED_BY').attributes as string).quantifierSuspect).toBe('value <= 1 may be a fraction');
    expect(link(L.hkSub, L.zjParent, 'IS_ULTIMATELY_CONSOLIDATED_BY')).toMatchObject({ is_summary: 1, share_lo: 1_000_000, share_hi: 1_000_000 });
    expect(link(L.branch, L.ruHead, 'IS_INTERNATIONAL_BRANCH_OF')).toMatchObject({ kind: 'branch', control_basis: null, share_lo: null });
    for (const [s, e, t] of [[L.fund, L.manager, 'IS_FUND-MANAGED_BY'], [L.fund, L.master, 'IS_FEEDER_TO'], [L.master, L.manager, 'IS_SUBFUND_OF']] as const) {
      expect(link(s, e, t)).toMatchObject({ kind: 'fund-management' });
    }
    expect(link(L.lapsed, L.ruHead, 'IS_DIRECTLY_CONSOLIDATED_BY')).toMatchObject({ status: 'inactive', end_date: '2020-12-31' });
    expect(link(L.retired, L.zjParent, 'IS_DIRECTLY_CONSOLIDATED_BY')).toMatchObject({ status: 'inactive', registration_status: 'RETIRED' });
    expect(link(L.annulled, L.zjParent, 'IS_DIRECTLY_CONSOLIDATED_BY')).toMatchObject({ status: 'inactive', registration_status: 'ANNULLED' });
    expect(link(L.duplicate, L.zjParent, 'IS_ULTIMATELY_CONSOLIDATED_BY')).toMatchObject({ status: 'inactive', registration_status: 'DUPLICATE' });
    expect(link(L.manager, L.irGov, 'IS_DIRECTLY_CONSOLIDATED_BY')).toMatchObject({ status: 'unknown', registration_status: 'LAPSED', share_lo: 515_000 });
  });

  it('markers: no-parent / withheld / unknown (NO_LEI)', () => {
    const m = xmlDb.prepare('SELECT category, scope, reason, detail FROM undisclosed WHERE key = ?');
    expect(m.get(`gleif-repex|${L.ruHead}|ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT`)).toEqual({ category: 'withheld', scope: 'ultimate', reason: 'LEGAL_OBSTACLES, CONSENT_NOT_OBTAINED', detail: null });
    expect(m.get(`gleif-repex|${L.lapsed}|DIRECT_ACCOUNTING_CONSOLIDATION_PARENT`)).toEqual({
      category: 'unknown', scope: 'direct', reason: 'NO_LEI', detail: 'parent exists without an LEI; Lapsed Holdings Inc., Delaware',
    });
    expect(m.get(`gleif-repex|${L.zjParent}|DIRECT_ACCOUNTING_CONSOLIDATION_PARENT`)).toMatchObject({ category: 'no-parent' });
  });

  it.each([['xml'], ['csv']])('a newer %s file updates by key, deletes flagged records, keeps history of both sources', async (ext) => {
    const db = await load(['cases-l1.xml', `cases-rr.${ext}`, 'cases-repex.xml']);
    const before = count(db, 'SELECT count(*) n FROM links');
    const [rr, repex] = await importFiles(db, [fx(`cases-rr-delta.${ext}`), fx('cases-repex-delta.xml')]);
    expect(rr!.deletions).toBe(1);
    expect(repex!.deletions).toBe(1);
    expect(count(db, 'SELECT count(*) n FROM links')).toBe(before - 1 + 1); // one deleted, one new, one updated in place
    const key = `gleif-rr|${L.hkSub}|${L.zjParent}|IS_DIRECTLY_CONSOLIDATED_BY`;
    expect(count(db, 'SELECT count(*) n FROM links WHERE key = ?', key)).toBe(1);
    expect(db.prepare('SELECT share_lo, share_hi, source_id FROM links WHERE key = ?').get(key)).toEqual({ share_lo: 1_000_000, share_hi: 1_000_000, source_id: rr!.sourceId });
    const hist = db.prepare(`SELECT s.file_name, h.action FROM record_history h JOIN sources s ON s.id = h.source_id WHERE h.object = 'link' AND h.object_key = ? ORDER BY h.id`).all(key);
    expect(hist).toEqual([{ file_name: `cases-rr.${ext}`, action: 'insert' }, { file_name: `cases-rr-delta.${ext}`, action: 'update' }]);
    expect(count(db, 'SELECT count(*) n FROM links WHERE key = ?', `gleif-rr|${L.fund}|${L.master}|IS_FEEDER_TO`)).toBe(0);
    expect(count(db, 'SELECT count(*) n FROM undisclosed WHERE key = ?', `gleif-repex|${L.soleProp}|ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT`)).toBe(0);
    expect(db.prepare('SELECT category, reason FROM undisclosed WHERE key = ?').get(`gleif-repex|${L.irGov}|DIRECT_ACCOUNTING_CONSOLIDATION_PARENT`)).toEqual({ category: 'withheld', reason: 'BINDING_LEGAL_COMMITMENTS' });
  });

  it('re-importing a modified Level 1 file updates entities in place', async () => {
    const db = await load(['cases-l1.xml']);
    const entities = count(db, 'SELECT count(*) n FROM entities');
    const changed = readFileSync(fx('cases-l1.xml'), 'utf8').replace('Pearl Harbour Trading Limited', 'Pearl Harbour Trading (Renamed) Limited');
    await importFiles(db, [write('cases-l1-newer.xml', changed)]);
    expect(count(db, 'SELECT count(*) n FROM entities')).toBe(entities);
    expect(entityOf(db, 'lei', L.hkSub)?.name).toBe('Pearl Harbour Trading (Renamed) Limited');
    expect(count(db, `SELECT count(*) n FROM entity_names WHERE record_key = ? AND type = 'legal'`, `lei:${L.hkSub}`)).toBe(1);
    expect(db.prepare(`SELECT action FROM record_history WHERE object_key = ? ORDER BY id`).all(`lei:${L.hkSub}`)).toEqual([{ action: 'insert' }, { action: 'update' }]);
    // the 13 unchanged records are confirmations packed in record_confirmations, not rows
    expect(historyRows(db).filter((h) => h.action === 'unchanged')).toHaveLength(13);
    expect(count(db, `SELECT count(*) n FROM record_history WHERE action = 'unchanged'`)).toBe(0);
  });
});

// ------------------------------------------------------------------ failures leave the database as it was

function l1XmlWithBadRecord(total: number, bad: number): string {
  let s = L1_XML_HEAD('2024-06-01T00:00:00Z', total);
  for (let i = 0; i < total; i++) {
    const e = entitySpec(i);
    if (i === bad - 1) e.lei = e.lei.slice(0, 18) + (e.lei.endsWith('00') ? '01' : '00');
    s += l1Xml(e);
  }
  return s + L1_XML_TAIL;
}

describe('failed or cancelled imports change nothing', () => {
  it.each([
    ['XML', () => write('bad500.xml', l1XmlWithBadRecord(600, 500)), /^line \d+$/],
    ['CSV', () => {
      let s = csvLine(L1_CSV_COLUMNS, Object.fromEntries(L1_CSV_COLUMNS.map((c) => [c, c])));
      for (let i = 0; i < 600; i++) {
        const e = entitySpec(i);
        if (i === 499) e.lei = e.lei.slice(0, 18) + (e.lei.endsWith('00') ? '01' : '00');
        s += csvLine(L1_CSV_COLUMNS, l1Row(e));
      }
      return write('bad500.csv', s);
    }, /^line 501$/],
    ['JSON', () => {
      const recs = Array.from({ length: 600 }, (_, i) => ({ LEI: { $: i === 499 ? 'NOT-AN-LEI' : genLei(i) }, Entity: { LegalName: { $: `E ${i}` } }, Registration: { RegistrationStatus: { $: 'ISSUED' } } }));
      return write('bad500.json', JSON.stringify({ records: recs }, null, 1));
    }, /^record 500 \(LEI NOT-AN-LEI\)$/],
  ])('%s file whose 500th record is bad', async (_kind, make, location) => {
    const db = freshDb();
    await importFiles(db, [L1_XML, RR_XML, REPEX_XML]);
    const before = dump(db);
    const file = make();
    const err = await importFiles(db, [fx('cases-l1.xml'), file]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    const ie = err as ImportError;
    expect(ie.file).toBe(path.basename(file));
    expect(ie.location).toMatch(location);
    expect(ie.problem).toMatch(/LEI|check digits/);
    expect(dump(db)).toBe(before);
  });

  it('an aborted AbortSignal mid-file leaves the database content identical', async () => {
    const db = freshDb();
    await importFiles(db, [L1_XML]);
    const before = dump(db);
    const file = write('big.xml', l1XmlWithBadRecord(5000, 0));
    const ac = new AbortController();
    let seen = 0;
    const err = await importFiles(db, [file], {
      signal: ac.signal, progressIntervalMs: 0,
      onProgress: (p) => {
        seen = p.records;
        if (p.records > 0) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportCancelled);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(5000);
    expect(dump(db)).toBe(before);
  });
});

// ------------------------------------------------------------------ bad input: clear errors

const GOOD_L1 = readFileSync(L1_XML, 'utf8');
const GOOD_RR = readFileSync(RR_XML, 'utf8');
const GOOD_RR_CSV = readFileSync(fx('cases-rr.csv'), 'utf8');

describe('bad input names file, line/record and problem; nothing imported', () => {
  const cases: [string, string, string, FormatId | undefined, RegExp, RegExp][] = [
    ['truncated XML', 'trunc.xml', GOOD_L1.slice(0, Math.floor(GOOD_L1.length / 2)), undefined, /^line \d+$/, /truncated XML/],
    ['malformed XML', 'malformed.xml', GOOD_L1.replace('</lei:LegalName>', '</lei:LegalNam>'), undefined, /^line 13$/, /malformed XML/],
    ['invalid LEI check digits', 'badlei.xml', GOOD_L1.replace('<lei:LEI>004L5FPTUREIWK9T2N63<', '<lei:LEI>004L5FPTUREIWK9T2N64<'), undefined, /^line \d+$/, /004L5FPTUREIWK9T2N64.*check digits/],
    ['unknown RelationshipType', 'badtype.xml', GOOD_RR.replace('IS_SUBFUND_OF', 'IS_OWNED_BY'), undefined, /^line \d+$/, /unknown Relationship.RelationshipType "IS_OWNED_BY"/],
    ['unknown EntityCategory', 'badcat.xml', GOOD_L1.replace('<lei:EntityCategory>FUND<', '<lei:EntityCategory>TRUST<'), undefined, /^line 8$/, /unknown Entity.EntityCategory "TRUST"/],
    ['unknown RegistrationStatus', 'badreg.xml', GOOD_RR.replace('<rr:RegistrationStatus>LAPSED<', '<rr:RegistrationStatus>EXPIRED<'), undefined, /^line \d+$/, /unknown Registration.RegistrationStatus "EXPIRED"/],
    ['unknown ExceptionReason', 'badreason.xml', readFileSync(REPEX_XML, 'utf8').replace('NON_PUBLIC', 'SECRET'), undefined, /^line \d+$/, /unknown ExceptionReason "SECRET"/],
    ['CSV missing a column', 'missing.csv', GOOD_RR_CSV.replace('"Relationship.RelationshipType"', '"Relationship.Type"'), 'gleif-rr-csv', /^line 1$/, /missing column\(s\) Relationship.RelationshipType/],
    ['CSV row with wrong field count', 'short.csv', GOOD_RR_CSV.replace(/\r\n("[^\r]*)\r\n/, (_m, row: string) => `\r\n${row.slice(0, row.lastIndexOf(','))}\r\n`), undefined, /^line 2$/, /expected \d+ fields as in the header, found \d+/],
    ['JSON that is not GLEIF (forced)', 'other.json', JSON.stringify({ records: [{ id: 1, name: 'x' }] }), 'gleif-l1-json', /^record 1$/, /missing LEI/],
    ['JSON without records (forced)', 'other2.json', JSON.stringify({ data: [1, 2, 3] }), 'gleif-l1-json', /^line \d+$/, /no top-level "records" array/],
    ['JSON array (forced)', 'other3.json', '[1,2,3]', 'gleif-l1-json', /^line 1$/, /expected an object/],
    ['truncated JSON', 'trunc.json', readFileSync(L1_JSON, 'utf8').slice(0, 50_000), undefined, /^line \d+$/, /truncated JSON/],
    ['XML of another kind (forced)', 'rr-as-l1.xml', GOOD_RR, 'gleif-l1-xml', /^line 1$/, /not a GLEIF Level 1 \(LEI-CDF\) XML file/],
    ['empty file (forced)', 'empty.xml', '', 'gleif-l1-xml', /^line 1$/, /empty file/],
  ];
  it.each(cases)('%s', async (_name, fileName, content, format, location, problem) => {
    const db = freshDb();
    await importFiles(db, [L1_LEGACY]);
    const before = dump(db);
    const err = await importFiles(db, [write(fileName, content)], format ? { format } : {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    const ie = err as ImportError;
    expect(ie.file).toBe(fileName);
    expect(ie.location).toMatch(location);
    expect(ie.problem).toMatch(problem);
    expect(ie.message).toContain(fileName);
    expect(dump(db)).toBe(before);
  });

  it('a JSON file that is not GLEIF is not recognised by sniffing', async () => {
    const db = freshDb();
    const err = await importFiles(db, [write('random.json', '{"type":"FeatureCollection","features":[]}')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).problem).toMatch(/format not recognised/);
  });

  it('an LEI that fails MOD 97 is accepted on an ANNULLED record', async () => {
    const db = freshDb();
    const bad = makeLei('ANNULLED0000000010');
    expect(entityOf(db, 'lei', bad)).toBeUndefined();
    await importFiles(db, [fx('cases-l1.xml')]);
    expect(entityOf(db, 'lei', L.annulled)).toMatchObject({ registration_status: 'ANNULLED' });
  });
});
