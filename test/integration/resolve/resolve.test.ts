import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { neighbourhood } from '../../../electron/backend/api/graph';
import { openCaseDb } from '../../../electron/backend/store/db';
import { trace } from '../../../electron/backend/store/trace';
import { candidatesFor, canonicalId, canonicalMap, decide, findCandidates, identifierProofs, resolvedEntityDetail, resolveEntities } from '../../../electron/backend/resolve';
import { json, runCli } from '../../helpers/cli';
import { entityByRef, FIXTURES, tmpCase, type Tmp } from '../psc/helpers';

const GLEIF = path.join(FIXTURES, 'psc', 'gleif-l1-uk.xml');
const PSC = path.join(FIXTURES, 'psc', 'psc-snapshot-sample_2024-12.jsonl');
let t: Tmp;
beforeEach(() => (t = tmpCase()));
afterEach(() => t.close());

/**
 * PSC first: gb-coh:04120481 is a placeholder; a CSV entity takes the LEI; GLEIF then names both
 * (a claim). `a`: the CSV entity, `b`: the PSC company.
 */
async function importClaim(): Promise<{ a: number; b: number }> {
  await t.import([PSC]);
  await t.import([t.file('e.csv', 'id,scheme,name,identifiers,jurisdiction\nACME-1,csv,Example Contact Services,lei:213800OWNERSCOPE0181,GB\n')]);
  await t.import([GLEIF]);
  return { a: entityByRef(t.db, 'csv', 'ACME-1').id, b: entityByRef(t.db, 'gb-coh', '04120481').id };
}

describe('entity resolution', () => {
  it('cross-source: a company in GLEIF and PSC data is one entity, with facts from both traceable to their sources', async () => {
    await t.import([PSC]);
    await t.import([GLEIF]);
    const byLei = entityByRef(t.db, 'lei', '213800OWNERSCOPE0181');
    expect(canonicalId(t.db, entityByRef(t.db, 'gb-coh', '04120481').id)).toBe(canonicalId(t.db, byLei.id));
    const owned = canonicalId(t.db, byLei.id);
    // the PSC link (source 1) points at the entity GLEIF (source 2) describes
    const link = t.db.prepare(`SELECT l.source_id, l.record_ref, l.share_lo, o.id AS owner FROM links l JOIN entities o ON o.id = l.owner_id WHERE l.owned_id = ? AND l.kind = 'shares'`).get(owned) as { source_id: number; owner: number; share_lo: number };
    expect(link.source_id).toBe(1);
    expect(link.share_lo).toBe(750000);
    // and the owner, a corporate PSC with a UK number, is the GLEIF entity with RA000585 03530981
    expect(canonicalId(t.db, link.owner)).toBe(canonicalId(t.db, entityByRef(t.db, 'lei', '213800OWNERSCOPE0278').id));
    const countrySources = t.db.prepare('SELECT DISTINCT source_id FROM entity_countries WHERE entity_id = ? ORDER BY source_id').all(owned);
    expect(countrySources).toEqual([{ source_id: 2 }]);
  });

  it('links entities automatically when one record names identifiers held by two entities (a claim)', async () => {
    const { a, b } = await importClaim();
    expect(a).not.toBe(b);
    const r = resolveEntities(t.db);
    const g = r.groups.find((x) => x.members.some((m) => m.id === a))!;
    expect(g.members.map((m) => m.id)).toContain(b);
    expect(g.links.every((l) => l.method === 'identifier')).toBe(true);
    // two proofs: GLEIF's RA000585 entity id is that company number, and the GLEIF record named both
    expect(g.links[0]!.reason).toMatch(/gb-coh:04120481/);
    expect(identifierProofs(t.db).map((l) => l.reason)).toEqual(expect.arrayContaining([
      'ra:RA000585:4120481 is gb-coh:04120481',
      expect.stringMatching(/gleif-l1-uk.xml .*gb-coh:04120481, held by the other/),
    ]));
    // the canonical entity is the one a record describes (GLEIF merged into the CSV entity), not the PSC placeholder
    expect(canonicalMap(t.db).get(b)).toBe(a);
    // the view gives every entity its canonical id
    expect(t.db.prepare('SELECT canonical_id FROM resolved_entities WHERE entity_id = ?').get(b)).toEqual({ canonical_id: a });
    expect(t.db.prepare('SELECT canonical_id FROM resolved_entities WHERE entity_id = ?').get(a)).toEqual({ canonical_id: a });
  });

  it('decisions: not-same overrides a proof, same merges, the latest decision wins, later imports respect them', async () => {
    const { a, b } = await importClaim();
    const r = decide(t.db, 'csv:ACME-1', 'gb-coh:4120481', 'not-same', 'tester', 'different company, same group');
    expect(canonicalId(t.db, a)).not.toBe(canonicalId(t.db, b));
    expect(r.overridden.length).toBeGreaterThan(0);
    // a later import does not undo the decision
    await t.import([PSC]);
    expect(canonicalId(t.db, a)).not.toBe(canonicalId(t.db, b));
    decide(t.db, 'csv:ACME-1', 'gb-coh:4120481', 'same', 'tester', 'checked the register');
    expect(canonicalId(t.db, a)).toBe(canonicalId(t.db, b));
    const rows = t.db.prepare('SELECT ref_a, ref_b, decision, decided_by, why FROM resolution_decisions ORDER BY id').all();
    expect(rows).toEqual([
      { ref_a: 'csv:ACME-1', ref_b: 'gb-coh:04120481', decision: 'not-same', decided_by: 'tester', why: 'different company, same group' },
      { ref_a: 'csv:ACME-1', ref_b: 'gb-coh:04120481', decision: 'same', decided_by: 'tester', why: 'checked the register' },
    ]);
  });

  it('proposes candidates where normalized names and countries agree, with score and reason', async () => {
    await t.import([PSC]);
    await t.import([t.file('e.csv', 'id,scheme,name,kind,jurisdiction\nX1,csv,"STATE ADMINISTRATION OF FOREIGN EXCHANGE",state-body,China\nX2,csv,Robert Hitchins Ltd.,company,GB\nX3,csv,Robert Hitchins GmbH,company,DE\n')]);
    const c = findCandidates(t.db);
    const names = c.map((x) => [x.aName, x.bName].sort().join(' ~ '));
    expect(names).toContain('Robert Hitchins Limited ~ Robert Hitchins Ltd.');
    expect(names).toContain('STATE ADMINISTRATION OF FOREIGN EXCHANGE ~ State Administration Of Foreign Exchange');
    expect(names.some((n) => n.includes('GmbH'))).toBe(false); // countries disagree
    const rh = c.find((x) => x.aName.startsWith('Robert') || x.bName.startsWith('Robert'))!;
    expect(rh.score).toBeGreaterThan(0.8);
    expect(rh.reason).toMatch(/robert hitchins.*GB/);
    // one entity's candidates, found through the name index: the same pairs, scores and reasons
    for (const ref of ['X1', 'X2', 'X3']) {
      const id = entityByRef(t.db, 'csv', ref).id;
      const mine = candidatesFor(t.db, id);
      expect(mine.map(({ otherId: _o, ...x }) => x)).toEqual(c.filter((x) => x.a === id || x.b === id));
      for (const m of mine) expect(m.otherId).toBe(m.a === id ? m.b : m.a);
    }
    expect(candidatesFor(t.db, entityByRef(t.db, 'csv', 'X2').id)).toHaveLength(1);
    // rejected candidates are not proposed again
    decide(t.db, 'csv:X2', 'gb-coh:00686734', 'not-same', 'tester');
    expect(candidatesFor(t.db, entityByRef(t.db, 'csv', 'X2').id)).toEqual([]);
    expect(findCandidates(t.db).some((x) => x.aName.startsWith('Robert') || x.bName.startsWith('Robert'))).toBe(false);
  });

  it('the graph and the trace read merged entities as one, with the links, countries and markers of every member', async () => {
    await t.import([
      t.file('e.csv', [
        'id,scheme,name,kind,jurisdiction,identifiers',
        'A,csv,Alpha Trading Ltd,company,GB,',
        'A2,csv,ALPHA TRADING LIMITED,company,CN,lei:213800OWNERSCOPE0181',
        'P,csv,Pavel Owner,person,RU,',
        'S,csv,Alpha Sub GmbH,company,DE,',
      ].join('\n')),
      t.file('l.csv', [
        'owner_ref,owned_ref,kind,share_exact',
        'csv:P,csv:A2,shares,60', // stated about the second record of the company
        'csv:A,csv:S,shares,100', // stated about the first
        'csv:A2,csv:A,shares,100', // the two records of one company: not an ownership edge
      ].join('\n')),
      // GLEIF: the parent of the second record is withheld
      t.file('repex.csv', '"LEI","ExceptionCategory","ExceptionReason.1"\n"213800OWNERSCOPE0181","DIRECT_ACCOUNTING_CONSOLIDATION_PARENT","NON_PUBLIC"\n'),
    ]);
    const id = (v: string) => entityByRef(t.db, 'csv', v).id;
    const opts = { up: 2, down: 2, maxPerNode: 25, asOf: '2026-01-01' };
    const before = neighbourhood(t.db, id('A'), opts);
    expect(before.nodes.map((n) => n.label).sort()).toEqual(['ALPHA TRADING LIMITED', 'Alpha Sub GmbH', 'Alpha Trading Ltd', 'Pavel Owner']);
    expect(before.nodes.find((n) => n.isSubject)).toMatchObject({ countries: ['GB'], hasUndisclosed: false });
    expect(resolvedEntityDetail(t.db, id('A2'), '2026-01-01').resolution).toEqual({ canonicalId: id('A2'), sameAs: [], evidence: [] });
    decide(t.db, 'csv:A', 'csv:A2', 'same', 'tester', 'same company number on both letterheads');
    // the entity's own facts, and the group it belongs to with the evidence
    const detail = resolvedEntityDetail(t.db, id('A2'), '2026-01-01');
    expect(detail.owners.map((l) => l.ownerId)).toEqual([id('P')]);
    expect(detail.resolution).toEqual({
      canonicalId: id('A'),
      sameAs: [{ id: id('A'), name: 'Alpha Trading Ltd', identifiers: ['csv:A'] }],
      evidence: [{ a: id('A'), b: id('A2'), method: 'decision', reason: expect.stringMatching(/^tester on .*: same company number on both letterheads$/) }],
    });
    const shown = await runCli(['show', '--db', path.join(t.dir, 'case.db'), 'csv:A']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`same entity as (entity resolution; verdicts, graph and trace read the group as #${id('A')}):\n  #${id('A2')} ALPHA TRADING LIMITED (csv:A2, lei:213800OWNERSCOPE0181)\n    decision: tester on`);
    for (const from of ['A', 'A2']) {
      const g = neighbourhood(t.db, id(from), opts);
      expect(g.subjectId).toBe(id('A'));
      const subject = g.nodes.find((n) => n.isSubject)!;
      expect(subject).toMatchObject({ entityId: id('A'), label: 'Alpha Trading Ltd', mergedIds: [id('A2')], countries: ['CN', 'GB'], hasUndisclosed: true });
      expect(g.nodes.map((n) => n.entityId).sort()).toEqual([id('A'), id('P'), id('S')].sort());
      const edges = g.edges.map((e) => `${e.from}>${e.to} ${e.label}`).sort();
      expect(edges).toEqual([`e${id('A')}>e${id('S')} 100% (shareholding)`, `e${id('P')}>e${id('A')} 60% (shareholding)`]);
      expect(g.nodes.find((n) => n.entityId === id('P'))!.mergedIds).toBeUndefined();
    }
    // the counts behind clusters leave out the link between the two records too
    const one = neighbourhood(t.db, id('A2'), { ...opts, maxPerNode: 0 });
    expect(one.nodes.filter((n) => n.kind === 'cluster').map((n) => n.clusterSize).sort()).toEqual([1, 1]);
    // the trace: from either record, the owner stated about the other record is the ultimate parent
    for (const from of ['A', 'A2']) {
      const up = trace(t.db, id(from), { asOf: '2026-01-01' });
      expect(up.subject).toBe(id('A'));
      expect(up.chains.map((c) => c.entities)).toEqual([[id('A'), id('P')]]);
      expect(up.computedUltimateParents).toEqual([id('P')]);
      expect(up.nodes[id('A')]).toMatchObject({ countries: ['CN', 'GB'], hasUndisclosed: true });
      const down = trace(t.db, id(from), { asOf: '2026-01-01', down: true });
      expect(Object.keys(down.nodes).map(Number).sort()).toEqual([id('A'), id('S')].sort());
      expect(Object.values(down.links).map((l) => [l.ownerId, l.ownedId])).toEqual([[id('A'), id('S')]]);
    }
  });

  it('the import stores the resolution with its data; a read never writes it, even when it is stale and the write lock is held', async () => {
    const { a, b } = await importClaim();
    // stored by the import, in its own transaction
    expect(t.db.prepare('SELECT canonical_id FROM entity_canonical WHERE entity_id = ?').get(b)).toEqual({ canonical_id: a });
    // a database whose stored resolution is older than its data (written before imports stored it)
    t.db.exec('DELETE FROM entity_canonical; DELETE FROM resolution_state');
    const importer = openCaseDb(path.join(t.dir, 'case.db'));
    try {
      importer.exec('BEGIN IMMEDIATE');
      expect(canonicalMap(t.db).get(b)).toBe(a);
      expect(neighbourhood(t.db, b, { up: 1, down: 1, maxPerNode: 25, asOf: '2026-01-01' }).subjectId).toBe(a);
      expect(t.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      importer.exec('ROLLBACK');
    } finally {
      importer.close();
    }
    expect(canonicalMap(t.db).get(b)).toBe(a);
    expect(t.db.prepare('SELECT count(*) AS n FROM entity_canonical').get()).toEqual({ n: 0 }); // reads never store
    expect(t.db.prepare('SELECT count(*) AS n FROM resolution_state').get()).toEqual({ n: 0 });
    resolveEntities(t.db);
    expect(t.db.prepare('SELECT canonical_id FROM entity_canonical WHERE entity_id = ?').get(b)).toEqual({ canonical_id: a });
  });

  it('CLI: resolve, same, not-same with exit codes 0/1/2', async () => {
    await t.import([PSC]);
    await t.import([t.file('e.csv', 'id,scheme,name,jurisdiction\nX2,csv,Robert Hitchins Ltd,GB\n')]);
    const dbFile = path.join(t.dir, 'case.db');
    const r1 = await runCli(['resolve', '--db', dbFile, '--candidates', '--json']);
    expect(r1.code).toBe(0);
    expect(json<{ candidates: unknown[] }>(r1).candidates).toHaveLength(1);
    const r2 = await runCli(['same', '--db', dbFile, 'csv:X2', 'gb-coh:686734', '--why', 'same register number on the letterhead']);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('is the same as');
    expect((await runCli(['not-same', '--db', dbFile, 'csv:X2'])).code).toBe(2);
    const r3 = await runCli(['same', '--db', dbFile, 'csv:X2', 'csv:NOPE']);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain('no entity with identifier csv:NOPE');
    expect((await runCli(['resolve'])).code).toBe(2);
  });
});
