// Watchlists in the Screening view: "Save as watchlist…" keeps the current screening (its list file,
// policy and as-of date) in the case database under a name, re-screened after each import
// (docs/CLI.md `watchlist`, `changes`); below it, the saved watchlists with how many of their rows
// changed verdict in the last import (the changes notice's list).
import { useCallback, useEffect, useState } from 'react';
import type { PolicyInput } from '../../../shared/api/contract';
import type { WatchlistSummary } from '../../../shared/api/types';
import { call, errorText } from '../api';
import { fmtInt } from '../format';
import { useApp } from '../state';
import { Empty, ErrorBox, Panel } from '../ui';
import { refreshChanges, useChanges } from './ChangesNotice';

/** What a screening was run on: what a watchlist saved from it is screened with again. */
export interface ScreeningBasis {
  /** the list file as the investigator chose it, and where the backend holds it */
  listName: string;
  path: string;
  policy: PolicyInput;
  policyLabel: string;
}

const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—');

export function WatchlistPanel(props: { basis: ScreeningBasis | null; asOf: string | null; isAll: boolean }) {
  const app = useApp();
  const changes = useChanges();
  const [saved, setSaved] = useState<WatchlistSummary[] | null>(null);
  const [isFormOpen, setFormOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  // set when the name is taken: the investigator may replace that watchlist, on purpose
  const [taken, setTaken] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(() => call('watchlist.list', {}).then(setSaved).catch((e) => setError(errorText(e))), []);
  const casePath = app.overview?.path ?? null;
  // The re-check after an import (changes.list, ChangesNotice) re-screens every watchlist and
  // moves "last screened": the list is read again when that re-check has published, not on
  // import.done, which would race it and show the time of the screening before.
  useEffect(() => {
    if (casePath) void reload();
  }, [casePath, reload, changes]);

  const save = async (replace: boolean) => {
    const basis = props.basis;
    const trimmed = name.trim();
    setNotice(null);
    if (!trimmed) return setError('Give the watchlist a name.');
    if (!basis) return setError('Run a screening of a CSV list first.');
    setError(null);
    setTaken(null);
    setSaving(true);
    try {
      const w = await call('watchlist.save', { name: trimmed, path: basis.path, policy: basis.policy, ...(props.asOf ? { asOf: props.asOf } : {}), ...(replace ? { replace: true } : {}) });
      setNotice(`Saved watchlist “${w.name}”: ${fmtInt(w.rows)} row(s) under ${w.policy.name}; it is screened again after each import.`);
      setFormOpen(false);
      setName('');
      await reload();
      void refreshChanges().catch(() => undefined);
    } catch (e) {
      const text = errorText(e);
      setError(text);
      if (/exists already/.test(text)) setTaken(trimmed);
    } finally {
      setSaving(false);
    }
  };

  const changedIn = (w: string): number | null => (changes ? changes.changes.filter((c) => c.target === 'watchlist' && c.watchlist === w).length : null);
  const canSave = props.basis !== null && !props.isAll;

  return (
    <Panel
      title="Watchlists"
      actions={
        <button type="button" disabled={!canSave || isFormOpen} onClick={() => { setFormOpen(true); setError(null); setNotice(null); }}
          title={canSave ? 'Keep this screening under a name; it is screened again after each import' : 'Run a screening of a CSV list first'}>
          Save as watchlist…
        </button>
      }
    >
      {!canSave ? <p className="muted small">A watchlist is saved from a screening of a CSV list (not of every entity): run one, then “Save as watchlist…”.</p> : null}
      {isFormOpen && props.basis ? (
        <form className="watchlist-form" aria-label="Save as watchlist" onSubmit={(e) => { e.preventDefault(); void save(false); }}>
          <div className="row wrap">
            <label htmlFor="watchlist-name">Name</label>
            <input id="watchlist-name" value={name} maxLength={200} autoFocus onChange={(e) => { setName(e.target.value); setTaken(null); }} />
            <button type="submit" className="primary" disabled={isSaving}>Save</button>
            {taken ? <button type="button" disabled={isSaving} onClick={() => void save(true)}>Replace “{taken}”</button> : null}
            <button type="button" className="linklike" onClick={() => { setFormOpen(false); setError(null); setTaken(null); }}>Cancel</button>
          </div>
          <p className="muted small">
            Saves {props.basis.listName} under {props.basis.policyLabel}{props.asOf ? `, as of ${props.asOf}` : ''}: the list of the screening above.
          </p>
        </form>
      ) : null}
      <ErrorBox error={error} />
      {notice ? <p role="status" className="small">{notice}</p> : null}
      {saved === null ? null : saved.length === 0 ? <Empty>No watchlists saved in this case database.</Empty> : (
        <div className="table-wrap">
          <table className="table" aria-label="Saved watchlists">
            <thead><tr><th>Name</th><th>Rows</th><th>Policy</th><th>List</th><th>Last screened</th><th>Changed in the last import</th></tr></thead>
            <tbody>
              {saved.map((w) => {
                const n = changedIn(w.name);
                return (
                  <tr key={w.name}>
                    <td><strong>{w.name}</strong></td>
                    <td>{fmtInt(w.rows)}</td>
                    <td>{w.policy.name} <span className="mono small muted">{w.policy.sha256.slice(0, 8)}</span></td>
                    <td className="small">{w.listFile ?? '—'}</td>
                    <td className="small" title={w.lastScreened ?? undefined} data-testid="last-screened">{when(w.lastScreened)}</td>
                    <td>{n === null ? '—' : n === 0 ? <span className="muted">none</span> : <strong>{fmtInt(n)} verdict{n === 1 ? '' : 's'}</strong>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
