// Issue #12 point 4: a few thousand malformed request lines, paths, headers and bodies sent
// byte for byte to the real browser-mode server (a child process, 127.0.0.1 only). Afterwards
// the process must be alive and answer a valid request; no malformed request may get a 500
// (every failure of one request is that request's 400, or a closed connection).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { browserHost } from '../../electron/backend/http/host';
import { startHttpServer, type Downloads, type RunningServer } from '../../electron/backend/http/server';
import { get, rawRequest, startServerProcess, type RawAnswer, type ServerProcess } from './helpers/server-process';

const SEED = 20261202;

/** Runs `jobs` with at most `width` connections open at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

const junkChar = fc.constantFrom('%', '%%', '%0', '%c0', '%ff', '%E0%A4%A', '%00', '\\', '/', '//', '..', '.', '?', '#', '&', '=', '~', ';', '%2f', '%5c', '%2e%2e', 'é', '中', '\u0000', '\u007f', ' ', '\t', '@', ':', '[', ']');
const pathArb = fc
  .array(fc.oneof(junkChar, fc.stringMatching(/^[a-z0-9._-]{0,8}$/)), { minLength: 0, maxLength: 12 })
  .map((parts) => '/' + parts.join(''));
const targetArb = fc.oneof(
  pathArb,
  fc.constantFrom('*', '', 'http://a:99999/', 'http://[::1', 'http://127.0.0.1:0/', 'https://evil.example/', 'ftp://x/', '//', '/.//evil.example/', 'http://a:-1/x', '?token=', '/?token=x&token=y', '/api/call?%'),
  fc.tuple(fc.constantFrom('http://', 'https://', 'file://', 'app://'), fc.string({ maxLength: 20 }), fc.integer({ min: -5, max: 200_000 })).map(([s, h, p]) => `${s}${h}:${p}/`),
  fc.integer({ min: 1, max: 5 }).map((n) => '/' + 'a'.repeat(n * 4000)),
);
const methodArb = fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'PATCH', 'G\u0000ET', 'get', 'BREW', '');
const versionArb = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/1.1 extra', 'HTTP/1', 'HTP/1.1', '');

describe('browser-mode server under malformed requests', () => {
  let dir: string;
  let srv: ServerProcess;
  const answers: { what: string; request: string; answer: RawAnswer }[] = [];
  const cookieLine = () => `Cookie: ownerscope_${srv.port}=${srv.token}\r\n`;
  const hostLine = () => `Host: 127.0.0.1:${srv.port}\r\n`;

  const send = async (what: string, request: string, endAfterWrite = false) => {
    const answer = await rawRequest(srv.port, request, { idleMs: 150, endAfterWrite });
    answers.push({ what, request: request.slice(0, 300), answer });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-fuzz-'));
    srv = await startServerProcess(dir);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('request lines', async () => {
    const lines = fc.sample(fc.tuple(methodArb, targetArb, versionArb, fc.boolean()), { numRuns: 800, seed: SEED });
    await pool(lines.map(([m, t, v, withCookie]) => () => send('request line', `${m} ${t} ${v}\r\n${hostLine()}${withCookie ? cookieLine() : ''}Connection: close\r\n\r\n`)), 16);
    expect(srv.exited(), srv.stderr()).toBeNull();
  });

  it('paths, with the cookie', async () => {
    const paths = fc.sample(pathArb, { numRuns: 800, seed: SEED + 1 });
    await pool(paths.map((p) => () => send('path', `GET ${p.replace(/[\s]/g, '%20')} HTTP/1.1\r\n${hostLine()}${cookieLine()}Connection: close\r\n\r\n`)), 16);
    expect(srv.exited(), srv.stderr()).toBeNull();
  });

  it('headers', async () => {
    const headerArb = fc.oneof(
      fc.tuple(fc.constantFrom('Host', 'Cookie', 'Origin', 'X-Ownerscope-Token', 'Content-Length', 'Transfer-Encoding', 'Content-Type', 'Connection', 'Expect', 'Upgrade', 'Range'), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('-1', '99999999999999999999', 'chunked', 'chunked, gzip', '100-continue', 'websocket', `ownerscope_1=x; ownerscope_1=y`, 'null', 'http://127.0.0.1:1', 'bytes=0-', '\u00ff\u00fe'))).map(([k, v]) => `${k}: ${v}`),
      fc.string({ maxLength: 60 }),
      fc.integer({ min: 1, max: 4 }).map((n) => `X-Big: ${'b'.repeat(n * 9000)}`),
    );
    const sets = fc.sample(fc.tuple(fc.array(headerArb, { maxLength: 6 }), fc.boolean(), fc.constantFrom('GET /', 'POST /api/call', 'GET /api/events', 'GET /files/x/y', 'GET /assets/app.js')), { numRuns: 800, seed: SEED + 2 });
    await pool(
      sets.map(([headers, withAuth, line]) => () =>
        send('headers', `${line} HTTP/1.1\r\n${hostLine()}${withAuth ? cookieLine() : ''}${headers.map((h) => h.replace(/\r|\n/g, '') + '\r\n').join('')}Connection: close\r\n\r\n`, true),
      ),
      16,
    );
    expect(srv.exited(), srv.stderr()).toBeNull();
  });

  it('bodies of POST /api/call, whole and cut off', async () => {
    const safeMethod = fc.constantFrom('app.info', 'policy.list', 'entity.search', 'case.overview', 'file.open', 'nope', '__proto__', 'constructor', 'toString');
    const inputArb = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom({ __proto__: { a: 1 } }, { constructor: 'x' }, { query: '\u0000' }, { path: '/' }, { path: dir }));
    const bodyArb = fc.oneof(
      fc.tuple(safeMethod, inputArb).map(([method, input]) => JSON.stringify({ method, input })),
      fc.string({ maxLength: 200 }),
      fc.constantFrom('', '{', '[]', 'null', '"x"', '{"method":', '{"__proto__":{"method":"app.info"}}', '[' .repeat(5000) + ']'.repeat(5000), '\u0000\u00ff'),
    );
    const cases = fc.sample(fc.tuple(bodyArb, fc.constantFrom('exact', 'short', 'long', 'chunked', 'bad-chunked')), { numRuns: 800, seed: SEED + 3 });
    await pool(
      cases.map(([body, framing]) => () => {
        const len = Buffer.byteLength(body);
        const head = `POST /api/call HTTP/1.1\r\n${hostLine()}X-Ownerscope-Token: ${srv.token}\r\nContent-Type: application/json\r\nConnection: close\r\n`;
        if (framing === 'chunked') return send('body', `${head}Transfer-Encoding: chunked\r\n\r\n${len.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
        if (framing === 'bad-chunked') return send('body', `${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n`, true);
        if (framing === 'short') return send('body', `${head}Content-Length: ${len + 50}\r\n\r\n${body}`, true);
        if (framing === 'long') return send('body', `${head}Content-Length: ${Math.max(0, len - 3)}\r\n\r\n${body}`);
        return send('body', `${head}Content-Length: ${len}\r\n\r\n${body}`);
      }),
      16,
    );
    expect(srv.exited(), srv.stderr()).toBeNull();
  });

  it('is still alive and serving afterwards; nothing malformed got a 500', async () => {
    expect(answers.length).toBeGreaterThanOrEqual(3200);
    expect(srv.exited(), srv.stderr()).toBeNull();
    const page = await get(srv.port, '/', { Cookie: `ownerscope_${srv.port}=${srv.token}` });
    expect(page.status).toBe(200);
    const body = JSON.stringify({ method: 'app.info', input: {} });
    const api = await rawRequest(srv.port, `POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nX-Ownerscope-Token: ${srv.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(api.status).toBe(200);
    expect(api.text).toContain('"ok":true');
    const failures = answers.filter((a) => a.answer.status !== null && a.answer.status >= 500);
    expect(failures.map((f) => `${f.what}: ${JSON.stringify(f.request)} → ${f.answer.text.slice(0, 200)}`)).toEqual([]);
  });
});

describe('downloads of something that is not a regular file', () => {
  let dir: string;
  let backend: Backend;
  let server: RunningServer;
  let downloads: Downloads;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-dl-'));
    const rendererDir = path.join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const host = browserHost();
    backend = new Backend({ dataDir: path.join(dir, 'home'), host });
    server = await startHttpServer({ backend, rendererDir, onDownloads: (d) => {
      host.bind(d);
      downloads = d;
    } });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const fetchStatus = (urlPath: string) =>
    new Promise<number>((resolve, reject) => {
      http.get(`${server.url}${urlPath.slice(1)}`, { headers: { 'X-Ownerscope-Token': server.token } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });

  it('a directory, a vanished file and /dev/null are 404, a regular file is served', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    expect(await fetchStatus(downloads.add(folder))).toBe(404);
    expect(await fetchStatus(downloads.add(path.join(dir, 'gone.pdf')))).toBe(404);
    if (process.platform !== 'win32') expect(await fetchStatus(downloads.add('/dev/null'))).toBe(404);
    const file = path.join(dir, 'ok.csv');
    writeFileSync(file, 'a,b\n');
    expect(await fetchStatus(downloads.add(file))).toBe(200);
  });
});
