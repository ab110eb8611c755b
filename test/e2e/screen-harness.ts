// The app in browser mode for an end-to-end test: the real backend on a temporary folder, the
// built renderer, Debian's Chromium through playwright-core.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Backend } from '../../electron/backend/api/backend';
import { browserHost } from '../../electron/backend/http/host';
import { startHttpServer, type RunningServer } from '../../electron/backend/http/server';
// @ts-expect-error plain ES module script without type declarations
import { ensureRendererBuilt } from '../../scripts/build-renderer.mjs';
// @ts-expect-error plain ES module script without type declarations
import { findBrowser } from '../../scripts/find-browser.mjs';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const DEMO = path.join(ROOT, 'demo');

export interface App {
  dir: string;
  backend: Backend;
  server: RunningServer;
  browser: BrowserContext;
  page: Page;
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startApp(prefix: string): Promise<App> {
  const BROWSER = findBrowser() as string | null;
  if (!BROWSER) throw new Error('No Chromium, Chrome or Edge found (OWNERSCOPE_BROWSER, PATH, usual install locations): run npm test, whose set-up installs or names it.');
  mkdirSync(ARTIFACTS, { recursive: true });
  const rendererDir = (await ensureRendererBuilt()) as string;
  const dir = mkdtempSync(path.join(os.tmpdir(), `ownerscope-${prefix}-`));
  const host = browserHost();
  const backend = new Backend({ dataDir: path.join(dir, 'home'), host, demoDir: DEMO });
  const server = await startHttpServer({ backend, rendererDir, onDownloads: (d) => host.bind(d) });
  const browser = await chromium.launchPersistentContext(path.join(dir, 'chromium'), {
    executablePath: BROWSER,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return {
    dir, backend, server, browser, page,
    shot: (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false }),
    close: async () => {
      await browser.close();
      await server.close();
      await backend.dispose();
    },
  };
}
