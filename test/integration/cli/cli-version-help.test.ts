// `ownerscope --version` / `-V` (the version from package.json, the one place it is written) and
// `ownerscope help COMMAND` (that command's help, as `COMMAND --help` prints it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };

describe('ownerscope --version and help COMMAND', () => {
  it('--version and -V print the package.json version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code, flag).toBe(0);
      expect(r.stdout, flag).toBe(`ownerscope ${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('help COMMAND prints the command help, the same as COMMAND --help', async () => {
    for (const name of ['search', 'verify', 'case', 'not-same']) {
      const viaHelp = await runCli(['help', name]);
      const viaFlag = await runCli([name, '--help']);
      expect(viaHelp.code, name).toBe(0);
      expect(viaHelp.stdout, name).toMatch(new RegExp(`^usage: ownerscope ${name} `));
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
  });

  it('help of an unknown command, or of two, is a usage error (exit 2)', async () => {
    const unknown = await runCli(['help', 'serch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "serch"/);
    expect(unknown.stdout).toBe('');
    const two = await runCli(['help', 'search', 'show']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/one command name/);
  });

  it('the general help names --version and help COMMAND', async () => {
    const r = await runCli(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ownerscope --version');
    expect(r.stdout).toContain('ownerscope help <command>');
  });
});

describe('the command registry (commands load by module)', () => {
  it('names each command of each module exactly once, in help order', async () => {
    const { COMMAND_MODULES, allCommands, findCommand } = await import('../../../electron/backend/cli/commands');
    const names = COMMAND_MODULES.flatMap(([n]) => n);
    expect(new Set(names).size).toBe(names.length);
    const byModule = new Map<unknown, string[]>();
    for (const [listed, load] of COMMAND_MODULES) byModule.set(load, [...(byModule.get(load) ?? []), ...listed]);
    for (const [load, listed] of byModule) {
      // every command a module exports is listed with it (a new command cannot be forgotten)
      const exported = Object.values(await (load as () => Promise<Record<string, unknown>>)()).filter((v): v is { name: string; run: unknown } =>
        typeof v === 'object' && v !== null && typeof (v as { run?: unknown }).run === 'function').map((c) => c.name);
      expect(exported.sort()).toEqual([...listed].sort());
    }
    expect((await allCommands()).map((c) => c.name)).toEqual(names);
    expect((await findCommand('verify'))?.name).toBe('verify');
    expect(await findCommand('nope')).toBeUndefined();
  });
});
