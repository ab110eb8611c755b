// The Sources view in real Chromium against the real backend (issue #15 "Plain language", #13
// "Remove a source"): a file whose format is not recognised gets a format picker (never a hint to
// pass a command-line flag) and imports in the chosen format.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, demo, startBrowserApp, type BrowserApp } from './harness';

describe('the Sources view in Chromium', () => {
  let app: BrowserApp;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: 'ownerscope-e2e-sources-' });
    page = app.page;
    await page.goto(app.server.openUrl);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByLabel('File', { exact: true }).first().fill(path.join(app.dir, 'sources.db'));
    await page.getByRole('button', { name: 'Create case database' }).click();
    await page.getByText('Overview: sources.db').waitFor();
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('offers a format picker for a file it cannot recognise and imports it in the chosen format', async () => {
    // an in-house list with an LEI column: csv-entities' detection leaves "lei" headers to the
    // registry formats (electron/backend/import/csv), so the app cannot tell what it is
    const clients = path.join(app.dir, 'clients.txt');
    writeFileSync(clients, 'id,scheme,name,kind,jurisdiction,lei\nK-1,csv,Kestrel Holdings AG,company,CH,\nK-2,csv,Anna Meier,person,,\n');
    await nav(/^Sources & import/).click();
    await page.getByLabel('Choose files to import').setInputFiles([clients, path.join(demo, 'cases-l1.xml')]);
    const files = page.getByRole('table', { name: 'Files to import' });
    const picker = files.getByLabel('Format of clients.txt');
    await picker.waitFor();
    // the detected file shows its format, the other one asks; nothing tells the user about a flag
    await files.getByText('gleif-l1-xml').waitFor();
    await files.getByText('Not recognised: which format is it?').waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(/--[a-z]/);
    const importButton = page.getByRole('button', { name: /^Import 2 files/ });
    expect(await importButton.isDisabled()).toBe(true);
    await page.getByText('Choose the format of clients.txt first.').waitFor();
    const options = await picker.locator('option').allInnerTexts();
    expect(options).toContain('In-house entities (CSV)');
    expect(options.length).toBeGreaterThan(5);
    await picker.selectOption({ label: 'In-house entities (CSV)' });
    await page.screenshot({ path: path.join(artifacts, 'sources-format-picker.png') });
    expect(await importButton.isDisabled()).toBe(false);
    await importButton.click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    expect(await page.getByText(/^Imported /).innerText()).toMatch(/clients\.txt \(2 records → 2 entities/);
    const sources = page.getByRole('table', { name: 'Sources' });
    const row = sources.getByRole('row').filter({ hasText: 'clients.txt' });
    expect(await row.innerText()).toMatch(/csv-entities/);
    expect(await sources.getByRole('row').filter({ hasText: 'cases-l1.xml' }).innerText()).toMatch(/gleif-l1-xml/);
    // the entities of the picked format are in the case
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Kestrel');
    await page.getByRole('table', { name: 'Search results' }).getByText('Kestrel Holdings AG').waitFor();
  });
});
