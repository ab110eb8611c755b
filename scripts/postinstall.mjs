// After `npm ci` / `npm install` in this project:
// 1. builds the command line into dist/cli (scripts/build-cli.mjs) so `npx ownerscope` starts fast;
// 2. tries to download the Electron binary. Electron's own install script is denied in
//    package.json (allowScripts, npm 11) because its download fails on offline machines and would
//    fail the whole install. Here we try the same download ourselves and never fail: with internet
//    the real desktop app works; without it, `npm start` falls back to browser mode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

let hasEsbuild = true;
try {
  require.resolve('esbuild');
} catch {
  hasEsbuild = false; // an install without devDependencies: bin/ownerscope.mjs then needs tsx, which is not there either
}
if (hasEsbuild) {
  const { buildCli } = await import('./build-cli.mjs');
  const bundle = await buildCli();
  console.log(`ownerscope: CLI built into ${path.relative(process.cwd(), bundle)}`);
}

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
const r = spawnSync(process.execPath, [installScript], { stdio: 'ignore', timeout: 120_000 });
if (r.status !== 0) {
  console.log('ownerscope: the Electron binary could not be downloaded; `npm start` will use browser mode.');
}
process.exit(0);
