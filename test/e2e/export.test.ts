// "Export…" in the graph view (issue #17), in real Chromium against the real backend: the dialog
// exports the neighbourhood on screen, and the file it offers is the GraphML (or zipped CSV) that
// `ownerscope export` writes.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, demo, startBrowserApp, type BrowserApp } from './harness';

describe('Export… in Chromium', () => {
  let app: BrowserApp;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: 'ownerscope-e2e-export-' });
    page = app.page;
    await page.goto(app.server.openUrl);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByLabel('File', { exact: true }).first().fill(path.join(app.dir, 'export.db'));
    await page.getByRole('button', { name: 'Create case database' }).click();
    await page.getByText('Overview: export.db').waitFor();
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([
      path.join(demo, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'),
      path.join(demo, 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml'),
    ]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('exports the graph on screen as GraphML and as zipped CSV', async () => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Fidel');
    const results = page.getByRole('table', { name: 'Search results' });
    await results.getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
    await nav(/^Ownership graph/).click();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) > 1);
    const nodes = Number(await page.locator('.graph-canvas').getAttribute('data-nodes'));
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export data' });
    await dialog.getByLabel(/Export this neighbourhood as/).selectOption('graphml');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const status = dialog.getByRole('status');
    await status.waitFor({ timeout: 60_000 });
    expect(await status.innerText()).toMatch(/\d+ entities, \d+ links/);
    await page.screenshot({ path: path.join(artifacts, 'export-dialog.png') });
    const href = await dialog.getByRole('link', { name: 'download' }).getAttribute('href');
    expect(href).toBeTruthy();
    const graphml = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
    expect(graphml).toContain('<graphml');
    // every node the graph shows is in the file (the export has no clustering)
    expect((graphml.match(/<node /g) ?? []).length).toBeGreaterThanOrEqual(nodes);
    await dialog.getByLabel(/Export this neighbourhood as/).selectOption('csv');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.export-dialog a')?.getAttribute('href')?.includes('.csv.zip'));
    const zipHref = await dialog.getByRole('link', { name: 'download' }).getAttribute('href');
    const head = await page.evaluate(async (u) => [...new Uint8Array(await (await fetch(u!)).arrayBuffer()).slice(0, 2)], zipHref);
    expect(String.fromCharCode(...head)).toBe('PK');
  });
});
