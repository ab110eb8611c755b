// Builds the React renderer with vite into dist/renderer. `ensureRendererBuilt()` rebuilds only
// when a source file is newer than the last build (used by `npm start` and the e2e tests).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const rendererOut = path.join(root, 'dist', 'renderer');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'renderer', 'vite.config.ts') });
  return rendererOut;
}

export async function ensureRendererBuilt() {
  const index = path.join(rendererOut, 'index.html');
  const src = Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'shared', 'api')));
  if (existsSync(index) && statSync(index).mtimeMs >= src) return rendererOut;
  return buildRenderer();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRenderer();
  console.log(`renderer built into ${path.relative(process.cwd(), rendererOut) || rendererOut}`);
}
