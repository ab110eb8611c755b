// Where the report finds its fonts: the copied dist/fonts beside a bundle, resources/fonts in the
// packaged app, the font packages under tsx; and the copy step ships only the used files with
// their licences (scripts/copy-fonts.mjs).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fontChain, fontDirCandidates } from '../../../electron/backend/report/fonts';
import CHAIN from '../../../electron/backend/report/fonts.json';
// @ts-expect-error plain ES module script without type declarations
import { copyFonts } from '../../../scripts/copy-fonts.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-fonts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('report fonts', () => {
  it('copies exactly the faces of the chain, with each package licence and a notice', () => {
    const out = copyFonts(path.join(tmp, 'fonts')) as string;
    const faces = CHAIN.flatMap((f) => [f.regular, f.bold]);
    const files = readdirSync(out).sort();
    expect(files).toEqual([...faces, ...CHAIN.map((f) => `LICENSE-${f.pkg.split('/')[1]}.txt`), 'README.txt'].sort());
    for (const f of CHAIN) expect(readFileSync(path.join(out, `LICENSE-${f.pkg.split('/')[1]}.txt`), 'utf8')).toMatch(/SIL Open Font License/);
  });

  it('a bundle looks in ../fonts; the packaged app in the resources folder that holds app.asar', () => {
    const bundle = pathToFileURL(path.join(tmp, 'dist', 'cli', 'ownerscope.mjs')).href;
    expect(fontDirCandidates(bundle, {})).toEqual([path.join(tmp, 'dist', 'fonts')]);
    const packaged = pathToFileURL(path.join(tmp, 'Ownerscope', 'resources', 'app.asar.unpacked', 'dist', 'electron', 'worker.mjs')).href;
    expect(fontDirCandidates(packaged, {})).toContain(path.join(tmp, 'Ownerscope', 'resources', 'fonts'));
    expect(fontDirCandidates(bundle, { OWNERSCOPE_FONTS_DIR: '/x/fonts' })[0]).toBe('/x/fonts');
  });

  it('under tsx (sources) the chain resolves to existing files of the font packages', () => {
    const chain = fontChain();
    for (const face of [...chain.regular, ...chain.bold]) {
      expect(existsSync(face.path), face.path).toBe(true);
      expect(face.path).toContain(`${path.sep}node_modules${path.sep}`);
    }
    expect(chain.regular.map((f) => f.script)).toEqual(['latin', 'cjk', 'hangul', 'arabic', 'hebrew', 'georgian', 'armenian', 'thai', 'bengali', 'tamil', 'ethiopic']);
  });
});
