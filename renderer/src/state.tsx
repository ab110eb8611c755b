import { createContext, useContext, useState } from 'react';
import { errorText } from './api';
import type { AppInfo, CaseOverview, VerdictResult } from '../../shared/api/types';
import type { PolicyInput } from '../../shared/api/contract';

export type View = 'cases' | 'sources' | 'search' | 'entity' | 'graph' | 'verdict' | 'decision' | 'screening' | 'verify';

export interface Subject {
  id: number;
  name: string;
}

export interface AppState {
  info: AppInfo | null;
  overview: CaseOverview | null;
  view: View;
  subject: Subject | null;
  verdict: { subjectId: number; result: VerdictResult; policy: PolicyInput } | null;
  go(view: View): void;
  openEntity(subject: Subject, view?: View): void;
  setOverview(o: CaseOverview | null): void;
  setVerdict(v: AppState['verdict']): void;
  refreshInfo(): Promise<void>;
  toast(text: string, kind?: 'info' | 'error'): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('AppContext missing');
  return s;
}

/**
 * One action at a time for a view: `run(label, f)` clears the error, marks `busy` with the label
 * while `f` runs and shows what `f` threw.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (label: string, f: () => Promise<unknown>) => {
    setError(null);
    setBusy(label);
    try {
      await f();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return { error, setError, busy, run };
}
