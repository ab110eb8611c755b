// Compiles the Electron main process, the preload and the worker to JavaScript with esbuild
// (from the vite toolchain). npm packages stay external: electron-builder ships node_modules
// with better-sqlite3 rebuilt for Electron.
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const electronOut = path.join(root, 'dist', 'electron');

export async function buildElectron() {
  mkdirSync(electronOut, { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning', sourcemap: false };
  // ESM main and worker: import.meta.url locates the migrations next to the bundle
  const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
  await build({ ...common, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: path.join(electronOut, 'main.mjs'), format: 'esm', banner });
  await build({ ...common, entryPoints: [path.join(root, 'electron/backend/worker/worker.ts')], outfile: path.join(electronOut, 'worker.mjs'), format: 'esm', banner });
  // the screening loader reads links in this worker (electron/backend/verdict/load.ts)
  await build({ ...common, entryPoints: [path.join(root, 'electron/backend/verdict/link-worker.ts')], outfile: path.join(electronOut, 'link-worker.mjs'), format: 'esm', banner });
  // imports of large files parse in this worker while the import worker writes (electron/backend/import/parse-source.ts)
  await build({ ...common, entryPoints: [path.join(root, 'electron/backend/import/parse-worker.ts')], outfile: path.join(electronOut, 'parse-worker.mjs'), format: 'esm', banner });
  // sandboxed preloads must be CommonJS
  await build({ ...common, entryPoints: [path.join(root, 'electron/preload/preload.ts')], outfile: path.join(electronOut, 'preload.cjs'), format: 'cjs' });
  cpSync(path.join(root, 'electron/backend/store/migrations'), path.join(electronOut, 'migrations'), { recursive: true });
  return electronOut;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
  console.log(`electron main, preload and worker built into ${path.relative(process.cwd(), electronOut)}`);
}
