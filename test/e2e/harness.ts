// The app in real Chromium (Debian's, via playwright-core) in browser mode against the real
// backend on a temporary data folder: shared by the end-to-end test files.
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

export const root = path.resolve(__dirname, '../..');
export const artifacts = path.join(root, 'test-artifacts');
export const demo = path.join(root, 'demo');

export interface BrowserApp {
  dir: string;
  backend: Backend;
  server: RunningServer;
  browser: BrowserContext;
  page: Page;
  /** A screenshot of the window into test-artifacts/NAME.png, for a person to look at. */
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Builds the renderer if needed, starts the backend and its HTTP server, opens a fresh Chromium profile. */
export async function startBrowserApp(options: {
  prefix: string;
  viewport?: { width: number; height: number };
  before?: (dir: string) => Promise<void>;
  /** the browser's locale (navigator.language, Intl, the date picker's format) and extra Chromium arguments */
  locale?: string;
  args?: string[];
}): Promise<BrowserApp> {
  // npm test's set-up (scripts/test-preflight.mjs) makes sure there is one, or stops before the tests
  const executablePath = findBrowser() as string | null;
  if (!executablePath) throw new Error('No Chromium, Chrome or Edge found (OWNERSCOPE_BROWSER, PATH, usual install locations): run npm test, whose set-up installs or names it.');
  mkdirSync(artifacts, { recursive: true });
  const rendererDir = (await ensureRendererBuilt()) as string;
  const dir = mkdtempSync(path.join(os.tmpdir(), options.prefix));
  await options.before?.(dir);
  const host = browserHost();
  const backend = new Backend({ dataDir: path.join(dir, 'home'), host, demoDir: demo });
  const server = await startHttpServer({ backend, rendererDir, onDownloads: (d) => host.bind(d) });
  // a fresh profile per run (launchPersistentContext passes it as --user-data-dir)
  const browser = await chromium.launchPersistentContext(path.join(dir, 'chromium'), {
    executablePath,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.locale ? { locale: options.locale } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.args ?? [])],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return {
    dir, backend, server, browser, page,
    shot: (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false }),
    async close() {
      await browser.close();
      await server.close();
      await backend.dispose();
    },
  };
}

/**
 * Opens an existing case database from the Cases view, as a user does on first start: the path in
 * the second File field ("Open a case database"), Open, and waits for its overview.
 */
export async function openCaseDb(app: BrowserApp, db: string): Promise<void> {
  const { page } = app;
  await page.goto(app.server.openUrl);
  await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
  await page.getByLabel('File', { exact: true }).nth(1).fill(db);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByText(`Overview: ${path.basename(db)}`).waitFor();
}
