// npm test's set-up (scripts/test-preflight.mjs) run for real with a PATH that has none of the
// tools and no apt-get: it must stop at once (exit 1) and print the one command that installs them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.resolve(__dirname, '../../scripts/test-preflight.mjs');

describe('test set-up', () => {
  it('passes on this machine, where the tools are installed', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('stops with the install command when tools are missing and apt-get cannot be run', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-nopath-'));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: empty, HOME: empty } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing .*poppler-utils.*qpdf.*networkx.*No test was run/s);
    // Debian and Ubuntu (these machines, CI): the apt-get line; elsewhere that system's command
    if (existsSync('/etc/debian_version')) expect(r.stderr).toMatch(/\n {2}(sudo )?apt-get install -y --no-install-recommends .*poppler-utils qpdf python3-networkx\n/);
    else expect(r.stderr).toMatch(/Install them with/);
  });

  it('stops on a browser variable that names no executable', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, OWNERSCOPE_BROWSER: '/no/such/browser' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/OWNERSCOPE_BROWSER=\/no\/such\/browser: not an executable file/);
  });
});
