import { useCallback, useEffect, useRef, useState } from 'react';
import type { PolicySummary, ScreenCounts, ScreenPage, ScreenProgressEvent, ScreenResult, ScreenRow, ScreenVerdict } from '../../../shared/api/types';
import { call, errorText, onEvent, uploadFile } from '../api';
import { fmtDuration, fmtInt } from '../format';
import { useApp } from '../state';
import { useKeptState, writePlace } from '../place';
import { Badge, Empty, ErrorBox, Page, Panel } from '../ui';
import { usePolicyChoices } from './PolicyEditor';
import { WatchlistPanel, type ScreeningBasis } from './WatchlistPanel';

/** Rows per page: the table shows one page, however many rows the screening has. */
const PAGE = 100;

const OUTCOMES: { verdict: ScreenVerdict; label: string }[] = [
  { verdict: 'restricted', label: 'Restricted' },
  { verdict: 'indeterminate', label: 'Indeterminate' },
  { verdict: 'clear', label: 'Clear' },
  { verdict: 'not-found', label: 'Not found' },
  { verdict: 'ambiguous', label: 'Ambiguous' },
  { verdict: 'invalid', label: 'Invalid' },
];

export function ScreeningView() {
  const app = useApp();
  const policyChoices = usePolicyChoices();
  const [policy, setPolicy] = useState('restricted-regions');
  const [list, setList] = useState<{ name: string; path: string } | null>(null);
  const [isAll, setAll] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ScreenProgressEvent | null>(null);
  // kept per case database: the results survive navigating away and a reload (place.ts)
  const [result, setResult] = useKeptState<ScreenResult | null>('screening', null);
  // what the kept result was screened on (list file, policy): what "Save as watchlist…" saves; null for every entity
  const [basis, setBasis] = useKeptState<ScreeningBasis | null>('screeningBasis', null);
  const [page, setPage] = useState<ScreenPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [verdictFilter, setVerdictFilter] = useState<ScreenVerdict | 'all'>('all');
  const [isBom, setBom] = useState(false);
  const jobRef = useRef<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
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

  const shownJob = result?.jobId ?? jobId;
  const load = useCallback(async () => {
    if (!shownJob) return;
    try {
      const p = await call('screen.rows', {
        jobId: shownJob, offset, limit: PAGE,
        ...(verdictFilter !== 'all' ? { verdict: verdictFilter } : {}), ...(filter.trim() ? { filter: filter.trim() } : {}),
      });
      setPage(p);
    } catch (e) {
      setError(errorText(e));
    }
  }, [shownJob, offset, verdictFilter, filter]);

  // the page follows the filters, the end of the job and (while it runs) its progress
  useEffect(() => {
    const t = setTimeout(() => void load(), 80);
    return () => clearTimeout(t);
  }, [load, result, progress?.done]);

  const run = async () => {
    setError(null);
    setResult(null);
    setPage(null);
    setProgress(null);
    setOffset(0);
    try {
      const chosen = policyChoices.inputOf(policy);
      const r = await call('screen.start', { ...(isAll ? { isAll: true } : { path: list!.path }), policy: chosen });
      const label = policyChoices.options.find((o) => o.value === policy)?.label ?? policy;
      setBasis(isAll ? null : { listName: list!.name, path: list!.path, policy: chosen, policyLabel: label });
      jobRef.current = r.jobId;
      // the app keeps this job's result for the database even if the view is left before it ends
      writePlace(app.overview?.path, 'screeningJob', r.jobId);
      setJobId(r.jobId);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const choose = async (row: ScreenRow, entityId: string) => {
    if (!shownJob || !entityId) return;
    try {
      await call('screen.resolve', { jobId: shownJob, index: row.index, ref: entityId });
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const exportCsv = () =>
    void call('screen.export', { jobId: result!.jobId, bom: isBom })
      .then(async (r) => {
        const o = r.url ? r : await call('file.open', { path: r.path });
        if (o.url) window.open(o.url, '_blank', 'noopener');
      })
      .catch((e) => setError(errorText(e)));

  const counts: ScreenCounts | null = page?.counts ?? progress?.counts ?? result?.counts ?? null;
  const total = page?.total ?? 0;

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
            {policyChoices.options.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
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
      {counts ? (
        <div className="screen-summary" role="group" aria-label="Screening summary">
          {OUTCOMES.map((o) => (
            <button
              key={o.verdict}
              type="button"
              className={`summary-chip v-${o.verdict}${verdictFilter === o.verdict ? ' selected' : ''}`}
              aria-pressed={verdictFilter === o.verdict}
              onClick={() => { setVerdictFilter(verdictFilter === o.verdict ? 'all' : o.verdict); setOffset(0); }}
            >
              <span className="summary-count">{fmtInt(counts[o.verdict])}</span>
              <span className="summary-label">{o.label}</span>
            </button>
          ))}
        </div>
      ) : null}
      {result ? (
        <p className="muted small screen-basis">
          {fmtInt(result.total)} row(s) under <strong>{result.policyName}</strong> · policy sha256 <span className="mono">{result.policySha256.slice(0, 16)}…</span> · as of {result.asOf} · data as of {result.dataDate || 'unknown'}
        </p>
      ) : null}
      <WatchlistPanel basis={result ? basis : null} asOf={result?.asOf ?? null} isAll={result !== null && basis === null} />
      {shownJob && page ? (
        <Panel
          title={`Results (${fmtInt(total)}${verdictFilter !== 'all' || filter.trim() ? ` of ${fmtInt(result?.total ?? progress?.done ?? 0)}` : ''})`}
          actions={
            <div className="row">
              <label htmlFor="screen-filter" className="visually-hidden">Filter results</label>
              <input id="screen-filter" placeholder="Filter…" value={filter} onChange={(e) => { setFilter(e.target.value); setOffset(0); }} />
              <label htmlFor="screen-verdict" className="visually-hidden">Verdict</label>
              <select id="screen-verdict" value={verdictFilter} onChange={(e) => { setVerdictFilter(e.target.value as ScreenVerdict | 'all'); setOffset(0); }}>
                {['all', 'restricted', 'indeterminate', 'clear', 'not-found', 'ambiguous', 'invalid', 'error'].map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
              <label className="check" title="Starts the file with a UTF-8 byte order mark, so Excel shows names in every script"><input type="checkbox" checked={isBom} onChange={(e) => setBom(e.target.checked)} /> for Excel</label>
              <button type="button" disabled={!result} onClick={exportCsv}>Export CSV</button>
            </div>
          }
        >
          {page.rows.length === 0 ? <Empty>No rows match.</Empty> : (
            <div className="table-wrap">
              <table className="table" aria-label="Screening results">
                <thead><tr><th>Row</th><th>Ref</th><th>Name</th><th>Verdict</th><th>Control</th><th>Look-through</th><th>Main reason</th></tr></thead>
                <tbody>
                  {page.rows.map((r) => (
                    <tr key={r.index}>
                      <td className="small muted">{r.line ?? r.index + 1}</td>
                      <td className="mono small">{r.ref}</td>
                      <td>
                        {r.entityId !== null ? (
                          <button type="button" className="linklike" onClick={() => app.openEntity({ id: r.entityId!, name: r.name ?? r.ref })}>{r.name}</button>
                        ) : r.candidates?.length ? (
                          <>
                            <select aria-label={`Choose the entity of row ${r.line ?? r.index + 1}`} defaultValue="" onChange={(e) => void choose(r, e.target.value)}>
                              <option value="" disabled>Choose the entity… ({r.candidates.length})</option>
                              {r.candidates.map((c) => <option key={c.id} value={String(c.id)}>{c.name}{c.identifiers.length ? ` — ${c.identifiers.slice(0, 2).join(', ')}` : ''}</option>)}
                            </select>
                          </>
                        ) : r.name}
                        {r.match === 'chosen' ? <span className="muted small"> (chosen)</span> : null}
                        {r.identifiers.length ? <div className="mono small muted">{r.identifiers.slice(0, 2).join(' · ')}</div> : null}
                      </td>
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
          {total > PAGE ? (
            <div className="row pager" role="navigation" aria-label="Result pages">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
              <span className="muted small">rows {fmtInt(offset + 1)}–{fmtInt(Math.min(total, offset + PAGE))} of {fmtInt(total)}</span>
              <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Next</button>
            </div>
          ) : null}
        </Panel>
      ) : null}
    </Page>
  );
}
