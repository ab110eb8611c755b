// Issue 14, `assert kind` and `assert listed` through the CLI on the real GLEIF excerpts
// (test/fixtures/gleif): an entity's kind (a state body, a state) and a listing (a sanctions list
// with its topics) change verdicts under the policies that read them, the verdict names the
// assertion it used, and a retraction takes the verdict back. Bad input exit 2 naming the
// argument, an unknown REF exit 1 naming it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../../helpers/cli';
import { EXCERPTS_AS_OF, EXCERPT_LEI, GLEIF_EXCERPTS } from '../../helpers/gleif-excerpts';

const FILES = GLEIF_EXCERPTS;
const AS_OF = EXCERPTS_AS_OF;
/** Swedeit Italian Aktiebolag (SE): no relationship record, no exception: its owners are unknown */
const SWEDEIT = `lei:${EXCERPT_LEI.swedeit}`;
/** ESG DOMESTIC OPPORTUNITY OFFSHORE FUND LTD.: jurisdiction and legal address KY, headquarters CW */
const ESG = `lei:${EXCERPT_LEI.esg}`;
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
  content: { fact: string; kind?: string; list?: string; topics?: string[] };
  document: { fileName: string | null; reference: string | null };
  cite: string | null;
  reason: string;
  text: string;
  sourceKind: string;
}
interface VerdictJson {
  verdict: string;
  reasons: string[];
  findings: { kind: string; text: string }[];
  gaps: { kind: string; text: string }[];
  paths: { items: { origin: { id: number; why: string; assertionIds?: number[] } }[] };
  assertions?: { used: AssertionJson[]; withoutAssertions: { verdict: string }; summary: string };
}

const verdict = async (ref: string, ...extra: string[]) => json<VerdictJson>(await runOk(['verdict', '--db', db, ref, '--as-of', AS_OF, '--json', ...extra]));
const policy = (name: string, p: object) => (writeFileSync(at(name), JSON.stringify(p)), at(name));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-assert-kind-'));
  db = at('case.db');
  await runOk(['import', '--db', db, ...FILES]);
  writeFileSync(at('gazette.txt'), 'Official gazette 2023/118: Swedeit Italian Aktiebolag is an agency of the Swedish state.\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assert kind', () => {
  it('a state body whose owners are not stated is judged by its own location: INDETERMINATE → CLEAR → back after retraction', async () => {
    const before = await verdict(SWEDEIT);
    expect(before.verdict, before.reasons[0]).toBe('indeterminate');
    expect(before.gaps.map((g) => g.kind)).toEqual(['undisclosed-owner']);

    const r = json<{ assertion: AssertionJson }>(
      await runOk(['assert', 'kind', '--db', db, SWEDEIT, '--kind', 'state-body', '--document', at('gazette.txt'), '--cite', 'p. 3', '--why', 'the gazette names it a state agency', '--actor', 'A. Li', '--json']),
    );
    expect(r.assertion).toMatchObject({ fact: 'kind', status: 'active', content: { fact: 'kind', kind: 'state-body' }, cite: 'p. 3', sourceKind: 'investigator assertion', document: { fileName: 'gazette.txt' } });
    expect(r.assertion.text).toMatch(/Swedeit Italian Aktiebolag \(#\d+\) is a state body/);
    // the text output names it too
    expect((await runOk(['assert', 'list', '--db', db])).stdout).toMatch(/kind.*active.*gazette\.txt.*is a state body/);

    const v = await verdict(SWEDEIT);
    expect(v.verdict, v.reasons[0]).toBe('clear');
    expect(v.gaps).toEqual([]);
    expect(v.findings.map((f) => f.kind)).toContain('state-body-held-by-state');
    expect(v.assertions!.summary).toBe('data alone: INDETERMINATE; with 1 assertion: CLEAR');
    expect(v.assertions!.used.map((a) => a.id)).toEqual([r.assertion.id]);
    expect(v.reasons.join('\n')).toContain('this verdict depends on 1 investigator assertion');
    // useAssertions false: registry data alone
    expect((await verdict(SWEDEIT, '--policy', policy('no-assertions.json', { useAssertions: false }))).verdict).toBe('indeterminate');

    await runOk(['assert', 'retract', '--db', db, String(r.assertion.id), '--why', 'the gazette entry was about another company']);
    const after = await verdict(SWEDEIT);
    expect(after.verdict).toBe('indeterminate');
    expect(after.assertions).toBeUndefined();
  });

  it('a state is located in every one of its countries: under a policy restricting KY by headquarters only, a state of KY is an origin', async () => {
    const ky = policy('ky.json', { restrictedCountries: ['KY'], locateBy: ['headquarters'] });
    // headquartered in CW, so not located in KY under this policy; its owners are unknown
    const before = await verdict(ESG, '--policy', ky);
    expect(before.verdict, before.reasons[0]).toBe('indeterminate');
    const r = json<{ assertion: AssertionJson }>(await runOk(['assert', 'kind', '--db', db, ESG, '--kind', 'state', '--reference', 'test: the entity read as a state', '--why', 'exercise the state rule', '--json']));
    const v = await verdict(ESG, '--policy', ky);
    expect(v.verdict, v.reasons[0]).toBe('restricted');
    expect(v.reasons[0]).toMatch(/is itself a restricted origin \(a state, located in KY\)/);
    expect(v.assertions!.summary).toBe('data alone: INDETERMINATE; with 1 assertion: RESTRICTED');
    expect(v.assertions!.used.map((a) => a.id)).toEqual([r.assertion.id]);
    await runOk(['assert', 'retract', '--db', db, String(r.assertion.id), '--why', 'done']);
    expect((await verdict(ESG, '--policy', ky)).verdict).toBe('indeterminate');
  });
});

describe('assert listed', () => {
  it('a listed parent makes its consolidated subsidiary RESTRICTED under eu-50; retraction takes it back', async () => {
    const eu = policy('eu.json', { preset: 'eu-50' });
    const before = await verdict(CHILD, '--policy', eu);
    expect(before.verdict, before.reasons[0]).toBe('indeterminate');
    expect(before.gaps.map((g) => g.kind)).toContain('no-list');

    const r = json<{ assertion: AssertionJson }>(
      await runOk(['assert', 'listed', '--db', db, PARENT, '--list', 'EU consolidated financial sanctions list', '--reference', 'EU FSF entry EU.1234.56 (2023-05-30)', '--cite', 'entry 1234', '--why', 'the LEI is named in the entry', '--json']),
    );
    // without --topic: `sanction`, the topic of the presets ofac-50, eu-50 and uk-ofsi
    expect(r.assertion).toMatchObject({ fact: 'listed', content: { list: 'EU consolidated financial sanctions list', topics: ['sanction'] } });
    expect(r.assertion.text).toMatch(/is listed on EU consolidated financial sanctions list \(sanction\)/);

    const v = await verdict(CHILD, '--policy', eu);
    expect(v.verdict, v.reasons[0]).toBe('restricted');
    expect(v.assertions!.summary).toBe('data alone: INDETERMINATE; with 1 assertion: RESTRICTED');
    expect(v.assertions!.used.map((a) => a.id)).toEqual([r.assertion.id]);
    // the evidence path starts at the listed parent
    const origin = v.paths.items[0]!.origin;
    expect(origin.why).toMatch(/carries restricted list topic "sanction"/);
    // and names the assertion that makes it one, in the JSON and in the text
    expect(origin.assertionIds).toEqual([r.assertion.id]);
    expect((await runOk(['verdict', '--db', db, CHILD, '--as-of', AS_OF, '--policy', eu])).stdout).toContain(`carries restricted list topic "sanction"; asserted by investigator: assertion ${r.assertion.id})`);
    // one asserted listing is not a list consulted: the no-list gap stays (it cannot make a verdict CLEAR)
    expect(v.gaps.map((g) => g.kind)).toContain('no-list');
    // a policy reading another topic is not affected
    const bis = policy('bis.json', { preset: 'bis-affiliates' });
    expect((await verdict(CHILD, '--policy', bis)).verdict).toBe('indeterminate');

    await runOk(['assert', 'retract', '--db', db, String(r.assertion.id), '--why', 'delisted on 2023-06-01']);
    const after = await verdict(CHILD, '--policy', eu);
    expect(after.verdict).toBe('indeterminate');
    expect(after.paths.items.every((p) => p.origin.assertionIds === undefined)).toBe(true);
    expect(after.assertions).toBeUndefined();
  });

  it('--topic sets the topics the listing adds: export.control makes the parent an origin under bis-affiliates', async () => {
    const bis = policy('bis.json', { preset: 'bis-affiliates' });
    const r = json<{ assertion: AssertionJson }>(
      await runOk(['assert', 'listed', '--db', db, PARENT, '--list', 'BIS Entity List', '--topic', 'export.control', '--topic', 'sanction', '--reference', '15 CFR 744 Supplement 4', '--why', 'named on the Entity List', '--json']),
    );
    expect(r.assertion.content.topics).toEqual(['export.control', 'sanction']);
    const v = await verdict(PARENT, '--policy', bis);
    expect(v.verdict, v.reasons[0]).toBe('restricted');
    expect(v.reasons[0]).toMatch(/export\.control/);
    await runOk(['assert', 'retract', '--db', db, String(r.assertion.id), '--why', 'done']);
    expect((await verdict(PARENT, '--policy', bis)).verdict).toBe('indeterminate');
  });
});

describe('assert kind / listed: bad input exit 2 naming the argument, unknown REF exit 1', () => {
  const base = () => ['--db', db, '--reference', 'r', '--why', 'w'];
  it.each([
    [['kind', SWEDEIT, '--kind', 'trust'], /--kind must be one of company, person, state, state-body, fund/],
    [['kind', SWEDEIT], /--kind is required/],
    [['kind', '--kind', 'state'], /exactly one REF/],
    [['kind', SWEDEIT, CHILD, '--kind', 'state'], /exactly one REF/],
    [['listed', SWEDEIT, '--topic', 'sanction'], /--list is required/],
    [['listed', SWEDEIT, '--list', ' '], /--list is required/],
    [['listed', SWEDEIT, '--list', 'OFAC SDN', '--topic', 'sanction.linked'], /--topic.*derived topic/],
    [['listed', SWEDEIT, '--list', 'OFAC SDN', '--topic', 'two words'], /--topic.*not a topic/],
    [['listed', SWEDEIT, '--list', 'OFAC SDN', '--topic', ''], /--topic/],
    [['listed', '--list', 'OFAC SDN'], /exactly one REF/],
  ])('%j', async (args, message) => {
    const r = await runCli(['assert', ...args, ...base()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('no document or reference, no reason', async () => {
    for (const sub of [['kind', SWEDEIT, '--kind', 'state'], ['listed', SWEDEIT, '--list', 'OFAC SDN']]) {
      const noDoc = await runCli(['assert', ...sub, '--db', db, '--why', 'w']);
      expect(noDoc.code).toBe(2);
      expect(noDoc.stderr).toMatch(/--document FILE and --reference TEXT/);
      const noWhy = await runCli(['assert', ...sub, '--db', db, '--reference', 'r']);
      expect(noWhy.code).toBe(2);
      expect(noWhy.stderr).toMatch(/--why is required/);
    }
  });

  it('an unknown REF exits 1 naming it, and nothing is recorded', async () => {
    const count = async () => json<{ assertions: unknown[] }>(await runOk(['assert', 'list', '--db', db, '--json'])).assertions.length;
    const n = await count();
    const k = await runCli(['assert', 'kind', 'lei:NOPE00000000000000X1', '--kind', 'state', ...base()]);
    expect(k.code).toBe(1);
    expect(k.stderr).toMatch(/REF lei:NOPE00000000000000X1/);
    const l = await runCli(['assert', 'listed', 'lei:NOPE00000000000000X2', '--list', 'OFAC SDN', ...base()]);
    expect(l.code).toBe(1);
    expect(l.stderr).toMatch(/REF lei:NOPE00000000000000X2/);
    expect(await count()).toBe(n);
  });
});
