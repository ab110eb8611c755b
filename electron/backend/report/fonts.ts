// Fonts for names in any script. pdfkit has no font fallback, so text is split into runs, each
// set in the first face of the chain that has a glyph for it. pdfkit subsets every embedded face.
//
// Where the files are: built code (the CLI bundle, the Electron bundles) finds the used files
// copied by scripts/copy-fonts.mjs into a fonts/ folder beside its own folder (dist/fonts), the
// packaged app in its resources folder (electron-builder's extraResources); development and tests
// (tsx) read them from the font packages, which are devDependencies and are never packed whole.
import { createRequire } from 'node:module';
import { dirname, join, parse, sep } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import CHAIN_FILE from './fonts.json' with { type: 'json' };

const require = createRequire(import.meta.url);

export type Weight = 'regular' | 'bold';
export type Script = 'latin' | 'cjk' | 'hangul' | 'arabic' | 'hebrew' | 'georgian' | 'armenian' | 'thai' | 'bengali' | 'tamil' | 'ethiopic';

interface FaceFiles {
  script: Script;
  pkg: string;
  /** The folder of the package that holds the font files. */
  dir: string;
  regular: string;
  bold: string;
}

// Order matters: Latin/Cyrillic/Greek (and Devanagari, which Noto Sans also covers) first so Latin
// letters inside CJK names use Noto Sans, not the CJK face's Latin; the CJK face before Korean so
// Han characters use Simplified Chinese forms. The faces after Arabic each hold one script only
// (the Fontsource files are cut by Unicode range), so the chain stays small: the report embeds a
// subset of each face it uses, and the copied files are only these (under 400 kB together).
// The list is in fonts.json because the build script that copies the files reads it too.
const CHAIN = CHAIN_FILE as FaceFiles[];

export interface FaceRef {
  /** pdfkit font name, e.g. "latin-bold". */
  key: string;
  script: Script;
  path: string;
}

let resolved: Record<Weight, FaceRef[]> | null = null;

/** Folders that may hold the copied font files, most specific first. */
export function fontDirCandidates(moduleUrl: string = import.meta.url, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.OWNERSCOPE_FONTS_DIR) out.push(env.OWNERSCOPE_FONTS_DIR);
  if (!moduleUrl.startsWith('file:')) return out;
  const here = dirname(fileURLToPath(moduleUrl));
  // a bundle in dist/cli or dist/electron: the fonts are copied to dist/fonts
  out.push(join(here, '..', 'fonts'));
  // the packaged app: the bundle runs from resources/app.asar(.unpacked)/dist/electron, the fonts
  // are in resources/fonts (process.resourcesPath is not set in every worker thread, the path is)
  const parts = here.split(sep);
  const asar = parts.findIndex((p) => p === 'app.asar' || p === 'app.asar.unpacked');
  if (asar > 0) out.push(join(parse(here).root, ...parts.slice(0, asar), 'fonts'));
  return out;
}

function copiedDir(): string | null {
  return fontDirCandidates().find((d) => CHAIN.every((f) => existsSync(join(d, f.regular)) && existsSync(join(d, f.bold)))) ?? null;
}

function packageDir(f: FaceFiles): string {
  // Packages export only an entry file (a JS index one folder down, or a CSS file at the top); the
  // package root is the nearest folder up from it whose package.json names the package.
  let dir: string;
  try {
    dir = dirname(require.resolve(f.pkg));
  } catch {
    throw new Error(`The report fonts are missing: no copied fonts folder (${fontDirCandidates().join(', ')}) and no font package ${f.pkg} (run npm ci).`);
  }
  while (!isPackageRoot(dir, f.pkg) && dirname(dir) !== dir) dir = dirname(dir);
  const files = join(dir, f.dir);
  if (!existsSync(files)) throw new Error(`Font package ${f.pkg} is installed without its ${f.dir}/ folder.`);
  return files;
}

function isPackageRoot(dir: string, pkg: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === pkg;
  } catch {
    return false;
  }
}

export function fontChain(): Record<Weight, FaceRef[]> {
  if (resolved) return resolved;
  const copied = copiedDir();
  const dirOf = (f: FaceFiles) => copied ?? packageDir(f);
  const build = (weight: Weight): FaceRef[] =>
    CHAIN.map((f) => ({ key: `${f.script}-${weight}`, script: f.script, path: join(dirOf(f), f[weight]) }));
  resolved = { regular: build('regular'), bold: build('bold') };
  return resolved;
}
