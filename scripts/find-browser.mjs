// Finds a Chromium-family browser (Chromium, Chrome, Edge) for the end-to-end tests: the
// OWNERSCOPE_BROWSER environment variable (or CHROME_PATH, which other tools use), then the
// usual command names on PATH, then the usual install locations on Linux, macOS and Windows.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'microsoft-edge', 'microsoft-edge-stable', 'msedge'];

function locations(env, platform) {
  if (platform === 'darwin') {
    return ['Chromium', 'Google Chrome', 'Microsoft Edge'].flatMap((app) => [`/Applications/${app}.app/Contents/MacOS/${app}`, path.join(env.HOME ?? '', `Applications/${app}.app/Contents/MacOS/${app}`)]);
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)'] ?? env['ProgramFiles(x86)']].filter(Boolean);
    return roots.flatMap((r) => [path.join(r, 'Chromium', 'Application', 'chrome.exe'), path.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), path.join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome', '/usr/bin/microsoft-edge', '/opt/microsoft/msedge/msedge'];
}

function executable(p, platform) {
  try {
    if (!statSync(p).isFile()) return false;
    if (platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser's path, or null. An environment variable naming a file that is not an executable is
 * an error (a typo there should not silently test another browser).
 */
export function findBrowser(env = process.env, platform = process.platform) {
  for (const name of ['OWNERSCOPE_BROWSER', 'CHROME_PATH']) {
    const p = env[name];
    if (!p) continue;
    if (!executable(p, platform)) throw new Error(`${name}=${p}: not an executable file`);
    return p;
  }
  const exts = platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of NAMES) for (const ext of exts) if (executable(path.join(dir, name + ext), platform)) return path.join(dir, name + ext);
  }
  return locations(env, platform).find((p) => executable(p, platform)) ?? null;
}
