// The built CLI (dist/cli, what `npx ownerscope` runs after `npm ci`) and the TypeScript sources
// run with tsx give the same output, exit code by exit code, for the README's command tour. The
// bundle is built here from the current sources into a temporary folder, so the test never
// compares against a stale build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module script without type declarations
import { buildCli } from '../../../scripts/build-cli.mjs';

const root = path.resolve(__dirname, '../../..');
const demo = path.join(root, 'demo');
const demoFiles = readdirSync(demo).filter((f) => /\.(xml|jsonl)$/.test(f)).sort();

// the README tour (README.md, "Command line"), in order, each with and without --json
const TOUR: string[][] = [
  ['import', '--db', 'case.db', ...demoFiles.map((f) => path.join('demo', f))],
  ['sources', '--db', 'case.db'],
  ['search', '--db', 'case.db', 'Pearl Harbour'],
  ['show', '--db', 'case.db', 'lei:HKSUB000000000000283'],
  ['trace', '--db', 'case.db', 'lei:HKSUB000000000000283'],
  ['trace', '--db', 'case.db', 'lei:MANAGER0000000000616', '--down'],
  ['resolve', '--db', 'case.db', '--candidates'],
  ['verdict', '--db', 'case.db', 'lei:MANAGER0000000000616'],
  ['screen', '--db', 'case.db', '--input', 'portfolio.csv', '--out', 'results.csv'],
  ['case', 'new', '--db', 'case.db', 'lei:MANAGER0000000000616'],
  ['identity', 'new', '--name', 'A. Investigator', '--out', 'me.p12', '--passphrase-file', 'pass.txt'],
  ['report', '--db', 'case.db', 'lei:MANAGER0000000000616', '--out', 'report.pdf', '--key', 'me.p12', '--passphrase-file', 'pass.txt'],
  ['verify', 'report.pdf', '--db', 'case.db'],
  ['search', '--db', 'case.db', 'Pearl Harbour', '--json'],
  ['verdict', '--db', 'case.db', 'lei:MANAGER0000000000616', '--json'],
  ['--version'],
  ['help', 'verify'],
  ['no-such-command'],
];

interface Step {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

function tour(dir: string, cli: string[], env: NodeJS.ProcessEnv): Step[] {
  mkdirSync(dir, { recursive: true });
  cpSync(demo, path.join(dir, 'demo'), { recursive: true });
  writeFileSync(path.join(dir, 'portfolio.csv'), 'name\nlei:MANAGER0000000000616\nPearl Harbour Trading Limited\nAtlas\nBRANCH00000000000384\n');
  writeFileSync(path.join(dir, 'pass.txt'), 'correct horse battery staple\n');
  return TOUR.map((args) => {
    const r = spawnSync(process.execPath, [...cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    return { args, code: r.status, stdout: r.stdout, stderr: r.stderr };
  });
}

describe('the built CLI and the tsx CLI', () => {
  let bundled: Step[];
  let sources: Step[];
  let build = '';
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  beforeAll(async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-cli-bundle-'));
    // inside the checkout, as dist/cli is: the bundle resolves its npm packages from node_modules
    mkdirSync(path.join(root, 'dist'), { recursive: true });
    build = mkdtempSync(path.join(root, 'dist', 'test-cli-'));
    const bundle = (await buildCli(path.join(build, 'cli'))) as string;
    bundled = tour(path.join(tmp, 'a'), [bundle], {});
    sources = tour(path.join(tmp, 'b'), [path.join(root, 'bin/ownerscope.mjs')], { OWNERSCOPE_CLI: 'tsx' });
    expect(existsSync(path.join(tmp, 'b', 'report.pdf'))).toBe(true);
    expect(readFileSync(path.join(tmp, 'a', 'results.csv'), 'utf8')).toBe(readFileSync(path.join(tmp, 'b', 'results.csv'), 'utf8'));
  }, 300_000);

  it('exit with the same codes and print the same for each step of the README tour', () => {
    expect(bundled.map((r) => r.code)).toEqual(sources.map((r) => r.code));
    // a failing step would make the comparison hollow: the tour succeeds except the unknown command
    expect(bundled.map((r) => r.code)).toEqual(TOUR.map((args) => (args[0] === 'no-such-command' ? 2 : 0)));
    for (const [i, b] of bundled.entries()) {
      const s = sources[i]!;
      expect(normalize(b.stdout), `stdout of ${b.args.join(' ')}`).toBe(normalize(s.stdout));
      expect(normalize(b.stderr), `stderr of ${b.args.join(' ')}`).toBe(normalize(s.stderr));
    }
    expect(bundled.find((r) => r.args[0] === '--version')!.stdout).toMatch(/^ownerscope \d+\.\d+\.\d+\n$/);
    expect(bundled.find((r) => r.args[0] === 'verify')!.stdout).toMatch(/^VALID/);
  });
});

/**
 * What legitimately differs between two runs: clock times, durations, and what a fresh key makes
 * (certificate, signature, so PDF size and hashes). Hashes are numbered by first appearance, so
 * the same hash must still appear in the same places in both outputs.
 */
function normalize(text: string): string {
  const hashes = new Map<string, string>();
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/\b\d+(\.\d+)? (s|ms)\b/g, '<duration>')
    .replace(/\b[\d,]+ bytes\b/g, '<size>')
    .replace(/\b[0-9a-f]{64}\b/g, (h) => {
      if (!hashes.has(h)) hashes.set(h, `<sha256 #${hashes.size + 1}>`);
      return hashes.get(h)!;
    });
}
