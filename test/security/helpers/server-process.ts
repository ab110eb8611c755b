// Starts test/security/helpers/serve.ts under tsx in a child process and talks to it over raw
// sockets (node:net, 127.0.0.1 only), so a malformed request can be sent byte for byte.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  /** Exit code (or signal) once the process has ended; null while it runs. */
  exited(): { code: number | null; signal: string | null } | null;
  stderr(): string;
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, '../../..');

export async function startServerProcess(workDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'serve.ts'), workDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exit: { code: number | null; signal: string | null } | null = null;
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const ended = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const info = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.on('exit', () => reject(new Error(`the server process ended before listening:\n${err}`)));
  });
  return {
    child,
    ...info,
    exited: () => exit,
    stderr: () => err,
    async stop() {
      if (!exit) child.kill('SIGTERM');
      await ended;
    },
  };
}

export interface RawAnswer {
  /** The status code of the first response, or null when the server closed without one. */
  status: number | null;
  text: string;
}

/**
 * Sends bytes as they are on a fresh connection and collects what comes back until the server
 * closes the connection, or until `idleMs` passes without data after the first response line
 * (a keep-alive server does not close).
 */
export function rawRequest(port: number, bytes: string | Buffer, o: { idleMs?: number; endAfterWrite?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, o.idleMs ?? 300);
    };
    socket.on('connect', () => {
      socket.write(bytes);
      if (o.endAfterWrite) socket.end();
      arm();
    });
    socket.on('data', (c) => {
      text += c.toString('latin1');
      arm();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

export const get = (port: number, target: string, headers: Record<string, string> = {}) =>
  rawRequest(
    port,
    `GET ${target} HTTP/1.1\r\n` + Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n',
  );
