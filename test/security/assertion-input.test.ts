// Hostile or mistaken input to the assertion methods (issue 14) through the real dispatcher, as
// the IPC and HTTP transports send it: each is refused with a clear message naming the field, and
// nothing is written (no assertion, no document, no audit entry). A document must be a file the
// user uploaded or picked in this session: a page naming any path of the disk is refused.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend, memorySecrets } from '../../electron/backend/api/backend';
import { callBackend, dispatch } from '../../electron/backend/api/dispatch';
import { importFiles } from '../../electron/backend/import/runner';
import { EXCERPT_LEI, GLEIF_FIXTURES } from '../helpers/gleif-excerpts';

const FIX = GLEIF_FIXTURES;
const WITHHELD = `lei:${EXCERPT_LEI.withheld}`;
const PARENT = `lei:${EXCERPT_LEI.parent}`;

describe('assertion API input', () => {
  let dir: string;
  let backend: Backend;
  let doc: string;
  const counts = () => {
    const db = backend.requireDb();
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { assertions: n('assertions'), documents: n('assertion_documents'), audit: n('audit_log') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-assert-input-'));
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: { mode: 'test', secrets: memorySecrets(), openFile: async () => ({ url: null }) } });
    await callBackend(backend, 'case.create', { path: path.join(dir, 'case.db') });
    await importFiles(backend.requireDb(), ['lei-cdf31_goldencopy_2023-06-05_excerpt.xml', 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml', 'repex21_goldencopy_2023-06-09_excerpt.xml'].map((f) => path.join(FIX, f)));
    await callBackend(backend, 'investigator.set', { name: 'A. Li' });
    doc = path.join(dir, 'extract.txt');
    writeFileSync(doc, 'register extract\n');
  }, 60_000);
  afterAll(async () => {
    await backend.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const link = { owner: PARENT, owned: WITHHELD, share: '60', reference: 'extract 42', why: 'register' };
  it.each([
    ['a share that is not one', 'assertion.link', { ...link, share: '60 percent' }, 'share', /"60 percent" is not a share/],
    ['a share above 100%', 'assertion.link', { ...link, share: '101' }, 'share', /percent from 0 to 100/],
    ['an interval upside down', 'assertion.link', { ...link, share: '(50,25]' }, 'share', /lower bound is above/],
    ['a holding of shares without its share', 'assertion.link', { owner: PARENT, owned: WITHHELD, reference: 'x', why: 'y' }, 'share', /needs its share/],
    ['no reason', 'assertion.link', { owner: PARENT, owned: WITHHELD, share: '60', reference: 'x' }, 'why', /must be a string, got nothing/],
    ['an empty reason', 'assertion.link', { ...link, why: '' }, 'why', /must not be empty/],
    ['a reason of blanks', 'assertion.link', { ...link, why: '   ' }, 'why', /no fact without a reason/],
    ['neither document nor reference', 'assertion.link', { owner: PARENT, owned: WITHHELD, share: '60', why: 'y' }, 'document', /exactly one of a document .* and a reference/],
    ['both a document and a reference', 'assertion.link', { ...link, document: '/tmp/x.pdf' }, 'reference', /exactly one of/],
    ['a reference of blanks', 'assertion.link', { owner: PARENT, owned: WITHHELD, share: '60', reference: '  ', why: 'y' }, 'document', /exactly one of/],
    ['an end before the start', 'assertion.link', { ...link, from: '2023-05-01', to: '2023-01-01' }, 'to', /before/],
    ['a date not in the calendar', 'assertion.link', { ...link, from: '2023-02-31' }, 'from', /not a date in the calendar/],
    ['owner and owned the same', 'assertion.link', { ...link, owner: WITHHELD }, 'owned', /same entity/],
    ['an unknown kind', 'assertion.link', { ...link, kind: 'friendship' }, 'kind', /must be one of/],
    ['a basis on a holding of shares', 'assertion.link', { ...link, basis: 'board' }, 'basis', /control link/],
    ['an unknown field', 'assertion.link', { ...link, actor: 'someone else' }, 'actor', /unknown field/],
    ['a country that is not a code', 'assertion.location', { ref: WITHHELD, country: 'Russia', role: 'headquarters', reference: 'x', why: 'y' }, 'country', /ISO 3166-1/],
    ['an unknown role', 'assertion.location', { ref: WITHHELD, country: 'RU', role: 'holiday-home', reference: 'x', why: 'y' }, 'role', /must be one of/],
    ['an identifier without a scheme', 'assertion.entity', { name: 'X', kind: 'person', ids: ['12345'], reference: 'x', why: 'y' }, 'ids[0]', /SCHEME:VALUE/],
    ['an identifier another entity has', 'assertion.entity', { name: 'X', kind: 'company', ids: ['lei:01370W6ZIY66KQ4J3570'], reference: 'x', why: 'y' }, 'id', /already names entity/],
    ['a NUL in the reason', 'assertion.link', { ...link, why: 'a\u0000b' }, 'why', /NUL/],
    ['an unknown entity kind', 'assertion.kind', { ref: WITHHELD, kind: 'trust', reference: 'x', why: 'y' }, 'kind', /must be one of/],
    ['a kind without its kind', 'assertion.kind', { ref: WITHHELD, reference: 'x', why: 'y' }, 'kind', /must be one of/],
    ['a kind without a document', 'assertion.kind', { ref: WITHHELD, kind: 'state', why: 'y' }, 'document', /exactly one of/],
    ['a kind with a reason of blanks', 'assertion.kind', { ref: WITHHELD, kind: 'state', reference: 'x', why: ' \t ' }, 'why', /no fact without a reason/],
    ['a kind with a field of another fact', 'assertion.kind', { ref: WITHHELD, kind: 'state', country: 'RU', reference: 'x', why: 'y' }, 'country', /unknown field/],
    ['a listing without its list', 'assertion.listed', { ref: WITHHELD, reference: 'x', why: 'y' }, 'list', /got nothing/],
    ['a listing on a list of blanks', 'assertion.listed', { ref: WITHHELD, list: '   ', reference: 'x', why: 'y' }, 'list', /name the list/],
    ['a list name of 501 characters', 'assertion.listed', { ref: WITHHELD, list: 'L'.repeat(501), reference: 'x', why: 'y' }, 'list', /at most 500/],
    ['a derived topic', 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', topics: ['sanction.linked'], reference: 'x', why: 'y' }, 'topics[0]', /derived topic, never an origin/],
    ['a topic with blanks', 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', topics: ['sanction', 'export control'], reference: 'x', why: 'y' }, 'topics[1]', /topic/],
    ['a topic that is markup', 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', topics: ['<img src=x onerror=alert(1)>'], reference: 'x', why: 'y' }, 'topics[0]', /topic/],
    ['an empty topic list', 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', topics: [], reference: 'x', why: 'y' }, 'topics', /at least 1/],
    ['21 topics', 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', topics: Array.from({ length: 21 }, (_, k) => `t${k}`), reference: 'x', why: 'y' }, 'topics', /at most 20/],
    ['topics that are not a list', 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', topics: 'sanction', reference: 'x', why: 'y' }, 'topics', /list|array/],
    ['a retraction without a reason', 'assertion.retract', { id: 1 }, 'why', /must be a string/],
    ['a retraction id that is not a number', 'assertion.retract', { id: '1; DROP TABLE assertions', why: 'x' }, 'id', /integer/],
  ] as const)('%s is refused, naming the field', async (_what, method, input, field, message) => {
    const before = counts();
    const r = await dispatch(backend, method, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-input');
    if (field) expect(r.error.field).toBe(field);
    expect(r.error.message).toMatch(message);
    expect(counts()).toEqual(before);
  });

  it.each([
    ['owner', 'assertion.link', { ...link, owner: 'lei:NOSUCHLEI000000000000' }],
    ['owned', 'assertion.link', { ...link, owned: 'no-such-name-anywhere' }],
    ['ref', 'assertion.location', { ref: 'lei:NOSUCHLEI000000000000', country: 'RU', role: 'headquarters', reference: 'x', why: 'y' }],
    ['ref', 'assertion.list', { ref: 'lei:NOSUCHLEI000000000000' }],
    ['ref', 'assertion.kind', { ref: 'lei:NOSUCHLEI000000000000', kind: 'state-body', reference: 'x', why: 'y' }],
    ['ref', 'assertion.listed', { ref: 'no-such-name-anywhere', list: 'OFAC SDN', reference: 'x', why: 'y' }],
    ['id', 'assertion.retract', { id: 999_999, why: 'x' }],
  ] as const)('an unknown %s is not-found, naming it', async (field, method, input) => {
    const before = counts();
    const r = await dispatch(backend, method, input);
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found', field } });
    if (!r.ok && field !== 'id') expect(r.error.message).toContain(`${field} `);
    expect(counts()).toEqual(before);
  });

  const named: [string, () => string | Promise<string>][] = [
    ['a file of the disk the user never gave', () => doc],
    ['a system file', () => '/etc/passwd'],
    ['a folder', () => os.tmpdir()],
    ['an upload still in progress', async () => {
      const part = await callBackend(backend, 'file.upload', { name: 'half.txt', dataBase64: Buffer.from('first half').toString('base64'), isLast: false });
      if (!part.ok) throw new Error(part.error.message);
      return path.join(dir, 'home', 'uploads', part.value.uploadId, 'half.txt');
    }],
  ];
  it.each(named)('a document path the page names is refused unless uploaded or picked in this session: %s', async (_what, file) => {
    const before = counts();
    const named = await file();
    // a real file or folder: refused for not being given, not for being missing
    expect(existsSync(named)).toBe(true);
    const r = await dispatch(backend, 'assertion.link', { owner: PARENT, owned: WITHHELD, share: '60', document: named, why: 'y' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized', field: 'document' } });
    // the kind and the listing take their documents by the same rule
    expect(await dispatch(backend, 'assertion.kind', { ref: WITHHELD, kind: 'state', document: named, why: 'y' })).toMatchObject({ ok: false, error: { code: 'unauthorized', field: 'document' } });
    expect(await dispatch(backend, 'assertion.listed', { ref: WITHHELD, list: 'OFAC SDN', document: named, why: 'y' })).toMatchObject({ ok: false, error: { code: 'unauthorized', field: 'document' } });
    expect(counts()).toEqual(before);
  });

  it('a well-formed assertion after all of that is recorded (the cases above were refused for their input only)', async () => {
    const up = await callBackend(backend, 'file.upload', { name: 'extract.txt', dataBase64: Buffer.from('register extract\n').toString('base64'), isLast: true });
    if (!up.ok) throw new Error(up.error.message);
    const r = await callBackend(backend, 'assertion.link', { ...link, document: up.value.path!, reference: undefined });
    expect(r).toMatchObject({ ok: true, value: { fact: 'link', document: { fileName: 'extract.txt' } } });
  });
});
