// Issue 14 through the CLI on real GLEIF excerpts (test/fixtures/gleif, copies of the published
// golden-copy excerpts): verdicts that are INDETERMINATE on registry data become RESTRICTED and
// CLEAR with asserted facts, go back after retraction; the data-alone verdict beside them;
// useAssertions false; contradiction with a registry link; bad input exit 2, unknown REF exit 1.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../../helpers/cli';
import { EXCERPTS_AS_OF, EXCERPT_LEI, GLEIF_EXCERPTS } from '../../helpers/gleif-excerpts';

const FILES = GLEIF_EXCERPTS;
const AS_OF = EXCERPTS_AS_OF;
/** GLEIF reporting exception NON_PUBLIC: its parent is withheld */
const WITHHELD = `lei:${EXCERPT_LEI.withheld}`;
/** Swedeit Italian Aktiebolag: no relationship record, no exception */
const SWEDEIT = `lei:${EXCERPT_LEI.swedeit}`;
/** a registry "directly consolidated by" link: ZZG38… consolidates 010CMK… */
const PARENT = `lei:${EXCERPT_LEI.parent}`;
const CHILD = `lei:${EXCERPT_LEI.child}`;

let dir: string;
let db: string;
const at = (f: string) => path.join(dir, f);

interface AssertionJson {
  id: number;
  fact: string;
  status: string;
  entityId: number;
  document: { fileName: string | null; sha256: string; reference: string | null; size: number | null };
  cite: string | null;
  reason: string;
  actor: string | null;
  retractionReason: string | null;
  sourceKind: string;
}
interface VerdictJson {
  verdict: string;
  reasons: string[];
  findings: { kind: string; text: string }[];
  gaps: { kind: string; text: string }[];
  paths: { items: { steps: { links: { assertionId?: number; source: { fileName: string } }[] }[] }[] };
  assertions?: { used: AssertionJson[]; withoutAssertions: { verdict: string }; summary: string };
}

const verdict = async (ref: string, ...extra: string[]) => json<VerdictJson>(await runOk(['verdict', '--db', db, ref, '--as-of', AS_OF, '--json', ...extra]));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-assert-'));
  db = at('case.db');
  await runOk(['import', '--db', db, ...FILES]);
  writeFileSync(at('register.txt'), 'Shareholder register extract, 01370W6ZIY66KQ4J3570, 2023-05-31\nIvan Petrov (RU): 60%\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assert: gap → document → fact → new verdict', () => {
  let holder: AssertionJson;
  let person: string;

  it('registry data alone leaves both subjects INDETERMINATE', async () => {
    for (const ref of [WITHHELD, SWEDEIT]) {
      const v = await verdict(ref);
      expect(v.verdict, v.reasons[0]).toBe('indeterminate');
      expect(v.assertions).toBeUndefined();
    }
  });

  it('the holder of a withheld part, from a stored document, makes the verdict RESTRICTED', async () => {
    const e = json<{ assertion: AssertionJson; ref: string }>(
      await runOk(['assert', 'entity', '--db', db, '--name', 'Ivan Petrov', '--kind', 'person', '--country', 'RU', '--document', at('register.txt'), '--cite', 'p. 1', '--why', 'named as 60% holder', '--actor', 'A. Li', '--json']),
    );
    person = e.ref;
    expect(person).toBe(`asserted:${e.assertion.id}`);
    const l = json<{ assertion: AssertionJson }>(
      await runOk(['assert', 'link', '--db', db, person, WITHHELD, '--share', '60%', '--document', at('register.txt'), '--cite', 'p. 1, line 2', '--why', 'the register names the withheld holder', '--actor', 'A. Li', '--json']),
    );
    holder = l.assertion;
    const sha = createHash('sha256').update(readFileSync(at('register.txt'))).digest('hex');
    expect(holder).toMatchObject({ fact: 'link', status: 'active', cite: 'p. 1, line 2', actor: 'A. Li', sourceKind: 'investigator assertion', document: { fileName: 'register.txt', sha256: sha } });
    // one document, stored once
    expect(e.assertion.document.sha256).toBe(sha);

    const v = await verdict(WITHHELD);
    expect(v.verdict, v.reasons[0]).toBe('restricted');
    expect(v.assertions!.summary).toBe('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
    expect(v.assertions!.withoutAssertions.verdict).toBe('indeterminate');
    expect(v.assertions!.used.map((a) => a.id).sort()).toEqual([e.assertion.id, holder.id].sort());
    expect(v.reasons.join('\n')).toContain('this verdict depends on 2 investigator assertions');
    // the evidence path marks the asserted link and names the document as its source
    const links = v.paths.items.flatMap((p) => p.steps.flatMap((s) => s.links));
    expect(links.find((x) => x.assertionId === holder.id)?.source.fileName).toBe('register.txt');
    // the text output says it too
    expect((await runOk(['verdict', '--db', db, WITHHELD, '--as-of', AS_OF])).stdout).toContain('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
  });

  it('under useAssertions false the same subject reads registry data alone', async () => {
    writeFileSync(at('no-assertions.json'), JSON.stringify({ useAssertions: false }));
    const v = await verdict(WITHHELD, '--policy', at('no-assertions.json'));
    expect(v.verdict).toBe('indeterminate');
    expect(v.assertions).toBeUndefined();
    const bad = await runCli(['verdict', '--db', db, WITHHELD, '--policy', (writeFileSync(at('bad.json'), '{"useAssertions":"yes"}'), at('bad.json'))]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/useAssertions/);
  });

  it('a 100% holder who is a natural person outside the restricted regions makes another verdict CLEAR', async () => {
    const e = json<{ ref: string }>(await runOk(['assert', 'entity', '--db', db, '--name', 'Anita Lindberg', '--kind', 'person', '--country', 'SE', '--reference', 'Bolagsverket extract 556543-1193 (2023-05-02)', '--why', 'sole shareholder', '--json']));
    await runOk(['assert', 'link', '--db', db, e.ref, SWEDEIT, '--share', '100', '--reference', 'Bolagsverket extract 556543-1193 (2023-05-02)', '--cite', 'section Aktieägare', '--why', 'holds every share']);
    const v = await verdict(SWEDEIT);
    expect(v.verdict, v.reasons[0]).toBe('clear');
    expect(v.assertions!.summary).toBe('data alone: INDETERMINATE; with 2 assertions: CLEAR');
  });

  it('retracting keeps the assertion with its reason and the verdict goes back', async () => {
    const r = json<{ assertion: AssertionJson }>(await runOk(['assert', 'retract', '--db', db, String(holder.id), '--why', 'the register extract was superseded', '--json']));
    expect(r.assertion).toMatchObject({ id: holder.id, status: 'retracted', retractionReason: 'the register extract was superseded' });
    const v = await verdict(WITHHELD);
    expect(v.verdict).toBe('indeterminate');
    const list = json<{ assertions: AssertionJson[] }>(await runOk(['assert', 'list', '--db', db, '--json']));
    expect(list.assertions.find((a) => a.id === holder.id)).toMatchObject({ status: 'retracted', retractionReason: 'the register extract was superseded' });
    expect((await runOk(['assert', 'list', '--db', db])).stdout).toMatch(/retracted/);
    const again = await runCli(['assert', 'retract', '--db', db, String(holder.id), '--why', 'twice']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already retracted/);
    // the person it named is still asserted and cannot be retracted while an assertion uses it: here none does any more
    const audit = json<{ entries: { action: string }[] }>(await runOk(['audit', '--db', db, '--json']));
    expect(audit.entries.map((x) => x.action).filter((a) => a.startsWith('assertion.'))).toEqual([
      'assertion.document', 'assertion.add', 'assertion.add', 'assertion.document', 'assertion.add', 'assertion.add', 'assertion.retract',
    ]);
    expect((await runOk(['audit', '--db', db, '--verify'])).code).toBe(0);
  });

  it('an assertion that contradicts a registry link for the same pair is used, with a finding, and both are shown', async () => {
    const before = await verdict(CHILD);
    await runOk(['assert', 'link', '--db', db, PARENT, CHILD, '--kind', 'control', '--reference', 'annual report 2022, note 31', '--why', 'board control, not consolidation']);
    const v = await verdict(CHILD);
    expect(before.findings.some((f) => f.kind === 'assertion-over-registry')).toBe(false);
    const f = v.findings.find((x) => x.kind === 'assertion-over-registry');
    expect(f?.text).toMatch(/rr-cdf21_goldencopy_2023-06-05_excerpt\.xml/);
    expect(f?.text).toMatch(/the assertion is used/);
    const show = await runOk(['show', '--db', db, CHILD, '--json']);
    const owners = (JSON.parse(show.stdout) as { entity: { owners: { source: { fileName: string } }[] } }).entity.owners.map((o) => o.source.fileName);
    expect(owners).toContain('rr-cdf21_goldencopy_2023-06-05_excerpt.xml');
    expect(owners).toContain('annual report 2022, note 31');
  });
});

describe('assert: bad input exit 2 naming the argument, unknown REF exit 1', () => {
  const base = () => ['--db', db, '--reference', 'r', '--why', 'w'];
  it.each([
    [['link', SWEDEIT, WITHHELD, '--share', '(25,50'], /--share/],
    [['link', SWEDEIT, WITHHELD, '--share', '50-25'], /--share.*lower bound/],
    [['link', SWEDEIT, WITHHELD, '--share', '101'], /--share/],
    [['link', SWEDEIT, WITHHELD], /--share is required/],
    [['link', SWEDEIT, WITHHELD, '--share', '10', '--kind', 'loan'], /--kind/],
    [['link', SWEDEIT, WITHHELD, '--share', '10', '--from', '2023-02-31'], /--from/],
    [['location', SWEDEIT, '--country', 'Sweden', '--role', 'headquarters'], /--country/],
    [['location', SWEDEIT, '--country', 'SE', '--role', 'office'], /--role/],
    [['entity', '--name', 'X', '--kind', 'trust'], /--kind/],
    [['entity', '--name', 'X', '--kind', 'company', '--id', 'nocolon'], /--id/],
  ])('%j', async (args, message) => {
    const r = await runCli(['assert', ...args, ...base()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('no document or reference, no reason', async () => {
    const noDoc = await runCli(['assert', 'link', '--db', db, SWEDEIT, WITHHELD, '--share', '10', '--why', 'w']);
    expect(noDoc.code).toBe(2);
    expect(noDoc.stderr).toMatch(/--document FILE and --reference TEXT/);
    const noWhy = await runCli(['assert', 'link', '--db', db, SWEDEIT, WITHHELD, '--share', '10', '--reference', 'r']);
    expect(noWhy.code).toBe(2);
    expect(noWhy.stderr).toMatch(/--why is required/);
  });

  it('accepts every SHARE notation of the contract', async () => {
    for (const share of ['60', '60%', '25-50', '(25,50]']) {
      const r = json<{ assertion: { content: { share: { lo: number; loOpen: boolean; hi: number; hiOpen: boolean } }; id: number } }>(
        await runOk(['assert', 'link', '--db', db, PARENT, SWEDEIT, '--share', share, ...base(), '--json']),
      );
      expect(r.assertion.content.share).toEqual(
        share === '25-50' ? { lo: 250000, loOpen: false, hi: 500000, hiOpen: false } : share === '(25,50]' ? { lo: 250000, loOpen: true, hi: 500000, hiOpen: false } : { lo: 600000, loOpen: false, hi: 600000, hiOpen: false },
      );
      await runOk(['assert', 'retract', '--db', db, String(r.assertion.id), '--why', 'notation test']);
    }
  });

  it('an unknown REF or assertion id exits 1 naming it', async () => {
    const r = await runCli(['assert', 'link', '--db', db, 'lei:NOPE00000000000000X1', SWEDEIT, '--share', '10', ...base()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/OWNER_REF lei:NOPE00000000000000X1/);
    const l = await runCli(['assert', 'location', SWEDEIT.replace('213800', '999999'), '--country', 'SE', '--role', 'headquarters', ...base()]);
    expect(l.code).toBe(1);
    expect(l.stderr).toMatch(/REF lei:999999/);
    const x = await runCli(['assert', 'retract', '--db', db, '9999', '--why', 'w']);
    expect(x.code).toBe(1);
    expect(x.stderr).toMatch(/no assertion 9999/);
    const n = await runCli(['assert', 'retract', '--db', db, 'abc', '--why', 'w']);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/ASSERTION_ID/);
  });
});
