import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, CaseOverview } from '../../shared/api/types';
import { call, errorText, onEvent, uploadFile } from './api';
import { AppContext, type AppState, type Subject, type View } from './state';
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
  const [view, setView] = useState<View>('cases');
  const [subject, setSubject] = useState<Subject | null>(null);
  const [verdict, setVerdict] = useState<AppState['verdict']>(null);
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
    setInfo(i);
    if (i.caseFile) setOverview(await call('case.overview', {}));
    else setOverview(null);
  }, []);

  useEffect(() => {
    refreshInfo().catch((e) => toast(errorText(e), 'error'));
    return onEvent('case.changed', () => {
      setSubject(null);
      setVerdict(null);
    });
  }, [refreshInfo, toast]);

  const go = useCallback((v: View) => {
    setView(v);
    requestAnimationFrame(() => mainRef.current?.focus());
  }, []);

  const state: AppState = useMemo(
    () => ({
      info, overview, view, subject, verdict, go, toast, refreshInfo, setVerdict,
      openEntity(s, v = 'entity') {
        setSubject(s);
        go(v);
      },
      setOverview(o) {
        setOverview(o);
        if (o) void refreshInfo();
      },
    }),
    [info, overview, view, subject, verdict, go, toast, refreshInfo],
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
                    className={`nav-item ${view === n.view ? 'active' : ''}`}
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
          {body}
        </main>
        <div className="toasts" aria-live="polite">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>{t.text}</div>
          ))}
        </div>
        {isDragging ? <div className="drop-overlay">Drop a signed report (PDF) to verify it</div> : null}
      </div>
    </AppContext.Provider>
  );
}
