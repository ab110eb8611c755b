// Issue 11 point 9: records merged into one entity keep their truth. An investigator's in-house
// CSV that shares a company number with a GLEIF record (real Level 1 excerpt: DENTSU
// INTERNATIONAL LIMITED, gb-coh 01403668) must not replace the registry's name, status or kind;
// the entity view says which record each shown value comes from.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from '../../helpers/cli';

const gleif = path.resolve(__dirname, '../../../../shared/samples/gleif-level1/lei-cdf31_goldencopy_2023-06-05_excerpt.xml');
let dir: string;
let csv: string;

interface Shown {
  name: string; status: string | null; kind: string;
  valueSources: Record<'name' | 'status' | 'kind', { fileName: string; recordRef: string } | null>;
  names: { name: string; source: { fileName: string } }[];
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
    const r = await runCli(['show', '--db', db, 'gb-coh:01403668', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const e = json<{ entity: Shown }>(r).entity;
    expect(e.name).toBe('DENTSU INTERNATIONAL LIMITED');
    expect(e.status).toBe('ACTIVE');
    expect(e.kind).toBe('company');
    for (const v of ['name', 'status', 'kind'] as const) expect(e.valueSources[v]?.fileName, v).toBe(path.basename(gleif));
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
