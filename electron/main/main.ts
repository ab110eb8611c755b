// Electron shell only: lifecycle, the window, native dialogs, safeStorage, and the one IPC
// channel to the backend. Every input is validated by the backend's dispatcher.
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Backend, type Host, type SecretStore } from '../backend/api/backend';
import { dispatch } from '../backend/api/dispatch';
import { ApiFailure } from '../backend/api/errors';
import { userDataDir } from '../backend/identity/trust';
import { APP_SCHEME, APP_START_URL, appResponseHeaders, isAppUrl, isNavigationAllowed, isRegularFileNoFollow, mayOpenPath, passphraseStorage, resolveAppRequest } from './guards';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHANNEL = 'ownerscope:call';
const EVENT_CHANNEL = 'ownerscope:event';

const storageDecision = () =>
  passphraseStorage(process.platform, safeStorage.isEncryptionAvailable(), process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);

// The passphrase of the signing identity, encrypted by the OS keychain; never written in clear,
// and not at all where the "keychain" would be a key built into Chromium (guards.ts).
function osSecrets(file: string): SecretStore {
  return {
    kind: 'os',
    get: () => {
      if (!existsSync(file)) return null;
      if (storageDecision().isAllowed) return safeStorage.decryptString(readFileSync(file));
      // stored by an earlier version with Chromium's fixed key: as good as clear text, removed
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') rmSync(file);
      return null;
    },
    set: (v) => {
      const decision = storageDecision();
      if (!decision.isAllowed) {
        console.warn(`ownerscope: the passphrase is not remembered (${decision.reason}); it will be asked at each signing`);
        return false;
      }
      writeFileSync(file, safeStorage.encryptString(v), { mode: 0o600 });
      return true;
    },
    clear: () => {
      if (existsSync(file)) rmSync(file);
    },
  };
}

const isRegularFile = (f: string) => {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
};

// The renderer's own origin (app://ownerscope), registered before the app is ready: a standard
// secure scheme gives the page a real origin for the CSP's 'self', unlike file://, which would
// let the page read any file:// URL.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// One data folder for the app, the command line and browser mode (identity, trust list, recent
// cases): a signer trusted with `ownerscope trust add` is trusted in the app too. Set before the
// app is ready, as Electron requires for userData.
app.setPath('userData', userDataDir(process.env));

let win: BrowserWindow | null = null;

async function start() {
  const dataDir = app.getPath('userData');
  const host: Host = {
    mode: 'electron',
    secrets: osSecrets(path.join(dataDir, 'passphrase.bin')),
    async pickFiles(purpose) {
      if (!win) return [];
      if (purpose === 'case-create') {
        const r = await dialog.showSaveDialog(win, { title: 'New case database', filters: [{ name: 'Case database', extensions: ['db'] }] });
        return r.canceled || !r.filePath ? [] : [r.filePath];
      }
      const filters = purpose === 'case-open' ? [{ name: 'Case database', extensions: ['db', 'sqlite'] }] : purpose === 'report' ? [{ name: 'PDF', extensions: ['pdf'] }] : purpose === 'list' ? [{ name: 'CSV', extensions: ['csv'] }] : [];
      const r = await dialog.showOpenDialog(win, { properties: purpose === 'import' ? ['openFile', 'multiSelections'] : ['openFile'], filters });
      return r.canceled ? [] : r.filePaths;
    },
    async openFile(file) {
      // the backend only offers files it produced; checked again here, right before the OS runs it
      if (!mayOpenPath(file, (f) => backend.isProduced(f), isRegularFileNoFollow))
        throw new ApiFailure('unauthorized', `${path.basename(file)}: only reports and exports Ownerscope produced can be opened`);
      const err = await shell.openPath(file);
      if (err) throw new Error(err);
      return { url: null };
    },
  };
  const backend = new Backend({
    dataDir,
    host,
    workerUrl: pathToFileURL(path.join(here, 'worker.mjs')),
    demoDir: app.isPackaged ? path.join(process.resourcesPath, 'demo') : path.resolve(here, '../../demo'),
  });
  const caseArg = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-') && /\.(db|sqlite)$/i.test(a));
  const first = caseArg ? await dispatch(backend, 'case.open', { path: path.resolve(caseArg) }) : await dispatch(backend, 'case.demo', {});
  if (!first.ok) console.error(`ownerscope: ${first.error.message}`);

  ipcMain.handle(CHANNEL, async (event, method: unknown, input: unknown) => {
    // only our own page, in its own top frame on the app origin, may call the backend
    if (!win || event.sender !== win.webContents || !event.senderFrame || event.senderFrame.parent !== null || !isAppUrl(event.senderFrame.url))
      return { ok: false, error: { code: 'unauthorized', message: 'unknown sender' } };
    return dispatch(backend, method, input);
  });
  backend.onEvent((m) => win?.webContents.send(EVENT_CHANNEL, m));

  const rendererDir = path.join(here, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const r = resolveAppRequest(rendererDir, request.url);
    if (!('file' in r)) return new Response(r.reason, { status: r.status });
    if (!isRegularFile(r.file)) return new Response('not found', { status: 404 });
    return new Response(await readFile(r.file), { status: 200, headers: appResponseHeaders(r.file) });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1100,
    minHeight: 700,
    title: 'Ownerscope',
    backgroundColor: '#f4f6f9',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // every way a page can change what the window shows: links and scripts (will-navigate),
  // server redirects (will-redirect), and any frame's navigation (will-frame-navigate)
  win.webContents.on('will-navigate', (e) => {
    if (!isNavigationAllowed(e.url)) e.preventDefault();
  });
  win.webContents.on('will-redirect', (e) => {
    if (!isNavigationAllowed(e.url)) e.preventDefault();
  });
  win.webContents.on('will-frame-navigate', (e) => {
    if (!isNavigationAllowed(e.url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  await win.loadURL(APP_START_URL);
  app.on('before-quit', () => void backend.dispose());
}

app.enableSandbox();
app.whenReady().then(start, (e: unknown) => {
  console.error(e);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
