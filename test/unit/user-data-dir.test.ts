// The CLI, browser mode and the desktop app share one data folder (trust list, identity): the
// folder must follow each platform's convention and $OWNERSCOPE_HOME must win everywhere.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userDataDir } from '../../electron/backend/identity/trust';

describe('userDataDir', () => {
  it('OWNERSCOPE_HOME wins on every platform', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) expect(userDataDir({ OWNERSCOPE_HOME: '/srv/o', HOME: '/home/u' }, p)).toBe(path.resolve('/srv/o'));
  });
  it('Linux: XDG_CONFIG_HOME, else ~/.config (the path earlier versions used)', () => {
    expect(userDataDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/ownerscope');
    expect(userDataDir({ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/ownerscope');
  });
  it('macOS and Windows: the folder Electron names userData for the app "Ownerscope"', () => {
    expect(userDataDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/Ownerscope');
    expect(userDataDir({ HOME: '/h', APPDATA: '/h/AppData/Roaming' }, 'win32')).toBe(path.join('/h/AppData/Roaming', 'Ownerscope'));
  });
});
