// A crafted or hand-edited case database against `changes`: a verdict check that is not one we
// wrote is refused with a message naming the table and row (no stack, no wrong answer); a
// watchlist row naming an entity that does not exist is not recomputed and does not crash; a
// source removal's kept objects naming entities that do not exist move nothing and crash nothing.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runOk } from '../helpers/cli';

const G = path.resolve('test/fixtures/gleif');
const FIX = path.resolve('test/fixtures/changes');

describe('changes on a crafted case database', () => {
  let base = '';
  beforeAll(async () => {
    base = path.join(mkdtempSync(path.join(tmpdir(), 'ownerscope-crafted-changes-')), 'base.db');
    await runOk(['import', '--db', base, path.join(G, 'cases-l1.xml'), path.join(G, 'cases-rr.xml'), path.join(FIX, 'sub-entities.csv'), path.join(FIX, 'sub-links.csv')]);
    await runOk(['watchlist', 'save', 'w', '--db', base, '--input', path.join(FIX, 'portfolio.csv')]);
  });
  const copy = (name: string) => {
    const f = path.join(path.dirname(base), name);
    copyFileSync(base, f);
    return f;
  };

  it('a verdict check that is not JSON, or not a verdict, is refused naming the row', async () => {
    for (const bad of ['{not json', '{"verdict":"maybe","control":{},"lookThrough":{}}', '[]']) {
      const f = copy('bad-check.db');
      const db = new Database(f);
      db.prepare('UPDATE verdict_checks SET result_json = ?').run(bad);
      db.close();
      const r = await runCli(['watchlist', 'show', 'w', '--db', f]);
      expect(r.code, bad).toBe(1);
      expect(r.stderr).toMatch(/verdict_checks row \d+: not a verdict check written by Ownerscope/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a watchlist row naming a missing entity is skipped by the re-check', async () => {
    const f = copy('missing-entity.db');
    const db = new Database(f);
    db.pragma('foreign_keys = OFF');
    db.prepare('UPDATE watchlist_rows SET entity_id = 999999 WHERE row = 2').run();
    db.close();
    const newer = path.join(path.dirname(base), 'newer.xml');
    copyFileSync(path.join(FIX, 'cases-rr-newer-parent.xml'), newer);
    await runOk(['import', '--db', f, newer]);
    const r = await runOk(['changes', '--db', f, '--json']);
    const out = JSON.parse(r.stdout) as { changes: { row?: number }[] };
    // row 3 (the subsidiary) still changes; row 2 names nothing that exists
    expect(out.changes.map((c) => c.row)).toEqual([3]);
  });

  it('a crafted source removal naming missing entities moves nothing', async () => {
    const f = copy('crafted-removal.db');
    const db = new Database(f);
    const state = (db.prepare('SELECT max(id) FROM sources').pluck().get() as number) + 1;
    db.prepare(`INSERT INTO source_removals (state, source_id, file_name, format, sha256, removed_at) VALUES (?, 99, '<img src=x onerror=alert(1)>.csv', 'csv-links', 'x', ?)`)
      .run(state, new Date().toISOString());
    db.prepare(`INSERT INTO source_removal_objects (state, object, key, outcome, entity_id, owner_id, link_kind, text) VALUES (?, 'link', 'k', 'removed', 999999, 999998, 'shares', '\u001b[2J<b>x</b>')`).run(state);
    db.close();
    const r = await runOk(['changes', '--db', f, '--json']);
    const out = JSON.parse(r.stdout) as { changes: unknown[]; since: { removals: { fileName: string }[] }; recheck: { recomputed: number } };
    expect(out.changes).toEqual([]);
    expect(out.since.removals.map((x) => x.fileName)).toEqual(['<img src=x onerror=alert(1)>.csv']);
    expect(out.recheck.recomputed).toBe(0);
    // the next import is numbered above the crafted removal: the data state does not go back
    const next = await runOk(['import', '--db', f, path.join(G, 'cases-repex.xml'), '--json']);
    expect((JSON.parse(next.stdout) as { imported: { sourceId: number }[] }).imported[0]!.sourceId).toBe(state + 1);
  });
});
