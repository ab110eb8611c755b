// Copies the font files the report uses (electron/backend/report/fonts.json), and each font
// package's licence (SIL OFL 1.1, which requires it to travel with the fonts), into one folder:
// dist/fonts for the CLI and Electron bundles; electron-builder packs it as resources/fonts.
// The font packages themselves are devDependencies; only these files are shipped.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const fontsOut = path.join(root, 'dist', 'fonts');

// The packages export only an entry file (dist/index.js, or index.css at the top): the root is
// the nearest folder up from it whose package.json names the package.
function packageRoot(pkg) {
  const names = (dir) => existsSync(path.join(dir, 'package.json')) && JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name === pkg;
  let dir = path.dirname(require.resolve(pkg));
  while (!names(dir) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return dir;
}

export function copyFonts(out = fontsOut) {
  const chain = JSON.parse(readFileSync(path.join(root, 'electron/backend/report/fonts.json'), 'utf8'));
  mkdirSync(out, { recursive: true });
  const notice = ['Fonts used by Ownerscope reports. Each is licensed under the SIL Open Font License 1.1;', 'the licence of each package is in the LICENSE-* file named after it.', ''];
  for (const f of chain) {
    const pkgDir = packageRoot(f.pkg);
    for (const file of [f.regular, f.bold]) copyFileSync(path.join(pkgDir, f.dir, file), path.join(out, file));
    const licence = `LICENSE-${f.pkg.split('/').pop()}.txt`;
    copyFileSync(path.join(pkgDir, 'LICENSE'), path.join(out, licence));
    const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    notice.push(`${f.regular}, ${f.bold}: from ${f.pkg}@${version}; licence ${licence}`);
  }
  writeFileSync(path.join(out, 'README.txt'), `${notice.join('\n')}\n`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`report fonts copied into ${path.relative(process.cwd(), copyFonts())}`);
}
