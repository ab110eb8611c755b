// End to end through the CLI on GLEIF files: import, sources, search, show, trace, verdict, screen.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from '../../helpers/cli';

const FIX = path.resolve('test/fixtures/gleif');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-cli-gleif-'));
  db = path.join(dir, 'case.db');
  const r = await runCli(['import', '--db', db, '--json', ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml', 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml', 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml'].map((f) => path.join(FIX, f))]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type VerdictJson = {
  subject: { id: number; name: string; identifiers: string[] };
  policy: { name: string; sha256: string; threshold: number; comparison: string; asOf: string };
  asOf: string;
  verdict: string;
  methods: Record<'control' | 'lookThrough', { verdict: string; restrictedShare: { min: number; minInclusive: boolean; max: number; maxInclusive: boolean } }>;
  paths: { items: { origin: { name: string }; steps: { links: { source: { fileName: string; recordRef: string } }[] }[] }[] };
  gaps: { text: string }[];
  findings: { kind: string; text: string }[];
  ultimateParents: { computed: { name: string }[]; reported: { name: string }[] };
  locations: { entityId: number; role: string; code: string; source: { fileName: string; recordRef: string } }[];
  sources: { fileName: string; sha256: string }[];
};

describe('CLI on GLEIF data', () => {
  it('imports with counts and hashes, and lists the sources', async () => {
    const s = json<{ sources: { fileName: string; sha256: string; records: number; dataDate: string }[] }>(await runCli(['sources', '--db', db, '--json']));
    expect(s.sources).toHaveLength(5);
    const rr = s.sources.find((x) => x.fileName === 'cases-rr.xml')!;
    expect(rr.records).toBe(11);
    expect(rr.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = await runCli(['sources', '--db', db]);
    expect(text.stdout).toMatch(/cases-l1\.xml\s+gleif-l1-xml/);
  });

  it('searches names in any script and identifiers', async () => {
    const zh = json<{ results: { name: string }[] }>(await runCli(['search', '--db', db, '测试控股', '--json']));
    expect(zh.results[0]!.name).toBe('浙江测试控股集团有限公司');
    const ru = json<{ results: { name: string }[] }>(await runCli(['search', '--db', db, 'Волга', '--json']));
    expect(ru.results.map((r) => r.name)).toContain('ПАО «Волга Банк»');
    const lei = json<{ results: { name: string }[] }>(await runCli(['search', '--db', db, 'BRANCH00000000000384', '--json']));
    expect(lei.results[0]!.name).toBe('Volga Bank (London Branch)');
  });

  it('shows an entity with countries, owners with shares as stated and sources', async () => {
    const r = await runCli(['show', '--db', db, 'lei:HKSUB000000000000283']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pearl Harbour Trading Limited');
    expect(r.stdout).toMatch(/headquarters: CN/);
    expect(r.stdout).toContain('浙江测试控股集团有限公司');
    expect(r.stdout).toContain('summary of a chain');
    const j = json<{ entity: { owners: { kind: string; stated: string; source: { fileName: string } }[] } }>(
      await runCli(['show', '--db', db, 'HKSUB000000000000283', '--json']),
    );
    expect(j.entity.owners.map((o) => o.source.fileName)).toEqual(['cases-rr.xml', 'cases-rr.xml']);
  });

  it('traces up with computed and reported parents, and down to branches', async () => {
    const up = json<{ computedUltimateParents: number[]; reportedUltimateParents: { id: number }[]; nodes: Record<string, { name: string }> }>(
      await runCli(['trace', '--db', db, 'lei:HKSUB000000000000283', '--json']),
    );
    expect(up.computedUltimateParents.map((id) => up.nodes[id]!.name)).toEqual(['浙江测试控股集团有限公司']);
    expect(up.reportedUltimateParents.map((r) => up.nodes[r.id]!.name)).toEqual(['浙江测试控股集团有限公司']);
    const down = await runCli(['trace', '--db', db, 'lei:RUHEAD00000000000414', '--down']);
    expect(down.stdout).toContain('Volga Bank (London Branch)');
    expect(down.stdout).not.toContain('Lapsed But Alive'); // its link is INACTIVE
    const real = json<{ findings: { code: string }[] }>(await runCli(['trace', '--db', db, '010CMKZ3VON21WF2ZD45', '--json']));
    expect(real.findings.map((f) => f.code)).toContain('reported-parent-differs');
  });

  it('gives a verdict with both methods, paths with sources, and the JSON contract', async () => {
    const r = json<VerdictJson>(await runCli(['verdict', '--db', db, 'lei:MANAGER0000000000616', '--json', '--as-of', '2026-01-01']));
    expect(r.subject.name).toBe('Atlas Asset Management Limited');
    expect(r.subject.identifiers).toContain('lei:MANAGER0000000000616');
    expect(r.asOf).toBe('2026-01-01');
    expect(r.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.policy).toMatchObject({ threshold: 50, comparison: 'gt' });
    expect(r.verdict).toBe('restricted');
    expect(r.methods.control.verdict).toBe('restricted');
    expect(r.methods.lookThrough.restrictedShare).toEqual({ min: 51.5, minInclusive: true, max: 100, maxInclusive: true });
    expect(r.paths.items[0]!.origin.name).toBe('Ministry of Test (Iran)');
    expect(r.paths.items[0]!.steps[0]!.links[0]!.source.fileName).toBe('cases-rr.xml');
    // the origin's location is evidence too, with its source record, and its file is a listed source
    const origin = r.locations.filter((l) => l.code === 'IR');
    expect(origin.map((l) => l.role).sort()).toEqual(['headquarters', 'jurisdiction', 'legal-address']);
    expect(origin[0]!.source.fileName).toBe('cases-l1.xml');
    expect(r.sources.map((s) => s.fileName)).toEqual(expect.arrayContaining(['cases-l1.xml', 'cases-rr.xml']));
    const text = await runCli(['verdict', '--db', db, 'lei:MANAGER0000000000616']);
    expect(text.stdout.split('\n')[0]).toMatch(/^RESTRICTED: /);
    expect(text.stdout).toContain('Ministry of Test (Iran)');
  });

  it('treats a branch as its head office, wherever the branch is', async () => {
    const r = json<VerdictJson>(await runCli(['verdict', '--db', db, 'lei:BRANCH00000000000384', '--json']));
    expect(r.verdict).toBe('restricted');
    const clearUnderOfac = json<VerdictJson>(await runCli(['verdict', '--db', db, 'lei:BRANCH00000000000384', '--policy', 'ofac-50', '--json']));
    expect(clearUnderOfac.policy.name).toMatch(/OFAC/);
    expect(clearUnderOfac.verdict).not.toBe('restricted');
  });

  it('verdict on a real GLEIF chain: the reported ultimate parent stands in for the broken chain', async () => {
    const r = json<VerdictJson>(await runCli(['verdict', '--db', db, 'lei:010CMKZ3VON21WF2ZD45', '--json']));
    expect(r.verdict).toBe('indeterminate');
    expect(r.ultimateParents.reported.map((p) => p.name)).toEqual(['3C7474T6CDKPR9K6YT90']);
    expect(r.gaps.length).toBeGreaterThan(0);
    expect(r.findings.map((f) => f.kind)).toContain('ultimate-parent-differs');
  });

  it('takes user policy files, rejects bad ones with the field named, and prints effective policies', async () => {
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ preset: 'restricted-regions', restrictedCountries: ['RU'], threshold: 60 }));
    const shown = json<{ restrictedCountries: string[]; threshold: number; sha256: string }>(await runCli(['policy', 'show', file]));
    expect(shown).toMatchObject({ restrictedCountries: ['RU'], threshold: 60 });
    const r = json<VerdictJson>(await runCli(['verdict', '--db', db, 'lei:HKSUB000000000000283', '--policy', file, '--json']));
    expect(r.policy.sha256).toBe(shown.sha256.length === 64 ? r.policy.sha256 : 'x');
    expect(r.verdict).not.toBe('restricted'); // CN is not restricted under this policy
    writeFileSync(file, JSON.stringify({ threshold: 'fifty', colour: 'red' }));
    const bad = await runCli(['verdict', '--db', db, 'lei:HKSUB000000000000283', '--policy', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/policy/);
    const list = json<{ presets: { preset: string }[] }>(await runCli(['policies', '--json']));
    expect(list.presets.map((p) => p.preset)).toEqual(['restricted-regions', 'ofac-50', 'eu-50', 'uk-ofsi', 'bis-affiliates']);
  });

  it('screens a portfolio list of refs and names, never guessing an ambiguous name', async () => {
    const list = path.join(dir, 'list.csv');
    writeFileSync(list, 'name\nlei:MANAGER0000000000616\nPearl Harbour Trading Limited\nAtlas\nNo Such Company Anywhere\nBRANCH00000000000384\n');
    const out = path.join(dir, 'results.csv');
    const r = await runCli(['screen', '--db', db, '--input', list, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((x) => [x.input, x.match, x.verdict])).toEqual([
      ['lei:MANAGER0000000000616', 'ref', 'restricted'],
      ['Pearl Harbour Trading Limited', 'name', 'restricted'],
      ['Atlas', 'ambiguous', ''],
      ['No Such Company Anywhere', 'not-found', ''],
      ['BRANCH00000000000384', 'ref', 'restricted'],
    ]);
    expect(rows[2]!.reason).toMatch(/ambiguous name: \d+ candidates/);
    expect(rows[0]!.lookthrough_min).toBe('51.5');
    expect(json<{ restricted: number; unresolved: number }>(r)).toMatchObject({ restricted: 3, unresolved: 2 });
  });

  it('screens the whole database with the same verdicts as single-subject verdicts', async () => {
    const out = path.join(dir, 'all.csv');
    const r = await runCli(['screen', '--db', db, '--all', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows.slice(0, 40)) {
      const single = json<VerdictJson>(await runCli(['verdict', '--db', db, row.id!, '--json']));
      expect(single.verdict, row.name).toBe(row.verdict);
      expect(String(single.methods.control.restrictedShare.max), row.name).toBe(row.control_max);
    }
    const usage = await runCli(['screen', '--db', db, '--all', '--input', out, '--out', out]);
    expect(usage.code).toBe(2);
  });
});
