// `changes` after `sources remove`: the removal is a step of the data state. Cases are opened on
// the data a newer GLEIF relationship file brought (Lapsed But Alive LLC gets a CN parent, so it
// and its subsidiary are restricted); removing that file brings their verdicts back, and `changes`
// (CLI text, --json, the API's changes.list) lists exactly them and the watchlist rows on them,
// with the "source removed" facts naming the source. A case that did not use the file is not listed.
// A removed file whose link an earlier file also stated falls back to that statement ("fell back").
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/api/backend';
import { callBackend } from '../../../electron/backend/api/dispatch';
import { browserHost } from '../../../electron/backend/http/host';
import type { ChangesResult, VerdictChange } from '../../../electron/backend/changes';
import { json, runOk } from '../../helpers/cli';

const GLEIF = path.resolve('test/fixtures/gleif');
const FIX = path.resolve('test/fixtures/changes');
const LAPSED = 'lei:LAPSED00000000001226';
const SUB = 'gb-coh:09999999';
const HKSUB = 'lei:HKSUB000000000000283';
const NEW_LINK = 'gleif-rr|LAPSED00000000001226|ZJPARENT000000000187|IS_DIRECTLY_CONSOLIDATED_BY';
const OLD_LINK = 'gleif-rr|LAPSED00000000001226|RUHEAD00000000000414|IS_DIRECTLY_CONSOLIDATED_BY';

type Out = ChangesResult & { recheck: { recomputed: number } };
const who = (c: VerdictChange) => (c.target === 'case' ? `case ${c.caseId}` : `watchlist ${c.watchlist} row ${c.row}`);

describe('changes after a source is removed', () => {
  let dir = '';
  let db = '';
  let newer = '';
  let newerId = 0;
  let removal: { removed: { sourceId: number; fileName: string }; changes?: { watched: number; verdictsChanged: number } };
  const caseOf: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ownerscope-removed-'));
    db = path.join(dir, 'case.db');
    newer = path.join(dir, '20240608-gleif-rr.xml');
    copyFileSync(path.join(FIX, 'cases-rr-newer-parent.xml'), newer);
    await runOk(['import', '--db', db, ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(GLEIF, f)), path.join(FIX, 'sub-entities.csv'), path.join(FIX, 'sub-links.csv')]);
    // the second import: the newer relationship file, which the cases below are decided on
    newerId = json<{ imported: { sourceId: number }[] }>(await runOk(['import', '--db', db, newer, '--json'])).imported[0]!.sourceId;
    for (const ref of [LAPSED, SUB, HKSUB]) caseOf[ref] = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, ref, '--json'])).case.id;
    await runOk(['case', 'decide', '--db', db, caseOf[SUB]!, '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
    await runOk(['case', 'decide', '--db', db, caseOf[HKSUB]!, '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
    await runOk(['watchlist', 'save', 'portfolio', '--db', db, '--input', path.join(FIX, 'portfolio.csv')]);
    expect(json<Out>(await runOk(['changes', '--db', db, '--json'])).changes).toEqual([]);
    removal = json(await runOk(['sources', 'remove', '--db', db, String(newerId), '--actor', 'A. Li', '--json']));
  });

  it('the removal re-checks the watched verdicts at once and says how many moved', () => {
    // 3 cases + the watchlist's 6 rows; the 4 that moved: Lapsed and its subsidiary, as cases and as rows
    expect(removal.changes).toEqual({ watched: 9, verdictsChanged: 4 });
    expect(removal.removed).toMatchObject({ sourceId: newerId, fileName: '20240608-gleif-rr.xml' });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists exactly the cases and rows whose verdict used the removed source, with the "source removed" facts', async () => {
    const r = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(r.since.sources).toEqual([]);
    expect(r.since.removals).toEqual([
      expect.objectContaining({ id: newerId, fileName: '20240608-gleif-rr.xml', format: 'gleif-rr-xml', state: newerId + 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(r.checkedThrough).toBe(newerId + 1);
    // the case on Hong Kong Sub (decided, its ancestors untouched by the file) is not listed
    expect(r.changes.map(who).sort()).toEqual([`case ${caseOf[LAPSED]}`, `case ${caseOf[SUB]}`, 'watchlist portfolio row 2', 'watchlist portfolio row 3'].sort());
    for (const c of r.changes) {
      expect([c.before.verdict, c.after.verdict], who(c)).toEqual(['restricted', 'indeterminate']);
      expect(c.facts.every((f) => f.change === 'source removed'), who(c)).toBe(true);
      const added = c.facts.find((f) => f.key === NEW_LINK)!;
      expect(added).toMatchObject({
        object: 'link',
        outcome: 'removed',
        entity: { name: 'Lapsed But Alive LLC' },
        owner: { name: '浙江测试控股集团有限公司' },
        source: { id: newerId, fileName: '20240608-gleif-rr.xml', recordRef: 'line 207' },
        removedSource: { id: newerId, fileName: '20240608-gleif-rr.xml', format: 'gleif-rr-xml' },
      });
      expect(added.text).toBe('浙江测试控股集团有限公司 → Lapsed But Alive LLC: IS_DIRECTLY_CONSOLIDATED_BY (no other source states it)');
      // the parent the newer file no longer stated kept its facts (docs/DATABASE.md "No longer
      // stated"), and the records it restated as they were keep theirs: neither is a change
      expect(c.facts.map((f) => f.key)).not.toContain(OLD_LINK);
      expect(c.facts).toHaveLength(1);
    }
    // Lapsed Sub Ltd was decided on the restricted verdict: stale. Hong Kong Sub is not.
    expect(r.staleCases).toEqual([caseOf[SUB]]);
  });

  it('the text names the removed source and what became of each fact', async () => {
    const text = (await runOk(['changes', '--db', db])).stdout;
    expect(text).toContain(`4 verdict(s) changed since source ${newerId + 1} (removed: source ${newerId} 20240608-gleif-rr.xml)`);
    expect(text).toContain('restricted → indeterminate');
    expect(text).toMatch(/source removed: 浙江测试控股集团有限公司 → Lapsed But Alive LLC.* \(no other source states it\) \[removed source \d+ 20240608-gleif-rr\.xml \(gleif-rr-xml\) line 207\]/);
    expect(text).not.toContain('Hong Kong Sub');
  });

  it('the API lists the same (changes.list)', async () => {
    const host = browserHost();
    const backend = new Backend({ dataDir: path.join(dir, 'home'), host });
    try {
      const call = async <T,>(m: Parameters<typeof callBackend>[1], i: unknown): Promise<T> => {
        const r = await callBackend(backend, m, i as never);
        if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
        return r.value as T;
      };
      await call('case.open', { path: db });
      const api = await call<ChangesResult>('changes.list', {});
      const cli = json<Out>(await runOk(['changes', '--db', db, '--json']));
      const { recheck: _r, ...same } = cli;
      expect(api).toEqual(same);
      expect(api.changes.flatMap((c) => c.facts.map((f) => f.removedSource?.fileName))).toContain('20240608-gleif-rr.xml');
    } finally {
      await backend.dispose();
    }
  });

  it('a source imported after the removal gets a higher id: data states only grow', async () => {
    const again = json<{ imported: { sourceId: number }[] }>(await runOk(['import', '--db', db, newer, '--again', '--json'])).imported[0]!.sourceId;
    expect(again).toBe(newerId + 2);
    const r = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(r.since.sources.map((s) => s.id)).toEqual([again]);
    expect(r.since.removals).toEqual([]);
    expect(r.changes.map(who)).toHaveLength(4);
    for (const c of r.changes) expect([c.before.verdict, c.after.verdict]).toEqual(['indeterminate', 'restricted']);
    // --since the removed source's id widens the window to the removal and the import after it
    const both = json<Out>(await runOk(['changes', '--db', db, '--since', String(newerId + 1), '--json']));
    expect(both.since.removals.map((x) => x.id)).toEqual([newerId]);
    // restricted before the removal, restricted again now: nothing moved across both steps
    expect(both.changes).toEqual([]);
  });
});

describe('a removed source whose fact another source also stated: it falls back', () => {
  let dir = '';
  let db = '';
  let csvLinks = 0;
  let lower = 0;
  let subCase = '';
  let hkCase = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ownerscope-fellback-'));
    db = path.join(dir, 'case.db');
    const newer = path.join(dir, '20240608-gleif-rr.xml');
    copyFileSync(path.join(FIX, 'cases-rr-newer-parent.xml'), newer);
    // the same CSV link (same natural key) restated with a 40% share by a later file
    const restated = path.join(dir, 'sub-links-2024.csv');
    writeFileSync(restated, 'owner_ref,owned_ref,kind,share_exact,stated\nlei:LAPSED00000000001226,gb-coh:09999999,shares,40,40% of the shares\n');
    const first = json<{ imported: { sourceId: number; file: string }[] }>(
      await runOk(['import', '--db', db, ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(GLEIF, f)), path.join(FIX, 'sub-entities.csv'), path.join(FIX, 'sub-links.csv'), newer, '--json']),
    );
    csvLinks = first.imported.find((r) => r.file === 'sub-links.csv')!.sourceId;
    lower = json<{ imported: { sourceId: number }[] }>(await runOk(['import', '--db', db, restated, '--json'])).imported[0]!.sourceId;
    subCase = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, SUB, '--json'])).case.id;
    hkCase = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, HKSUB, '--json'])).case.id;
    await runOk(['sources', 'remove', '--db', db, String(lower)]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the case whose verdict moved, with the link falling back to the earlier file', async () => {
    const r = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(r.changes.map(who)).toEqual([`case ${subCase}`]);
    expect(r.changes.map(who)).not.toContain(`case ${hkCase}`);
    const [c] = r.changes;
    // 40% from a restricted parent is not a majority; 100% again is
    expect([c!.before.verdict, c!.after.verdict]).toEqual(['indeterminate', 'restricted']);
    expect(c!.facts).toEqual([
      expect.objectContaining({
        change: 'source removed',
        object: 'link',
        outcome: 'fell back',
        fellBackTo: { id: csvLinks, fileName: 'sub-links.csv' },
        removedSource: expect.objectContaining({ id: lower, fileName: 'sub-links-2024.csv', format: 'csv-links' }),
        source: { id: lower, fileName: 'sub-links-2024.csv', recordRef: 'row 2' },
        text: `Lapsed But Alive LLC → Lapsed Sub Ltd: 40% of the shares (source ${csvLinks} (sub-links.csv) states it again)`,
      }),
    ]);
  });
});
