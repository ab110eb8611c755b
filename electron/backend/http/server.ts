// Browser mode: the same API handlers over HTTP, for machines without the Electron binary and
// for end-to-end tests in headless Chromium. Listens on 127.0.0.1 only; every request needs the
// random per-run token (first as `?token=` in the address the user opens, which sets a cookie,
// or as an `X-Ownerscope-Token` header); the Host header must name the loopback address so a
// DNS-rebinding page on another origin cannot talk to it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { constants, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EventMessage } from '../../../shared/api/contract';
import type { Backend } from '../api/backend';
import { dispatch } from '../api/dispatch';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and vis-network set element styles from script; no remote styles are ever loaded
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  // the script fonts of the renderer (renderer/src/styles.css), by their own types
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
};

const MAX_BODY = 32 * 1024 * 1024;

export interface HttpServerOptions {
  backend: Backend;
  /** The built renderer (vite build output). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Receives the download registry (the browser host's openFile offers files through it). */
  onDownloads?: (d: Downloads) => void;
}

export interface RunningServer {
  url: string;
  /** The address to open: carries the token once, the page then lives on the cookie. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface Downloads {
  add(file: string): string;
}

/** A malformed request (an address that does not parse, an escape that does not decode): the guard answers it 400. */
export class BadRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

/** The request target as a URL on this server; an unparsable target (a port out of range) is a bad request. */
export function parseTarget(target: string, host: string): URL {
  try {
    return new URL(target, `http://${host}`);
  } catch {
    throw new BadRequest('bad request address');
  }
}

/** Percent-decoding of a path; malformed escapes or invalid UTF-8 (`%c0`, `%`) are a bad request. */
export function decodePath(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new BadRequest('bad escape in the request path');
  }
  if (decoded.includes('\0')) throw new BadRequest('NUL in the request path');
  return decoded;
}

/**
 * Where to send the browser after the token is exchanged for the cookie: always a path on this
 * server. `//host/` or `/\\host/` (what `/.//evil.example/` normalises to) would be read by the
 * browser as another site, so leading slashes and backslashes collapse to one.
 */
export function sameSiteLocation(url: URL): string {
  return '/' + url.pathname.replace(/^[/\\]+/, '') + url.search;
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function failRequest(res: http.ServerResponse, e: unknown): void {
  const isBad = e instanceof BadRequest;
  if (!isBad) console.error('ownerscope: a request failed:', e);
  if (!res.headersSent) res.setHeader('Connection', 'close');
  send(res, isBad ? 400 : 500, isBad ? `bad request: ${(e as Error).message}` : 'internal error (see the server log)');
}

/**
 * Streams a regular file: a directory, a special file or a file that vanished is a 404, and a
 * read error half-way ends that response only.
 */
async function sendFile(res: http.ServerResponse, file: string, headers: http.OutgoingHttpHeaders): Promise<void> {
  let handle: FileHandle;
  let size: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check is on the opened
    // descriptor, so the file cannot be swapped between the check and the read
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return send(res, 404, 'no such file');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      return send(res, 404, 'no such file');
    }
    size = st.size;
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  const stream = handle.createReadStream();
  await new Promise<void>((resolve) => {
    stream.on('error', (e) => {
      console.error('ownerscope: a download failed:', e);
      res.destroy();
    });
    stream.on('close', () => resolve());
    res.on('close', () => stream.destroy());
    res.writeHead(200, { ...headers, 'Content-Length': size });
    stream.pipe(res);
  });
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return void res.destroy();
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startHttpServer(o: HttpServerOptions): Promise<RunningServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const downloads = new Map<string, string>();
  const sseClients = new Set<http.ServerResponse>();
  let port = 0;
  const cookieName = () => `ownerscope_${port}`;

  const isToken = (t: string | undefined | null) => {
    if (!t) return false;
    const b = Buffer.from(t);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  const cookieToken = (req: http.IncomingMessage) => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === cookieName()) return v.join('=');
    }
    return null;
  };

  const unsubscribe = o.backend.onEvent((m: EventMessage) => {
    const line = `event: message\ndata: ${JSON.stringify(m)}\n\n`;
    for (const res of sseClients) res.write(line);
  });

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, 'forbidden host');
    const url = parseTarget(req.url ?? '/', host);
    const origin = req.headers.origin;
    if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return send(res, 403, 'forbidden origin');

    // First load with the token: set the session cookie and drop the token from the address bar.
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null) {
      if (!isToken(queryToken)) return send(res, 401, 'wrong token: open the address Ownerscope printed when it started');
      url.searchParams.delete('token');
      res.writeHead(302, {
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: sameSiteLocation(url),
      });
      return void res.end();
    }
    const header = req.headers['x-ownerscope-token'];
    if (!isToken(typeof header === 'string' ? header : cookieToken(req)))
      return send(res, 401, 'unauthorized: open the address Ownerscope printed when it started (it carries the access token)');

    if (url.pathname === '/api/call' && req.method === 'POST') return handleCall(req, res);
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      res.on('close', () => {
        clearInterval(ping);
        sseClients.delete(res);
      });
      return;
    }
    if (url.pathname.startsWith('/files/') && req.method === 'GET') {
      const file = downloads.get(url.pathname.split('/')[2] ?? '');
      if (!file) return send(res, 404, 'no such file');
      const ext = path.extname(file).toLowerCase();
      return sendFile(res, file, {
        'Content-Type': MIME[ext] ?? 'application/octet-stream',
        'Content-Disposition': `${ext === '.pdf' ? 'inline' : 'attachment'}; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"`,
      });
    }
    if (req.method !== 'GET') return send(res, 405, 'method not allowed');
    return serveStatic(url.pathname, res);
  };

  // The one guard around every request: whatever fails while answering one request (a bad
  // address, a file that vanished, a client that hung up) is answered 400/500 or drops that
  // connection, and never reaches the process (an uncaught error would end browser mode).
  const server = http.createServer((req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => req.socket.destroy());
    route(req, res).catch((e: unknown) => failRequest(res, e));
  });
  server.on('clientError', (_err, socket) => {
    // unparsable request line or headers: Node's parser refused them before any handler ran
    if (socket.writable && !socket.writableEnded) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const handleCall = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) {
        res.setHeader('Connection', 'close');
        return send(res, 413, 'request too large');
      }
      chunks.push(c as Buffer);
    }
    let body: { method?: unknown; input?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid-input', message: 'the request is not JSON' } }), 'application/json');
    }
    const result = await dispatch(o.backend, body?.method, body?.input);
    send(res, 200, JSON.stringify(result), 'application/json');
  };

  const serveStatic = async (pathname: string, res: http.ServerResponse) => {
    const root = path.resolve(o.rendererDir);
    let file = path.resolve(root, '.' + decodePath(pathname));
    if (!file.startsWith(root + path.sep) && file !== root) return send(res, 404, 'not found');
    if (!isRegularFile(file)) file = path.join(root, 'index.html');
    if (!isRegularFile(file)) return send(res, 500, `the renderer is not built (${root}); run npm run build:renderer`);
    return sendFile(res, file, { 'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  // once listening, a failure to accept a connection (too many open files) is that connection's
  // problem, not a reason to end browser mode
  server.on('error', (e) => console.error('ownerscope: the local server:', e));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;

  // Browser-mode host: opening a file means offering it on this server.
  const downloadsApi: Downloads = {
    add(file) {
      const id = randomBytes(9).toString('base64url');
      downloads.set(id, file);
      return `/files/${id}/${encodeURIComponent(path.basename(file))}`;
    },
  };
  o.onDownloads?.(downloadsApi);

  return {
    url,
    openUrl: `${url}?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const r of sseClients) r.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

