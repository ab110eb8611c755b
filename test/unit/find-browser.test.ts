// The end-to-end tests' browser discovery (scripts/find-browser.mjs): environment variable first,
// then PATH, then the usual install locations; real executable files in a temporary folder.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module script without type declarations
import { findBrowser } from '../../scripts/find-browser.mjs';

const find = findBrowser as (env: NodeJS.ProcessEnv, platform?: string) => string | null;

function exe(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, mode);
  return p;
}

describe('findBrowser', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-browser-'));

  it('prefers OWNERSCOPE_BROWSER, then CHROME_PATH, over PATH', () => {
    const bin = path.join(tmp, 'a');
    exe(bin, 'chromium');
    const custom = exe(path.join(tmp, 'custom'), 'my-chrome');
    const other = exe(path.join(tmp, 'custom'), 'other-chrome');
    expect(find({ PATH: bin, OWNERSCOPE_BROWSER: custom, CHROME_PATH: other }, 'linux')).toBe(custom);
    expect(find({ PATH: bin, CHROME_PATH: other }, 'linux')).toBe(other);
  });

  it('fails on an environment variable that names no executable instead of testing another browser', () => {
    expect(() => find({ OWNERSCOPE_BROWSER: path.join(tmp, 'nope') }, 'linux')).toThrow(/OWNERSCOPE_BROWSER=.*not an executable/);
    const plain = exe(path.join(tmp, 'plain'), 'chrome', 0o644);
    expect(() => find({ CHROME_PATH: plain }, 'linux')).toThrow(/CHROME_PATH/);
  });

  it('finds Chrome or Edge on PATH in PATH order, skipping files that are not executable', () => {
    const first = path.join(tmp, 'p1');
    const second = path.join(tmp, 'p2');
    exe(first, 'google-chrome', 0o644);
    const edge = exe(second, 'microsoft-edge');
    expect(find({ PATH: [first, second].join(path.delimiter) }, 'linux')).toBe(edge);
  });

  it('finds a Windows install under LOCALAPPDATA / Program Files', () => {
    const local = path.join(tmp, 'local');
    const chrome = exe(path.join(local, 'Google', 'Chrome', 'Application'), 'chrome.exe');
    expect(find({ PATH: '', LOCALAPPDATA: local }, 'win32')).toBe(chrome);
  });

  it('finds a macOS app bundle in ~/Applications', () => {
    const home = path.join(tmp, 'home');
    const edge = exe(path.join(home, 'Applications', 'Microsoft Edge.app', 'Contents', 'MacOS'), 'Microsoft Edge');
    expect(find({ PATH: '', HOME: home }, 'darwin')).toBe(edge);
  });

  it('returns null when there is none', () => {
    expect(find({ PATH: path.join(tmp, 'empty'), HOME: path.join(tmp, 'nohome') }, 'darwin')).toBeNull();
  });
});
