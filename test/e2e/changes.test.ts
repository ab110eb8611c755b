// End to end: the changes notice. A case database with cases (one decided) and a saved watchlist
// is opened in the app; importing a newer GLEIF relationship file in the Sources view brings up
// "4 verdicts changed since the last import" with the list, and the decided case whose verdict
// moved is marked "stale: decide again" in the list and in its Decision view.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runOk } from '../helpers/cli';
import { artifacts, openCaseDb, startBrowserApp, type BrowserApp } from './harness';
import { FIX, watchedCaseDb } from './watched-case';

describe('the changes notice in Chromium (browser mode)', () => {
  let app: BrowserApp;
  let db: string;
  let newer: string;
  let page: Page;
  const cases: Record<string, string> = {};
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    app = await startBrowserApp({
      prefix: 'ownerscope-e2e-changes-',
      async before(dir) {
        // the case database as an investigator left it: data, cases (one decided), a watchlist
        ({ db, newer } = await watchedCaseDb(dir));
        for (const ref of ['lei:LAPSED00000000001226', 'gb-coh:09999999', 'lei:HKSUB000000000000283']) {
          cases[ref] = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, ref, '--json'])).case.id;
        }
        await runOk(['case', 'decide', '--db', db, cases['gb-coh:09999999']!, '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
        await runOk(['watchlist', 'save', 'portfolio', '--db', db, '--input', path.join(FIX, 'portfolio.csv')]);
      },
    });
    page = app.page;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('shows no notice while nothing changed', async () => {
    await openCaseDb(app, db);
    // the open re-checks; nothing was imported since the cases and the watchlist were made
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('region', { name: 'Changed verdicts' }).count()).toBe(0);
  });

  it('after an import: "4 verdicts changed since the last import", with the list and the stale case', async () => {
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles(newer);
    await page.getByRole('button', { name: /^Import 1 file/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    const notice = page.getByRole('region', { name: 'Changed verdicts' });
    await notice.getByText('4 verdicts changed since the last import').waitFor({ timeout: 30_000 });
    await expect(notice.innerText()).resolves.toContain('20240608-gleif-rr.xml');
    await notice.getByRole('button', { name: 'Show the list' }).click();
    const list = notice.getByRole('table', { name: 'Changed verdicts list' });
    const rows = list.locator('tbody tr');
    expect(await rows.count()).toBe(4);
    const texts = await rows.allInnerTexts();
    expect(texts.filter((t) => t.startsWith('Case ')).map((t) => t.split(/\s/)[1]).sort()).toEqual([cases['lei:LAPSED00000000001226'], cases['gb-coh:09999999']].sort());
    expect(texts.filter((t) => t.startsWith('Watchlist portfolio')).map((t) => t.match(/row (\d+)/)![1]).sort()).toEqual(['2', '3']);
    for (const t of texts) {
      expect(t).toContain('link added');
      expect(t).toContain('浙江测试控股集团有限公司 → Lapsed But Alive LLC');
    }
    expect(texts.join('\n')).not.toContain('Pearl Harbour');
    // the decided case, and only it, is stale
    const stale = rows.filter({ hasText: 'stale: decide again' });
    expect(await stale.count()).toBe(1);
    await expect(stale.innerText()).resolves.toContain(`Case ${cases['gb-coh:09999999']}`);
    await shot('changes-01-notice');
  });

  it('the decided case shows "stale: decide again" in its Decision view', async () => {
    const notice = page.getByRole('region', { name: 'Changed verdicts' });
    await notice.getByRole('button', { name: 'Lapsed Sub Ltd' }).first().click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Decision & report/ }).click();
    const casePanel = page.locator('.panel').filter({ hasText: `Case ${cases['gb-coh:09999999']}` });
    await casePanel.getByText('stale: decide again').waitFor();
    await shot('changes-02-stale-case');
  });
});
