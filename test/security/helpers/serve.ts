// Runs the real browser-mode server in a child process for the attack tests: a request that
// kills the server ends this process, which the test sees (exit code), instead of taking the
// test runner down with it. Prints one JSON line {url, port, token} when listening.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Backend } from '../../../electron/backend/api/backend';
import { browserHost } from '../../../electron/backend/http/host';
import { startHttpServer } from '../../../electron/backend/http/server';

const dir = process.argv[2];
if (!dir) throw new Error('usage: serve.ts WORKDIR');
const rendererDir = path.join(dir, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ownerscope</title>');
writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
const host = browserHost();
const backend = new Backend({ dataDir: path.join(dir, 'home'), host });
const server = await startHttpServer({ backend, rendererDir, onDownloads: (d) => host.bind(d) });
process.stdout.write(JSON.stringify({ url: server.url, port: server.port, token: server.token }) + '\n');
