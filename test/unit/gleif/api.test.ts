// Saved GLEIF API (JSON:API) responses: the same facts as the same records in a golden copy, whatever
// the chunk boundaries; what a parent/children response implies; clear errors for what is not one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gleifFormats } from '../../../electron/backend/import/gleif';
import { detectFormat } from '../../../electron/backend/import/runner';
import { recordingContext, type FormatModule } from '../../../electron/backend/import/types';
import type { Fact, LinkFact } from '../../../shared/formats/facts';
import { parseApiRequest } from '../../../shared/formats/gleif/api';

const FX = path.resolve(__dirname, '../../fixtures/gleif');
const API = path.join(FX, 'api');
const api = gleifFormats.find((m) => m.id === 'gleif-api-json')!;
const mod = (id: string) => gleifFormats.find((m) => m.id === id)!;

async function run(m: FormatModule, bytes: Buffer, opts: { size?: number; requestUrl?: string } = {}) {
  const size = opts.size ?? bytes.length;
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const { ctx, state } = recordingContext('x.json');
  if (opts.requestUrl) ctx.requestUrl = opts.requestUrl;
  const facts: Fact[] = [];
  for await (const b of m.parse(chunks(), ctx)) facts.push(...b);
  return { facts, state };
}
const file = (name: string) => readFileSync(path.join(API, name));
const text = (s: string) => Buffer.from(s, 'utf8');
const withoutRef = (f: Fact) => ({ ...f, recordRef: '' });
const keyOf = (f: Fact) => ('key' in f ? f.key : f.type === 'entity' ? `lei:${f.ref.value}` : '');

describe('GLEIF API responses map like the golden copy', () => {
  it.each([
    ['cases-lei-records.json', 'gleif-l1-xml', 'cases-l1.xml'],
    ['cases-direct-parent-relationship.json', 'gleif-rr-xml', 'cases-rr.xml'],
    ['cases-reporting-exceptions.json', 'gleif-repex-xml', 'cases-repex.xml'],
  ])('%s gives the facts %s gives for the same records', async (apiFile, id, goldenFile) => {
    const fromApi = (await run(api, file(apiFile))).facts;
    const golden = new Map((await run(mod(id), readFileSync(path.join(FX, goldenFile)))).facts.map((f) => [keyOf(f), f]));
    expect(fromApi.length).toBeGreaterThan(0);
    for (const f of fromApi) {
      const g = golden.get(keyOf(f));
      expect(g, keyOf(f)).toBeDefined();
      expect(withoutRef(f)).toEqual(withoutRef(g!));
    }
  });

  it('reads every fixture the same way whatever the chunk boundaries', async () => {
    for (const name of readdirSync(API).filter((n) => n.endsWith('.json'))) {
      const whole = await run(api, file(name));
      for (const size of [1, 3, 7, 64, 4099]) {
        const got = await run(api, file(name), { size });
        expect(got.facts, `${name} in chunks of ${size}`).toEqual(whole.facts);
        expect(got.state.records).toBe(whole.state.records);
      }
    }
  });

  it('takes the data date from meta.goldenCopy.publishDate', async () => {
    const { state } = await run(api, file('direct-parent-relationship_5493001KJTIIGC8Y1R12.json'));
    expect(state.dataDate).toBe('2025-05-15T00:00:00Z');
  });

  it('maps a recorded relationship record: nodes, periods, corroboration', async () => {
    const [link] = (await run(api, file('direct-parent-relationship_5493001KJTIIGC8Y1R12.json'))).facts as LinkFact[];
    expect(link).toMatchObject({
      key: 'gleif-rr|5493001KJTIIGC8Y1R12|549300B56MD0ZC402L06|IS_DIRECTLY_CONSOLIDATED_BY',
      owned: { value: '5493001KJTIIGC8Y1R12' }, owner: { value: '549300B56MD0ZC402L06' },
      kind: 'control', controlBasis: 'consolidation', isSummary: false, status: 'active', startDate: '2007-06-05',
      registrationStatus: 'PUBLISHED',
    });
    expect(link!.attributes).toMatchObject({ accountingPeriod: '2016-01-01T00:00:00Z/2016-12-31T00:00:00Z', validationSources: 'ENTITY_SUPPLIED_ONLY' });
  });

  it('maps a recorded reporting exception to a marker', async () => {
    const [m] = (await run(api, file('direct-parent-reporting-exception_254900LNRYNOQ9YPU758.json'))).facts;
    expect(m).toMatchObject({ type: 'undisclosed', subject: { value: '254900LNRYNOQ9YPU758' }, category: 'withheld', scope: 'direct', reason: 'NON_PUBLIC' });
  });

  it('maps a page of lei-records, one entity each', async () => {
    const { facts, state } = await run(api, file('lei-records-page.json'));
    expect(facts.every((f) => f.type === 'entity')).toBe(true);
    expect(facts).toHaveLength(state.records);
    expect(facts.length).toBeGreaterThan(5);
  });

  it('reads "data": null (nothing to return) as no records', async () => {
    const { facts } = await run(api, text('{"meta":{"goldenCopy":{"publishDate":"2025-05-15T00:00:00Z"}},"data":null,"links":{}}'));
    expect(facts).toEqual([]);
  });

  it('reads a file saved with a byte order mark, in any chunking', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file('group-lei-record.json')]);
    for (const size of [1, 2, 3, 4, 1000]) expect((await run(api, bytes, { size })).facts, `chunks of ${size}`).toHaveLength(1);
  });

  it('reads an empty page as no records', async () => {
    const { facts, state } = await run(api, file('direct-child-relationships_5493001KJTIIGC8Y1R12-empty.json'));
    expect(facts).toEqual([]);
    expect(state.records).toBe(0);
  });
});

describe('parent and children responses', () => {
  it('a direct-parent response alone is only the parent record: the child is not in it', async () => {
    const { facts } = await run(api, file('direct-parent_5493001KJTIIGC8Y1R12.json'));
    expect(facts.map((f) => f.type)).toEqual(['entity']);
  });

  it('with --from-url the link child → parent is implied, with the relationship record key', async () => {
    const url = 'https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12/direct-parent';
    const { facts } = await run(api, file('direct-parent_5493001KJTIIGC8Y1R12.json'), { requestUrl: url });
    const link = facts.find((f): f is LinkFact => f.type === 'link')!;
    const recorded = (await run(api, file('direct-parent-relationship_5493001KJTIIGC8Y1R12.json'))).facts[0] as LinkFact;
    expect(link.key).toBe(recorded.key);
    expect(link).toMatchObject({ owned: { value: '5493001KJTIIGC8Y1R12' }, owner: { value: '549300B56MD0ZC402L06' }, status: 'unknown', share: null, isSummary: false });
    expect(link.attributes!.impliedBy).toBe('GLEIF API lei-records/5493001KJTIIGC8Y1R12/direct-parent response');
  });

  it('an ultimate-parent URL implies a summary link', async () => {
    const url = 'lei-records/5493001KJTIIGC8Y1R12/ultimate-parent';
    const { facts } = await run(api, file('ultimate-parent_5493001KJTIIGC8Y1R12.json'), { requestUrl: url });
    expect(facts.find((f) => f.type === 'link')).toMatchObject({ isSummary: true, owned: { value: '5493001KJTIIGC8Y1R12' } });
  });

  it('a children page names its parent in its links: each child is linked to it without --from-url', async () => {
    const { facts } = await run(api, file('direct-children_5299001ERX0K10IZUL40.json'));
    const links = facts.filter((f): f is LinkFact => f.type === 'link');
    expect(links).toHaveLength(2);
    for (const l of links) expect(l.owner.value).toBe('5299001ERX0K10IZUL40');
    expect(new Set(links.map((l) => l.owned.value))).toEqual(new Set(facts.filter((f) => f.type === 'entity').map((f) => (f.type === 'entity' ? f.ref.value : ''))));
  });

  it('refuses a --from-url that contradicts the links, or names the record itself', async () => {
    await expect(run(api, file('direct-children_5299001ERX0K10IZUL40.json'), { requestUrl: 'lei-records/5493001KJTIIGC8Y1R12/direct-children' }))
      .rejects.toThrow(/answers lei-records\/5299001ERX0K10IZUL40\/direct-children, but --from-url says lei-records\/5493001KJTIIGC8Y1R12\/direct-children/);
    await expect(run(api, file('direct-parent_5493001KJTIIGC8Y1R12.json'), { requestUrl: 'lei-records/549300B56MD0ZC402L06/direct-parent' }))
      .rejects.toThrow(/record 1 \(LEI 549300B56MD0ZC402L06\): the record is 549300B56MD0ZC402L06 itself/);
    await expect(run(api, file('lei-records-page.json'), { requestUrl: 'lei-records/5493001KJTIIGC8Y1R12/direct-parent' }))
      .rejects.toThrow(/a direct-parent response holds one LEI record, this file holds \d+/);
  });

  it('parses request URLs', () => {
    expect(parseApiRequest('https://api.gleif.org/api/v1/lei-records/5493001kjtiigc8y1r12/direct-parent?x=1')).toEqual({
      lei: '5493001KJTIIGC8Y1R12', endpoint: 'direct-parent', relation: 'direct-parent',
    });
    expect(parseApiRequest('https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12/direct-child-relationships?page%5Bnumber%5D=1'))
      .toMatchObject({ endpoint: 'direct-child-relationships', relation: null });
    expect(parseApiRequest('https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12')).toMatchObject({ endpoint: null, relation: null });
    expect(parseApiRequest('https://api.gleif.org/api/v1/lei-records?filter%5Blei%5D=X')).toBeNull();
    expect(parseApiRequest('https://example.org/5493001KJTIIGC8Y1R12')).toBeNull();
    expect(parseApiRequest('https://api.gleif.org/api/v1/lei-records?filter%5Bx%5D=https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12/direct-children')).toBeNull();
  });
});

describe('what is not a GLEIF API response', () => {
  const fails = (s: string, re: RegExp, requestUrl?: string) => expect(run(api, text(s), { requestUrl })).rejects.toThrow(re);

  it('names a saved error response', async () => {
    await fails('{"errors":[{"status":"404","title":"Not Found","detail":"The requested resource could not be found."}]}',
      /top-level "errors": the file is a GLEIF API error response \(404 Not Found The requested resource could not be found\.\), not data/);
  });

  it('names the record and what is wrong', async () => {
    await fails('{"data":[{"type":"lei-records","attributes":{"lei":"5493001KJTIIGC8Y1R12","entity":{"legalName":{"name":["x"]}}}}]}',
      /record 1 \(LEI 5493001KJTIIGC8Y1R12\): attributes.entity.legalName.name: expected text, got an array/);
    await fails('{"data":[{"type":"lei-issuers","attributes":{"lei":"5493001KJTIIGC8Y1R12"}}]}', /record 1 \(LEI 5493001KJTIIGC8Y1R12\): resource type "lei-issuers" is not one Ownerscope imports/);
    await fails('{"data":[{"type":"lei-records"}]}', /record 1: not a JSON:API resource: no "attributes" object \(type "lei-records"\)/);
    await fails('{"data":[{"type":"lei-records","attributes":{"lei":"5493001KJTIIGC8Y1R13"}}]}', /record 1 \(LEI 5493001KJTIIGC8Y1R13\): LEI "5493001KJTIIGC8Y1R13" fails the LEI check digits/);
    await fails('{"data":[1,2]}', /line 1: element 1 of "data" is not an object/);
    await fails('{"data":[{"type":"lei-records",\n"attributes":{"lei":}}]}', /record 1 \(line 1\): malformed JSON/);
  });

  it('refuses truncated files, trailing text and documents without data', async () => {
    await fails('{"data":[{"type":"lei-records"', /truncated JSON/);
    await fails('{"data":[]} {"data":[]}', /text after the end of the JSON document/);
    await fails('{"meta":{"goldenCopy":{}}}', /no top-level "data" member/);
    await fails('[{"data":[]}]', /expected a JSON object/);
    await fails('', /empty file/);
    await fails('{"data":"x"}', /"data" is neither a resource object, an array of resources nor null/);
  });

  it('is detected from content, and golden-copy JSON is not taken for it', () => {
    for (const name of readdirSync(API).filter((n) => n.endsWith('.json'))) expect(detectFormat(path.join(API, name)).id, name).toBe('gleif-api-json');
    expect(detectFormat(path.join(FX, '20240505-0000-gleif-goldencopy-lei2-intra-day.json')).id).toBe('gleif-l1-json');
  });
});
