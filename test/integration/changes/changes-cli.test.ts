// `ownerscope changes` and watchlists: a newer GLEIF relationship file changes one parent; exactly
// the cases and watchlist rows whose subject is at or below that entity are listed, with the fact
// and its source, and only those are recomputed.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../../helpers/cli';
import type { ChangesResult, VerdictChange } from '../../../electron/backend/changes';

const GLEIF = path.resolve('test/fixtures/gleif');
const FIX = path.resolve('test/fixtures/changes');
const LAPSED = 'lei:LAPSED00000000001226';
const SUB = 'gb-coh:09999999';
const HKSUB = 'lei:HKSUB000000000000283';
const MANAGER = 'lei:MANAGER0000000000616';

type Out = ChangesResult & { recheck: { recomputed: number; affectedEntities: number; changedObjects: number } };
const who = (c: VerdictChange) => (c.target === 'case' ? `case ${c.caseId}` : `watchlist ${c.watchlist} row ${c.row}`);

describe('changes after a newer GLEIF file', () => {
  let db = '';
  const caseOf: Record<string, string> = {};
  let imported: { changes?: { watched: number; verdictsChanged: number } };

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ownerscope-changes-'));
    db = path.join(dir, 'case.db');
    // the newer file keeps a file name of its own, as a downloaded golden copy would
    const newer = path.join(dir, '20240608-gleif-rr.xml');
    copyFileSync(path.join(FIX, 'cases-rr-newer-parent.xml'), newer);
    await runOk(['import', '--db', db, ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(GLEIF, f)), path.join(FIX, 'sub-entities.csv'), path.join(FIX, 'sub-links.csv')]);
    for (const ref of [LAPSED, SUB, HKSUB, MANAGER]) caseOf[ref] = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, ref, '--json'])).case.id;
    // decided cases: one the change reaches (it goes stale), one it does not
    await runOk(['case', 'decide', '--db', db, caseOf[SUB]!, '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
    await runOk(['case', 'decide', '--db', db, caseOf[HKSUB]!, '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
    const out = path.join(dir, 'results.csv');
    const saved = json<{ watchlist: { rows: number; screened: number } }>(
      await runOk(['screen', '--db', db, '--input', path.join(FIX, 'portfolio.csv'), '--out', out, '--save-watchlist', 'portfolio', '--json']),
    );
    expect(saved.watchlist).toMatchObject({ rows: 6, screened: 5 });
    // nothing imported since: nothing changed
    const quiet = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(quiet.changes).toEqual([]);
    imported = json(await runOk(['import', '--db', db, newer, '--json']));
  });

  it('the import re-screens the watched subjects and says how many verdicts moved', () => {
    // 4 cases + 5 resolved watchlist rows (the unresolved row has no verdict to watch)
    expect(imported.changes).toEqual({ watched: 10, verdictsChanged: 4 });
  });

  it('lists exactly the cases and watchlist rows at or below the changed entity', async () => {
    const r = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(r.since.sources.map((s) => s.fileName)).toEqual(['20240608-gleif-rr.xml']);
    expect(r.changes.map(who).sort()).toEqual(
      [`case ${caseOf[LAPSED]}`, `case ${caseOf[SUB]}`, 'watchlist portfolio row 2', 'watchlist portfolio row 3'].sort(),
    );
    for (const c of r.changes) {
      expect(c.before.verdict, who(c)).toBe('indeterminate');
      expect(c.after.verdict, who(c)).toBe('restricted');
      expect(c.after.control.verdict).toBe('restricted');
      expect(c.after.lookThrough.verdict).toBe('restricted');
      // the newer full golden copy states the new parent and no longer states the old one (its
      // facts stay: docs/DATABASE.md "No longer stated")
      expect(c.facts.map((f) => f.change).sort()).toEqual(['link added', 'link no longer stated']);
      expect(c.facts.find((f) => f.change === 'link no longer stated')!.key).toBe('gleif-rr|LAPSED00000000001226|RUHEAD00000000000414|IS_DIRECTLY_CONSOLIDATED_BY');
      expect(c.facts.filter((f) => f.change === 'link added')).toEqual([
        expect.objectContaining({
          change: 'link added',
          object: 'link',
          key: 'gleif-rr|LAPSED00000000001226|ZJPARENT000000000187|IS_DIRECTLY_CONSOLIDATED_BY',
          entity: expect.objectContaining({ name: 'Lapsed But Alive LLC' }),
          source: expect.objectContaining({ fileName: '20240608-gleif-rr.xml', recordRef: 'line 207' }),
        }),
      ]);
      expect(c.facts.find((f) => f.change === 'link added')!.text).toContain('浙江测试控股集团有限公司 → Lapsed But Alive LLC');
    }
    // the decided case whose verdict moved is stale; the open one and the unaffected decided one are not
    const sub = r.changes.find((c) => c.caseId === caseOf[SUB])!;
    expect(sub.stale).toBe(true);
    expect(r.changes.find((c) => c.caseId === caseOf[LAPSED])!.stale).toBe(false);
    expect(r.staleCases).toEqual([caseOf[SUB]]);
  });

  it('recomputes only the affected subjects', async () => {
    // the re-check ran with the import; `changes` has no new source to apply
    const r = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(r.recheck.recomputed).toBe(0);
    // the import's own re-check: 1 changed object, reaching Lapsed and its subsidiary: 2 cases + 2 rows
    const log = await import('../../../electron/backend/store/db').then(({ openCaseDb }) => {
      const d = openCaseDb(db, { readonly: true });
      try {
        return d.prepare('SELECT affected_entities AS a, recomputed AS n FROM change_checks ORDER BY id DESC LIMIT 1').get() as { a: number; n: number };
      } finally {
        d.close();
      }
    });
    expect(log).toEqual({ a: 2, n: 4 });
  });

  it('--since a source or a date widens or narrows the window; the text names case, rows, fact and source', async () => {
    const all = json<Out>(await runOk(['changes', '--db', db, '--since', '1', '--json']));
    // since the first source every watched subject was created later: nothing was checked before it
    expect(all.changes).toEqual([]);
    const bySource = json<Out>(await runOk(['changes', '--db', db, '--since', String(all.checkedThrough), '--json']));
    expect(bySource.changes).toHaveLength(4);
    expect(json<Out>(await runOk(['changes', '--db', db, '--since', '2999-01-01', '--json'])).changes).toEqual([]);
    const text = (await runOk(['changes', '--db', db])).stdout;
    expect(text).toContain('4 verdict(s) changed since source');
    expect(text).toContain(`case ${caseOf[SUB]} (decided, stale: decide again): Lapsed Sub Ltd`);
    expect(text).toContain('watchlist portfolio row 3 (gb-coh:09999999)');
    expect(text).toContain('indeterminate → restricted');
    expect(text).toContain('link added: 浙江测试控股集团有限公司 → Lapsed But Alive LLC');
    expect(text).toContain('[20240608-gleif-rr.xml line 207, source');
    expect(text).not.toContain('Pearl Harbour');
    expect(text).not.toContain('Atlas Asset Management');
  });

  it('watchlist show gives each row its latest verdict', async () => {
    const w = json<{ rows: { row: number; latest: { verdict: string } | null }[] }>(await runOk(['watchlist', 'show', 'portfolio', '--db', db, '--json']));
    expect(w.rows.map((r) => [r.row, r.latest?.verdict ?? null])).toEqual([
      [2, 'restricted'], [3, 'restricted'], [4, 'restricted'], [5, 'restricted'], [6, 'clear'], [7, null],
    ]);
  });

  it('deciding the stale case again clears the mark (the change stays listed)', async () => {
    await runOk(['case', 'decide', '--db', db, caseOf[SUB]!, '--override', 'restricted', '--why', 'new parent in CN']);
    const r = json<Out>(await runOk(['changes', '--db', db, '--json']));
    expect(r.staleCases).toEqual([]);
    expect(r.changes.find((c) => c.caseId === caseOf[SUB])!.stale).toBe(false);
    expect(r.changes).toHaveLength(4);
  });

  it('bad arguments exit 2, an unknown source or watchlist 1', async () => {
    const bad = await runCli(['changes', '--db', db, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since');
    const missing = await runCli(['changes', '--db', db, '--since', '999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no source 999');
    expect((await runCli(['watchlist', 'show', 'nope', '--db', db])).code).toBe(1);
    expect((await runCli(['watchlist', '--db', db])).code).toBe(2);
    const all = await runCli(['screen', '--db', db, '--all', '--out', path.join(tmpdir(), 'x.csv'), '--save-watchlist', 'w']);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('--save-watchlist');
  });
});
