// Names in every script in the app (issue #15): an entity owned by companies named in Hebrew,
// Georgian, Armenian, Thai, Bengali, Tamil, Ethiopic, Chinese, Korean, Arabic and Devanagari script
// (test/fixtures/csv/scripts). Each name is drawn with the app's own face for its script (the file
// the signed report embeds), not with whatever the machine has: the face is loaded
// (document.fonts) and Chromium's renderer says it drew the name's glyphs with it
// (CSS.getPlatformFontsForNode), every glyph of the name from that face.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, root, startBrowserApp, type BrowserApp } from './harness';

const FIX = path.join(root, 'test/fixtures/csv/scripts');
// script → the name in the fixture, the family the app declares, the PostScript name of the font in its file
const SCRIPTS: { script: string; name: string; family: string; font: RegExp }[] = [
  { script: 'Hebrew', name: 'אחזקות כרמל בע״מ', family: 'Ownerscope Hebrew', font: /^NotoSansHebrew-/ },
  { script: 'Georgian', name: 'საქართველოს ინვესტიციები', family: 'Ownerscope Georgian', font: /^NotoSansGeorgian-/ },
  { script: 'Armenian', name: 'Արարատ Հոլդինգ', family: 'Ownerscope Armenian', font: /^NotoSansArmenian-/ },
  { script: 'Thai', name: 'บริษัท สยาม โฮลดิ้ง จำกัด', family: 'Ownerscope Thai', font: /^NotoSansThai-/ },
  { script: 'Bengali', name: 'ঢাকা ট্রেডিং লিমিটেড', family: 'Ownerscope Bengali', font: /^NotoSansBengali-/ },
  { script: 'Tamil', name: 'சென்னை முதலீடுகள் நிறுவனம்', family: 'Ownerscope Tamil', font: /^NotoSansTamil-/ },
  { script: 'Ethiopic', name: 'አዲስ ንግድ ማኅበር', family: 'Ownerscope Ethiopic', font: /^NotoSansEthiopic-/ },
  { script: 'Han', name: '北京投资有限公司', family: 'Ownerscope CJK', font: /^NotoSansHans-/ },
  { script: 'Hangul', name: '서울투자 주식회사', family: 'Ownerscope Hangul', font: /^NotoSansKR-/ },
  { script: 'Arabic', name: 'شركة الخليج القابضة', family: 'Ownerscope Arabic', font: /^NotoNaskhArabic/ },
  { script: 'Devanagari', name: 'मुंबई होल्डिंग्स लिमिटेड', family: 'Ownerscope Devanagari', font: /^NotoSans-/ },
];

describe('names in every script in Chromium', () => {
  let app: BrowserApp;
  let page: Page;
  // the font files as the page loaded them: from the app's own origin, with their types
  const fontResponses: { url: string; type: string }[] = [];
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: 'ownerscope-e2e-scripts-', viewport: { width: 1280, height: 1100 } });
    page = app.page;
    page.on('response', (r) => {
      if (/\.(woff2?|otf|ttf)$/.test(new URL(r.url()).pathname)) fontResponses.push({ url: r.url(), type: r.headers()['content-type'] ?? '' });
    });
    await page.goto(app.server.openUrl);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByLabel('File', { exact: true }).first().fill(path.join(app.dir, 'scripts.db'));
    await page.getByRole('button', { name: 'Create case database' }).click();
    await page.getByText('Overview: scripts.db').waitFor();
    await nav(/^Sources & import/).click();
    await page.getByLabel('Choose files to import').setInputFiles([path.join(FIX, 'entities.csv'), path.join(FIX, 'links.csv')]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('draws each name with the app\'s face for its script', async () => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Polyglot');
    await page.getByRole('table', { name: 'Search results' }).getByRole('button', { name: 'Polyglot Holdings Ltd' }).click();
    const owners = page.getByRole('table', { name: 'Owners' });
    for (const s of SCRIPTS) await owners.getByRole('button', { name: s.name, exact: true }).waitFor();
    await page.evaluate(() => document.fonts.ready);

    // the faces the names needed are loaded; the ones no name on the page needs are not (unicode-range)
    const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/^["']|["']$/g, '')));
    for (const s of SCRIPTS) expect(loaded, s.script).toContain(s.family);
    for (const s of SCRIPTS) expect(await page.evaluate(([f, t]) => document.fonts.check(`13px "${f}"`, t), [s.family, s.name] as const), s.script).toBe(true);

    // and Chromium drew every glyph of each name with that face (no fallback to a system font)
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root: doc } = await cdp.send('DOM.getDocument', { depth: -1 });
    await page.evaluate((names) => {
      for (const b of document.querySelectorAll('table[aria-label="Owners"] button')) {
        const i = names.indexOf(b.textContent ?? '');
        if (i >= 0) b.setAttribute('data-script-probe', String(i));
      }
    }, SCRIPTS.map((s) => s.name));
    for (const [i, s] of SCRIPTS.entries()) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: doc.nodeId, selector: `[data-script-probe="${i}"]` });
      expect(nodeId, s.script).toBeGreaterThan(0);
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const own = fonts.filter((f) => f.isCustomFont && s.font.test(f.postScriptName));
      expect(own.length, `${s.script}: ${JSON.stringify(fonts)}`).toBeGreaterThan(0);
      // spaces may come from another face; every other glyph is the script face's (shaping can
      // join characters into fewer glyphs, never more from another font)
      const others = fonts.filter((f) => !own.includes(f)).reduce((n, f) => n + f.glyphCount, 0);
      expect(others, `${s.script}: ${JSON.stringify(fonts)}`).toBeLessThanOrEqual([...s.name].filter((c) => c === ' ').length);
      expect(own.reduce((n, f) => n + f.glyphCount, 0), s.script).toBeGreaterThan(0);
    }
    const origin = new URL(app.server.openUrl).origin;
    expect(fontResponses.length).toBeGreaterThanOrEqual(SCRIPTS.length);
    for (const r of fontResponses) {
      expect(r.url.startsWith(`${origin}/`), r.url).toBe(true);
      expect(r.type, r.url).toMatch(/^font\/(woff|otf|ttf)$/);
    }
    await page.getByRole('heading', { name: /^Owners/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'scripts-fonts.png'), fullPage: true });
  });
});
