// `ownerscope export` (issue #17): CSV round trip over the fixtures (same graph, same verdicts),
// GraphML and GEXF read by networkx (a reader that is not ours), FollowTheMoney read back by our
// importer with ids stable across runs, BODS 0.4 valid against the official schema with a real
// JSON Schema validator (ajv, draft 2020-12), and read back by our BODS importer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { policyFromArgs } from '../../../electron/backend/verdict/policy-input';
import { computeVerdict } from '../../../electron/backend/verdict/verdict';
import { json, runCli, runOk } from '../../helpers/cli';
import { EXCERPTS_AS_OF, EXCERPT_LEI, GLEIF_EXCERPTS } from '../../helpers/gleif-excerpts';

const FIX = path.resolve(__dirname, '../../fixtures');
const SAMPLES = path.resolve(__dirname, '../../../../shared/samples');
const dir = mkdtempSync(path.join(tmpdir(), 'ownerscope-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const at = (name: string) => path.join(dir, `${++n}-${name}`);

// Every importable fixture group: the files a user imports together.
const GROUPS: Record<string, string[]> = {
  'gleif xml': ['gleif/cases-l1.xml', 'gleif/cases-rr.xml', 'gleif/cases-repex.xml'].map((f) => path.join(FIX, f)),
  'gleif csv': ['gleif/cases-rr.csv', 'gleif/cases-repex.csv', 'gleif/cases-l1.xml'].map((f) => path.join(FIX, f)),
  psc: ['psc/gleif-l1-uk.xml', 'psc/psc-snapshot-sample_2024-12.jsonl', 'psc/synthetic-shapes.jsonl'].map((f) => path.join(FIX, f)),
  'bods 0.4': readdirSync(path.join(FIX, 'bods')).filter((f) => f.startsWith('0.4-')).map((f) => path.join(FIX, 'bods', f)),
  'bods 0.2/0.3': readdirSync(path.join(FIX, 'bods')).filter((f) => /^0\.[23]-/.test(f)).map((f) => path.join(FIX, 'bods', f)),
  csv: ['csv/entities.csv', 'csv/links.csv'].map((f) => path.join(FIX, f)),
  ftm: [path.join(SAMPLES, 'opensanctions-ftm', 'eu_fsf_sample_entities.ftm.jsonl')],
};

async function caseOf(files: string[]): Promise<string> {
  const db = at('case.db');
  await runOk(['import', '--db', db, ...files]);
  return db;
}

function counts(file: string) {
  const db = openCaseDb(file, { create: false });
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    return { entities: one('SELECT count(*) FROM entities WHERE is_placeholder = 0'), links: one('SELECT count(*) FROM links'), markers: one('SELECT count(*) FROM undisclosed') };
  } finally {
    db.close();
  }
}

/** Verdicts of every entity, keyed by its reference (the same in both databases), both methods. */
function verdicts(file: string): Record<string, string> {
  const db: Db = openCaseDb(file, { create: false });
  try {
    const policy = policyFromArgs('restricted-regions', '2026-01-01');
    const out: Record<string, string> = {};
    const rows = db.prepare("SELECT e.id, COALESCE(e.record_key, (SELECT scheme || ':' || value FROM identifiers i WHERE i.entity_id = e.id ORDER BY scheme = 'lei' DESC, scheme, value LIMIT 1)) AS ref FROM entities e").all() as { id: number; ref: string }[];
    for (const r of rows) {
      const v = computeVerdict(db, r.id, policy);
      out[r.ref] = `${v.verdict} control=${v.methods.control.verdict} look-through=${v.methods.lookThrough.verdict}`;
    }
    return out;
  } finally {
    db.close();
  }
}

describe('export --format csv: import of the export gives the same graph and the same verdicts', () => {
  for (const [name, files] of Object.entries(GROUPS)) {
    it(name, async () => {
      const db = await caseOf(files);
      const folder = at('csv');
      const r = json<{ files: string[]; entities: number }>(await runOk(['export', '--db', db, '--format', 'csv', '--out', folder, '--json']));
      expect(r.files.map((f) => path.basename(f))).toEqual(['entities.csv', 'links.csv', 'undisclosed.csv']);
      const again = at('again.db');
      await runOk(['import', '--db', again, ...r.files]);
      expect(counts(again)).toEqual(counts(db));
      const before = verdicts(db);
      const after = verdicts(again);
      expect(Object.keys(after).filter((k) => !(k in before)), 'entities only after the round trip').toEqual([]);
      expect(after).toEqual(before);
      // the same through a zip
      const zip = at('export.zip');
      await runOk(['export', '--db', db, '--format', 'csv', '--out', zip]);
      const fromZip = at('zip.db');
      await runOk(['import', '--db', fromZip, zip]);
      expect(counts(fromZip)).toEqual(counts(db));
    });
  }
});

const python = (script: string, file: string) => JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));

describe('graphml and gexf, read by networkx', () => {
  it('nodes, edges and their attributes; the restricted-origin flag under the policy', async () => {
    const db = await caseOf(GROUPS['gleif xml']!);
    const c = counts(db);
    const gm = at('g.graphml');
    await runOk(['export', '--db', db, '--format', 'graphml', '--policy', 'restricted-regions', '--out', gm]);
    const g = python(
      `import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({"directed": g.is_directed(), "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
  "zj": g.nodes["lei:ZJPARENT000000000187"], "edge": [d for u, v, d in g.edges(data=True) if d.get("share_min") == 51.5][:1]}))`,
      gm,
    );
    expect(g.directed).toBe(true);
    expect(g.edges).toBe(c.links);
    expect(g.nodes).toBeGreaterThanOrEqual(c.entities);
    expect(g.zj).toMatchObject({ name: '浙江测试控股集团有限公司', kind: 'company', restricted: true });
    expect(g.zj.countries).toContain('CN');
    const gx = at('g.gexf');
    await runOk(['export', '--db', db, '--format', 'gexf', '--out', gx]);
    const x = python(
      `import sys, json, networkx as nx
g = nx.read_gexf(sys.argv[1])
n = g.nodes["lei:ZJPARENT000000000187"]
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "label": n.get("label"), "restricted": n.get("restricted"), "kinds": sorted({d.get("kind") for u, v, d in g.edges(data=True)})}))`,
      gx,
    );
    expect(x).toMatchObject({ nodes: g.nodes, edges: c.links, label: '浙江测试控股集团有限公司', restricted: true });
    expect(x.kinds).toContain('control');
  });
});

describe('ftm', () => {
  it('ids are stable across runs, and our FtM importer reads the export back', async () => {
    const db = await caseOf(GROUPS['gleif xml']!);
    const a = at('a.ftm.jsonl');
    const b = at('b.ftm.jsonl');
    await runOk(['export', '--db', db, '--format', 'ftm', '--out', a]);
    await runOk(['export', '--db', db, '--format', 'ftm', '--out', b]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const lines = readFileSync(a, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { schema: string; properties: Record<string, string[]> });
    expect(lines.filter((l) => l.schema === 'Ownership').length).toBeGreaterThan(0);
    expect(lines.find((l) => l.schema === 'Ownership' && l.properties.percentage?.[0] === '51.5')).toBeDefined();
    const again = at('ftm.db');
    await runOk(['import', '--db', again, a]);
    const c = counts(db);
    expect(counts(again).links).toBe(c.links);
    // stdout
    const r = await runOk(['export', '--db', db, '--format', 'ftm', '--out', '-']);
    expect(r.stdout).toBe(readFileSync(a, 'utf8'));
  });
});

/** The official BODS 0.4 schema (../shared/samples) compiled by a real validator. */
function bodsValidator() {
  const schemaDir = path.join(SAMPLES, 'bods', 'schema-0.4');
  // The schema files name each other "urn:statement", "urn:entity", …: URNs without a namespace
  // string, which ajv's URI library refuses to serialize. Read as https URLs (the same names, the
  // same references), the schema is otherwise used exactly as published.
  const read = (f: string) => JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8').replace(/"urn:([a-z-]+)/g, '"https://bods.invalid/schema-0.4/$1'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv); // date, date-time and uri are checked, not ignored
  for (const f of readdirSync(schemaDir).filter((x) => x.endsWith('.json') && x !== 'statement.json')) ajv.addSchema(read(f));
  return ajv.compile(read('statement.json'));
}

describe('bods 0.4', () => {
  const validate = bodsValidator();

  it('the validator accepts every official 0.4 example (so it reads the schema right)', () => {
    const examples = path.join(SAMPLES, 'bods', 'official-examples-0.4.0');
    for (const f of readdirSync(examples).filter((x) => x.endsWith('.json'))) {
      const ok = validate(JSON.parse(readFileSync(path.join(examples, f), 'utf8')));
      expect(ok, `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
    // and it can fail
    expect(validate([{ statementId: 'x', recordType: 'entity' }])).toBe(false);
  });

  for (const group of ['gleif xml', 'psc', 'bods 0.4']) {
    it(`the export of ${group} validates, and our BODS importer reads it back`, async () => {
      const db = await caseOf(GROUPS[group]!);
      const out = at('export.bods.json');
      await runOk(['export', '--db', db, '--format', 'bods', '--out', out]);
      const statements = JSON.parse(readFileSync(out, 'utf8')) as unknown[];
      const ok = validate(statements);
      expect(ok, JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
      const again = at('bods.db');
      await runOk(['import', '--db', again, out]);
      expect(counts(again).links).toBe(counts(db).links);
    });
  }
});

describe('--subject and --case', () => {
  it('a neighbourhood, and what a case read (its subject and its owners), not the whole database', async () => {
    const db = await caseOf(GROUPS['gleif xml']!);
    const all = json<{ entities: number; links: number }>(await runOk(['export', '--db', db, '--format', 'ftm', '--out', at('all.jsonl'), '--json']));
    const sub = json<{ entities: number; links: number }>(await runOk(['export', '--db', db, '--format', 'ftm', '--subject', 'lei:HKSUB000000000000283', '--up', '1', '--down', '0', '--out', at('sub.jsonl'), '--json']));
    expect(sub.entities).toBeGreaterThanOrEqual(2);
    expect(sub.entities).toBeLessThan(all.entities);
    const c = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, 'lei:HKSUB000000000000283', '--json']));
    const file = at('case.graphml');
    const r = json<{ entities: number }>(await runOk(['export', '--db', db, '--format', 'graphml', '--case', c.case.id, '--out', file, '--json']));
    expect(r.entities).toBeLessThan(all.entities);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('lei:HKSUB000000000000283');
    expect(text).toContain('lei:ZJPARENT000000000187');
    expect((await runCli(['export', '--db', db, '--format', 'ftm', '--case', 'C-9999', '--out', '-'])).code).toBe(1);
  });
});

describe('assertions are marked in every export', () => {
  it('an asserted link is asserted in GraphML, primary research in BODS, a separate dataset in FtM, noted in CSV', async () => {
    const db = await caseOf(GROUPS['gleif xml']!);
    await runOk(['assert', 'link', '--db', db, 'lei:ZJPARENT000000000187', 'lei:HKSUB000000000000283', '--share', '60', '--reference', 'annual report 2023, p. 12', '--why', 'the report names the holder', '--actor', 'A. Li']);
    const c = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, 'lei:HKSUB000000000000283', '--json']));
    const gm = at('case.graphml');
    await runOk(['export', '--db', db, '--format', 'graphml', '--case', c.case.id, '--out', gm]);
    const g = python(
      `import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps([[u, v, d.get("asserted"), d.get("share")] for u, v, d in g.edges(data=True)]))`,
      gm,
    ) as [string, string, boolean, string][];
    const asserted = g.filter((e) => e[2]);
    expect(asserted).toEqual([['lei:ZJPARENT000000000187', 'lei:HKSUB000000000000283', true, '60%']]);
    expect(g.filter((e) => !e[2]).length).toBeGreaterThan(0);
    const bods = at('case.bods.json');
    await runOk(['export', '--db', db, '--format', 'bods', '--case', c.case.id, '--out', bods]);
    const statements = JSON.parse(readFileSync(bods, 'utf8')) as { recordType: string; source: { type: string[]; description: string } }[];
    expect(statements.filter((x) => x.source.type[0] === 'primaryResearch').map((x) => x.recordType)).toContain('relationship');
    const ftm = (await runOk(['export', '--db', db, '--format', 'ftm', '--case', c.case.id, '--out', '-'])).stdout;
    expect(ftm.split('\n').filter((l) => l.includes('ownerscope-assertions')).length).toBe(1);
    const folder = at('case-csv');
    await runOk(['export', '--db', db, '--format', 'csv', '--out', folder]);
    expect(readFileSync(path.join(folder, 'links.csv'), 'utf8')).toMatch(/investigator assertion/);
  });

  it('an asserted kind and listing on the real GLEIF excerpts: applied and marked in GraphML, FtM, BODS and CSV; read back from the CSV, no verdict turns CLEAR', async () => {
    const db = await caseOf(GLEIF_EXCERPTS);
    const doc = at('gazette.txt');
    writeFileSync(doc, 'Official gazette 2023/118: Swedeit Italian Aktiebolag is an agency of the Swedish state.\n');
    const kind = json<{ assertion: { id: number } }>(await runOk(['assert', 'kind', '--db', db, `lei:${EXCERPT_LEI.swedeit}`, '--kind', 'state', '--document', doc, '--why', 'the gazette says so', '--json'])).assertion.id;
    const listed = json<{ assertion: { id: number } }>(await runOk(['assert', 'listed', '--db', db, `lei:${EXCERPT_LEI.parent}`, '--list', 'EU FSF', '--topic', 'sanction', '--reference', 'EU FSF entry EU.1234.56', '--why', 'the list names it', '--json'])).assertion.id;

    const gm = at('asserted.graphml');
    await runOk(['export', '--db', db, '--format', 'graphml', '--policy', 'eu-50', '--as-of', EXCERPTS_AS_OF, '--out', gm]);
    const nodes = python(
      `import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({n: [d.get("kind"), d.get("topics"), d.get("asserted"), d.get("asserted_facts"), d.get("restricted")] for n, d in g.nodes(data=True)}))`,
      gm,
    ) as Record<string, [string, string, boolean, string, boolean]>;
    expect(nodes[`lei:${EXCERPT_LEI.swedeit}`]).toEqual(['state-body', '', true, `kind state: investigator assertion #${kind} (${path.basename(doc)})`, false]);
    const parent = nodes[`lei:${EXCERPT_LEI.parent}`]!;
    expect(parent.slice(1, 3)).toEqual(['sanction', true]);
    expect(parent[3]).toMatch(new RegExp(`^listed on EU FSF \\(sanction\\): investigator assertion #${listed} `));
    expect(parent[4]).toBe(true);
    // an entity nobody asserted anything about is not marked
    expect(nodes[`lei:${EXCERPT_LEI.child}`]!.slice(2, 4)).toEqual([false, '']);

    const ftm = (await runOk(['export', '--db', db, '--format', 'ftm', '--out', '-'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]>; datasets: string[]; referents?: string[] });
    const swedeit = ftm.find((x) => x.referents?.includes(`lei:${EXCERPT_LEI.swedeit}`))!;
    expect(swedeit.schema).toBe('PublicBody');
    const fragments = ftm.filter((x) => x.datasets.includes('ownerscope-assertions'));
    expect(fragments.map((f) => f.id).sort()).toEqual([swedeit.id, ftm.find((x) => x.referents?.includes(`lei:${EXCERPT_LEI.parent}`))!.id].sort());
    expect(fragments.find((f) => f.id !== swedeit.id)!.properties.topics).toEqual(['sanction']);
    // the registry's fragment keeps the registry's word: no asserted topic in it
    expect(ftm.find((x) => x.referents?.includes(`lei:${EXCERPT_LEI.parent}`))!.properties.topics).toBeUndefined();

    const bodsFile = at('asserted.bods.json');
    await runOk(['export', '--db', db, '--format', 'bods', '--out', bodsFile]);
    const statements = JSON.parse(readFileSync(bodsFile, 'utf8')) as { recordType: string; recordDetails: { name?: string; entityType?: { type: string } }; annotations?: { description: string; statementPointerTarget: string }[] }[];
    const validate = bodsValidator();
    expect(validate(statements), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const sw = statements.find((x) => x.recordDetails.name === 'Swedeit Italian Aktiebolag')!;
    expect(sw.recordDetails.entityType).toEqual({ type: 'state' });
    expect(sw.annotations).toEqual([{ motivation: 'commenting', statementPointerTarget: '/recordDetails/entityType', description: `kind state: investigator assertion #${kind} (${path.basename(doc)})` }]);

    const folder = at('asserted-csv');
    await runOk(['export', '--db', db, '--format', 'csv', '--out', folder]);
    expect(readFileSync(path.join(folder, 'entities.csv'), 'utf8')).toContain(`investigator assertion #${kind} (${path.basename(doc)})`);
    const csvText = readFileSync(path.join(folder, 'entities.csv'), 'utf8');
    expect(csvText).toContain(`listed on EU FSF (sanction): investigator assertion #${listed} `);
    const again = at('asserted-again.db');
    await runOk(['import', '--db', again, path.join(folder, 'entities.csv'), path.join(folder, 'links.csv'), path.join(folder, 'undisclosed.csv')]);
    const verdictOf = async (file: string, ref: string) => json<{ verdict: string }>(await runOk(['verdict', ref, '--db', file, '--policy', 'eu-50', '--as-of', EXCERPTS_AS_OF, '--json'])).verdict;
    // the asserted kind is the entity's kind in the CSV: the same verdict back
    expect(await verdictOf(again, `lei:${EXCERPT_LEI.swedeit}`)).toBe(await verdictOf(db, `lei:${EXCERPT_LEI.swedeit}`));
    // the asserted listing is a note, not a topic: read back it is no list imported, so the
    // verdicts it made RESTRICTED come back INDETERMINATE (open), never CLEAR
    for (const ref of [`lei:${EXCERPT_LEI.parent}`, `lei:${EXCERPT_LEI.child}`]) {
      expect(await verdictOf(db, ref), ref).toBe('restricted');
      expect(await verdictOf(again, ref), ref).toBe('indeterminate');
    }
  });
});

describe('screen --out -', () => {
  it('writes the CSV to standard output and the summary to standard error', async () => {
    const db = await caseOf(GROUPS['gleif xml']!);
    const r = await runOk(['screen', '--db', db, '--all', '--out', '-']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^row,input,match,id,name,/);
    expect(lines.length).toBeGreaterThan(5);
    expect(r.stderr).toMatch(/screened \d+ subject/);
  });
});

describe('export arguments', () => {
  it('bad input exits 2 naming the argument; an unknown REF exits 1', async () => {
    const db = await caseOf(GROUPS.csv!);
    const bad = async (args: string[], text: RegExp, code = 2) => {
      const r = await runCli(['export', '--db', db, ...args]);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(text);
    };
    await bad(['--format', 'xlsx', '--out', at('x')], /--format must be one of csv, graphml, gexf, ftm, bods/);
    await bad(['--format', 'csv'], /--out PATH/);
    await bad(['--format', 'csv', '--out', '-'], /three files/);
    await bad(['--format', 'ftm', '--out', '-', '--up', '2'], /--up and --down go with --subject/);
    await bad(['--format', 'ftm', '--out', '-', '--subject', 'lei:NOPE00000000000000XX'], /NOPE/, 1);
  });
});
