// The view is in the URL (#/verdict, #/case/C-0001): Back and Forward move between views.
import type { View } from './state';

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
