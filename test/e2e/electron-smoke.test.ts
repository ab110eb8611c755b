// Launches the real desktop app where the Electron binary is installed: opens the demo case and
// checks that the page has no Node.js (window.require is undefined). On machines without the
// binary (offline installs, CI here) it does not run, and says so.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module script without type declarations
import { ensureRendererBuilt } from '../../scripts/build-renderer.mjs';
// @ts-expect-error plain ES module script without type declarations
import { buildElectron } from '../../scripts/build-electron.mjs';
// @ts-expect-error plain ES module script without type declarations
import { electronBinary } from '../../scripts/electron-binary.mjs';

const root = path.resolve(__dirname, '../..');

const binary = electronBinary() as string | null;
const hasElectron = binary !== null;
if (!hasElectron) {
  console.log('electron-smoke: NOT RUN: the Electron binary is not installed on this machine (its download is blocked offline); browser mode is tested by app.test.ts instead.');
}

describe('desktop app (Electron)', () => {
  it('builds the main process, preload and worker bundles', async () => {
    const out = (await buildElectron()) as string;
    for (const f of ['main.mjs', 'preload.cjs', 'worker.mjs', 'migrations/001-core.sql']) expect(existsSync(path.join(out, f))).toBe(true);
    // the report fonts beside it (dist/fonts, packed as resources/fonts)
    expect(existsSync(path.join(out, '..', 'fonts', 'NotoSans-Regular.ttf'))).toBe(true);
  });

  it.skipIf(!hasElectron)('launches, opens the demo case, and keeps Node out of the page (Electron binary not installed here)', async () => {
    await ensureRendererBuilt();
    const userData = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-electron-'));
    const app = await electron.launch({ executablePath: binary!, args: [root, `--user-data-dir=${userData}`, '--no-sandbox'] });
    try {
      const page = await app.firstWindow();
      await page.getByText('demo-case.db').first().waitFor({ timeout: 60_000 });
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { ownerscope: object }).ownerscope).sort())).toEqual(['call', 'onEvent']);
    } finally {
      await app.close();
    }
  });
});
