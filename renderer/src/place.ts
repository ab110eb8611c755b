// The app keeps its place: the view is in the URL (#/verdict, #/case/C-0001), so the browser's
// Back and Forward move between views and a reload lands where it was; the working state of a
// case database (subject, verdict, screening results) is kept in localStorage under that
// database's path, so it survives navigating away, a reload, and switching databases.
import { useCallback, useState } from 'react';
import { useApp } from './state';

export { parseRoute, routeHash, VIEWS, type Route } from './routes';

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
