// The API handlers over the HTTP transport of browser mode, on a real case database and the
// real demo samples: token required, loopback only, validation errors, imports in a worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/api/backend';
import { callBackend as dispatch } from '../../../electron/backend/api/dispatch';
import { browserHost } from '../../../electron/backend/http/host';
import { startHttpServer, type RunningServer } from '../../../electron/backend/http/server';
import type { EventMessage } from '../../../shared/api/contract';

const demoDir = path.resolve(__dirname, '../../../demo');

function request(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}

describe('HTTP transport (browser mode)', () => {
  let dir: string;
  let backend: Backend;
  let server: RunningServer;
  const events: EventMessage[] = [];
  const callApi = async (method: string, input: unknown, token = server.token) => {
    const r = await request(`${server.url}api/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Ownerscope-Token': token },
      body: JSON.stringify({ method, input }),
    });
    return { status: r.status, json: r.status === 200 ? JSON.parse(r.body) : null, body: r.body };
  };

  /** The import.done or import.failed event of a job. */
  const importEnd = (jobId: string) =>
    new Promise<EventMessage>((resolve) => {
      const t = setInterval(() => {
        const m = events.find((e) => (e.event === 'import.done' || e.event === 'import.failed') && e.data.jobId === jobId);
        if (m) {
          clearInterval(t);
          resolve(m);
        }
      }, 50);
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-api-'));
    const host = browserHost();
    backend = new Backend({ dataDir: path.join(dir, 'home'), host, demoDir });
    backend.onEvent((m) => events.push(m));
    const rendererDir = path.join(dir, 'renderer');
    (await import('node:fs')).mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startHttpServer({ backend, rendererDir, onDownloads: (d) => host.bind(d) });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses requests without the token, with a wrong token, or another Host', async () => {
    expect((await request(server.url)).status).toBe(401);
    expect((await callApi('app.info', {}, 'wrong')).status).toBe(401);
    const other = await request(`${server.url}api/call`, { method: 'POST', headers: { Host: 'evil.example:80', 'X-Ownerscope-Token': server.token } });
    expect(other.status).toBe(403);
  });

  it('sets a session cookie from the token in the first address and serves the UI with the CSP', async () => {
    const first = await request(server.openUrl);
    expect(first.status).toBe(302);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toContain(server.token);
    const page = await request(server.url, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('validates inputs and names the field', async () => {
    const r = await callApi('entity.search', { query: 42 });
    expect(r.json).toEqual({ ok: false, error: { code: 'invalid-input', message: 'query: must be a string, got number', field: 'query' } });
    const u = await callApi('case.open', { path: '/x', extra: 1 });
    expect(u.json.error.field).toBe('extra');
    expect((await callApi('no.such', {})).json.error.code).toBe('unknown-method');
    const d = await callApi('resolution.decide', { refA: 'lei:A', refB: 'lei:B', decision: 'maybe' });
    expect(d.json.error).toMatchObject({ code: 'invalid-input', field: 'decision' });
    expect((await callApi('entity.search', { query: 'x' })).json.error.code).toBe('no-case-open');
  });

  it('creates a case, imports a sample in a worker with progress, searches and shows an entity', async () => {
    const created = await callApi('case.create', { path: path.join(dir, 'c1.db') });
    expect(created.json.ok).toBe(true);
    const start = await callApi('import.start', { paths: [path.join(demoDir, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml')] });
    expect(start.json.ok).toBe(true);
    const jobId = start.json.value.jobId as string;
    const done = await importEnd(jobId);
    expect(done.event).toBe('import.done');
    expect(events.some((e) => e.event === 'import.progress' && e.data.jobId === jobId)).toBe(true);
    const hits = (await callApi('entity.search', { query: 'Fidelity' })).json.value as { id: number; name: string }[];
    expect(hits.length).toBeGreaterThan(0);
    const entity = (await callApi('entity.get', { ref: String(hits[0]!.id) })).json.value;
    expect(entity.identifiers.some((i: { scheme: string }) => i.scheme === 'lei')).toBe(true);
    const sources = (await callApi('sources.list', {})).json.value;
    expect(sources[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    // the job's thread ends by itself once it has reported
    for (let i = 0; i < 100 && backend.threads.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(backend.threads.size).toBe(0);
  });

  it('reports a bad file with its name and line, and imports nothing', async () => {
    const bad = path.join(dir, 'broken-lei.xml');
    const good = (await import('node:fs')).readFileSync(path.join(demoDir, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), 'utf8');
    writeFileSync(bad, good.slice(0, Math.floor(good.length / 2)));
    const before = (await callApi('case.overview', {})).json.value.counts;
    const jobId = (await callApi('import.start', { paths: [bad] })).json.value.jobId as string;
    const failed = await importEnd(jobId);
    expect(failed.event).toBe('import.failed');
    if (failed.event !== 'import.failed') return;
    expect(failed.data.file).toBe('broken-lei.xml');
    expect(failed.data.location).toMatch(/line|byte|record/);
    expect((await callApi('case.overview', {})).json.value.counts).toEqual(before);
  });

  it('builds the neighbourhood graph with clusters beyond the per-node bound', async () => {
    const r = await dispatch(backend, 'case.demo', {});
    expect(r.ok).toBe(true);
    const hits = await dispatch(backend, 'entity.search', { query: 'Fidelity' });
    const id = (hits as { ok: true; value: { id: number }[] }).value[0]!.id;
    const g = await dispatch(backend, 'graph.neighbourhood', { ref: String(id), up: 2, down: 2, maxPerNode: 1 });
    expect(g.ok).toBe(true);
    if (!g.ok) return;
    expect(g.value.nodes.some((n) => n.isSubject)).toBe(true);
    const all = await dispatch(backend, 'graph.neighbourhood', { ref: String(id), up: 2, down: 2 });
    if (all.ok && all.value.edges.length > 1) expect(g.value.nodes.some((n) => n.clusterSize !== undefined)).toBe(true);
  });

  it('uploads a file in chunks', async () => {
    const a = await dispatch(backend, 'file.upload', { name: 'x.csv', dataBase64: Buffer.from('a,b\n').toString('base64'), isLast: false });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const b = await dispatch(backend, 'file.upload', { uploadId: a.value.uploadId, name: 'x.csv', dataBase64: Buffer.from('1,2\n').toString('base64'), isLast: true });
    expect(b.ok && (await import('node:fs')).readFileSync(b.value.path!, 'utf8')).toBe('a,b\n1,2\n');
    const bad = await dispatch(backend, 'file.upload', { name: '../evil', dataBase64: '', isLast: true });
    expect(!bad.ok && bad.error.field).toBe('name');
  });
});
