import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ownerscope CLI basics', () => {
  it('runs through the installed bin with --help (npx ownerscope --help)', () => {
    const out = execFileSync('npx', ['--no-install', 'ownerscope', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/usage: ownerscope <command>/);
    for (const c of ['import', 'sources', 'search', 'show', 'trace']) expect(out).toContain(`  ${c}`);
  });

  it('exits 2 for usage errors, with the usage on stderr', async () => {
    const cases: string[][] = [
      ['nonsense'],
      ['import', 'file.xml'],
      ['import', '--db', path.join(dir, 'x.db')],
      ['show', '--db', path.join(dir, 'x.db')],
      ['trace', '--db', path.join(dir, 'x.db'), 'lei:X', '--depth', 'deep'],
      ['show', '--db', path.join(dir, 'x.db'), '1', '--as-of', '2024-13-45'],
      ['search', '--db', path.join(dir, 'x.db'), 'q', '--bogus'],
    ];
    for (const args of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  it('exits 1 with a message naming the problem for failures', async () => {
    const db = path.join(dir, 'empty.db');
    const created = await runCli(['sources', '--db', db]);
    expect(created.code).toBe(1);
    expect(created.stderr).toMatch(/no such case database/);
    writeFileSync(path.join(dir, 'junk.txt'), 'hello, this is not a registry file\n');
    const imp = await runCli(['import', '--db', db, path.join(dir, 'junk.txt')]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toMatch(/junk\.txt: start of file: format not recognised/);
    const show = await runCli(['show', '--db', db, 'lei:5493001KJTIIGC8Y1R12']);
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/no entity with identifier lei:5493001KJTIIGC8Y1R12/);
    const bad = await runCli(['show', '--db', db, 'not a ref']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not a reference/);
  });

  it('the real process returns the exit codes too', () => {
    const r = spawnSync(process.execPath, ['bin/ownerscope.mjs', 'show'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    const r1 = spawnSync(process.execPath, ['bin/ownerscope.mjs', 'sources', '--db', path.join(dir, 'nope.db')], { encoding: 'utf8' });
    expect(r1.status).toBe(1);
  });
});
