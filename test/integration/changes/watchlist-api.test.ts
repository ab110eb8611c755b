// watchlist.save and watchlist.list in the API (the Screening view's "Save as watchlist…"): a name
// that is empty once trimmed, or already in use, is refused as invalid input on the field `name`,
// and nothing is written; `replace` overwrites on purpose; the list says when the rows were last
// screened, and an import that re-screens them moves it.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/api/backend';
import { callBackend } from '../../../electron/backend/api/dispatch';
import { browserHost } from '../../../electron/backend/http/host';
import type { Input, Method } from '../../../shared/api/contract';
import { json, runOk } from '../../helpers/cli';

const GLEIF = path.resolve('test/fixtures/gleif');
const FIX = path.resolve('test/fixtures/changes');
const LIST = path.join(FIX, 'portfolio.csv');

let dir = '';
let db = '';
let backend: Backend;
const call = <K extends Method>(m: K, i: Input<K>) => callBackend(backend, m, i);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-watchlist-api-'));
  db = path.join(dir, 'case.db');
  await runOk(['import', '--db', db, ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(GLEIF, f)), path.join(FIX, 'sub-entities.csv'), path.join(FIX, 'sub-links.csv')]);
  backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost() });
  const opened = await call('case.open', { path: db });
  expect(opened.ok).toBe(true);
});

afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('watchlist.save from the app', () => {
  it('saves a list under a name with the policy and as-of given', async () => {
    const r = await call('watchlist.save', { name: '  Portfolio Q2 ', path: LIST, policy: 'restricted-regions', asOf: '2024-06-01' });
    expect(r.ok && r.value).toMatchObject({ name: 'Portfolio Q2', rows: 6, listFile: 'portfolio.csv', policy: { name: 'Restricted regions (>50%)' } });
    const l = await call('watchlist.list', {});
    expect(l.ok && l.value.map((w) => w.name)).toEqual(['Portfolio Q2']);
    expect(l.ok && l.value[0]!.lastScreened).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('refuses an empty name and a name in use, writing nothing', async () => {
    const empty = await call('watchlist.save', { name: '   ', path: LIST });
    expect(empty.ok).toBe(false);
    expect(!empty.ok && empty.error).toMatchObject({ code: 'invalid-input', field: 'name', message: 'a watchlist needs a name' });
    const taken = await call('watchlist.save', { name: 'Portfolio Q2', path: LIST, policy: 'ofac-50' });
    expect(!taken.ok && taken.error).toMatchObject({ code: 'invalid-input', field: 'name' });
    expect(!taken.ok && taken.error.message).toContain('a watchlist named "Portfolio Q2" exists already');
    const l = await call('watchlist.list', {});
    expect(l.ok && l.value.map((w) => [w.name, w.policy.name])).toEqual([['Portfolio Q2', 'Restricted regions (>50%)']]);
    const bad = await call('watchlist.save', { name: 'x', path: LIST, replace: 'yes' as never });
    expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid-input', field: 'replace' });
  });

  it('replaces on purpose, and an import that re-screens the rows moves "last screened"', async () => {
    const before = await call('watchlist.list', {});
    const was = before.ok ? before.value[0]!.lastScreened! : '';
    const re = await call('watchlist.save', { name: 'Portfolio Q2', path: LIST, policy: 'restricted-regions', replace: true });
    expect(re.ok).toBe(true);
    const replaced = await call('watchlist.list', {});
    const now = replaced.ok ? replaced.value[0]!.lastScreened! : '';
    expect(now >= was).toBe(true);
    const newer = path.join(dir, '20240608-gleif-rr.xml');
    copyFileSync(path.join(FIX, 'cases-rr-newer-parent.xml'), newer);
    await new Promise((r) => setTimeout(r, 5));
    json(await runOk(['import', '--db', db, newer, '--json']));
    const after = await call('watchlist.list', {});
    expect(after.ok && after.value[0]!.lastScreened! > now).toBe(true);
  });
});
