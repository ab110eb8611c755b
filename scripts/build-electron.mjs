// Compiles the Electron main process, the preload and the workers to JavaScript with esbuild.
// npm packages stay external: electron-builder ships node_modules with better-sqlite3 rebuilt
// for Electron. bundleNode is shared with the CLI bundle (scripts/build-cli.mjs).
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { copyFonts } from './copy-fonts.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const electronOut = path.join(root, 'dist', 'electron');

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning', sourcemap: false };

/** Worker threads, loaded by URL from beside the bundle that starts them. */
export const WORKERS = {
  // the screening loader reads links in this worker (electron/backend/verdict/load.ts)
  link: ['electron/backend/verdict/link-worker.ts', 'link-worker.mjs'],
  // imports of large files parse in this worker while the import writes (electron/backend/import/parse-source.ts)
  parse: ['electron/backend/import/parse-worker.ts', 'parse-worker.mjs'],
  // the app's import/verdict worker (electron/backend/api/backend.ts)
  backend: ['electron/backend/worker/worker.ts', 'worker.mjs'],
};

/**
 * ESM bundles of `entries` ([source, file name]) into `out`, with the migrations beside them
 * (electron/backend/store/db.ts finds them next to import.meta.url) and the report fonts in
 * `out`/../fonts (electron/backend/report/fonts.ts).
 */
export async function bundleNode(out, entries, { split = false } = {}) {
  mkdirSync(out, { recursive: true });
  // import.meta.url locates the migrations and workers next to the bundle; bundled CommonJS needs require
  const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
  const esm = { ...common, format: 'esm', banner };
  await Promise.all(entries.map(([src, file]) => split
    // dynamic imports become chunks loaded on demand, in the same folder (import.meta.url stays valid)
    ? build({ ...esm, entryPoints: { [file.replace(/\.mjs$/, '')]: path.join(root, src) }, outdir: out, splitting: true, chunkNames: '[name]-[hash]', outExtension: { '.js': '.mjs' } })
    : build({ ...esm, entryPoints: [path.join(root, src)], outfile: path.join(out, file) })));
  cpSync(path.join(root, 'electron/backend/store/migrations'), path.join(out, 'migrations'), { recursive: true });
  copyFonts(path.join(out, '..', 'fonts'));
  return out;
}

export async function buildElectron() {
  await bundleNode(electronOut, [['electron/main/main.ts', 'main.mjs'], ...Object.values(WORKERS)]);
  // sandboxed preloads must be CommonJS
  await build({ ...common, entryPoints: [path.join(root, 'electron/preload/preload.ts')], outfile: path.join(electronOut, 'preload.cjs'), format: 'cjs' });
  return electronOut;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
  console.log(`electron main, preload and workers built into ${path.relative(process.cwd(), electronOut)}`);
}
