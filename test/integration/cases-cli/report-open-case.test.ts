// `report REF` answers the case already open on that subject under that policy instead of
// opening and confirming a second one beside it (issue 15); decisions and notes are attributed to
// a named investigator; the passphrase may come from OWNERSCOPE_PASSPHRASE.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, testUserHome } from '../../helpers/cli';
import { openCaseDb } from '../../../electron/backend/store/db';
import { addNote, caseTimeline, CaseError, decideCase, investigatorName, setInvestigatorName, verifyAuditChain } from '../../../electron/backend/cases';

const FIX = path.resolve('test/fixtures/gleif');
const BASE_FILES = ['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(FIX, f));
const MANAGER = 'lei:MANAGER0000000000616';
const ENV = { OWNERSCOPE_PASSPHRASE: 'open case passphrase' };

/** Runs the CLI (the test's own user folder, plus `env`) and fails unless it exits 0. */
async function ok(args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const r = await runCli(args, { env: { OWNERSCOPE_HOME: testUserHome(), ...options.env } });
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

let dir: string;
let key: string;
const at = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-report-open-'));
  key = at('me.p12');
  await ok(['identity', 'new', '--name', 'A. Investigator', '--out', key, '--key-bits', '2048'], { env: ENV });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CaseJson { id: string; status: string; decision: { kind: string; decidedBy: string; justification: string } | null }
const cases = async (db: string) => json<{ cases: CaseJson[] }>(await ok(['case', 'list', '--db', db, '--json'])).cases;

describe('report REF and the open case', () => {
  it('signs the undecided case `case new` opened, confirming it in the signer\'s name', async () => {
    const db = at('undecided.db');
    await ok(['import', '--db', db, ...BASE_FILES]);
    await ok(['case', 'new', '--db', db, MANAGER]);
    const r = json<{ caseId: string; caseCreated: boolean; decision: string }>(await ok(['report', '--db', db, MANAGER, '--out', at('u.pdf'), '--key', key, '--json'], { env: ENV }));
    expect(r).toMatchObject({ caseId: 'C-0001', caseCreated: false, decision: 'confirm' });
    const list = await cases(db);
    expect(list.map((c) => [c.id, c.status])).toEqual([['C-0001', 'reported']]);
    expect(list[0]!.decision).toMatchObject({ kind: 'confirm', decidedBy: 'A. Investigator' });
  });

  it('signs a decided open case as decided (its override stays), and opens a new case once it is reported', async () => {
    const db = at('decided.db');
    await ok(['import', '--db', db, ...BASE_FILES]);
    await ok(['case', 'new', '--db', db, MANAGER]);
    await ok(['case', 'decide', '--db', db, 'C-0001', '--override', 'indeterminate', '--why', 'The state holding is disputed.', '--actor', 'B. Reviewer']);
    const first = json<{ caseId: string; caseCreated: boolean; verdict: string; decision: string }>(await ok(['report', '--db', db, MANAGER, '--out', at('d1.pdf'), '--key', key, '--json'], { env: ENV }));
    expect(first).toMatchObject({ caseId: 'C-0001', caseCreated: false, verdict: 'indeterminate', decision: 'override' });
    // reported: the question is answered; a new report is a new case
    const second = json<{ caseId: string; caseCreated: boolean }>(await ok(['report', '--db', db, MANAGER, '--out', at('d2.pdf'), '--key', key, '--json'], { env: ENV }));
    expect(second).toMatchObject({ caseId: 'C-0002', caseCreated: true });
  });

  it('another policy or date is another question: a new case', async () => {
    const db = at('policy.db');
    await ok(['import', '--db', db, ...BASE_FILES]);
    await ok(['case', 'new', '--db', db, MANAGER]);
    const r = json<{ caseId: string; caseCreated: boolean }>(await ok(['report', '--db', db, MANAGER, '--as-of', '2020-01-01', '--out', at('p.pdf'), '--key', key, '--json'], { env: ENV }));
    expect(r).toMatchObject({ caseId: 'C-0002', caseCreated: true });
    expect((await cases(db)).map((c) => c.status)).toEqual(['open', 'reported']);
  });

  it('without a passphrase file, variable or terminal, report is a usage error and writes nothing', async () => {
    const db = at('nopass.db');
    await ok(['import', '--db', db, ...BASE_FILES]);
    const r = await runCli(['report', '--db', db, MANAGER, '--out', at('n.pdf'), '--key', key], { env: { OWNERSCOPE_HOME: testUserHome(), OWNERSCOPE_PASSPHRASE: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--passphrase-file FILE or set OWNERSCOPE_PASSPHRASE/);
    expect(await cases(db)).toEqual([]);
  });
});

describe('a named investigator for every decision and note', () => {
  it('refuses a decision or note without a name, and a confirmation without a reason', async () => {
    const file = at('named.db');
    await ok(['import', '--db', file, ...BASE_FILES]);
    await ok(['case', 'new', '--db', file, MANAGER]);
    const db = openCaseDb(file);
    try {
      for (const nobody of [null, '', '  ', '-']) {
        expect(() => decideCase(db, 'C-0001', { kind: 'confirm', justification: 'Checked.' }, nobody)).toThrow(/named investigator/);
        expect(() => addNote(db, 'C-0001', 'A note.', nobody)).toThrow(/named investigator/);
      }
      expect(() => decideCase(db, 'C-0001', { kind: 'confirm' }, 'A. Li')).toThrow(CaseError);
      expect(() => decideCase(db, 'C-0001', { kind: 'confirm', justification: ' ' }, 'A. Li')).toThrow(/justification/);
      const d = decideCase(db, 'C-0001', { kind: 'confirm', justification: 'Checked the chain.' }, 'A. Li');
      expect(d.decision).toMatchObject({ decidedBy: 'A. Li', justification: 'Checked the chain.' });
      // the name given once for a database is an audit entry; the newest one counts
      expect(investigatorName(db)).toBeNull();
      setInvestigatorName(db, 'Mira Okafor');
      setInvestigatorName(db, 'Mira Okafor'); // unchanged: not logged twice
      setInvestigatorName(db, 'Mira O. Okafor');
      expect(investigatorName(db)).toBe('Mira O. Okafor');
      expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'investigator.name'").get()).toEqual({ n: 2 });
      expect(() => setInvestigatorName(db, '-')).toThrow(CaseError);
      expect(verifyAuditChain(db).problems).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('the case timeline reads the audit log in words', async () => {
    const file = at('timeline.db');
    await ok(['import', '--db', file, ...BASE_FILES]);
    await ok(['case', 'new', '--db', file, MANAGER, '--actor', 'A. Li']);
    await ok(['case', 'note', '--db', file, 'C-0001', 'Asked for the register.', '--actor', 'A. Li']);
    await ok(['case', 'decide', '--db', file, 'C-0001', '--override', 'clear', '--why', 'Sold in 2024.', '--actor', 'A. Li']);
    const db = openCaseDb(file);
    try {
      const t = caseTimeline(db, 'C-0001');
      expect(t.map((e) => e.kind)).toEqual(['opened', 'verdict', 'note', 'decision']);
      expect(t.map((e) => e.text)).toEqual([
        // the case's subject reference is its first identifier
        'Case opened on Atlas Asset Management Limited (gb-coh:01234567) under the policy Restricted regions (>50%)',
        expect.stringMatching(/^Verdict computed: RESTRICTED as of \d{4}-\d{2}-\d{2}$/),
        'Note: Asked for the register.',
        'Overridden: RESTRICTED → CLEAR: Sold in 2024.',
      ]);
      expect(new Set(t.map((e) => e.actor))).toEqual(new Set(['A. Li']));
    } finally {
      db.close();
    }
  });
});
