#!/usr/bin/env node
// The `ownerscope` command. Runs the bundle that `npm ci` builds (dist/cli/ownerscope.mjs, plain
// Node, fast start) unless it is missing or older than a source file, as while developing: then it
// runs the TypeScript sources with tsx, so a stale bundle never runs. OWNERSCOPE_CLI=bundle or
// OWNERSCOPE_CLI=tsx forces one of the two (the equivalence test runs both).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cli', 'ownerscope.mjs');

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

/** Newest modification time of the files the bundle is built from. */
function newestSource() {
  let newest = mtime(path.join(root, 'package.json')) ?? 0; // the version is read from it
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, mtime(p) ?? 0);
    }
  };
  for (const dir of ['electron/backend', 'shared']) walk(path.join(root, dir));
  return newest;
}

const mode = process.env.OWNERSCOPE_CLI;
const built = mode === 'tsx' ? null : mtime(bundle);
if (mode === 'bundle' && built === null) {
  process.stderr.write(`ownerscope: OWNERSCOPE_CLI=bundle but ${bundle} is missing (npm run build:cli builds it)\n`);
  process.exit(1);
}
if (built !== null && (mode === 'bundle' || built >= newestSource())) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/backend/cli/bin.ts');
}
