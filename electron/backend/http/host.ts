// The host services in browser mode: no native dialogs (the page uploads files instead),
// files are opened by offering them on the local server, and the signing passphrase is kept in
// memory for this run only (never on disk).
import type { Host } from '../api/backend';
import { memorySecrets } from '../api/backend';
import type { Downloads } from './server';

export function browserHost(): Host & { bind(d: Downloads): void } {
  let downloads: Downloads | null = null;
  return {
    mode: 'browser',
    secrets: memorySecrets(),
    async openFile(file) {
      if (!downloads) throw new Error('the local server is not running');
      return { url: downloads.add(file) };
    },
    bind(d) {
      downloads = d;
    },
  };
}
