// Issue #12 point 7 (API validation): inputs that today pass the validator or leak a raw Node
// message. Each goes through the real dispatcher on a real backend, as the IPC and HTTP
// transports send it (JSON.parse makes `__proto__` an own key, as a hostile page's body would).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend, memorySecrets } from '../../electron/backend/api/backend';
import { dispatch } from '../../electron/backend/api/dispatch';

describe('API input validation and error messages', () => {
  let dir: string;
  let backend: Backend;
  const errors: unknown[][] = [];
  const originalError = console.error;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-input-'));
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: { mode: 'test', secrets: memorySecrets(), openFile: async () => ({ url: null }) } });
    console.error = (...a: unknown[]) => void errors.push(a);
  });
  afterAll(async () => {
    console.error = originalError;
    await backend.dispose();
  });

  it.each([
    ['constructor', '{"query":"a","constructor":"x"}'],
    ['__proto__', '{"query":"a","__proto__":{"limit":1}}'],
    ['toString', '{"query":"a","toString":1}'],
    ['hasOwnProperty', '{"query":"a","hasOwnProperty":1}'],
  ])('an inherited name (%s) is an unknown field', async (key, json) => {
    const r = await dispatch(backend, 'entity.search', JSON.parse(json));
    expect(r).toEqual({ ok: false, error: { code: 'invalid-input', message: `${key}: unknown field`, field: key } });
  });

  it('a method input of nothing but __proto__ is refused too', async () => {
    const r = await dispatch(backend, 'app.info', JSON.parse('{"__proto__":{"x":1}}'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('__proto__');
  });

  it.each([
    ['entity.search', { query: 'Pearl\u0000Harbour' }, 'query'],
    ['file.open', { path: path.join(os.tmpdir(), 'a\u0000.pdf') }, 'path'],
    ['import.detect', { paths: ['/tmp/x', '/etc/passwd\u0000.xml'] }, 'paths[1]'],
    ['case.note', { caseId: 'C-0001', text: 'ok\u0000' }, 'text'],
    ['verdict.compute', { ref: 'lei:X', policy: { preset: 'eu-50', restrictedCountries: ['RU', 'C\u0000N'] } }, 'policy.restrictedCountries[1]'],
  ] as const)('a NUL character in a string is refused (%s)', async (method, input, field) => {
    const r = await dispatch(backend, method, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.field).toBe(field);
      expect(r.error.message).toMatch(/NUL/);
    }
  });

  it('an unexpected Node failure is answered with a generic message and an error id; the details go to the log', async () => {
    // a case database "inside" a regular file: mkdir fails with ENOTDIR
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'x');
    errors.length = 0;
    const r = await dispatch(backend, 'case.create', { path: path.join(file, 'sub', 'case.db') });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('internal');
    expect(r.error.message).not.toMatch(/ENOTDIR|mkdir|plain-file|errno/);
    expect(r.error.errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(r.error.message).toContain(r.error.errorId);
    const logged = errors.map((a) => a.map(String).join(' ')).join('\n');
    expect(logged).toContain(r.error.errorId!);
    expect(logged).toMatch(/ENOTDIR/);
  });

  it('a missing file is not-found with a message naming the path, not the Node text', async () => {
    const r = await dispatch(backend, 'report.verify', { path: path.join(dir, 'none.pdf') });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('not-found');
      expect(r.error.message).not.toMatch(/ENOENT|errno|open '/);
      expect(r.error.message).toContain('none.pdf');
    }
  });
});
