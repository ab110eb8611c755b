// The investigative cases of the open case database, newest first, with what an investigator
// scans for: subject and identifiers, policy and date, computed and decided verdict, who decided,
// status and reports signed. Follows changes live (case.updated).
import { useEffect, useRef, useState } from 'react';
import type { CaseRecord } from '../../../shared/api/types';
import { call, errorText, onEvent } from '../api';
import { useApp } from '../state';
import { Badge, Empty, ErrorBox, Panel, Stat, Tag } from '../ui';
import { fmtInt } from '../format';

export function CaseList(props: { onChanged?: () => void }) {
  const app = useApp();
  const [cases, setCases] = useState<CaseRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dbPath = app.overview?.path;
  // the latest callback, without resubscribing when the parent re-renders
  const onChanged = useRef(props.onChanged);
  onChanged.current = props.onChanged;

  useEffect(() => {
    let live = true;
    const load = () =>
      call('case.list', {})
        .then((l) => live && (setCases(l), setError(null)))
        .catch((e) => live && setError(errorText(e)));
    void load();
    const off = onEvent('case.updated', () => {
      void load();
      onChanged.current?.();
    });
    // a change made by another process (the command line) sends no event: read again on return
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      live = false;
      off();
      window.removeEventListener('focus', onFocus);
    };
  }, [dbPath]);

  if (!cases) return error ? <ErrorBox error={error} /> : null;
  const count = (s: string) => cases.filter((c) => c.status === s).length;
  const reports = cases.reduce((n, c) => n + c.reportsSigned, 0);
  return (
    <Panel title={`Cases (${cases.length})`}>
      <div className="stats" aria-label="Case counters">
        <Stat label="open" value={<span data-testid="count-open">{fmtInt(count('open'))}</span>} />
        <Stat label="decided" value={<span data-testid="count-decided">{fmtInt(count('decided'))}</span>} />
        <Stat label="reported" value={<span data-testid="count-reported">{fmtInt(count('reported'))}</span>} />
        <Stat label="reports signed" value={<span data-testid="count-reports">{fmtInt(reports)}</span>} />
      </div>
      {cases.length === 0 ? (
        <Empty>No case yet: find a subject (Search), compute its verdict and choose “Decide…” to open one.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table hover" aria-label="Investigative cases">
            <thead>
              <tr><th>Case</th><th>Subject</th><th>Policy</th><th>As of</th><th>Computed</th><th>Decided</th><th>Decided by</th><th>Status</th><th>Reports</th></tr>
            </thead>
            <tbody>
              {[...cases].reverse().map((c) => (
                <tr key={c.id}>
                  <td className="nowrap"><button type="button" className="linklike mono" onClick={() => app.openCase(c.id)}>{c.id}</button></td>
                  <td>{c.subjectName}<span className="case-idents">{c.identifiers.slice(0, 2).join(' · ') || c.subjectRef}</span></td>
                  <td className="small">{c.policyName ?? '—'}</td>
                  <td className="small nowrap">{c.asOf ?? '—'}</td>
                  <td><Badge verdict={c.verdict} /></td>
                  <td>{c.decision ? <><Badge verdict={c.decision.verdict} />{c.decision.kind === 'override' ? <span className="muted small"> override</span> : null}</> : <span className="muted small">not yet</span>}</td>
                  <td className="small">{c.decision?.decidedBy ?? <span className="muted">not decided</span>}</td>
                  <td><Tag tone={c.status === 'reported' ? 'info' : c.status === 'decided' ? 'muted' : 'warn'}>{c.status}</Tag></td>
                  <td>{fmtInt(c.reportsSigned)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
