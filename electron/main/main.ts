// Electron shell only: lifecycle, the window, native dialogs, safeStorage, and the one IPC
// channel to the backend. Every input is validated by the backend's dispatcher.
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Backend, type Host, type SecretStore } from '../backend/api/backend';
import { dispatch } from '../backend/api/dispatch';
import { CSP } from '../backend/http/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHANNEL = 'ownerscope:call';
const EVENT_CHANNEL = 'ownerscope:event';

// The passphrase of the signing identity, encrypted by the OS keychain; never written in clear.
function osSecrets(file: string): SecretStore {
  return {
    kind: 'os',
    get: () => (existsSync(file) && safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(readFileSync(file)) : null),
    set: (v) => {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available: the passphrase will be asked at each signing');
      writeFileSync(file, safeStorage.encryptString(v), { mode: 0o600 });
    },
    clear: () => {
      if (existsSync(file)) rmSync(file);
    },
  };
}

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
    // only our own page may call the backend
    if (!win || event.sender !== win.webContents) return { ok: false, error: { code: 'unauthorized', message: 'unknown sender' } };
    return dispatch(backend, method, input);
  });
  backend.onEvent((m) => win?.webContents.send(EVENT_CHANNEL, m));

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

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
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  await win.loadFile(path.join(here, '../renderer/index.html'));
  app.on('before-quit', () => void backend.dispose());
}

app.enableSandbox();
app.whenReady().then(start, (e: unknown) => {
  console.error(e);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
