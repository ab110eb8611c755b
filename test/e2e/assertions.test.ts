// Issue 14 in real Chromium against the real backend (browser mode), on the real GLEIF excerpts
// of test/fixtures/gleif: a verdict INDETERMINATE because GLEIF withholds the parent (reporting
// exception NON_PUBLIC) → "Add the missing fact" on its gap → the form pre-filled from the gap →
// a new owner, the share, a document dropped on the form, page and reason → saved: the verdict
// is RESTRICTED in place with "data alone: INDETERMINATE; with 2 assertions: RESTRICTED" → the
// graph draws the asserted link dotted, with its legend entry → the entity view lists the
// assertion with the document's SHA-256 → Retract (with a reason) → the verdict goes back; then an
// owner the database holds, found by search, with a reference instead of a file.
// Screenshots in test-artifacts/assertions-*.png.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { EXCERPT_LEI, GLEIF_EXCERPTS } from '../helpers/gleif-excerpts';
import { artifacts, openCaseDb, startBrowserApp, type BrowserApp } from './harness';

const FILES = GLEIF_EXCERPTS;
const WITHHELD_LEI = EXCERPT_LEI.withheld;
const REGISTER = 'Shareholder register extract, 01370W6ZIY66KQ4J3570, 2023-05-31\nIvan Petrov (RU): 60%\n';

describe('investigator assertions in the app (Chromium, browser mode)', () => {
  let app: BrowserApp;
  let db: string;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
  // the page scrolls inside its main area: a full-page shot would cut it; the part that matters instead
  const shot = (name: string, part?: Locator) => (part ?? page.locator('main')).screenshot({ path: path.join(artifacts, `assertions-${name}.png`) });
  const badge = () => page.locator('.verdict-banner .badge').innerText();

  beforeAll(async () => {
    app = await startBrowserApp({
      prefix: 'ownerscope-e2e-assert-',
      viewport: { width: 1280, height: 900 },
      async before(d) {
        db = path.join(d, 'gleif.db');
        const imported = await runCli(['import', '--db', db, ...FILES]);
        expect(imported.code, imported.stderr).toBe(0);
      },
    });
    page = app.page;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('opens the case database and the subject whose parent GLEIF withholds', async () => {
    await openCaseDb(app, db);
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill(WITHHELD_LEI);
    await page.getByRole('table', { name: 'Search results' }).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
  });

  it('the verdict is INDETERMINATE with an undisclosed-owner gap; the form opens pre-filled from it', async () => {
    await nav(/^Verdict/).click();
    await page.getByLabel('As of').fill('2023-06-10');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.locator('.verdict-banner').waitFor({ timeout: 30_000 });
    expect(await badge()).toMatch(/Indeterminate/i);
    expect(await page.getByTestId('assertion-line').count()).toBe(0);
    const gap = page.locator('.gaps > li').filter({ hasText: /undisclosed/ }).first();
    await shot('00-gap', gap);
    await gap.getByRole('button', { name: 'Add the missing fact' }).click();
    const form = page.getByRole('form', { name: 'Add the missing fact' });
    await form.waitFor();
    // the whole undisclosed part (GLEIF withholds the parent: all of it) is the share proposed
    expect(await form.getByLabel('Share').inputValue()).toBe('100');
    // nothing can be saved before an owner, a document and a reason are given
    expect(await form.getByRole('button', { name: 'Save the fact and recompute' }).isDisabled()).toBe(true);
    await form.getByText(/Choose the owner\. Give a document or a reference\. Say why\./).waitFor();
  });

  it('a new owner, the share, a dropped document, page and reason: saved, the verdict is RESTRICTED in place', async () => {
    const form = page.getByRole('form', { name: 'Add the missing fact' });
    await form.getByLabel('A new entity the registries do not have').check();
    await form.getByLabel('Name', { exact: true }).fill('Ivan Petrov');
    await form.getByLabel('Kind of entity').selectOption('person');
    await form.getByLabel('Country', { exact: true }).fill('RU');
    // a typo is said before anything is sent
    await form.getByLabel('Share').fill('60 percent');
    await form.getByText(/"60 percent" is not a share/).waitFor();
    await form.getByLabel('Share').fill('60%');
    // the document dropped on the form (not the window: that would verify a dropped report)
    await page.getByTestId('assertion-dropzone').evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'register.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, REGISTER);
    await form.getByText(/register\.txt.*stored in the case database/).waitFor();
    await form.getByLabel('Page or section').fill('p. 1, line 2');
    await form.getByLabel(/^Why/).fill('the register names the withheld holder');
    await shot('01-form', form);
    await form.getByRole('button', { name: 'Save the fact and recompute' }).click();
    // the first write of this database asks who is working on it
    await page.getByLabel('Investigator name').fill('A. Li');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('assertion-line').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('assertion-line').innerText()).toBe('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
    expect(await badge()).toMatch(/Restricted/i);
    const used = page.locator('.assertions-used');
    await used.getByText(/Ivan Petrov .* holds 60% \(shares\)/).waitFor();
    const sha = createHash('sha256').update(REGISTER).digest('hex');
    await used.getByText(new RegExp(`register\\.txt \\(sha256 ${sha.slice(0, 12)}…\\), p\\. 1, line 2`)).first().waitFor();
    // the evidence path marks the asserted link
    await page.locator('.paths').getByText('asserted by investigator', { exact: true }).waitFor();
    // and its origin, the asserted person, names the assertion that created it
    await page.locator('.paths').getByText(/^asserted by investigator \(assertion \d+\)$/).waitFor();
    await shot('02-verdict-restricted', page.locator('.verdict-banner'));
    await shot('02b-assertions-used', used);
  });

  it('the graph draws the asserted link in its own style, with a legend entry', async () => {
    await nav(/^Ownership graph/).click();
    const canvas = page.locator('.graph-canvas');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes') ?? 0) > 1, null, { timeout: 30_000 });
    expect(await canvas.getAttribute('data-asserted')).toBe('1');
    await page.getByTestId('legend-asserted').filter({ hasText: 'asserted by investigator' }).waitFor();
    const style = await page.getByTestId('legend-asserted').locator('.ln').evaluate((el) => getComputedStyle(el).borderTopStyle);
    expect(style).toBe('dotted');
    await page.getByTestId('graph-counts').filter({ hasText: '1 asserted by the investigator' }).waitFor();
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(500);
    await shot('03-graph', page.locator('.graph-wrap'));
  });

  it('the entity view lists the assertion; Retract asks why; the verdict goes back to INDETERMINATE', async () => {
    await nav(/^Entity/).click();
    const table = page.getByRole('table', { name: 'Investigator assertions' });
    await table.waitFor();
    const row = table.locator('tbody tr').filter({ hasText: 'holds 60%' });
    await row.getByText('register.txt').waitFor();
    await row.getByText('the register names the withheld holder').waitFor();
    await row.getByText('A. Li').waitFor();
    await row.getByText('active').waitFor();
    // the owners table marks the asserted link as the investigator's
    await page.getByRole('table', { name: 'Owners' }).getByText('asserted by investigator').waitFor();
    await shot('04a-entity-assertions', table);
    await row.getByRole('button', { name: /^Retract assertion/ }).click();
    const submit = row.getByRole('button', { name: 'Retract', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    await row.getByLabel('Why retract it?').fill('the register extract was superseded');
    await submit.click();
    const retracted = table.locator('tbody tr.is-retracted').filter({ hasText: 'holds 60%' });
    await retracted.getByText(/the register extract was superseded/).waitFor();
    await shot('04-entity-retracted', table);

    await nav(/^Verdict/).click();
    // the verdict on screen was computed with the assertion: it says it is stale
    await page.getByTestId('verdict-stale').filter({ hasText: 'retracted' }).waitFor();
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.getByTestId('verdict-stale').waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForFunction(() => /Indeterminate/i.test(document.querySelector('.verdict-banner .badge')?.textContent ?? ''), null, { timeout: 30_000 });
    expect(await page.getByTestId('assertion-line').count()).toBe(0);
    await shot('05-verdict-back', page.locator('.verdict-banner'));
  });

  it('an owner the database holds, found by search, and a reference instead of a file', async () => {
    const gap = page.locator('.gaps > li').filter({ hasText: /undisclosed/ }).first();
    await gap.getByRole('button', { name: 'Add the missing fact' }).click();
    const form = page.getByRole('form', { name: 'Add the missing fact' });
    // the person asserted before is an entity of the database now
    await form.getByLabel('Search the owner').fill('Ivan Pet');
    await form.getByRole('list', { name: 'Owner candidates' }).getByRole('button', { name: 'Ivan Petrov' }).click();
    await form.getByRole('button', { name: 'Change' }).waitFor();
    await form.getByLabel('Share').fill('(50,60]');
    await form.getByRole('button', { name: 'Cite a reference instead' }).click();
    await form.getByLabel(/^Reference/).fill('Companies register extract 2023/118');
    await form.getByLabel(/^Why/).fill('the extract names him');
    await form.getByRole('button', { name: 'Save the fact and recompute' }).click();
    await page.getByTestId('assertion-line').waitFor({ timeout: 30_000 });
    // the entity assertion and the new link: the retracted link no longer counts
    expect(await page.getByTestId('assertion-line').innerText()).toBe('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
    await page.locator('.assertions-used').getByText(/Companies register extract 2023\/118/).waitFor();
    await shot('06-reference', page.locator('.assertions-used'));
  });
});
