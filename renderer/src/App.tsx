import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, CaseOverview } from '../../shared/api/types';
import { call, errorText, onEvent, uploadFile } from './api';
import { AppContext, type AppState, type Subject, type View } from './state';
import { parseRoute, readPlace, routeHash, writePlace, type Route } from './place';
import { CaseView } from './views/CaseView';
import { InvestigatorDialog } from './views/InvestigatorDialog';
import { CasesView } from './views/CasesView';
import { SourcesView } from './views/SourcesView';
import { SearchView } from './views/SearchView';
import { EntityView } from './views/EntityView';
import { GraphView } from './views/GraphView';
import { VerdictView } from './views/VerdictView';
import { DecisionView } from './views/DecisionView';
import { ScreeningView } from './views/ScreeningView';
import { VerifyView, type VerifyState } from './views/VerifyView';
import { ChangesNotice } from './views/ChangesNotice';

const NAV: { view: View; label: string; key: string; needsCase: boolean; needsSubject: boolean }[] = [
  { view: 'cases', label: 'Cases', key: '1', needsCase: false, needsSubject: false },
  { view: 'sources', label: 'Sources & import', key: '2', needsCase: true, needsSubject: false },
  { view: 'search', label: 'Search', key: '3', needsCase: true, needsSubject: false },
  { view: 'entity', label: 'Entity', key: '4', needsCase: true, needsSubject: true },
  { view: 'graph', label: 'Ownership graph', key: '5', needsCase: true, needsSubject: true },
  { view: 'verdict', label: 'Verdict', key: '6', needsCase: true, needsSubject: true },
  { view: 'decision', label: 'Decision & report', key: '7', needsCase: true, needsSubject: true },
  { view: 'screening', label: 'Screening', key: '8', needsCase: true, needsSubject: false },
  { view: 'verify', label: 'Verify a report', key: '9', needsCase: false, needsSubject: false },
];

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [overview, setOverview] = useState<CaseOverview | null>(null);
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash) ?? { view: 'cases' });
  const view = route.view;
  const [subject, setSubject] = useState<Subject | null>(null);
  const [verdict, setVerdict] = useState<AppState['verdict']>(null);
  const [askName, setAskName] = useState<((name: string | null) => void) | null>(null);
  // the case database whose kept place (subject, verdict) has been restored: written back only then
  const restoredFor = useRef<string | null>(null);
  // the views render once the kept place is back (a view starting from empty state would not show it)
  const [placeReady, setPlaceReady] = useState(false);
  const [toasts, setToasts] = useState<{ id: number; text: string; kind: 'info' | 'error' }[]>([]);
  const [verifyState, setVerifyState] = useState<VerifyState>({ status: 'idle' });
  const [isDragging, setDragging] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  const toast = useCallback((text: string, kind: 'info' | 'error' = 'info') => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t, { id, text, kind }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 4000);
  }, []);

  const refreshInfo = useCallback(async () => {
    const i = await call('app.info', {});
    // both at once: the views must not start on "no database" while the overview is on its way
    const o = i.caseFile ? await call('case.overview', {}) : null;
    setInfo(i);
    setOverview(o);
  }, []);

  useEffect(() => {
    refreshInfo().catch((e) => toast(errorText(e), 'error'));
    // another case database: its own kept place is restored (below) once the overview names it
    const offChanged = onEvent('case.changed', () => void refreshInfo().catch(() => undefined));
    // new data: a verdict computed before it no longer answers the question on today's data
    const offImport = onEvent('import.done', () => setVerdict((v) => (v ? { ...v, stale: 'data was imported after this verdict was computed' } : v)));
    return () => {
      offChanged();
      offImport();
    };
  }, [refreshInfo, toast]);

  // The kept place of this case database: restored when it opens, written back as it changes.
  const dbPath = overview?.path ?? null;
  useEffect(() => {
    if (!info) return; // not known yet whether a database is open
    restoredFor.current = null;
    setSubject(readPlace<Subject>(dbPath, 'subject'));
    setVerdict(readPlace<AppState['verdict']>(dbPath, 'verdict'));
    restoredFor.current = dbPath;
    setPlaceReady(true);
  }, [dbPath, info !== null]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (restoredFor.current === dbPath) writePlace(dbPath, 'subject', subject);
  }, [dbPath, subject]);
  useEffect(() => {
    if (restoredFor.current === dbPath) writePlace(dbPath, 'verdict', verdict);
  }, [dbPath, verdict]);

  // A screening started in the Screening view that ends while another view is open: its result is
  // kept for the database all the same, and shows when the user returns.
  useEffect(
    () =>
      onEvent('screen.done', (r) => {
        if (r.jobId === readPlace<string>(dbPath, 'screeningJob')) writePlace(dbPath, 'screening', r);
      }),
    [dbPath],
  );

  // The view is in the URL: Back and Forward move between views, a reload stays.
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.hash) ?? { view: 'cases' });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((r: Route) => {
    setRoute(r);
    const hash = routeHash(r);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    requestAnimationFrame(() => mainRef.current?.focus());
  }, []);
  const go = useCallback((v: View) => navigate({ view: v }), [navigate]);

  const needInvestigator = useCallback(async (): Promise<string | null> => {
    const who = await call('investigator.get', {});
    if (who.name) return who.name;
    return new Promise<string | null>((resolve) => setAskName(() => resolve));
  }, []);

  const state: AppState = useMemo(
    () => ({
      info, overview, view, subject, verdict, go, toast, refreshInfo, setVerdict, needInvestigator,
      caseId: route.view === 'case' ? (route.caseId ?? null) : null,
      openCase(caseId) {
        navigate({ view: 'case', caseId });
      },
      openEntity(s, v = 'entity') {
        setSubject(s);
        go(v);
      },
      setOverview(o) {
        setOverview(o);
        if (o) void refreshInfo();
      },
    }),
    [info, overview, view, route, subject, verdict, go, navigate, toast, refreshInfo, needInvestigator],
  );

  // keyboard: Alt+1..9 switches views
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey) return;
      const item = NAV.find((n) => n.key === e.key);
      if (!item) return;
      if ((item.needsCase && !overview) || (item.needsSubject && !subject)) return;
      e.preventDefault();
      go(item.view);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [overview, subject, go]);

  // Verify a report by dropping a PDF anywhere on the window.
  const onDrop = async (e: React.DragEvent) => {
    setDragging(false);
    const files = [...e.dataTransfer.files];
    const pdf = files.find((f) => /\.pdf$/i.test(f.name));
    if (!pdf || view === 'sources') return;
    e.preventDefault();
    go('verify');
    setVerifyState({ status: 'checking', fileName: pdf.name });
    try {
      const path = await uploadFile(pdf);
      setVerifyState({ status: 'done', result: await call('report.verify', { path }), path });
    } catch (err) {
      setVerifyState({ status: 'error', fileName: pdf.name, error: errorText(err) });
    }
  };

  const body = (() => {
    switch (view) {
      case 'cases': return <CasesView />;
      case 'case': return <CaseView />;
      case 'sources': return <SourcesView />;
      case 'search': return <SearchView />;
      case 'entity': return <EntityView />;
      case 'graph': return <GraphView />;
      case 'verdict': return <VerdictView />;
      case 'decision': return <DecisionView />;
      case 'screening': return <ScreeningView />;
      case 'verify': return <VerifyView state={verifyState} setState={setVerifyState} />;
    }
  })();

  return (
    <AppContext.Provider value={state}>
      <div
        className={`shell ${isDragging ? 'dragging' : ''}`}
        onDragOver={(e) => {
          if (view !== 'sources' && [...e.dataTransfer.items].some((i) => i.kind === 'file')) {
            e.preventDefault();
            setDragging(true);
          }
        }}
        onDragLeave={(e) => {
          if (e.currentTarget === e.target) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">◈</span>
            <div>
              <div className="brand-name">Ownerscope</div>
              <div className="brand-sub">{info?.mode === 'browser' ? 'browser mode' : 'desktop'} · v{info?.version ?? ''}</div>
            </div>
          </div>
          <div className="case-chip" title={overview?.path ?? ''}>
            <div className="case-chip-label">Case database</div>
            <div className="case-chip-name">{overview ? overview.name : 'none open'}</div>
            {overview?.isDemo ? <span className="tag tag-info">demo</span> : null}
          </div>
          <ul>
            {NAV.map((n) => {
              const disabled = (n.needsCase && !overview) || (n.needsSubject && !subject);
              return (
                <li key={n.view}>
                  <button
                    type="button"
                    className={`nav-item ${view === n.view || (n.view === 'cases' && view === 'case') ? 'active' : ''}`}
                    aria-current={view === n.view ? 'page' : undefined}
                    disabled={disabled}
                    onClick={() => go(n.view)}
                    title={`Alt+${n.key}`}
                  >
                    <span>{n.label}</span>
                    <kbd>{n.key}</kbd>
                  </button>
                </li>
              );
            })}
          </ul>
          {subject ? (
            <div className="subject-chip">
              <div className="case-chip-label">Subject</div>
              <button type="button" className="linklike" onClick={() => go('entity')}>{subject.name}</button>
            </div>
          ) : null}
        </nav>
        <main ref={mainRef} tabIndex={-1} className="main" data-view={view}>
          <ChangesNotice />
          {/* keyed by the database: its views start again from that database's kept place */}
          {placeReady && restoredFor.current === dbPath ? <div key={dbPath ?? ''}>{body}</div> : <p className="muted" role="status">Loading…</p>}
        </main>
        <div className="toasts" aria-live="polite">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>{t.text}</div>
          ))}
        </div>
        {askName ? (
          <InvestigatorDialog
            onDone={(name) => {
              askName(name);
              setAskName(null);
            }}
          />
        ) : null}
        {isDragging ? <div className="drop-overlay">Drop a signed report (PDF) to verify it</div> : null}
      </div>
    </AppContext.Provider>
  );
}
