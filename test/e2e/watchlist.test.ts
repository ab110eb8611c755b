// End to end: a watchlist saved from the Screening view, and what the changes notice says about it.
// A portfolio is screened in the app and saved with "Save as watchlist…" (an empty name and a name
// in use are refused with the reason); a newer GLEIF relationship file imported in the Sources view
// moves the verdicts of two of its rows and of a decided case: the notice lists them, the case is
// "stale: decide again", the watchlist table counts the changed rows. Removing that file again
// brings the notice back with "source removed" facts naming it.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBackend } from '../../electron/backend/api/dispatch';
import { json, runOk } from '../helpers/cli';
import { artifacts, openCaseDb, startBrowserApp, type BrowserApp } from './harness';
import { FIX, watchedCaseDb } from './watched-case';

const SUB = 'gb-coh:09999999';

describe('watchlists in the Screening view, and the changes notice (Chromium, browser mode)', () => {
  let app: BrowserApp;
  let db: string;
  let newer: string;
  let page: Page;
  let subCase = '';
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
  const notice = () => page.getByRole('region', { name: 'Changed verdicts' });
  const savedTable = () => page.getByRole('table', { name: 'Saved watchlists' });

  beforeAll(async () => {
    app = await startBrowserApp({
      prefix: 'ownerscope-e2e-watchlist-',
      viewport: { width: 1280, height: 900 },
      async before(dir) {
        ({ db, newer } = await watchedCaseDb(dir));
        // a decided case below the entity whose parent the newer file changes
        subCase = json<{ case: { id: string } }>(await runOk(['case', 'new', '--db', db, SUB, '--json'])).case.id;
        await runOk(['case', 'decide', '--db', db, subCase, '--confirm', '--why', 'as computed', '--actor', 'A. Li']);
      },
    });
    page = app.page;
    // the Sources view confirms a removal and reports it in dialogs
    page.on('dialog', (d) => void d.accept());
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('screens the portfolio and saves it with "Save as watchlist…"; an empty or taken name is refused', async () => {
    await openCaseDb(app, db);
    await nav(/^Screening/).click();
    // nothing screened yet: nothing to save, and no watchlist in this case database
    expect(await page.getByRole('button', { name: 'Save as watchlist…' }).isDisabled()).toBe(true);
    await page.getByText('No watchlists saved in this case database.').waitFor();
    await shot('watchlist-00-nothing-screened');
    await page.getByLabel('Choose a CSV list').setInputFiles(path.join(FIX, 'portfolio.csv'));
    await page.getByText('portfolio.csv').first().waitFor();
    await page.getByRole('button', { name: 'Run screening' }).click();
    await page.getByText(/^6 row\(s\) under Restricted regions/).waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Save as watchlist…' }).click();
    const form = page.getByRole('form', { name: 'Save as watchlist' });
    await expect(form.innerText()).resolves.toContain('Saves portfolio.csv under Restricted regions');
    await form.getByLabel('Name').fill('   ');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').getByText('Give the watchlist a name.').waitFor();
    await form.getByLabel('Name').fill('Portfolio Q2');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText(/Saved watchlist “Portfolio Q2”: 6 row\(s\) under Restricted regions/).waitFor();
    const row = savedTable().locator('tbody tr').filter({ hasText: 'Portfolio Q2' });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe('6');
    expect(cells[2]).toContain('Restricted regions');
    expect(cells[3]).toBe('portfolio.csv');
    expect(cells[4]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(cells[5]).toBe('none');
    // saved in the case database, with the screening's policy and each resolved row's verdict
    const saved = await callBackend(app.backend, 'watchlist.list', {});
    expect(saved.ok && saved.value.map((w) => [w.name, w.rows, w.policy.name])).toEqual([['Portfolio Q2', 6, 'Restricted regions (>50%)']]);

    // the same name again: refused with the reason, replaced only on purpose
    await page.getByRole('button', { name: 'Save as watchlist…' }).click();
    await form.getByLabel('Name').fill('Portfolio Q2');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').getByText('a watchlist named "Portfolio Q2" exists already: choose another name, or replace it').waitFor();
    expect(await form.getByRole('button', { name: 'Replace “Portfolio Q2”' }).count()).toBe(1);
    await shot('watchlist-01-taken-name');
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await savedTable().locator('tbody tr').count()).toBe(1);
    await shot('watchlist-02-saved');
  });

  it('a newer file moves two rows and the decided case: the notice lists them, the case is stale, the table counts the rows', async () => {
    await nav(/^Sources & import/).click();
    await page.getByLabel('Choose files to import').setInputFiles(newer);
    await page.getByRole('button', { name: /^Import 1 file/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    await notice().getByText('3 verdicts changed since the last import').waitFor({ timeout: 30_000 });
    await notice().getByRole('button', { name: 'Show the list' }).click();
    const rows = notice().getByRole('table', { name: 'Changed verdicts list' }).locator('tbody tr');
    const texts = await rows.allInnerTexts();
    expect(texts.map((t) => t.split('\t')[0]!.trim()).sort()).toEqual([`Case ${subCase} stale: decide again`, 'Watchlist Portfolio Q2, row 2', 'Watchlist Portfolio Q2, row 3'].sort());
    for (const t of texts) expect(t).toContain('link added');
    await shot('watchlist-03-notice-after-import');
    await nav(/^Screening/).click();
    const row = savedTable().locator('tbody tr').filter({ hasText: 'Portfolio Q2' });
    await row.getByText('2 verdicts').waitFor();
  });

  it('removing that file again: the notice lists the same verdicts with the "source removed" fact', async () => {
    await nav(/^Sources & import/).click();
    await page.getByRole('button', { name: 'Remove 20240608-gleif-rr.xml' }).click();
    await notice().getByText(/removed: 20240608-gleif-rr\.xml/).waitFor({ timeout: 30_000 });
    await expect(notice().innerText()).resolves.toContain('3 verdicts changed since the last source removal');
    if ((await notice().getByRole('button', { name: 'Show the list' }).count()) > 0) await notice().getByRole('button', { name: 'Show the list' }).click();
    const rows = notice().getByRole('table', { name: 'Changed verdicts list' }).locator('tbody tr');
    const texts = await rows.allInnerTexts();
    expect(texts).toHaveLength(3);
    for (const t of texts) {
      expect(t).toContain('source removed');
      expect(t).toContain('浙江测试控股集团有限公司 → Lapsed But Alive LLC');
      expect(t).toContain('removed source 20240608-gleif-rr.xml (gleif-rr-xml)');
    }
    // back on the verdict it was decided on: no longer stale
    expect(texts.filter((t) => t.includes('stale'))).toEqual([]);
    await notice().evaluate((el) => el.scrollIntoView());
    await shot('watchlist-04-notice-after-removal');
  });

  it('an import that ends while the Screening view is open: "last screened" shows the re-screening it caused', async () => {
    await nav(/^Screening/).click();
    const cell = savedTable().locator('tbody tr').filter({ hasText: 'Portfolio Q2' }).getByTestId('last-screened');
    const before = await cell.getAttribute('title');
    expect(before).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // the newer file again, started elsewhere (the CLI or another window would do the same)
    const r = await callBackend(app.backend, 'import.start', { paths: [newer], again: true });
    expect(r.ok).toBe(true);
    await notice().getByText('3 verdicts changed since the last import').waitFor({ timeout: 60_000 });
    const listed = await callBackend(app.backend, 'watchlist.list', {});
    const after = listed.ok ? listed.value.find((w) => w.name === 'Portfolio Q2')!.lastScreened : null;
    expect(after! > before!).toBe(true);
    // the table follows the re-screening, not the moment the import ended
    await page.waitForFunction((t) => document.querySelector('[data-testid="last-screened"]')?.getAttribute('title') === t, after, { timeout: 10_000 });
  });
});
