// The README's command-line tour, run as typed: the code block under "## Command line" is read
// from README.md and every line runs, in order, in a bash shell at the root of a fresh copy of the
// repository (the files git tracks, as a clone has them; node_modules linked, no built CLI, so
// bin/ownerscope.mjs runs the sources). The passphrase comes from OWNERSCOPE_PASSPHRASE, as a
// script would give it; a second test answers the terminal prompt through a real pseudo-terminal.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

/** The shell lines of the tour block: the first ```sh block after "## Command line". */
export function tourCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Command line'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no ```sh block under "## Command line"');
  return block[1]!.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/**
 * The files git tracks; in a copy without .git (CI's second run copies the tracked files of the
 * checkout, .ci/run) every file but the installed and built ones and the test output.
 */
function trackedFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (git.status === 0) return git.stdout.split('\0').filter(Boolean);
  const out: string[] = [];
  const skip = new Set(['node_modules', 'dist', 'test-artifacts', '.git']);
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!(rel === '' && skip.has(e.name))) walk(r);
      } else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out;
}

let clone: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  clone = mkdtempSync(path.join(tmpdir(), 'os-readme-tour-'));
  // the working tree's versions of the tracked files: what a clone of this commit holds
  const files = trackedFiles();
  for (const f of files) {
    if (!existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(clone, f));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  const home = path.join(clone, '.home');
  mkdirSync(home);
  env = {
    PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', OWNERSCOPE_PASSPHRASE: 'tour passphrase 1',
    // npx must not ask the registry: the bin is this project's own
    npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false',
  };
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

const sh = (line: string, extra: NodeJS.ProcessEnv = {}) =>
  spawnSync('bash', ['-c', line], { cwd: clone, env: { ...env, ...extra }, encoding: 'utf8', timeout: 240_000 });

describe('the README command-line tour', () => {
  it('runs every command as typed, in order, from the repository root', () => {
    const commands = tourCommands(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    expect(commands.length).toBeGreaterThanOrEqual(10);
    for (const c of commands) {
      const r = sh(c);
      expect(r.status, `${c}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
    }
    // `report REF` signed the case `case new` opened: one case, reported, and no second one
    const list = JSON.parse(sh('npx ownerscope case list --db case.db --json').stdout) as { cases: { id: string; status: string; decision: { decidedBy: string; justification: string } }[] };
    expect(list.cases.map((c) => [c.id, c.status])).toEqual([['C-0001', 'reported']]);
    expect(list.cases[0]!.decision.decidedBy).toBe('A. Investigator');
    expect(list.cases[0]!.decision.justification).toMatch(/signing the report/);
    expect(readFileSync(path.join(clone, 'results.csv'), 'utf8').split('\n')[0]).toMatch(/^row,input,match,/);
    expect(readFileSync(path.join(clone, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  }, 600_000);

  it('without a passphrase file, variable or terminal, identity new is a usage error naming both ways', () => {
    const r = sh('npx ownerscope identity new --name "No Pass" --out nopass.p12 < /dev/null', { OWNERSCOPE_PASSPHRASE: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--passphrase-file FILE or set OWNERSCOPE_PASSPHRASE/);
    expect(existsSync(path.join(clone, 'nopass.p12'))).toBe(false);
  }, 120_000);

  it('asks for the passphrase on a terminal (twice for a new identity), without echo, and uses it', async () => {
    // script(1) runs the command on a pseudo-terminal; each answer is typed once its question shows
    const child = spawn('script', ['-qec', 'node bin/ownerscope.mjs identity new --name "Pty Person" --out pty.p12', '/dev/null'], {
      cwd: clone, env: { ...env, OWNERSCOPE_PASSPHRASE: '' },
    });
    let out = '';
    let answered = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const asked = (out.match(/Passphrase: |Repeat the passphrase: /g) ?? []).length;
      for (; answered < asked; answered++) child.stdin.write('pty passphrase 9\r');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(0);
    expect(answered).toBe(2);
    expect(out).toContain('written to pty.p12');
    expect(out).not.toContain('pty passphrase 9'); // not echoed
    const shown = spawnSync('node', ['bin/ownerscope.mjs', 'identity', 'show', 'pty.p12', '--json'], { cwd: clone, env: { ...env, OWNERSCOPE_PASSPHRASE: 'pty passphrase 9' }, encoding: 'utf8' });
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).signer.name).toBe('Pty Person');
  }, 240_000);

  it('npm ci\'s postinstall says in one friendly line that the Electron binary could not be downloaded, no stack trace', () => {
    // Electron already installed here: its install script has nothing to download, nothing to say
    if (existsSync(path.join(ROOT, 'node_modules/electron/path.txt'))) return;
    // a mirror on a closed local port: the download fails at once, as on an offline machine
    const r = spawnSync(process.execPath, ['scripts/postinstall.mjs'], {
      cwd: clone, encoding: 'utf8', timeout: 180_000,
      env: { ...env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: path.join(clone, '.electron-cache') },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /Electron/.test(l))).toEqual(['ownerscope: the Electron binary could not be downloaded; `npm start` will use browser mode.']);
    expect(r.stdout).not.toMatch(/\bat \S+ \(|Error:/);
  }, 240_000);
});
