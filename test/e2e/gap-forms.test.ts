// "Add the missing fact" from the two gaps whose forms differ from the owner-and-share form, in
// real Chromium against the real backend (browser mode), on variants of real records:
// - "link-may-have-ended": a GLEIF relationship that says INACTIVE without an end date (real
//   fund and manager records of test/fixtures/gleif, the manager moved to CN,
//   test/helpers/ended-links.ts): the form comes with the owner pre-filled and a "Held until"
//   field; the date from a document settles the gap;
// - "person-location": the first real record of the UK PSC snapshot sample (a 75-100% individual)
//   without nationality and residence: the form asks for the role and the country, and a
//   Chinese nationality from a document makes the company RESTRICTED.
// Screenshots in test-artifacts/gap-forms-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOk } from '../helpers/cli';
import { ENDED_FUND, gleifEnded } from '../helpers/ended-links';
import { artifacts, openCaseDb, root, startBrowserApp, type BrowserApp } from './harness';

const PSC_COMPANY = 'gb-coh:08209948';

describe('"Add the missing fact" from a may-have-ended gap and from a location gap (Chromium, browser mode)', () => {
  let app: BrowserApp;
  let db: string;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
  const shot = (name: string, part?: Locator) => (part ?? page.locator('main')).screenshot({ path: path.join(artifacts, `gap-forms-${name}.png`) });
  const badge = () => page.locator('.verdict-banner .badge').innerText();
  const gaps = () => page.locator('.gaps > li');
  const verdictOf = async (ref: string, asOf: string) => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill(ref);
    await page.getByRole('table', { name: 'Search results' }).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
    await nav(/^Verdict/).click();
    await page.getByLabel('As of').fill(asOf);
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.locator('.verdict-banner').waitFor({ timeout: 30_000 });
  };

  beforeAll(async () => {
    app = await startBrowserApp({
      prefix: 'ownerscope-e2e-gap-forms-',
      viewport: { width: 1280, height: 900 },
      async before(dir) {
        const files = gleifEnded('status-only').map((f) => {
          const p = path.join(dir, f.name);
          writeFileSync(p, f.text);
          return p;
        });
        const line = readFileSync(path.join(root, 'test/fixtures/psc/psc-snapshot-sample_2024-12.jsonl'), 'utf8').split('\n')[0]!;
        const rec = JSON.parse(line) as { company_number: string; data: Record<string, unknown> };
        expect(`gb-coh:${rec.company_number}`).toBe(PSC_COMPANY);
        delete rec.data['nationality'];
        delete rec.data['country_of_residence'];
        const psc = path.join(dir, 'psc.jsonl');
        writeFileSync(psc, `${JSON.stringify(rec)}\n`);
        db = path.join(dir, 'gaps.db');
        await runOk(['import', '--db', db, ...files, psc]);
      },
    });
    page = app.page;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('a link that may have ended: the form has the owner and "Held until"; the date from a document settles the gap', async () => {
    await openCaseDb(app, db);
    await verdictOf(ENDED_FUND, '2020-01-01');
    expect(await badge()).toMatch(/Indeterminate/i);
    const gap = gaps().filter({ hasText: /still held control of .* on 2020-01-01 is not known/ });
    await gap.waitFor();
    await gap.getByRole('button', { name: 'Add the missing fact' }).click();
    const form = page.getByRole('form', { name: 'Add the missing fact' });
    // pre-filled from the gap: the owner it names, the entity it holds
    await form.getByText('Hutchin Hill Capital, LP', { exact: true }).waitFor();
    await form.getByText('Fidelity Advisor Leveraged Company Stock Fund', { exact: true }).waitFor();
    await form.getByLabel('Kind of holding').selectOption('control');
    await form.getByLabel('Held until').fill('2019-06-30');
    await form.getByRole('button', { name: 'Cite a reference instead' }).click();
    await form.getByLabel(/^Reference/).fill('Fund prospectus supplement, 2019-07-01, p. 3');
    await form.getByLabel(/^Why/).fill('the supplement names the new manager from July 2019');
    await shot('01-held-until', form);
    await form.getByRole('button', { name: 'Save the fact and recompute' }).click();
    // the first write of this database asks who is working on it
    await page.getByLabel('Investigator name').fill('A. Li');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('assertion-line').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('assertion-line').innerText()).toMatch(/^data alone: INDETERMINATE; with 1 assertion: /);
    // the gap is settled: the asserted end date says the link did not hold on 2020-01-01
    await page.locator('.assertions-used').getByText(/Fund prospectus supplement/).waitFor();
    expect(await gaps().filter({ hasText: /still held/ }).count()).toBe(0);
    await shot('02-settled');
  });

  it('a person whose country is not known: the form asks for the role and the country; a Chinese nationality makes the company RESTRICTED', async () => {
    await verdictOf(PSC_COMPANY, '2024-12-01');
    expect(await badge()).toMatch(/Indeterminate/i);
    const gap = gaps().filter({ hasText: /the nationality or residence of Mr Marc Anthony Feldman, a natural person, is not known/ });
    await gap.getByRole('button', { name: 'Add the missing fact' }).click();
    const form = page.getByRole('form', { name: 'Add the missing fact' });
    await form.getByText('Mr Marc Anthony Feldman', { exact: true }).waitFor();
    // no owner or share to give: the location form
    expect(await form.getByLabel('Share').count()).toBe(0);
    await form.getByLabel('Role').selectOption('nationality');
    await form.getByRole('button', { name: 'Cite a reference instead' }).click();
    await form.getByLabel(/^Reference/).fill('Passport copy in the KYC file, 2024-11-02');
    await form.getByLabel(/^Why/).fill('the passport is Chinese');
    // no country yet: nothing can be saved
    expect(await form.getByRole('button', { name: 'Save the fact and recompute' }).isDisabled()).toBe(true);
    await form.getByLabel('Country').fill('CN');
    await shot('03-location', form);
    await form.getByRole('button', { name: 'Save the fact and recompute' }).click();
    await page.waitForFunction(() => /with 1 assertion: RESTRICTED/.test(document.querySelector('[data-testid="assertion-line"]')?.textContent ?? ''), null, { timeout: 30_000 });
    expect(await page.getByTestId('assertion-line').innerText()).toBe('data alone: INDETERMINATE; with 1 assertion: RESTRICTED');
    expect(await badge()).toMatch(/Restricted/i);
    expect(await gaps().filter({ hasText: /nationality or residence/ }).count()).toBe(0);
    await shot('04-restricted', page.locator('.verdict-banner'));
  });
});
