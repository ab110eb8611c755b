// Issue #12 point 7: the Electron shell's decisions (electron/main/guards.ts), tested under plain
// Node since no Electron binary runs here, plus the packaging fuses read by electron-builder's
// own configuration loader and schema check (what `npm run dist` reads).
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { Backend, memorySecrets } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { CSP } from '../../electron/backend/http/server';
import { APP_START_URL, appResponseHeaders, isAppUrl, isNavigationAllowed, isRegularFileNoFollow, mayOpenPath, passphraseStorage, resolveAppRequest } from '../../electron/main/guards';

const root = path.resolve(__dirname, '../..');

describe('navigation guard (will-navigate, will-redirect, will-frame-navigate)', () => {
  it.each([
    [APP_START_URL, true],
    ['app://ownerscope/', true],
    ['app://ownerscope/index.html#/entity', true],
    ['app://evil/index.html', false],
    ['app://user:pw@ownerscope/', false],
    ['file:///etc/passwd', false],
    ['file:///home/me/report.pdf', false],
    ['https://evil.example/', false],
    ['http://127.0.0.1:8080/', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, allowed) => {
    expect(isNavigationAllowed(url)).toBe(allowed);
    expect(isAppUrl(url)).toBe(allowed);
  });
});

describe('app:// requests read only the built renderer', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-app-'));
  const renderer = path.join(dir, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(renderer, 'assets', 'app.js'), '1');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');

  it.each([
    ['app://ownerscope/', 'index.html'],
    ['app://ownerscope/index.html', 'index.html'],
    ['app://ownerscope/assets/app.js', 'assets/app.js'],
    ['app://ownerscope/assets/app.js?v=1#x', 'assets/app.js'],
    ['app://ownerscope/./assets/app.js', 'assets/app.js'],
  ])('%s reads %s', (url, rel) => {
    const r = resolveAppRequest(renderer, url);
    expect(r).toEqual({ file: path.join(renderer, rel) });
    expect(readFileSync((r as { file: string }).file).length).toBeGreaterThan(0);
  });

  it.each([
    // the URL parser removes dot segments itself: these stay inside the folder (no secret.txt there)
    ['app://ownerscope/../secret.txt', 'inside'],
    ['app://ownerscope/%2e%2e/secret.txt', 'inside'],
    ['app://ownerscope/assets/%2e%2e%2f%2e%2e%2fsecret.txt', 404],
    ['app://ownerscope/..%2fsecret.txt', 404],
    ['app://ownerscope/..%5csecret.txt', 404],
    ['app://ownerscope/%2fetc%2fpasswd', 'inside'],
    ['app://ownerscope/index.html%00.js', 400],
    ['app://ownerscope/%c0', 400],
    ['app://ownerscope/%', 400],
    ['app://evil/index.html', 404],
    ['file:///etc/passwd', 404],
    ['garbage', 404],
  ] as const)('%s is refused or stays inside', (url, expected) => {
    const r = resolveAppRequest(renderer, url);
    if (expected === 'inside') {
      // `/%2fetc%2fpasswd` decodes to `//etc/passwd`: still a path inside the renderer folder
      expect('file' in r && r.file.startsWith(renderer + path.sep)).toBe(true);
    } else {
      expect(r).toMatchObject({ status: expected });
    }
    if ('file' in r) expect(path.relative(renderer, r.file).startsWith('..')).toBe(false);
  });

  it('the CSP is a response header of every app:// answer, with the MIME type', () => {
    expect(appResponseHeaders(path.join(renderer, 'index.html'))).toMatchObject({ 'Content-Security-Policy': CSP, 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    expect(appResponseHeaders(path.join(renderer, 'assets', 'app.js'))['Content-Type']).toBe('text/javascript; charset=utf-8');
    // the script fonts the renderer bundles (renderer/src/styles.css)
    expect(appResponseHeaders(path.join(renderer, 'assets', 'noto-sans-thai-thai-400-normal-x.woff'))['Content-Type']).toBe('font/woff');
    expect(appResponseHeaders(path.join(renderer, 'assets', 'NotoSansKR-Regular-x.otf'))['Content-Type']).toBe('font/otf');
    expect(appResponseHeaders(path.join(renderer, 'assets', 'NotoNaskhArabic-Regular-x.ttf'))['Content-Type']).toBe('font/ttf');
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(CSP).toContain("object-src 'none'");
  });
});

describe('shell.openPath only for files the backend produced', () => {
  const isRegular = isRegularFileNoFollow;

  it('a report and a CSV export the backend wrote are allowed; a path the page names is not', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-open-'));
    const opened: string[] = [];
    const backend = new Backend({ dataDir: path.join(dir, 'home'), host: { mode: 'test', secrets: memorySecrets(), openFile: async (f) => (opened.push(f), { url: null }) } });
    try {
      const exe = path.join(dir, 'evil.desktop');
      writeFileSync(exe, '[Desktop Entry]\nExec=sh -c id\n');
      expect(mayOpenPath(exe, (f) => backend.isProduced(f), isRegular)).toBe(false);
      const viaApi = await callBackend(backend, 'file.open', { path: exe });
      expect(viaApi.ok).toBe(false);
      if (!viaApi.ok) expect(viaApi.error.code).toBe('unauthorized');
      expect(opened).toEqual([]);

      const report = path.join(dir, 'home', 'reports', 'r.pdf');
      mkdirSync(path.dirname(report), { recursive: true });
      writeFileSync(report, '%PDF-1.7\n');
      backend.markProduced(report);
      expect(mayOpenPath(report, (f) => backend.isProduced(f), isRegular)).toBe(true);
      // the same file named another way is the same produced file
      expect(mayOpenPath(path.join(dir, 'home', 'reports', '..', 'reports', 'r.pdf'), (f) => backend.isProduced(f), isRegular)).toBe(true);
      expect((await callBackend(backend, 'file.open', { path: report })).ok).toBe(true);
      expect(opened).toEqual([report]);

      // a relative path, a NUL, a produced path now replaced by a folder or a symlink swap target
      expect(mayOpenPath('reports/r.pdf', () => true, () => true)).toBe(false);
      expect(mayOpenPath(`${report}\0.exe`, () => true, () => true)).toBe(false);
      const folder = path.join(dir, 'home', 'exports');
      mkdirSync(folder);
      backend.markProduced(folder);
      expect(mayOpenPath(folder, (f) => backend.isProduced(f), isRegular)).toBe(false);
      const link = path.join(dir, 'link.pdf');
      symlinkSync(exe, link);
      backend.markProduced(link);
      expect(mayOpenPath(link, (f) => backend.isProduced(f), isRegular)).toBe(false);
    } finally {
      await backend.dispose();
    }
  });
});

describe('remembering the passphrase (safeStorage)', () => {
  it.each([
    ['linux', true, 'basic_text', false],
    ['linux', true, 'unknown', false],
    ['linux', true, null, false],
    ['linux', true, 'gnome_libsecret', true],
    ['linux', true, 'kwallet5', true],
    ['linux', false, 'gnome_libsecret', false],
    ['darwin', true, null, true],
    ['win32', true, null, true],
    ['win32', false, null, false],
  ] as const)('%s, encryption available %s, backend %s → stored: %s', (platform, available, backend, allowed) => {
    const d = passphraseStorage(platform, available, backend);
    expect(d.isAllowed).toBe(allowed);
    if (!d.isAllowed) expect(d.reason).toMatch(/keyring|keychain/);
  });
});

describe('electron-builder.yml', () => {
  it('sets the Electron fuses, read by electron-builder itself and valid against its schema', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('electron/main/main.ts wires the guards (the Electron binary cannot run here)', () => {
  const main = readFileSync(path.join(root, 'electron/main/main.ts'), 'utf8');
  it('guards all three navigation events and serves the page from app://, not file://', () => {
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate'])
      expect(main).toMatch(new RegExp(`on\\('${event}', \\(e\\) => \\{\\s*if \\(!isNavigationAllowed\\(e\\.url\\)\\) e\\.preventDefault\\(\\);`));
    expect(main).toContain('loadURL(APP_START_URL)');
    expect(main).not.toMatch(/loadFile\(|pathToFileURL\(rendererDir|loadURL\(['"`]file:/);
    expect(main).toMatch(/registerSchemesAsPrivileged\(\[\{ scheme: APP_SCHEME, privileges: \{ standard: true, secure: true/);
    expect(main).toMatch(/protocol\.handle\(APP_SCHEME/);
  });
  it('opens with the OS only after the allow-list, and asks safeStorage which backend it uses', () => {
    expect(main.indexOf('mayOpenPath(')).toBeGreaterThan(0);
    expect(main.indexOf('mayOpenPath(')).toBeLessThan(main.indexOf('shell.openPath('));
    expect(main.match(/shell\.openPath\(/g)).toHaveLength(1);
    expect(main).toContain('safeStorage.getSelectedStorageBackend()');
  });
});
