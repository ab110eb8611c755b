// Issue 14, "Assert a fact…" from the entity view, in real Chromium against the real backend
// (browser mode), on the real GLEIF excerpts of test/fixtures/gleif: a location asserted for an
// entity the registries give no country (ZZG38…, known only as a reference) is listed in the
// entity's assertions panel, marks the verdict on screen stale, and the recomputed verdict uses it
// (RESTRICTED, "data alone: INDETERMINATE; with 1 assertion: RESTRICTED"); then a kind (Swedeit
// is a state body, from a dropped document) turns its INDETERMINATE verdict CLEAR; then a listing
// (sanction) of the parent makes its consolidated subsidiary RESTRICTED under eu-50.
// Screenshots in test-artifacts/entity-facts-*.png.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { EXCERPT_LEI, GLEIF_EXCERPTS } from '../helpers/gleif-excerpts';
import { artifacts, openCaseDb, startBrowserApp, type BrowserApp } from './harness';

const FILES = GLEIF_EXCERPTS;
const PARENT_LEI = EXCERPT_LEI.parent;
const CHILD_LEI = EXCERPT_LEI.child;
const SWEDEIT_LEI = EXCERPT_LEI.swedeit;
const GAZETTE = 'Official gazette 2023/118: Swedeit Italian Aktiebolag is an agency of the Swedish state.\n';

describe('Assert a fact… from the entity view (Chromium, browser mode)', () => {
  let app: BrowserApp;
  let db: string;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
  const shot = (name: string, part?: Locator) => (part ?? page.locator('main')).screenshot({ path: path.join(artifacts, `entity-facts-${name}.png`) });
  const badge = () => page.locator('.verdict-banner .badge').innerText();
  const open = async (lei: string) => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill(lei);
    await page.getByRole('table', { name: 'Search results' }).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
  };
  const compute = async (expected: RegExp) => {
    await nav(/^Verdict/).click();
    await page.getByLabel('As of').fill('2023-06-10');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.getByTestId('verdict-stale').waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForFunction((re) => new RegExp(re, 'i').test(document.querySelector('.verdict-banner .badge')?.textContent ?? ''), expected.source, { timeout: 30_000 });
  };
  const form = () => page.getByRole('form', { name: 'Assert a fact' });

  beforeAll(async () => {
    app = await startBrowserApp({
      prefix: 'ownerscope-e2e-facts-',
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

  it('opens the case database; the parent known only as a reference is INDETERMINATE', async () => {
    await openCaseDb(app, db);
    await open(PARENT_LEI);
    await compute(/Indeterminate/);
    expect(await page.getByTestId('assertion-line').count()).toBe(0);
  });

  it('asserts its jurisdiction from the entity view: the form says what is missing, refuses a country that is not a code, records it', async () => {
    await nav(/^Entity/).click();
    await page.getByRole('button', { name: 'Assert a fact…' }).click();
    const f = form();
    await f.waitFor();
    const save = f.getByRole('button', { name: 'Save the fact', exact: true });
    expect(await save.isDisabled()).toBe(true);
    await f.getByText('Give the country. Give a document or a reference. Say why.').waitFor();
    await f.getByLabel('Role', { exact: true }).selectOption('jurisdiction');
    await f.getByLabel('Country', { exact: true }).fill('Russia');
    await f.getByText(/"Russia" is not an ISO 3166-1 alpha-2 code/).first().waitFor();
    await f.getByLabel('Country', { exact: true }).fill('ru');
    await f.getByRole('button', { name: 'Cite a reference instead' }).click();
    await f.getByLabel(/^Reference/).fill('EGRUL extract 1027700132195 (2023-05-12)');
    await f.getByLabel('Page or section').fill('section 2');
    await f.getByLabel(/^Why/).fill('the extract gives its registered jurisdiction');
    expect(await save.isDisabled()).toBe(false);
    await shot('01-location-form', f);
    await save.click();
    // the first write of this database asks who is working on it
    await page.getByLabel('Investigator name').fill('A. Li');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('fact-recorded').filter({ hasText: /jurisdiction RU/ }).waitFor({ timeout: 30_000 });
    const table = page.getByRole('table', { name: 'Investigator assertions' });
    const row = table.locator('tbody tr').filter({ hasText: 'jurisdiction RU' });
    await row.getByText('EGRUL extract 1027700132195 (2023-05-12)').waitFor();
    await row.getByText('section 2').waitFor();
    await row.getByText('A. Li').waitFor();
    await row.getByText('active').waitFor();
    expect(await form().count()).toBe(0);
    await shot('02-location-panel', page.locator('.assertions-used'));
  });

  it('the verdict on screen is stale; recomputed, it uses the location: RESTRICTED', async () => {
    await nav(/^Verdict/).click();
    await page.getByTestId('verdict-stale').filter({ hasText: 'an investigator assertion was added' }).waitFor();
    await shot('03-stale', page.getByTestId('verdict-stale'));
    await compute(/Restricted/);
    expect(await page.getByTestId('assertion-line').innerText()).toBe('data alone: INDETERMINATE; with 1 assertion: RESTRICTED');
    await page.locator('.assertions-used').getByText(/jurisdiction RU/).waitFor();
    await page.getByText(/itself a restricted origin \(jurisdiction in RU\)/).first().waitFor();
    await shot('04-verdict-location', page.locator('.verdict-banner'));
  });

  it('a kind from a dropped document: Swedeit is a state body, and its verdict goes from INDETERMINATE to CLEAR', async () => {
    await open(SWEDEIT_LEI);
    await compute(/Indeterminate/);
    await nav(/^Entity/).click();
    await page.getByRole('button', { name: 'Assert a fact…' }).click();
    const f = form();
    await f.getByLabel('What it is (its kind)').check();
    await f.getByLabel('Kind of entity', { exact: true }).selectOption('state-body');
    await page.getByTestId('fact-dropzone').evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'gazette.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, GAZETTE);
    await f.getByText(/gazette\.txt.*stored in the case database/).waitFor();
    await f.getByLabel('Page or section').fill('p. 3');
    await f.getByLabel(/^Why/).fill('the gazette names it a state agency');
    await shot('05-kind-form', f);
    await f.getByRole('button', { name: 'Save the fact', exact: true }).click();
    await page.getByTestId('fact-recorded').filter({ hasText: /is a state body/ }).waitFor({ timeout: 30_000 });
    // beside the registry's kind, marked as asserted
    await page.getByTestId('asserted-tag').filter({ hasText: 'state-body (asserted)' }).waitFor();
    const sha = createHash('sha256').update(GAZETTE).digest('hex');
    const row = page.getByRole('table', { name: 'Investigator assertions' }).locator('tbody tr').filter({ hasText: 'is a state body' });
    await row.getByText('gazette.txt').waitFor();
    await row.getByText(`sha256 ${sha.slice(0, 12)}…`).waitFor();
    await shot('06-kind-entity', page.locator('main'));

    await nav(/^Verdict/).click();
    await page.getByTestId('verdict-stale').waitFor();
    await compute(/Clear/);
    expect(await page.getByTestId('assertion-line').innerText()).toBe('data alone: INDETERMINATE; with 1 assertion: CLEAR');
    await shot('07-verdict-kind', page.locator('.verdict-banner'));
  });

  it('a listing of the parent (topics ticked and typed) makes its consolidated subsidiary RESTRICTED under eu-50', async () => {
    await open(CHILD_LEI);
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset').selectOption('eu-50');
    await compute(/Indeterminate/);
    // the location asserted above makes the parent an origin by country only under restricted-regions; eu-50 reads lists
    await open(PARENT_LEI);
    await page.getByRole('button', { name: 'Assert a fact…' }).click();
    const f = form();
    await f.getByLabel('A listed or restricted party').check();
    await f.getByText('Name the list.').waitFor();
    await f.getByLabel('List', { exact: true }).fill('EU consolidated financial sanctions list');
    // a derived topic is refused before anything is sent
    await f.getByLabel('Other topics').fill('sanction.linked');
    await f.getByText(/derived topic, never an origin/).first().waitFor();
    expect(await f.getByRole('button', { name: 'Save the fact', exact: true }).isDisabled()).toBe(true);
    await f.getByLabel('Other topics').fill('crime.fin');
    await f.getByRole('button', { name: 'Cite a reference instead' }).click();
    await f.getByLabel(/^Reference/).fill('EU FSF entry EU.1234.56');
    await f.getByLabel(/^Why/).fill('the LEI is named in the entry');
    await shot('08-listed-form', f);
    await f.getByRole('button', { name: 'Save the fact', exact: true }).click();
    await page.getByTestId('fact-recorded').filter({ hasText: /listed on EU consolidated financial sanctions list \(crime\.fin, sanction\)/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('asserted-tag').filter({ hasText: 'sanction (asserted)' }).waitFor();

    await open(CHILD_LEI);
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset').selectOption('eu-50');
    await compute(/Restricted/);
    // the parent's two assertions are read: its location (not restricted under eu-50) and the listing
    expect(await page.getByTestId('assertion-line').innerText()).toBe('data alone: INDETERMINATE; with 2 assertions: RESTRICTED');
    await page.locator('.assertions-used').getByText(/listed on EU consolidated financial sanctions list/).waitFor();
    // the evidence path's origin is marked: what makes it one was asserted (its location and its listing)
    await page.locator('.paths').getByText(/asserted by investigator \(assertion 1, 3\)/).waitFor();
    await shot('10-path-origin', page.locator('.paths'));
    await shot('09-verdict-listed', page.locator('main'));
  });
});
