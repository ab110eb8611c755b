// The app keeps its place: the view is in the URL (#/verdict, #/case/C-0001), so the browser's
// Back and Forward move between views and a reload lands where it was; the working state of a
// case database (subject, verdict, screening results) is kept in localStorage under that
// database's path, so it survives navigating away, a reload, and switching databases.
import { useCallback, useState } from 'react';
import { useApp, type View } from './state';

export const VIEWS: readonly View[] = ['cases', 'case', 'sources', 'search', 'entity', 'graph', 'verdict', 'decision', 'screening', 'verify'];

export interface Route {
  view: View;
  /** The case a case page shows. */
  caseId?: string;
}

export function parseRoute(hash: string): Route | null {
  const m = /^#\/([a-z]+)(?:\/([A-Za-z0-9-]{1,100}))?$/.exec(hash);
  if (!m || !VIEWS.includes(m[1] as View)) return null;
  if (m[1] === 'case') return m[2] ? { view: 'case', caseId: m[2] } : { view: 'cases' };
  return { view: m[1] as View };
}

export function routeHash(r: Route): string {
  return r.view === 'case' && r.caseId ? `#/case/${r.caseId}` : `#/${r.view}`;
}

const KEY = 'ownerscope.place:';
// This session's copy: navigating away keeps state of any size (a large screening result may not
// fit in localStorage, which then only loses it on a reload).
const memory = new Map<string, unknown>();

/** Reads what was kept for this case database under `name`; null when nothing (or unreadable). */
export function readPlace<T>(dbPath: string | null | undefined, name: string): T | null {
  if (!dbPath) return null;
  if (memory.has(`${dbPath}\n${name}`)) return memory.get(`${dbPath}\n${name}`) as T | null;
  try {
    const all = JSON.parse(localStorage.getItem(KEY + dbPath) ?? '{}') as Record<string, unknown>;
    return (all[name] as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Keeps `value` (null: forgets it) for this case database. A full storage only loses the place. */
export function writePlace(dbPath: string | null | undefined, name: string, value: unknown): void {
  if (!dbPath) return;
  memory.set(`${dbPath}\n${name}`, value ?? null);
  try {
    const all = JSON.parse(localStorage.getItem(KEY + dbPath) ?? '{}') as Record<string, unknown>;
    if (value === null || value === undefined) delete all[name];
    else all[name] = value;
    localStorage.setItem(KEY + dbPath, JSON.stringify(all));
  } catch {
    // storage full or disabled: the app still works, it only forgets its place
  }
}

/** useState whose value is kept for the open case database under `name` (navigation, reload). */
export function useKeptState<T>(name: string, initial: T): [T, (v: T) => void] {
  const dbPath = useApp().overview?.path;
  const [value, setValue] = useState<T>(() => readPlace<T>(dbPath, name) ?? initial);
  const set = useCallback(
    (v: T) => {
      setValue(v);
      writePlace(dbPath, name, v);
    },
    [dbPath, name],
  );
  return [value, set];
}
