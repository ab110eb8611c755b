// Issue 11 point 9: records merged into one entity keep their truth. An investigator's in-house
// CSV that shares a company number with a GLEIF record (real Level 1 excerpt: DENTSU
// INTERNATIONAL LIMITED, gb-coh 01403668) must not replace the registry's name, status or kind;
// the entity view says which record each shown value comes from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb } from '../../../electron/backend/store/db';
import { json, runCli } from '../../helpers/cli';

const gleif = path.resolve(__dirname, '../../../../shared/samples/gleif-level1/lei-cdf31_goldencopy_2023-06-05_excerpt.xml');
let dir: string;
let csv: string;

interface Shown {
  name: string; status: string | null; kind: string;
  valueSources: Record<'name' | 'status' | 'kind', { fileName: string; recordRef: string } | null>;
  names: { name: string; source: { fileName: string } }[];
}

/** Shows the entity and checks that its name, status and kind are the 2023-06-05 GLEIF record's, and say so. */
async function shownAsGleif(db: string, ref: string): Promise<Shown> {
  const r = await runCli(['show', '--db', db, ref, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const e = json<{ entity: Shown }>(r).entity;
  expect(e.name).toBe('DENTSU INTERNATIONAL LIMITED');
  expect(e.status).toBe('ACTIVE');
  expect(e.kind).toBe('company');
  for (const v of ['name', 'status', 'kind'] as const) expect(e.valueSources[v]?.fileName, v).toBe(path.basename(gleif));
  return e;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rules-b-merge-'));
  csv = path.join(dir, 'in-house.csv');
  writeFileSync(csv, 'id,scheme,name,kind,jurisdiction,status\n01403668,gb-coh,Dentsu Intl (client file),fund,England And Wales,DISSOLVED\n');
});

describe('registry over investigator CSV', () => {
  it.each([
    ['GLEIF then CSV', () => [gleif, csv]],
    ['CSV then GLEIF', () => [csv, gleif]],
  ])('%s: name, status and kind stay GLEIF\'s, and say so', async (_n, files) => {
    const db = path.join(dir, `${_n.replace(/\W+/g, '-')}.db`);
    for (const f of files()) expect((await runCli(['import', '--db', db, f])).code).toBe(0);
    const e = await shownAsGleif(db, 'gb-coh:01403668');
    // the CSV's own name is kept, as that record's
    expect(e.names.find((n) => n.name === 'Dentsu Intl (client file)')?.source.fileName).toBe('in-house.csv');
    const text = await runCli(['show', '--db', db, 'gb-coh:01403668']);
    expect(text.stdout).toContain(`name, kind and status from ${path.basename(gleif)}`);
  });

  it('between two CSV records the later import wins (no registry involved)', async () => {
    const db = path.join(dir, 'two-csv.db');
    const later = path.join(dir, 'later.csv');
    writeFileSync(later, 'id,scheme,name,kind,status\n01403668,gb-coh,Dentsu (corrected),company,ACTIVE\n');
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, 'id,scheme,name,kind,identifiers\nX-1,csv,Dentsu first,company,gb-coh:01403668\n');
    for (const f of [other, later]) expect((await runCli(['import', '--db', db, f])).code).toBe(0);
    expect(json<{ entity: Shown }>(await runCli(['show', '--db', db, 'gb-coh:01403668', '--json'])).entity.name).toBe('Dentsu (corrected)');
  });
});

// Among records of the same class the later DATA DATE wins, not the later import: a GLEIF file
// whose ContentDate is older (an earlier golden copy, where the company still had its former name
// and another status) imported after the 2023-06-05 copy must not bring the old values back.
describe('same class: the later data date wins', () => {
  let older: string;
  beforeAll(() => {
    const xml = readFileSync(gleif, 'utf8');
    const at = xml.indexOf('<lei:LEI>213800FERQ5LE3H7WJ58</lei:LEI>');
    const end = xml.indexOf('</lei:LEIRecord>', at);
    const record = xml
      .slice(at, end)
      .replace('DENTSU INTERNATIONAL LIMITED', 'DENTSU AEGIS NETWORK LTD.')
      .replace('<lei:EntityStatus>ACTIVE</lei:EntityStatus>', '<lei:EntityStatus>INACTIVE</lei:EntityStatus>');
    expect(record).toContain('DENTSU AEGIS NETWORK LTD.');
    expect(record).toContain('INACTIVE');
    older = path.join(dir, 'lei-cdf31_goldencopy_2021-01-04_excerpt.xml');
    writeFileSync(older, (xml.slice(0, at) + record + xml.slice(end)).replace('2023-06-05T08:20:51Z', '2021-01-04T08:00:00Z'));
  });

  it.each([
    ['newer file imported first, older second', () => [gleif, older]],
    ['older file imported first, newer second', () => [older, gleif]],
    ['both in one import, older second', () => [gleif, older]],
  ])('%s: the 2023 record keeps name and status, and valueSources name it', async (label, files) => {
    const db = path.join(dir, `${label.replace(/\W+/g, '-')}.db`);
    if (label.startsWith('both')) expect((await runCli(['import', '--db', db, ...files()])).code).toBe(0);
    else for (const f of files()) expect((await runCli(['import', '--db', db, f])).code).toBe(0);
    await shownAsGleif(db, 'lei:213800FERQ5LE3H7WJ58');
  });

  it('parsed in a worker thread, the data date reaches the writer before the records too', async () => {
    const file = path.join(dir, 'worker.db');
    const db = openCaseDb(file);
    try {
      for (const f of [gleif, older]) await importFiles(db, [f], { parallel: true });
    } finally {
      db.close();
    }
    await shownAsGleif(file, 'lei:213800FERQ5LE3H7WJ58');
  });

  it('an older CSV (no data date) imported after a newer CSV still wins: unknown dates fall back to import order', async () => {
    const db = path.join(dir, 'csv-no-date.db');
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, 'id,scheme,name,kind\nX-2,csv,First name,company\n');
    writeFileSync(b, 'id,scheme,name,kind\nX-2,csv,Second name,company\n');
    for (const f of [a, b]) expect((await runCli(['import', '--db', db, f])).code).toBe(0);
    expect(json<{ entity: Shown }>(await runCli(['show', '--db', db, 'csv:X-2', '--json'])).entity.name).toBe('Second name');
  });
});
