// `npm start` without the Electron binary: browser mode. Opens the given case database (or
// builds and opens the demo case), serves the UI on 127.0.0.1 and prints the address.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Backend } from '../api/backend';
import { userDataDir } from '../identity';
import { dispatch } from '../api/dispatch';
import { browserHost } from './host';
import { startHttpServer } from './server';

export interface BrowserModeArgs {
  caseFile: string | null;
  port: number | undefined;
  dataDir: string;
  rendererDir: string;
  isDemo: boolean;
}

/** The same folder as the command line's, so both share the identity and the trust list. */
export function defaultDataDir(): string {
  return userDataDir(process.env);
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_RENDERER_DIR = path.resolve(here, '../../../dist/renderer');

export function parseArgs(argv: string[]): BrowserModeArgs {
  let caseFile: string | null = null;
  let port: number | undefined;
  let dataDir = defaultDataDir();
  let rendererDir = DEFAULT_RENDERER_DIR;
  let isDemo = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--port') port = Number(argv[++i]);
    else if (a.startsWith('--port=')) port = Number(a.slice(7));
    else if (a === '--data-dir') dataDir = path.resolve(argv[++i]!);
    else if (a === '--renderer-dir') rendererDir = path.resolve(argv[++i]!);
    else if (a === '--no-demo') isDemo = false;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else caseFile = path.resolve(a);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error('--port needs a number 0-65535');
  return { caseFile, port, dataDir, rendererDir, isDemo };
}

export async function runBrowserMode(args: BrowserModeArgs, log: (s: string) => void = console.log) {
  const host = browserHost();
  const backend = new Backend({ dataDir: args.dataDir, host });
  if (args.caseFile) {
    const r = await dispatch(backend, 'case.open', { path: args.caseFile });
    if (!r.ok) throw new Error(r.error.message);
  } else if (args.isDemo) {
    log('ownerscope: opening the demo case (built from the bundled GLEIF and UK PSC samples on first run)…');
    const r = await dispatch(backend, 'case.demo', {});
    if (!r.ok) log(`ownerscope: the demo case could not be opened: ${r.error.message}`);
  }
  const server = await startHttpServer({ backend, rendererDir: args.rendererDir, port: args.port, onDownloads: (d) => host.bind(d) });
  return { backend, server };
}
