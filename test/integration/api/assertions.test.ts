// Issue 14 through the API the app calls (electron/backend/api/assertions.ts), on the real GLEIF
// excerpts of test/fixtures/gleif: an INDETERMINATE verdict (GLEIF reporting exception
// NON_PUBLIC, the parent withheld) becomes RESTRICTED once the withheld holder is asserted from an
// uploaded document, with the data-alone verdict beside it; the assertions are listed for the
// entity and attributed to the investigator; retracting puts the verdict back.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend, memorySecrets } from '../../../electron/backend/api/backend';
import { callBackend } from '../../../electron/backend/api/dispatch';
import type { Input, Method, Output } from '../../../shared/api/contract';
import { importFiles } from '../../../electron/backend/import/runner';
import { EXCERPTS_AS_OF, EXCERPT_LEI, GLEIF_EXCERPTS } from '../../helpers/gleif-excerpts';

const FILES = GLEIF_EXCERPTS;
const AS_OF = EXCERPTS_AS_OF;
/** GLEIF reporting exception NON_PUBLIC: its parent is withheld */
const WITHHELD = `lei:${EXCERPT_LEI.withheld}`;
const REGISTER = 'Shareholder register extract, 01370W6ZIY66KQ4J3570, 2023-05-31\nIvan Petrov (RU): 60%\n';

let dir: string;
let backend: Backend;

async function ok<K extends Method>(method: K, input: Input<K>): Promise<Output<K>> {
  const r = await callBackend(backend, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.field ?? ''} ${r.error.message}`);
  return r.value;
}
const verdict = () => ok('verdict.compute', { ref: WITHHELD, policy: 'restricted-regions', asOf: AS_OF });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-api-assert-'));
  backend = new Backend({ dataDir: path.join(dir, 'home'), host: { mode: 'test', secrets: memorySecrets(), openFile: async () => ({ url: null }) } });
  await ok('case.create', { path: path.join(dir, 'case.db') });
  await importFiles(backend.requireDb(), FILES);
}, 60_000);
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('assertions through the API', () => {
  let person: { ref: string; entityId: number; assertionId: number };
  let link: Output<'assertion.link'>;

  it('registry data alone: INDETERMINATE, with an undisclosed-owner gap that carries the undisclosed part', async () => {
    const v = await verdict();
    expect(v.verdict).toBe('indeterminate');
    expect(v.assertions).toBeUndefined();
    const gap = v.gaps.find((g) => g.kind === 'undisclosed-owner');
    expect(gap?.share).toEqual({ lo: 0, loOpen: false, hi: 1_000_000, hiOpen: false });
  });

  it('an assertion needs the investigator: the app is asked to give a name first', async () => {
    const r = await callBackend(backend, 'assertion.entity', { name: 'Ivan Petrov', kind: 'person', country: 'RU', reference: 'register', why: 'named' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'investigator' } });
    await ok('investigator.set', { name: 'A. Li' });
  });

  it('the withheld holder, asserted from an uploaded document, makes the verdict RESTRICTED', async () => {
    const up = await ok('file.upload', { name: 'register.txt', dataBase64: Buffer.from(REGISTER).toString('base64'), isLast: true });
    const e = await ok('assertion.entity', { name: 'Ivan Petrov', kind: 'person', country: 'ru', document: up.path!, cite: 'p. 1', why: 'named as the 60% holder' });
    person = { ref: e.ref, entityId: e.entityId, assertionId: e.assertion.id };
    expect(e.ref).toBe(`asserted:${e.assertion.id}`);
    link = await ok('assertion.link', { owner: e.ref, owned: WITHHELD, share: '60%', document: up.path!, cite: 'p. 1, line 2', why: 'the register names the withheld holder' });
    const sha = createHash('sha256').update(REGISTER).digest('hex');
    expect(link).toMatchObject({
      fact: 'link', status: 'active', cite: 'p. 1, line 2', actor: 'A. Li', sourceKind: 'investigator assertion', ownerId: e.entityId,
      document: { fileName: 'register.txt', sha256: sha, size: Buffer.byteLength(REGISTER) },
      content: { fact: 'link', kind: 'shares', share: { lo: 600_000, hi: 600_000 }, stated: '60%' },
    });
    // one document, stored once
    expect(link.document.id).toBe(e.assertion.document.id);

    const v = await verdict();
    expect(v.verdict, v.reasons[0]).toBe('restricted');
    expect(v.assertions?.summary).toBe('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
    expect(v.assertions?.withoutAssertions.verdict).toBe('indeterminate');
    expect(v.assertions?.used.map((a) => a.id).sort()).toEqual([person.assertionId, link.id].sort());
  });

  it('lists all assertions, and those about one entity (as owned or as owner)', async () => {
    expect((await ok('assertion.list', {})).map((a) => a.id)).toEqual([person.assertionId, link.id]);
    expect((await ok('assertion.list', { ref: WITHHELD })).map((a) => a.id)).toEqual([link.id]);
    expect((await ok('assertion.list', { ref: person.ref })).map((a) => a.id)).toEqual([person.assertionId, link.id]);
  });

  it('the graph marks the asserted edge with its assertion', async () => {
    const g = await ok('graph.neighbourhood', { ref: WITHHELD, asOf: AS_OF });
    const edge = g.edges.find((x) => x.from === `e${person.entityId}`);
    expect(edge?.assertionId).toBe(link.id);
    expect(g.edges.filter((x) => x !== edge).every((x) => x.assertionId === undefined)).toBe(true);
  });

  it('a location assertion is recorded against the entity', async () => {
    const l = await ok('assertion.location', { ref: WITHHELD, country: 'GB', role: 'headquarters', reference: 'Annual report 2022, p. 3', why: 'head office named' });
    expect(l).toMatchObject({ fact: 'location', content: { code: 'GB', role: 'headquarters' }, document: { reference: 'Annual report 2022, p. 3', fileName: null } });
    await ok('assertion.retract', { id: l.id, why: 'wrong entity' });
  });

  it('a kind and a listing through the API change the verdicts that read them and are listed for the entity; retracted, they stop', async () => {
    const SWEDEIT = `lei:${EXCERPT_LEI.swedeit}`;
    const PARENT = `lei:${EXCERPT_LEI.parent}`;
    const CHILD = `lei:${EXCERPT_LEI.child}`;
    const v = (ref: string, policy: string) => ok('verdict.compute', { ref, policy, asOf: AS_OF });
    expect((await v(SWEDEIT, 'restricted-regions')).verdict).toBe('indeterminate');
    const k = await ok('assertion.kind', { ref: SWEDEIT, kind: 'state-body', reference: 'Official gazette 2023/118', cite: 'p. 3', why: 'a state agency' });
    expect(k).toMatchObject({ fact: 'kind', content: { kind: 'state-body' }, actor: 'A. Li', sourceKind: 'investigator assertion' });
    const kv = await v(SWEDEIT, 'restricted-regions');
    expect(kv.verdict).toBe('clear');
    expect(kv.assertions?.summary).toBe('data alone: INDETERMINATE; with 1 assertion: CLEAR');

    expect((await v(CHILD, 'eu-50')).verdict).toBe('indeterminate');
    const l = await ok('assertion.listed', { ref: PARENT, list: ' EU consolidated financial sanctions list ', reference: 'EU FSF entry EU.1234.56', why: 'the LEI is named' });
    expect(l).toMatchObject({ fact: 'listed', content: { list: 'EU consolidated financial sanctions list', topics: ['sanction'] } });
    const lv = await v(CHILD, 'eu-50');
    expect(lv.verdict).toBe('restricted');
    expect(lv.assertions?.used.map((a) => a.id)).toEqual([l.id]);
    // topics given: bis-affiliates reads export.control
    const b = await ok('assertion.listed', { ref: PARENT, list: 'BIS Entity List', topics: ['export.control'], reference: '15 CFR 744 Supp. 4', why: 'listed' });
    expect((await v(PARENT, 'bis-affiliates')).verdict).toBe('restricted');
    expect((await ok('assertion.list', { ref: PARENT })).map((a) => a.fact)).toEqual(['listed', 'listed']);

    for (const a of [k, l, b]) await ok('assertion.retract', { id: a.id, why: 'test over' });
    expect((await v(SWEDEIT, 'restricted-regions')).verdict).toBe('indeterminate');
    expect((await v(CHILD, 'eu-50')).verdict).toBe('indeterminate');
    expect((await v(PARENT, 'bis-affiliates')).verdict).toBe('indeterminate');
  });

  it('retracting the link keeps it with its reason, and the verdict goes back to INDETERMINATE', async () => {
    const r = await ok('assertion.retract', { id: link.id, why: 'the register extract was superseded' });
    expect(r).toMatchObject({ id: link.id, status: 'retracted', retractedBy: 'A. Li', retractionReason: 'the register extract was superseded' });
    const v = await verdict();
    expect(v.verdict).toBe('indeterminate');
    expect(v.assertions?.used.some((a) => a.id === link.id) ?? false).toBe(false);
    expect((await ok('assertion.list', { ref: WITHHELD })).map((a) => a.status)).toEqual(['retracted', 'retracted']);
    // twice is refused, naming the field
    const again = await callBackend(backend, 'assertion.retract', { id: link.id, why: 'again' });
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'id' } });
    expect(!again.ok && again.error.message).toMatch(/already retracted/);
  });
});
