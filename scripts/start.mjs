#!/usr/bin/env node
// `npm start [-- CASE.db] [--port N]`: opens the desktop app where the Electron binary is
// installed; otherwise (offline machines, CI) starts browser mode on 127.0.0.1 and prints the
// address to open. Without a case, the demo case (built from the bundled samples) is opened.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './build-renderer.mjs';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function binaryToUse() {
  if (process.env.OWNERSCOPE_BROWSER_MODE === '1' || args.includes('--browser')) return null;
  return electronBinary();
}

const binary = binaryToUse();
await ensureRendererBuilt();
if (binary) {
  const { buildElectron } = await import('./build-electron.mjs');
  await buildElectron();
  const child = spawn(binary, [root, ...args.filter((a) => a !== '--browser')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('ownerscope: the Electron binary is not installed here; starting BROWSER MODE instead.');
  const { register } = await import('tsx/esm/api');
  register();
  const { parseArgs, runBrowserMode } = await import('../electron/backend/http/main.ts');
  const { server, backend } = await runBrowserMode(parseArgs(args.filter((a) => a !== '--browser')));
  console.log(`\n  Ownerscope is running in browser mode. Open this address in Chromium, Chrome, Firefox or Edge:\n\n    ${server.openUrl}\n\n  (listening on 127.0.0.1 only; the address carries this run's access token; Ctrl+C stops)\n`);
  const stop = async () => {
    await server.close();
    await backend.dispose();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
