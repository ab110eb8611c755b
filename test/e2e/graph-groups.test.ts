// The graph at the size of real groups (issue 15), in real Chromium against the real backend: a
// parent with 99 subsidiaries in 12 countries (test/fixtures/csv/realnames-group) is readable at
// "Fit", its country clusters expand and collapse by mouse and keyboard, and nodes in a country the
// policy restricts are marked before any verdict is computed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, root, startBrowserApp, type BrowserApp } from './harness';

describe('the graph of a real-size group in Chromium', () => {
  let app: BrowserApp;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false });
  const canvas = () => page.locator('.graph-canvas');
  const attr = async (name: string) => Number(await canvas().getAttribute(name));
  const selectedText = async () => ((await page.locator('.selected .strong').count()) ? page.locator('.selected .strong').innerText() : '');
  /** Pixels of the drawing within `tol` of an RGB colour: what the canvas shows, measured. */
  const pixels = (rgb: [number, number, number], tol = 24) =>
    page.evaluate(([r, g, b, t]) => {
      const c = document.querySelector('.graph-canvas canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 200 && Math.abs(d[i]! - r) <= t && Math.abs(d[i + 1]! - g) <= t && Math.abs(d[i + 2]! - b) <= t) n++;
      return n;
    }, [...rgb, tol] as const);
  const clickCentre = async () => {
    const box = (await canvas().boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  };
  const openSubject = async (name: RegExp) => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill(name.source.replace(/\\/g, ''));
    await page.getByRole('table', { name: 'Search results' }).getByRole('button', { name }).first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
    await nav(/^Ownership graph/).click();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) > 1);
    await page.waitForTimeout(300);
  };

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: 'ownerscope-e2e-groups-' });
    page = app.page;
    await page.goto(app.server.openUrl);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByLabel('File', { exact: true }).first().fill(path.join(app.dir, 'groups.db'));
    await page.getByRole('button', { name: 'Create case database' }).click();
    await page.getByText('Overview: groups.db').waitFor();
    const fx = path.join(root, 'test/fixtures/csv/realnames-group');
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([path.join(fx, 'entities.csv'), path.join(fx, 'links.csv')]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('draws 99 subsidiaries readable at Fit: country clusters, labels never below the readable zoom', async () => {
    await openSubject(/Southwood Cottontown, LLC/);
    // all 99 subsidiaries are loaded in one answer (no "and N more" at this size)
    expect(await attr('data-nodes')).toBe(104);
    await page.getByTestId('graph-counts').filter({ hasText: '8 country clusters' }).waitFor();
    expect(await page.getByTestId('graph-counts').innerText()).not.toContain('clustered');
    await page.getByRole('button', { name: 'Fit' }).click();
    await shot('30-graph-group-fit');
    const min = await attr('data-min-scale');
    expect(min).toBeGreaterThanOrEqual(0.7);
    expect(await attr('data-scale')).toBeGreaterThanOrEqual(min);
    // owner, subject, 8 clusters and the 5 subsidiaries of countries with fewer than 3
    expect(await attr('data-shown')).toBe(15);
    // a narrower window: fewer boxes per row, still never below the readable zoom at Fit
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Fit' }).click();
    expect(await attr('data-scale')).toBeGreaterThanOrEqual(min);
    await shot('30b-graph-group-fit-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Fit' }).click();
  });

  it('marks the Hong Kong subsidiaries from the policy in the Verdict form before any verdict', async () => {
    expect(await page.getByText('Compute a verdict to highlight restricted origins and paths.').count()).toBe(1);
    expect(await page.getByTestId('graph-policy').innerText()).toMatch(/Restricted regions \(>50%\): CN, HK, IR, KP, MO, RU/);
    // the border colour of a node in a restricted country is on the canvas
    const marked = await pixels([0xe1, 0x1d, 0x48]);
    expect(marked).toBeGreaterThan(100);
    await page.getByLabel('Find in graph').fill('royal pacific');
    await page.getByLabel('Find in graph').press('Enter');
    await page.getByTestId('graph-find-result').filter({ hasText: '1 of 1' }).waitFor();
    expect(await selectedText()).toBe('Royal Pacific Investments Limited');
    expect(await page.getByTestId('selected-restricted').innerText()).toBe('In a country restricted by Restricted regions (>50%) (HK), before any verdict');
    await shot('31-graph-group-restricted');
    // another policy in the form, with no restricted country: the marks go
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset').selectOption('ofac-50');
    await nav(/^Ownership graph/).click();
    await page.getByTestId('graph-policy').filter({ hasText: /: none$/ }).waitFor();
    await page.waitForTimeout(300);
    expect(await pixels([0xe1, 0x1d, 0x48])).toBe(0);
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset').selectOption('restricted-regions');
    await nav(/^Ownership graph/).click();
    await page.getByTestId('graph-policy').filter({ hasText: /HK/ }).waitFor();
  });

  it('expands a country cluster by mouse and collapses it with the - key; Space expands it, a click on its head collapses it', async () => {
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 15);
    await canvas().focus();
    // arrows walk the drawing top to bottom, left to right: owner, subject, then the US cluster
    for (let i = 0; i < 20 && !/subsidiaries in United States/.test(await selectedText()); i++) await page.keyboard.press('ArrowRight');
    expect(await selectedText()).toBe('33 subsidiaries in United States (US) (expand)');
    await shot('32-graph-group-cluster-selected');
    // the selected node is centred: a click there is a click on the cluster
    await clickCentre();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 15 + 33 + 3);
    expect(await selectedText()).toBe('33 in United States (US) (collapse −)');
    await page.getByRole('button', { name: 'Fit' }).click();
    expect(await attr('data-scale')).toBeGreaterThanOrEqual(await attr('data-min-scale'));
    await shot('33-graph-group-us-expanded');
    await canvas().focus();
    await page.keyboard.press('-');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 15);
    expect(await selectedText()).toBe('33 subsidiaries in United States (US) (expand)');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 51);
    // the "collapse" head takes the cluster's place: the same point of the canvas collapses it
    await page.getByRole('button', { name: 'Fit' }).click();
    await canvas().focus();
    // the head is selected: a step away and back centres it
    expect(await selectedText()).toBe('33 in United States (US) (collapse −)');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    expect(await selectedText()).toBe('33 in United States (US) (collapse −)');
    await clickCentre();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 15);
    // and the side panel's buttons do the same
    await page.getByRole('button', { name: 'Expand cluster' }).click();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 51);
    // "Export PNG" draws the whole drawing (taller than the window at a readable zoom), not the
    // part on screen, and leaves the view as it was
    await page.getByRole('button', { name: 'Fit' }).click();
    const scale = await attr('data-scale');
    const screen = await page.evaluate(() => {
      const c = document.querySelector('.graph-canvas canvas') as HTMLCanvasElement;
      return { w: c.width, h: c.height };
    });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
    const file = path.join(artifacts, 'graph-group-export.png');
    await dl.saveAs(file);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const [pw, ph] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    console.log(`PNG ${pw}x${ph}, canvas on screen ${screen.w}x${screen.h}`);
    expect(ph).toBeGreaterThan(screen.h * 1.5);
    expect(await attr('data-scale')).toBe(scale);
    expect(await page.evaluate(() => (document.querySelector('.graph-canvas canvas') as HTMLCanvasElement).height)).toBe(screen.h);
    await page.getByRole('button', { name: 'Collapse group' }).click();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 15);
  });

  it('finds a subsidiary hidden in a cluster: the cluster opens and the arrows go on from it', async () => {
    await page.getByLabel('Find in graph').fill('winrock');
    await page.getByLabel('Find in graph').press('Enter');
    await page.getByTestId('graph-find-result').filter({ hasText: '1 of 1' }).waitFor();
    expect(await selectedText()).toBe('Winrock Pads LLC');
    expect(await attr('data-shown')).toBe(51);
    expect(await attr('data-scale')).toBeGreaterThanOrEqual(await attr('data-min-scale'));
    await shot('34-graph-group-found');
    await canvas().focus();
    await page.keyboard.press('ArrowRight');
    expect(await selectedText()).not.toBe('Winrock Pads LLC');
    // - on a member collapses its group
    await page.keyboard.press('-');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 15);
  });

  it('pages beyond the view\'s 200 links per node with "and N more", and takes the page back with "Show fewer"', async () => {
    // generated here: a parent with 230 subsidiaries, more than one answer carries
    const ents = ['id,scheme,name,kind,jurisdiction', 'HUGE-0,csv,Hugeparent Holdings SA,company,LU'];
    const links = ['owner_ref,owned_ref,kind,share_exact'];
    for (let i = 1; i <= 230; i++) {
      ents.push(`HUGE-${i},csv,Huge Subsidiary ${String(i).padStart(3, '0')},company,${['FR', 'DE', 'ES'][i % 3]}`);
      links.push(`csv:HUGE-0,csv:HUGE-${i},shares,100`);
    }
    writeFileSync(path.join(app.dir, 'huge-entities.csv'), ents.join('\n'));
    writeFileSync(path.join(app.dir, 'huge-links.csv'), links.join('\n'));
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([path.join(app.dir, 'huge-entities.csv'), path.join(app.dir, 'huge-links.csv')]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    await openSubject(/Hugeparent Holdings SA/);
    // the subject, 200 subsidiaries (in 3 country clusters) and "and 30 more"
    expect(await attr('data-nodes')).toBe(202);
    expect(await attr('data-shown')).toBe(5);
    await page.getByLabel('Find in graph').fill('and 30 more');
    await page.getByLabel('Find in graph').press('Enter');
    await page.getByTestId('graph-find-result').filter({ hasText: '1 of 1' }).waitFor();
    await canvas().focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) === 231);
    // "Show fewer" is drawn and selected in its place
    expect(await selectedText()).toBe('Show fewer (hide 30)');
    await page.getByRole('button', { name: 'Fit' }).click();
    await shot('36-graph-show-fewer');
    await canvas().focus();
    await page.keyboard.press('-');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) === 202);
    expect(await selectedText()).toBe('and 30 more');
    // and once more, by mouse through the side panel's button
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) === 231);
    await page.getByRole('button', { name: 'Show fewer' }).click();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) === 202);
  });

  it('marks the country clusters of restricted countries before any verdict (big-group: RU, IR, CN, HK)', async () => {
    const fx = path.join(root, 'test/fixtures/csv/big-group');
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([path.join(fx, 'entities.csv'), path.join(fx, 'links.csv')]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    await openSubject(/Bighold Group plc/);
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(200);
    await shot('37-graph-restricted-clusters');
    expect(await page.getByTestId('graph-counts').innerText()).toContain('14 country clusters');
    // four clusters' borders: far more of the colour than one node's
    expect(await pixels([0xe1, 0x1d, 0x48])).toBeGreaterThan(400);
  });

  it('never hides a verdict\'s restricted origins in a cluster: 20 owners, the 15 in Russia shown once the verdict names them', async () => {
    // generated here: a company owned 4% each by 15 residents of Russia (60% together) and 5 of the UK
    const ents = ['id,scheme,name,kind,jurisdiction,residence', 'MAT-0,csv,Matryoshka Trading Ltd,company,GB,'];
    const links = ['owner_ref,owned_ref,kind,share_exact'];
    for (let i = 1; i <= 20; i++) {
      ents.push(`MAT-${i},csv,Owner Person ${String(i).padStart(2, '0')},person,,${i <= 15 ? 'RU' : 'GB'}`);
      links.push(`csv:MAT-${i},csv:MAT-0,shares,4`);
    }
    writeFileSync(path.join(app.dir, 'mat-entities.csv'), ents.join('\n'));
    writeFileSync(path.join(app.dir, 'mat-links.csv'), links.join('\n'));
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([path.join(app.dir, 'mat-entities.csv'), path.join(app.dir, 'mat-links.csv')]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    await openSubject(/Matryoshka Trading Ltd/);
    // before the verdict: the subject and two owner clusters (Russia marked restricted, the UK)
    await page.getByTestId('graph-counts').filter({ hasText: '2 country clusters' }).waitFor();
    expect(await attr('data-shown')).toBe(3);
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset').selectOption('restricted-regions');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.getByRole('heading', { name: 'Control method' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.verdict-banner .badge').innerText()).toMatch(/Restricted/i);
    await nav(/^Ownership graph/).click();
    // the 15 origins are drawn (their cluster is gone), the UK owners stay in theirs
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === 17);
    await page.getByTestId('graph-counts').filter({ hasText: '1 country cluster' }).waitFor();
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(200);
    await shot('38-graph-origins-pinned');
    // the verdict's origin fill is on the canvas
    expect(await pixels([0xfe, 0xca, 0xca], 6)).toBeGreaterThan(1000);
  });

  it('keeps the subject blue with a red border when it is itself in a restricted country', async () => {
    await openSubject(/Royal Pacific Investments Limited/);
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(200);
    await shot('35-graph-restricted-subject');
    expect(await pixels([0x1d, 0x4e, 0xd8], 10)).toBeGreaterThan(500);
    expect(await pixels([0xb9, 0x1c, 0x1c])).toBeGreaterThan(50);
  });
});
