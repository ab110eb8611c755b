// Builds the command line into one JavaScript file, dist/cli/ownerscope.mjs (with its workers,
// the migrations and dist/fonts beside it), so that `npx ownerscope` starts in plain Node instead
// of compiling TypeScript with tsx on every run (~0.85 s). Run by postinstall, so it exists after
// `npm ci`; bin/ownerscope.mjs runs it unless a source file is newer (then it runs the sources).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleNode, WORKERS } from './build-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cliOut = path.join(root, 'dist', 'cli');

export async function buildCli(out = cliOut) {
  rmSync(out, { recursive: true, force: true }); // no chunks of an earlier build left behind
  await bundleNode(out, [['electron/backend/cli/bin.ts', 'ownerscope.mjs']], { split: true });
  await bundleNode(out, [WORKERS.link, WORKERS.parse]);
  return path.join(out, 'ownerscope.mjs');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`ownerscope CLI built: ${path.relative(process.cwd(), await buildCli())}`);
}
