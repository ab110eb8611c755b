// Issue #12 point 4, the specific requests that ended the browser-mode server: each runs
// against the real server in a child process, and the test checks the answer and that the
// process is still alive and still answers a valid request afterwards.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get, rawRequest, startServerProcess, type ServerProcess } from './helpers/server-process';

describe('browser-mode server: requests that used to kill it', () => {
  let dir: string;
  let srv: ServerProcess;
  const cookie = () => ({ Cookie: `ownerscope_${srv.port}=${srv.token}` });
  const stillServes = async () => {
    expect(srv.exited(), srv.stderr()).toBeNull();
    const ok = await get(srv.port, '/', cookie());
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<title>ownerscope</title>');
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-crash-'));
    srv = await startServerProcess(dir);
  });
  afterEach(async () => {
    await srv?.stop();
  });

  it('an absolute request target with a port out of range, without a token: 400', async () => {
    const r = await rawRequest(srv.port, `GET http://a:99999/ HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    await stillServes();
  });

  it.each(['/%c0', '/%', '/%E0%A4%A', '/assets/%ff%fe', '/api/%'])('a path that does not decode (%s), with the cookie: 400', async (target) => {
    const r = await get(srv.port, target, cookie());
    expect(r.status).toBe(400);
    await stillServes();
  });

  it('a request body cut off by the client', async () => {
    const r = await rawRequest(
      srv.port,
      `POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nX-Ownerscope-Token: ${srv.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"method":"app.info",`,
      { endAfterWrite: true },
    );
    expect(r.status === null || r.status === 400).toBe(true);
    await stillServes();
  });

  it('file.open of a directory is refused, and the server stays up', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    const body = JSON.stringify({ method: 'file.open', input: { path: folder } });
    const r = await rawRequest(
      srv.port,
      `POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nX-Ownerscope-Token: ${srv.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    const answer = JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4)) as { ok: boolean; value?: { url: string } };
    // today's code offers the folder for download; fetching it is what crashed the server
    if (answer.ok && answer.value?.url) await get(srv.port, answer.value.url, cookie());
    expect(answer.ok).toBe(false);
    await stillServes();
  });

  it('GET /.//evil.example/ with the token does not redirect off-site', async () => {
    for (const target of ['/.//evil.example/', '//evil.example/', '/\\evil.example/', '/./\\/evil.example/']) {
      const sep = target.includes('?') ? '&' : '?';
      const r = await get(srv.port, `${target}${sep}token=${srv.token}`);
      expect(r.status).toBe(302);
      const location = /\r\nLocation: ([^\r]*)\r\n/i.exec(r.text)?.[1] ?? '';
      const resolved = new URL(location, `http://127.0.0.1:${srv.port}/`);
      expect(resolved.host, `${target} → ${location}`).toBe(`127.0.0.1:${srv.port}`);
    }
    await stillServes();
  });
});
