import { createContext, useContext } from 'react';
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
