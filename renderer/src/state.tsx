import { createContext, useContext, useState } from 'react';
import { errorText } from './api';
import type { AppInfo, CaseOverview, VerdictResult } from '../../shared/api/types';
import type { PolicyInput } from '../../shared/api/contract';

export type View = 'cases' | 'case' | 'sources' | 'search' | 'entity' | 'graph' | 'verdict' | 'decision' | 'screening' | 'verify';

export interface Subject {
  id: number;
  name: string;
}

/** The policy form a verdict was computed from, so the Verdict view shows what is on screen. */
export interface VerdictForm {
  preset: string;
  custom: string | null;
  asOf: string;
}

export interface VerdictState {
  subjectId: number;
  result: VerdictResult;
  policy: PolicyInput;
  form?: VerdictForm;
  /**
   * Why the verdict on screen no longer answers the question asked (the policy, date or data
   * changed, or the recompute failed): a stale verdict is shown as such and cannot be decided on.
   */
  stale?: string | null;
}

export interface AppState {
  info: AppInfo | null;
  overview: CaseOverview | null;
  view: View;
  subject: Subject | null;
  verdict: VerdictState | null;
  /** The case a case page shows (view 'case'). */
  caseId: string | null;
  go(view: View): void;
  openCase(caseId: string): void;
  /**
   * The investigator decisions and notes are attributed to: the signing identity's name, else
   * the name given for this case database; asks for it (once per database) when there is none.
   * Null when the user cancels.
   */
  needInvestigator(): Promise<string | null>;
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

/** The policy to read for a policy form: the preset, or the edited copy over it; null when the edit is not valid JSON. */
export function policyOfForm(form: VerdictForm): PolicyInput | null {
  if (form.custom === null) return form.preset;
  try {
    // the edit is of the preset selected: a JSON without "preset" keeps that base
    return { preset: form.preset, ...(JSON.parse(form.custom) as Record<string, unknown>) };
  } catch {
    return null;
  }
}
