// The app's dates are ISO (YYYY-MM-DD) whatever the browser's locale (issue #15, "the date picker
// uses the app's ISO dates"): Chromium runs in en-US and de-DE, whose own date formats are
// 3/1/2024 and 1.3.2024; the Verdict view's as-of field shows today as YYYY-MM-DD, takes
// 2024-03-01, and the verdict is computed as of that date. A date in the locale's format is refused
// in the app's words.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, demo, startBrowserApp, type BrowserApp } from './harness';

describe.each([
  { locale: 'en-US', localeDate: '3/1/2024' },
  { locale: 'de-DE', localeDate: '1.3.2024' },
])('ISO dates in Chromium with the locale $locale', ({ locale, localeDate }) => {
  let app: BrowserApp;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: `ownerscope-e2e-dates-${locale}-`, locale, args: [`--lang=${locale}`] });
    page = app.page;
    await page.goto(app.server.openUrl);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByLabel('File', { exact: true }).first().fill(path.join(app.dir, 'dates.db'));
    await page.getByRole('button', { name: 'Create case database' }).click();
    await page.getByText('Overview: dates.db').waitFor();
    await nav(/^Sources & import/).click();
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

  it('runs the page in that locale (whose own dates are not ISO)', async () => {
    const seen = await page.evaluate(() => ({ lang: navigator.language, date: new Date(2024, 2, 1).toLocaleDateString() }));
    expect(seen).toEqual({ lang: locale, date: localeDate });
  });

  it('shows and takes the as-of date as YYYY-MM-DD, and computes the verdict as of it', async () => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Fidel');
    await page.getByRole('table', { name: 'Search results' }).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
    await nav(/^Verdict/).click();
    const asOf = page.getByLabel('As of');
    // today, in the app's format
    expect(await asOf.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await asOf.getAttribute('type')).toBe('text');

    // the locale's own format is refused, in the app's words, and nothing is computed
    await asOf.fill(localeDate);
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.getByText(`As of: "${localeDate}" is not a date YYYY-MM-DD`).waitFor();
    expect(await page.locator('.verdict-banner').count()).toBe(0);

    await asOf.fill('2024-03-01');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.locator('.verdict-banner').waitFor({ timeout: 60_000 });
    expect(await asOf.inputValue()).toBe('2024-03-01');
    // the whole date is visible, not cut by a narrow field
    expect(await asOf.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page.locator('.verdict-banner .as-of-meaning').innerText()).toMatch(/^As of 2024-03-01: /);
    await page.screenshot({ path: path.join(artifacts, `iso-dates-${locale}.png`) });
    // and the case opened on this verdict records that date, shown as such on its page
    await page.getByRole('button', { name: 'Decide…' }).click();
    await page.getByRole('button', { name: 'Open case' }).click();
    const dialog = page.getByRole('dialog', { name: /Who is working on this case database/ });
    await dialog.getByLabel('Investigator name').fill('Mira Okafor');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(/^Case /).first().waitFor();
    await nav(/^Cases/).click();
    await page.getByRole('table', { name: 'Investigative cases' }).getByRole('row').filter({ hasText: 'C-0001' }).getByText('C-0001').first().click();
    await page.getByRole('row').filter({ hasText: /^As of/ }).getByText('2024-03-01').waitFor();
  });
});
