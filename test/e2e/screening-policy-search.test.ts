// End to end in Chromium, as an investigator would (issue 15): a batch import with one bad file,
// typo- and transliteration-tolerant search with Enter on a pasted query and paging, the policy
// editor (countries by name, threshold, save a named policy, effective SHA-256), and portfolio
// screening (summary counts, an ambiguous row resolved in place, pages, the export).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBackend } from '../../electron/backend/api/dispatch';
import { demo as DEMO, startBrowserApp, type BrowserApp as App } from './harness';

describe('Screening, policies, search and batch import in Chromium', () => {
  let app: App;
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: 'ownerscope-e2e-screen15-' });
    page = app.page;
    // the case database is made through the API: this test is about what follows
    const c = await callBackend(app.backend, 'case.create', { path: path.join(app.dir, 'portfolio-case.db') });
    expect(c.ok).toBe(true);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('imports a batch with one bad file: the good files are in, the bad one is listed with its reason', async () => {
    const good = readFileSync(path.join(DEMO, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), 'utf8');
    const bad = path.join(app.dir, 'truncated-lei.xml');
    writeFileSync(bad, good.slice(0, Math.floor(good.length * 0.6)));
    // a register extract in Cyrillic and Greek with no transliteration of its own
    const register = path.join(app.dir, 'register.csv');
    writeFileSync(register, 'id,scheme,name,identifiers,jurisdiction\nRU-1,csv,ООО Газпром,,RU\nGR-1,csv,Ελληνική Εταιρεία Συμμετοχών,,GR\n');
    await page.goto(app.server.openUrl);
    await nav(/^Sources/).click();
    await page.getByLabel('Choose files to import').setInputFiles([
      path.join(DEMO, 'cases-l1.xml'), bad, path.join(DEMO, 'cases-rr.xml'), path.join(DEMO, 'cases-repex.xml'), register,
    ]);
    await page.getByRole('button', { name: /^Import 5 files/ }).click();
    const failed = page.getByRole('alert', { name: 'Files not imported' });
    await failed.waitFor({ timeout: 60_000 });
    expect(await failed.innerText()).toMatch(/truncated-lei\.xml.*(line \d+|byte \d+)/s);
    await page.getByText(/^Imported cases-l1\.xml/).waitFor();
    const sources = page.getByRole('table', { name: 'Sources' });
    expect(await sources.getByRole('row').count()).toBe(5); // header + 4 good files
    expect(await sources.innerText()).not.toContain('truncated-lei.xml');
    await app.shot('s15-01-batch-import');
  });

  it('finds "Pearl Harbour" from "Pearl Harbor", "ООО Газпром" from "OOO Gazprom", and Enter opens the hit of the query pasted', async () => {
    await nav(/^Search/).click();
    const box = page.getByLabel('Search entities');
    const results = page.getByRole('table', { name: 'Search results' });
    await box.fill('Pearl Harbor');
    await results.getByText('Pearl Harbour Trading Limited').waitFor();
    expect(await results.innerText()).toContain('similar spelling');
    await app.shot('s15-02-search-typo');
    await box.fill('OOO Gazprom');
    await results.getByText('ООО Газпром').waitFor();
    expect(await results.innerText()).toContain('transliterated');
    await app.shot('s15-03-search-transliterated');
    // results of "Atlas" on screen, then a pasted query and Enter at once: its own hit opens
    await box.fill('Atlas');
    await results.getByText('Atlas Master Fund').waitFor();
    await box.fill('Elliniki Etaireia');
    await box.press('Enter');
    await page.getByRole('heading', { name: 'Ελληνική Εταιρεία Συμμετοχών' }).waitFor();
    await app.shot('s15-04-enter-opens');
  });

  it('pages search results beyond the first 50', async () => {
    // sixty more companies whose names share a word
    const many = path.join(app.dir, 'many.csv');
    writeFileSync(many, 'id,scheme,name,identifiers,jurisdiction\n' + Array.from({ length: 60 }, (_, i) => `M-${i},csv,Meridian Shipping ${String(i).padStart(2, '0')} Ltd,,GB`).join('\n') + '\n');
    await nav(/^Sources/).click();
    await page.getByLabel('Choose files to import').setInputFiles(many);
    await page.getByRole('button', { name: /^Import 1 file/ }).click();
    await page.getByText(/^Imported many\.csv/).waitFor({ timeout: 60_000 });
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Meridian Shipping');
    const rows = page.getByRole('table', { name: 'Search results' }).getByRole('row');
    await page.getByText('50+ found').waitFor();
    expect(await rows.count()).toBe(51);
    await page.getByRole('button', { name: 'Show more results' }).click();
    await page.getByText('60 found').waitFor();
    expect(await rows.count()).toBe(61);
    expect(await page.getByRole('button', { name: 'Show more results' }).count()).toBe(0);
  });

  it('edits a policy with fields, shows its SHA-256, saves it by name, and computes under it', async () => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Atlas Master Fund');
    await page.getByLabel('Search entities').press('Enter');
    await page.getByRole('heading', { name: 'Atlas Master Fund' }).waitFor();
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset', { exact: true }).selectOption('restricted-regions');
    await page.getByRole('button', { name: 'Edit a copy' }).click();
    const editor = page.getByLabel('Policy editor');
    await editor.waitFor();
    // countries by name or code: "belar" finds Belarus (BY); one already chosen is not offered
    await page.getByLabel('Find a country').fill('belar');
    await page.getByRole('list', { name: 'Countries found' }).getByRole('button', { name: /^Belarus BY/ }).click();
    await page.getByLabel('Restricted countries chosen').getByText('Belarus (BY)').waitFor();
    await page.getByLabel('Find a country').fill('iran');
    expect(await page.getByRole('list', { name: 'Countries found' }).count()).toBe(0);
    await page.getByLabel('Restricted when the share is').selectOption('gt');
    await page.getByLabel('Threshold (percent)').fill('25');
    await page.getByLabel('Name', { exact: true }).fill('Sanctions desk 25%');
    // the effective policy of the edits, as the engine reads it, and its hash
    await page.locator('.effective-policy').getByText('Sanctions desk 25%').waitFor();
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.querySelector('.policy-sha')?.textContent ?? ''));
    const hash = await page.locator('.policy-sha').innerText();
    await app.shot('s15-05-policy-editor');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/saved as "Sanctions desk 25%" in the case database/).waitFor();
    // the JSON underneath is still there, as "advanced"
    await page.getByRole('button', { name: 'Advanced (JSON)' }).click();
    const json = JSON.parse(await page.getByLabel(/Edited policy/).inputValue()) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'Sanctions desk 25%', threshold: 25, comparison: 'gt' });
    expect(json.restrictedCountries).toContain('BY');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.getByText(/^policy Sanctions desk 25% · sha256/).waitFor({ timeout: 30_000 });
    expect(await page.getByText(/^policy Sanctions desk 25% · sha256/).innerText()).toContain(hash.slice(0, 16));
    await app.shot('s15-06-verdict-under-saved-policy');
    const saved = await callBackend(app.backend, 'policy.saved', {});
    expect(saved.ok && saved.value.map((p) => p.name)).toEqual(['Sanctions desk 25%']);
  });

  it('screens a portfolio: summary counts, an ambiguous row chosen in place, pages, and the export', async () => {
    const list = path.join(app.dir, 'portfolio.csv');
    const filler = Array.from({ length: 140 }, () => 'lei:RUHEAD00000000000414,');
    writeFileSync(list, ['ref,name', 'lei:HKSUB000000000000283,', ',Atlas', ',Qwxyz Nonexistent Zzz', ',', ',浙江测试控股集团有限公司', ...filler].join('\n') + '\n');
    await nav(/^Screening/).click();
    await page.getByLabel('Choose a CSV list').setInputFiles(list);
    await page.getByText('portfolio.csv').waitFor();
    await page.getByLabel('Policy', { exact: true }).selectOption({ label: 'Sanctions desk 25% (saved)' });
    await page.getByRole('button', { name: 'Run screening' }).click();
    const summary = page.getByRole('group', { name: 'Screening summary' });
    await page.getByText(/145 row\(s\) under Sanctions desk 25%/).waitFor({ timeout: 60_000 });
    const count = async (label: string) => Number((await summary.getByRole('button', { name: new RegExp(label) }).locator('.summary-count').innerText()).replace(/,/g, ''));
    await expect.poll(() => count('Ambiguous')).toBe(1);
    expect(await count('Not found')).toBe(1);
    expect(await count('Invalid')).toBe(1);
    expect((await count('Restricted')) + (await count('Indeterminate')) + (await count('Clear'))).toBe(142);
    expect(await page.locator('.screen-basis').innerText()).toMatch(/data as of \d{4}-\d{2}-\d{2}/);
    const table = page.getByRole('table', { name: 'Screening results' });
    // the Chinese name renders in the reference column too (a shipped CJK face, not boxes)
    await table.getByText('浙江测试控股集团有限公司').first().waitFor();
    const ref = table.locator('td.mono').filter({ hasText: '浙江测试控股集团有限公司' }).first();
    expect(await ref.evaluate((el) => getComputedStyle(el).fontFamily)).toContain('Ownerscope CJK');
    expect(await page.evaluate(async () => (await document.fonts.load('12px "Ownerscope CJK"', '浙江测试')).length)).toBeGreaterThan(0);
    await app.shot('s15-07-screening-summary');
    // pages of 100 rows
    await page.getByText('rows 1–100 of 145').waitFor();
    await page.getByRole('navigation', { name: 'Result pages' }).getByRole('button', { name: 'Next' }).click();
    await page.getByText('rows 101–145 of 145').waitFor();
    await page.getByRole('navigation', { name: 'Result pages' }).getByRole('button', { name: 'Previous' }).click();
    // the ambiguous row: choose its entity in place
    await summary.getByRole('button', { name: /Ambiguous/ }).click();
    const choose = page.getByLabel('Choose the entity of row 3');
    await choose.waitFor();
    await app.shot('s15-08-screening-ambiguous');
    // each candidate shows its identifiers beside its name
    const option = choose.locator('option', { hasText: /^Atlas Master Fund — lei:/ });
    await choose.selectOption((await option.getAttribute('value'))!);
    await summary.getByRole('button', { name: /Ambiguous/ }).click();
    await table.getByText('(chosen)').waitFor();
    await expect.poll(() => count('Ambiguous')).toBe(0);
    expect((await count('Restricted')) + (await count('Indeterminate')) + (await count('Clear'))).toBe(143);
    await app.shot('s15-09-screening-chosen');
    // the export for Excel: BOM, the policy columns, the chosen row
    await page.getByLabel('for Excel').check();
    const popup = page.waitForEvent('popup').catch(() => null);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await popup;
    const exports = path.join(app.dir, 'home', 'exports');
    const file = readdirSync(exports).find((f) => f.endsWith('-excel.csv'))!;
    const bytes = readFileSync(path.join(exports, file));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\n')[0]).toContain('policy,policy_sha256,as_of,data_date');
    expect(text).toMatch(/,Atlas,chosen,\d+,Atlas Master Fund,/);
    expect(text).toContain('Sanctions desk 25%');
  });
});
