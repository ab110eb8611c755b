// The Sources view in real Chromium against the real backend (issue #15 "Plain language", #13
// "Remove a source"): a file whose format is not recognised gets a format picker (never a hint to
// pass a command-line flag) and imports in the chosen format; two sources that state the same entity
// differently show in the entity's "Who said what" with what each said, and removing the newer one
// (after its confirmation) makes the entity fall back to the older one.
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

    // the same file again: skipped as already imported, and "Import again anyway" imports it in the
    // format chosen for it (not detected again, which would fail)
    await nav(/^Sources & import/).click();
    await page.getByLabel('Choose files to import').setInputFiles([clients]);
    await page.getByLabel('Format of clients.txt').selectOption('csv-entities');
    await page.getByRole('button', { name: /^Import 1 file/ }).click();
    const skipped = page.getByRole('status', { name: 'Skipped files' });
    await skipped.waitFor({ timeout: 60_000 });
    await skipped.getByRole('button', { name: 'Import again anyway' }).click();
    await page.getByText(/^Imported clients\.txt \(2 records/).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'clients.txt' }).count()).toBe(2);
  });

  it('shows who said what, and after "Remove" of a source falls back to the other one', async () => {
    const older = path.join(app.dir, 'register-2023.csv');
    const newer = path.join(app.dir, 'register-2024.csv');
    writeFileSync(older, 'id,scheme,name,kind,jurisdiction,status\nR-1,csv,Fennwick Holdings AG,company,CH,ACTIVE\nR-2,csv,Greta Lind,person,,\n');
    writeFileSync(newer, 'id,scheme,name,kind,jurisdiction,status\nR-1,csv,Fennwick Holding SA,company,LU,ACTIVE\nR-3,csv,Otto Brandt,person,,\n');
    await nav(/^Sources & import/).click();
    await page.getByLabel('Choose files to import').setInputFiles([older, newer]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported register-2023\.csv/).waitFor({ timeout: 60_000 });

    const openFennwick = async () => {
      await nav(/^Search/).click();
      await page.getByLabel('Search entities').fill('Fennwick');
      await page.getByRole('table', { name: 'Search results' }).getByRole('button', { name: /^Fennwick/ }).first().click();
      await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
    };
    await openFennwick();
    // the newer source's values, and both sources with what each said
    await page.getByRole('heading', { name: 'Fennwick Holding SA', level: 1 }).waitFor();
    await page.getByText('name, kind and status from register-2024.csv (row 2)').waitFor();
    const factSources = page.locator('.panel').filter({ has: page.getByRole('heading', { name: 'Sources of the facts shown' }) });
    expect(await factSources.innerText()).toMatch(/register-2024\.csv/);
    const said = page.getByRole('table', { name: 'Who said what' });
    const first = said.getByRole('row').filter({ hasText: 'register-2023.csv' });
    const second = said.getByRole('row').filter({ hasText: 'register-2024.csv' });
    expect(await first.innerText()).toMatch(/stated it first/);
    const changed = await second.innerText();
    expect(changed).toMatch(/changed it/);
    expect(changed).toMatch(/name: Fennwick Holdings AG → Fennwick Holding SA/);
    expect(changed).toMatch(/countries: jurisdiction CH → jurisdiction LU/);
    await said.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'sources-who-said-what.png'), fullPage: true });

    await nav(/^Sources & import/).click();
    const sources = page.getByRole('table', { name: 'Sources' });
    const removeNewer = sources.getByRole('button', { name: 'Remove register-2024.csv' });
    // dismissing the confirmation removes nothing
    const dismissed = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void d.dismiss(); }));
    await removeNewer.click();
    expect(await dismissed).toMatch(/^Remove source #\d+ register-2024\.csv\? Facts only it stated disappear, facts other sources also stated fall back to them/);
    expect(await sources.getByRole('row').filter({ hasText: 'register-2024.csv' }).count()).toBe(1);
    // confirmed: removed, and the app says what it did
    const messages: string[] = [];
    const onDialog = (d: import('playwright-core').Dialog) => { messages.push(d.message()); void d.accept(); };
    page.on('dialog', onDialog);
    await removeNewer.click();
    await sources.getByRole('row').filter({ hasText: 'register-2024.csv' }).waitFor({ state: 'detached' });
    page.off('dialog', onDialog);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatch(/^Removed register-2024\.csv: 1 record gone, 1 fell back to another source/);
    expect(await sources.getByRole('row').filter({ hasText: 'register-2023.csv' }).count()).toBe(1);

    // the entity falls back to what the older source said; the newer one is no longer listed
    await openFennwick();
    await page.getByText('name, kind and status from register-2023.csv (row 2)').waitFor();
    expect(await page.locator('#page-title').innerText()).toBe('Fennwick Holdings AG');
    expect(await page.locator('.panel').filter({ has: page.getByRole('heading', { name: 'Countries by role' }) }).innerText()).toMatch(/jurisdiction\s+CH/);
    expect(await factSources.innerText()).toMatch(/register-2023\.csv/);
    expect(await factSources.innerText()).not.toMatch(/register-2024\.csv/);
    const after = await page.getByRole('table', { name: 'Who said what' }).innerText();
    expect(after).toMatch(/register-2023\.csv/);
    expect(after).not.toMatch(/register-2024\.csv/);
    // what only the removed source stated is gone
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Otto Brandt');
    await page.getByText('No entity matches.').waitFor();
    await page.getByLabel('Search entities').fill('Greta Lind');
    await page.getByRole('table', { name: 'Search results' }).getByText('Greta Lind').waitFor();
  });
});
