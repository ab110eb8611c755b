// Every format the importer knows, in sniffing order (the first match wins).
import { gleifFormats } from './gleif';
import { bodsFormat } from './bods';
import { csvFormats } from './csv';
import { ftmFormat } from './ftm';
import { pscFormat } from './psc';
import { FORMAT_IDS, type FormatId, type FormatModule } from './types';

export const FORMATS: FormatModule[] = [...gleifFormats, pscFormat, bodsFormat, ftmFormat, ...csvFormats];

export function formatById(id: string): FormatModule {
  const f = FORMATS.find((m) => m.id === id);
  if (!f) {
    const known = FORMATS.map((m) => m.id).join(', ');
    const planned = (FORMAT_IDS as readonly string[]).includes(id) ? ' (not available in this build)' : '';
    throw new Error(`unknown format "${id}"${planned}; known formats: ${known}`);
  }
  return f;
}

export type { FormatId };
