// The Electron shell's security decisions as pure functions (no `electron` import), so plain
// Node tests can check them: which URLs the window may navigate to, which file an `app://`
// request reads, which files may be handed to the OS, and whether the OS keychain is good
// enough to keep the signing passphrase. main.ts only wires them to Electron's events.
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { CSP, MIME } from '../backend/http/server';

/** The renderer's origin: a standard, secure custom scheme instead of file:// (see main.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ownerscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Is this URL one of the app's own pages (and so may call the backend or be navigated to)? */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * will-navigate, will-redirect and will-frame-navigate: the page never leaves the app. A link,
 * a dropped file (file://), a form, a server redirect or a frame of any other origin is refused.
 */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

export type AppRequest = { file: string } | { status: 400 | 404; reason: string };

/**
 * The file an `app://ownerscope/…` request reads inside the built renderer folder. Another
 * host, a path that does not decode, a NUL, or anything resolving outside the folder
 * (`..`, `%2e%2e`, encoded slashes or backslashes) is refused.
 */
export function resolveAppRequest(rendererDir: string, url: string): AppRequest {
  const u = parse(url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { status: 404, reason: 'not an app address' };
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return { status: 400, reason: 'bad escape in the path' };
  }
  if (rel.includes('\0')) return { status: 400, reason: 'NUL in the path' };
  if (rel === '/' || rel === '') rel = '/index.html';
  // after decoding, a `\` or `..` segment could only come from an escape: refuse rather than interpret
  const segments = rel.split(/[/\\]/);
  if (segments.some((s) => s === '..' || s === '.') || rel.includes('\\')) return { status: 404, reason: 'outside the app' };
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep)) return { status: 404, reason: 'outside the app' };
  return { file };
}

/** Headers of an app:// response: the CSP is a response header (not only the page's meta tag). */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}

/**
 * shell.openPath hands a file to the OS, which may run it. Only a regular file the backend wrote
 * itself in this run (a signed report, a CSV export) is opened; a path the page names is not.
 */
export function mayOpenPath(file: string, isProduced: (f: string) => boolean, isRegularFile: (f: string) => boolean): boolean {
  if (!path.isAbsolute(file) || file.includes('\0')) return false;
  const resolved = path.resolve(file);
  return isProduced(resolved) && isRegularFile(resolved);
}

/** A regular file itself, not a symlink to one (a link could be pointed at any program). */
export function isRegularFileNoFollow(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

export type StorageDecision = { isAllowed: true } | { isAllowed: false; reason: string };

/**
 * Whether safeStorage may keep the passphrase. On Linux without a keyring (backend
 * `basic_text`, or `unknown`), Electron "encrypts" with a key hard-coded in Chromium: anyone
 * who can read the file can decrypt it, so the passphrase is asked at each signing instead.
 */
export function passphraseStorage(platform: string, isEncryptionAvailable: boolean, linuxBackend: string | null): StorageDecision {
  if (!isEncryptionAvailable) return { isAllowed: false, reason: 'the OS keychain is not available' };
  if (platform === 'linux' && (linuxBackend === 'basic_text' || linuxBackend === 'unknown' || linuxBackend === null))
    return { isAllowed: false, reason: 'no keyring (GNOME Keyring or KWallet) is running, so Electron would store the passphrase with a fixed key' };
  return { isAllowed: true };
}
