// Electron's own install script is denied in package.json (allowScripts) because it downloads
// the Electron binary, which fails on offline machines and would fail the whole install.
// Here we try the same download ourselves and never fail: with internet the real desktop app
// works; without it, `npm start` falls back to browser mode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
  console.log('ownerscope: ELECTRON_SKIP_BINARY_DOWNLOAD=1, not fetching the Electron binary (browser mode only).');
  process.exit(0);
}
let installScript;
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies
}
if (!existsSync(installScript)) process.exit(0);
const r = spawnSync(process.execPath, [installScript], { stdio: 'inherit', timeout: 120_000 });
if (r.status !== 0) {
  console.log('ownerscope: the Electron binary could not be downloaded; `npm start` will use browser mode.');
}
process.exit(0);
