// The installed Electron binary's path, or null. Since Electron 40 `require('electron')` tries to
// download a missing binary (and prints the failure offline), so this reads what the package
// records instead: path.txt, written once the binary is extracted into dist/.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function electronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null; // an install without devDependencies
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, existsSync(path.join(dir, 'path.txt')) ? readFileSync(path.join(dir, 'path.txt'), 'utf8') : 'electron');
    return existsSync(p) ? p : null;
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const p = path.join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(p) ? p : null;
}
