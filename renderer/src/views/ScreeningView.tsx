import { useEffect, useMemo, useRef, useState } from 'react';
import type { PolicySummary, ScreenProgressEvent, ScreenResult } from '../../../shared/api/types';
import { call, errorText, onEvent, uploadFile } from '../api';
import { fmtDuration, fmtInt } from '../format';
import { useApp } from '../state';
import { useKeptState, writePlace } from '../place';
import { Badge, Empty, ErrorBox, Page, Panel } from '../ui';

export function ScreeningView() {
  const app = useApp();
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const [policy, setPolicy] = useState('restricted-regions');
  const [list, setList] = useState<{ name: string; path: string } | null>(null);
  const [isAll, setAll] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ScreenProgressEvent | null>(null);
  // kept per case database: the results survive navigating away and a reload (place.ts)
  const [result, setResult] = useKeptState<ScreenResult | null>('screening', null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [verdictFilter, setVerdictFilter] = useState('all');
  const jobRef = useRef<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    call('policy.list', {}).then(setPolicies).catch((e) => setError(errorText(e)));
    const offs = [
      onEvent('screen.progress', (p) => p.jobId === jobRef.current && setProgress(p)),
      onEvent('screen.done', (r) => {
        if (r.jobId !== jobRef.current) return;
        setResult(r);
        setJobId(null);
      }),
      onEvent('screen.failed', (f) => {
        if (f.jobId !== jobRef.current) return;
        setError(f.message);
        setJobId(null);
      }),
    ];
    return () => offs.forEach((o) => o());
  }, []);

  const run = async () => {
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      const r = await call('screen.start', { ...(isAll ? { isAll: true } : { path: list!.path }), policy });
      jobRef.current = r.jobId;
      // the app keeps this job's result for the database even if the view is left before it ends
      writePlace(app.overview?.path, 'screeningJob', r.jobId);
      setJobId(r.jobId);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (result?.rows ?? []).filter((r) => (verdictFilter === 'all' || r.verdict === verdictFilter) && (!q || `${r.ref} ${r.name ?? ''} ${r.reason}`.toLowerCase().includes(q)));
  }, [result, filter, verdictFilter]);

  return (
    <Page title="Screening" subtitle="Screen a portfolio (a CSV with a column of references or names) or every entity in the case database.">
      <Panel title="List and policy">
        <div className="row wrap">
          <input ref={input} type="file" accept=".csv,text/csv" className="visually-hidden" aria-label="Choose a CSV list" onChange={async (e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) { try { setList({ name: f.name, path: await uploadFile(f) }); setAll(false); } catch (x) { setError(errorText(x)); } } }} />
          <button type="button" onClick={() => input.current?.click()}>Load CSV list…</button>
          <span className="muted">{isAll ? 'all entities' : list ? list.name : 'no list loaded'}</span>
          <label className="check"><input type="checkbox" checked={isAll} onChange={(e) => setAll(e.target.checked)} /> Screen every entity</label>
          <label htmlFor="screen-policy">Policy</label>
          <select id="screen-policy" value={policy} onChange={(e) => setPolicy(e.target.value)}>
            {policies.map((p) => <option key={p.preset} value={p.preset}>{p.title}</option>)}
          </select>
          <button type="button" className="primary" disabled={jobId !== null || (!isAll && !list) || !app.overview} onClick={() => void run()}>Run screening</button>
          {jobId ? <button type="button" onClick={() => void call('screen.cancel', { jobId })}>Cancel</button> : null}
        </div>
        {jobId ? (
          <div className="progress-block" role="status">
            <progress max={progress?.total || 1} value={progress?.done ?? 0} aria-label="Screening progress" />
            <div className="progress-stats"><span>{fmtInt(progress?.done ?? 0)} of {fmtInt(progress?.total ?? 0)}</span><span>{fmtDuration(progress?.etaMs ?? null)} left</span></div>
          </div>
        ) : null}
      </Panel>
      <ErrorBox error={error} />
      {result ? (
        <Panel
          title={`Results (${rows.length} of ${result.rows.length})`}
          actions={
            <div className="row">
              <label htmlFor="screen-filter" className="visually-hidden">Filter results</label>
              <input id="screen-filter" placeholder="Filter…" value={filter} onChange={(e) => setFilter(e.target.value)} />
              <label htmlFor="screen-verdict" className="visually-hidden">Verdict</label>
              <select id="screen-verdict" value={verdictFilter} onChange={(e) => setVerdictFilter(e.target.value)}>
                {['all', 'restricted', 'indeterminate', 'clear', 'not-found', 'ambiguous', 'invalid', 'error'].map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
              <button type="button" onClick={() => void call('screen.export', { jobId: result.jobId }).then(async (r) => { const o = r.url ? r : await call('file.open', { path: r.path }); if (o.url) window.open(o.url, '_blank', 'noopener'); }).catch((e) => setError(errorText(e)))}>Export CSV</button>
            </div>
          }
        >
          {rows.length === 0 ? <Empty>No rows match.</Empty> : (
            <div className="table-wrap">
              <table className="table" aria-label="Screening results">
                <thead><tr><th>Ref</th><th>Name</th><th>Verdict</th><th>Control</th><th>Look-through</th><th>Main reason</th></tr></thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i}>
                      <td className="mono small">{r.ref}</td>
                      <td>{r.entityId !== null ? <button type="button" className="linklike" onClick={() => app.openEntity({ id: r.entityId!, name: r.name ?? r.ref })}>{r.name}</button> : r.name}</td>
                      <td><Badge verdict={r.verdict} /></td>
                      <td>{r.control ?? '—'} <span className="muted small">{r.controlShare ?? ''}</span></td>
                      <td>{r.lookThrough ?? '—'} <span className="muted small">{r.lookThroughShare ?? ''}</span></td>
                      <td className="small">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      ) : null}
    </Page>
  );
}
