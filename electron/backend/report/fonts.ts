// Fonts for names in any script. pdfkit has no font fallback, so text is split into runs, each
// set in the first face of the chain that has a glyph for it. pdfkit subsets every embedded face.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

export type Weight = 'regular' | 'bold';
export type Script = 'latin' | 'cjk' | 'hangul' | 'arabic';

interface FaceFiles {
  script: Script;
  pkg: string;
  regular: string;
  bold: string;
}

// Order matters: Latin/Cyrillic/Greek first so Latin letters inside CJK names use Noto Sans, not
// the CJK face's Latin; the CJK face before Korean so Han characters use Simplified Chinese forms.
const CHAIN: FaceFiles[] = [
  { script: 'latin', pkg: '@embedpdf/fonts-latin', regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-SemiBold.ttf' },
  { script: 'cjk', pkg: '@embedpdf/fonts-sc', regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' },
  { script: 'hangul', pkg: '@embedpdf/fonts-kr', regular: 'NotoSansKR-Regular.otf', bold: 'NotoSansKR-Bold.otf' },
  { script: 'arabic', pkg: '@embedpdf/fonts-arabic', regular: 'NotoNaskhArabic-Regular.ttf', bold: 'NotoNaskhArabic-Bold.ttf' },
];

export interface FaceRef {
  /** pdfkit font name, e.g. "latin-bold". */
  key: string;
  script: Script;
  path: string;
}

let resolved: Record<Weight, FaceRef[]> | null = null;

function fontDir(pkg: string): string {
  // The packages export only their JS index (dist/); the font files sit in ../fonts beside it.
  const dir = join(dirname(require.resolve(pkg)), '..', 'fonts');
  if (!existsSync(dir)) throw new Error(`Font package ${pkg} is installed without its fonts/ folder.`);
  return dir;
}

export function fontChain(): Record<Weight, FaceRef[]> {
  if (resolved) return resolved;
  const build = (weight: Weight): FaceRef[] =>
    CHAIN.map((f) => ({ key: `${f.script}-${weight}`, script: f.script, path: join(fontDir(f.pkg), f[weight]) }));
  resolved = { regular: build('regular'), bold: build('bold') };
  return resolved;
}
