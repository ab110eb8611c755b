// Special files handed to every method that takes a path: a FIFO nobody writes to, /dev/zero, a
// directory, a socket, a path with a NUL byte. Each must be refused before anything is read, with
// an error naming the path and what it is; none may hang the call (a hang fails by timeout).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import { runCli } from '../helpers/cli';

const fixtures = path.resolve(__dirname, '../fixtures');

describe('special files are refused by every path-taking method', () => {
  let dir: string;
  let backend: Backend;
  let server: net.Server;
  const special: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-hostile-'));
    special.fifo = path.join(dir, 'pipe.xml');
    execFileSync('mkfifo', [special.fifo]);
    special.zero = '/dev/zero';
    special.directory = path.join(dir, 'folder.xml');
    mkdirSync(special.directory);
    special.socket = path.join(dir, 'sock.xml');
    server = net.createServer();
    await new Promise<void>((r) => server.listen(special.socket, r));
    special.nul = `${dir}/a.xml\0/../../etc/passwd`;
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost() });
    const r = await callBackend(backend, 'case.create', { path: path.join(dir, 'case.db') });
    expect(r.ok).toBe(true);
  });

  afterAll(async () => {
    await backend.dispose();
    server.close();
  });

  const refusal = /not a regular file|NUL (byte|character)/;

  for (const kind of ['fifo', 'zero', 'directory', 'socket', 'nul']) {
    it(`${kind}: import.detect reports it without reading`, async () => {
      const r = await callBackend(backend, 'import.detect', { paths: [special[kind]!] });
      // the contract's validator refuses a NUL in any string before the handler runs
      expect(r.ok ? r.value[0]!.error : r.error.message).toMatch(refusal);
    });
    it(`${kind}: import.start refuses it`, async () => {
      const r = await callBackend(backend, 'import.start', { paths: [special[kind]!] });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(refusal);
    });
    it(`${kind}: report.verify refuses it`, async () => {
      const r = await callBackend(backend, 'report.verify', { path: special[kind]! });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(refusal);
    });
    it(`${kind}: identity.import refuses it`, async () => {
      const r = await callBackend(backend, 'identity.import', { path: special[kind]!, passphrase: 'x' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(refusal);
    });
    it(`${kind}: screen.start refuses it`, async () => {
      const r = await callBackend(backend, 'screen.start', { path: special[kind]! });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(refusal);
    });
    it(`${kind}: case.open refuses it (and the case open stays open)`, async () => {
      const r = await callBackend(backend, 'case.open', { path: special[kind]! });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(refusal);
      expect(backend.caseFile).toBe(path.join(dir, 'case.db'));
    });
    it(`${kind}: the CLI's import, verify and case attach refuse it`, async () => {
      const db = path.join(dir, 'cli.db');
      const imp = await runCli(['import', '--db', db, special[kind]!]);
      expect(imp.code).not.toBe(0);
      expect(imp.stderr).toMatch(refusal);
      const ver = await runCli(['verify', special[kind]!]);
      expect(ver.code).not.toBe(0);
      expect(ver.stderr).toMatch(refusal);
    });
  }

  it('case attach refuses special files', async () => {
    const db = path.join(dir, 'attach.db');
    expect((await runCli(['import', '--db', db, path.join(fixtures, 'gleif/lei-cdf31_goldencopy_2023-06-05_excerpt.xml')])).code).toBe(0);
    const lei = '5493001KJTIIGC8Y1R12';
    const made = await runCli(['case', 'new', '--db', db, `lei:${lei}`, '--json']);
    const caseId = made.code === 0 ? (JSON.parse(made.stdout) as { id?: string; caseId?: string }).id ?? (JSON.parse(made.stdout) as { caseId: string }).caseId : 'C-0001';
    for (const kind of ['fifo', 'zero', 'directory', 'socket']) {
      const r = await runCli(['case', 'attach', '--db', db, caseId!, special[kind]!]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(refusal);
    }
  });

  it('a policy file that is a FIFO or /dev/zero is refused (CLI policy show)', async () => {
    for (const kind of ['fifo', 'zero']) {
      const r = await runCli(['policy', 'show', special[kind]!]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(refusal);
    }
  });

  it('files read whole are capped before they are read (a sparse 2 GiB "identity" and "report")', async () => {
    const big = path.join(dir, 'big.p12');
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 * 1024 * 1024);
    const id = await callBackend(backend, 'identity.import', { path: big, passphrase: 'x' });
    expect(id.ok).toBe(false);
    if (!id.ok) expect(id.error.message).toMatch(/limit/);
    const rep = await callBackend(backend, 'report.verify', { path: big });
    expect(rep.ok).toBe(false);
    if (!rep.ok) expect(rep.error.message).toMatch(/limit/);
    const ver = await runCli(['verify', big]);
    expect(ver.code).not.toBe(0);
    expect(ver.stderr).toMatch(/limit/);
  });
});
