// Migration 007 (history without copies) upgrades case databases in place: a database written by
// the schema-6 code (test/fixtures/cases/schema6.db, PROVENANCE.md) keeps its facts, history,
// cases, decisions, resolution decisions and audit chain, and every fixture's verdicts stay what
// the schema-6 code computed (test/fixtures/cases/verdicts-before-007/).
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, openCaseDb } from '../../../electron/backend/store/db';
import { contentReader } from '../../../electron/backend/store/history';
import { importFiles } from '../../../electron/backend/import/runner';
import { json, runCli, runOk } from '../../helpers/cli';

const FIXTURES = path.resolve('test/fixtures/cases');
const PRESETS = ['restricted-regions', 'ofac-50', 'eu-50', 'uk-ofsi', 'bis-affiliates'];

function copyOf(name: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ownerscope-m007-')), name);
  copyFileSync(path.join(FIXTURES, name), file);
  return file;
}

/** The schema-6 tables as they are in the fixture, read without upgrading it. */
function readOld(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      history: db.prepare('SELECT id, object, object_key, source_id, record_ref, action, content FROM record_history ORDER BY id').all() as {
        id: number; object: string; object_key: string; source_id: number; record_ref: string; action: string; content: string;
      }[],
      facts: snapshot(db),
    };
  } finally {
    db.close();
  }
}

function snapshot(db: Database.Database) {
  const q = (sql: string) => db.prepare(sql).all();
  return {
    sources: q('SELECT * FROM sources ORDER BY id'),
    entities: q('SELECT id, kind, name, status, registration_status, category, topics, is_placeholder, source_id, record_ref, record_key FROM entities ORDER BY id'),
    identifiers: q('SELECT * FROM identifiers ORDER BY scheme, value'),
    names: q('SELECT * FROM entity_names ORDER BY id'),
    countries: q('SELECT * FROM entity_countries ORDER BY id'),
    links: q('SELECT * FROM links ORDER BY id'),
    markers: q('SELECT * FROM undisclosed ORDER BY id'),
    cases: q('SELECT * FROM cases ORDER BY id'),
    notes: q('SELECT * FROM case_notes ORDER BY id'),
    evidence: q('SELECT id, case_id, sha256, content FROM case_evidence_files ORDER BY id'),
    reports: q('SELECT * FROM case_reports ORDER BY id'),
    audit: q('SELECT * FROM audit_log ORDER BY seq'),
    decisions: q('SELECT * FROM resolution_decisions ORDER BY id'),
  };
}

describe('migration 007 on a schema-6 case database', () => {
  it('keeps facts, cases, decisions, resolution decisions, the audit chain and every statement of the history', async () => {
    const file = copyOf('schema6.db');
    const old = readOld(file);
    expect(old.version).toBe(6);
    expect(old.history.length).toBe(126);
    const db = openCaseDb(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
      expect(snapshot(db)).toEqual(old.facts);
      // every statement keeps its id, key, source, record and action
      const now = db.prepare('SELECT id, object, object_key, source_id, record_ref, action, content_id FROM record_history ORDER BY id').all() as {
        id: number; object: string; object_key: string; source_id: number; record_ref: string; action: string; content_id: number | null;
      }[];
      expect(now.map(({ content_id: _, ...r }) => r)).toEqual(old.history.map(({ content: _, ...r }) => r));
      // and what each said, stored once per distinct content of its key
      const read = contentReader(db);
      for (let i = 0; i < now.length; i++) {
        const o = old.history[i]!;
        if (o.action === 'delete') expect(now[i]!.content_id).toBeNull();
        else expect(JSON.parse(read(now[i]!.content_id)!)).toEqual({ ...JSON.parse(o.content), recordRef: undefined });
      }
      const distinct = db.prepare('SELECT count(DISTINCT content) n FROM record_statements').get() as { n: number };
      expect(distinct.n).toBeLessThan(old.history.filter((h) => h.action !== 'delete').length);
      expect(db.prepare('SELECT count(*) n FROM sqlite_schema WHERE name = ?').get('record_history_006')).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const verify = json<{ verification: { isValid: boolean; count: number } }>(await runCli(['audit', '--db', file, '--verify', '--json']));
    expect(verify.verification).toMatchObject({ isValid: true, count: 28 });
    expect((await runOk(['case', 'list', '--db', file])).stdout).toContain('C-0004');
  });

  it.each([['schema6.db'], ['legacy.db']])('%s: every preset screens every entity as the schema-6 code did', async (name) => {
    const file = copyOf(name);
    const base = name.replace('.db', '');
    for (const policy of PRESETS) {
      const out = path.join(path.dirname(file), `${policy}.csv`);
      await runOk(['screen', '--db', file, '--all', '--policy', policy, '--as-of', '2026-11-25', '--out', out]);
      // the verdict columns the schema-6 code wrote (later versions add columns beside them and fill
      // `identifiers`, which the schema-6 code left empty for --all)
      const table = (text: string) => Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
      const before = table(readFileSync(path.join(FIXTURES, 'verdicts-before-007', `${base}-${policy}.csv`), 'utf8'));
      const cols = Object.keys(before[0]!).filter((c) => c !== 'identifiers');
      const pick = (rows: Record<string, string>[]) => rows.map((r) => cols.map((c) => r[c]));
      expect(pick(table(readFileSync(out, 'utf8'))), policy).toEqual(pick(before));
    }
  });

  it('an upgraded database imports on: the same file again is unchanged, nothing of its content stored twice', async () => {
    const file = copyOf('schema6.db');
    const db = openCaseDb(file);
    try {
      const contents = (db.prepare('SELECT coalesce(sum(count), 0) n FROM record_contents').get() as { n: number }).n;
      // --again: the same bytes are skipped otherwise (re-import by SHA-256)
      const [r] = await importFiles(db, [path.resolve('test/fixtures/gleif/cases-l1.xml')], { again: true });
      expect(r).toMatchObject({ inserted: 0, changed: 0, unchanged: 14 });
      expect((db.prepare('SELECT coalesce(sum(count), 0) n FROM record_contents').get() as { n: number }).n).toBe(contents);
    } finally {
      db.close();
    }
  });
});
