// "N verdicts changed since the last import": after each import (and when a case database is
// opened) the backend re-checks the watched verdicts (cases, watchlist rows) and this notice lists
// those that moved, with the facts that moved them. StaleMark marks a decided case whose verdict
// has changed since it was decided on.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ChangesInfo, CheckedVerdict, VerdictChangeInfo } from '../../../shared/api/types';
import { call, errorText, onEvent } from '../api';
import { useApp } from '../state';
import { Badge, Tag } from '../ui';

// The latest change list, shared by the notice and every StaleMark (one request per refresh).
let latest: ChangesInfo | null = null;
const listeners = new Set<() => void>();
const subscribe = (l: () => void) => (listeners.add(l), () => void listeners.delete(l));
function publish(c: ChangesInfo | null) {
  latest = c;
  for (const l of listeners) l();
}
/** The latest change list (null: no case database open, or not asked yet). */
export const useChanges = () => useSyncExternalStore(subscribe, () => latest);
/** Asks the backend to re-check and publishes the list (after an import, a removal, a saved watchlist). */
export const refreshChanges = () => call('changes.list', {}).then(publish);

const methods = (v: CheckedVerdict) => `control ${v.control.verdict}${v.control.share ? ` ${v.control.share}` : ''} · look-through ${v.lookThrough.verdict}${v.lookThrough.share ? ` ${v.lookThrough.share}` : ''}`;

function targetText(c: VerdictChangeInfo): string {
  return c.target === 'case' ? `Case ${c.caseId}` : `Watchlist ${c.watchlist}, row ${c.row}`;
}

export function ChangesNotice() {
  const app = useApp();
  const changes = useChanges();
  const [isOpen, setOpen] = useState(false);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const casePath = app.overview?.path ?? null;

  useEffect(() => {
    if (!casePath) return publish(null);
    const refresh = () =>
      refreshChanges().catch((e) => app.toast(`Could not re-check the watched verdicts: ${errorText(e)}`, 'error'));
    void refresh();
    return onEvent('import.done', () => void refresh());
  }, [casePath, app]);

  if (!changes || changes.changes.length === 0 || dismissed === changes.checkedThrough) return null;
  const n = changes.changes.length;
  // the window's steps in order: files imported, and sources removed (`sources remove`)
  const files = [
    ...changes.since.sources.map((s) => ({ at: s.id, text: s.fileName })),
    ...(changes.since.removals ?? []).map((r) => ({ at: r.state, text: `removed: ${r.fileName}` })),
  ].sort((a, b) => a.at - b.at).map((s) => s.text).join(', ');
  return (
    <div className="changes-notice" role="region" aria-label="Changed verdicts">
      <div className="row wrap">
        <strong>{n} verdict{n === 1 ? '' : 's'} changed since the last {changes.since.sources.length === 0 && changes.since.removals?.length ? 'source removal' : 'import'}</strong>
        <span className="muted small">({files})</span>
        <button type="button" onClick={() => setOpen(!isOpen)} aria-expanded={isOpen}>{isOpen ? 'Hide' : 'Show'} the list</button>
        <button type="button" className="linklike" onClick={() => setDismissed(changes.checkedThrough)}>Dismiss</button>
      </div>
      {isOpen ? (
        <table className="table" aria-label="Changed verdicts list">
          <thead>
            <tr><th>Watched as</th><th>Subject</th><th>Before</th><th>After</th><th>What changed</th></tr>
          </thead>
          <tbody>
            {changes.changes.map((c) => (
              <tr key={`${c.target}:${c.caseId ?? `${c.watchlist}:${c.row}`}`}>
                <td>
                  {targetText(c)}
                  {c.stale ? <> <Tag tone="warn">stale: decide again</Tag></> : null}
                </td>
                <td>
                  <button type="button" className="linklike" disabled={!c.subject.id} onClick={() => app.openEntity({ id: c.subject.id, name: c.subject.name }, 'verdict')}>{c.subject.name}</button>
                </td>
                <td><Badge verdict={c.before.verdict} /><div className="muted small">{methods(c.before)}</div></td>
                <td><Badge verdict={c.after.verdict} /><div className="muted small">{methods(c.after)}</div></td>
                <td>
                  <ul className="plain">
                    {c.facts.map((f) => (
                      <li key={`${f.object}:${f.key}:${f.source.id}`}>
                        <strong>{f.change}</strong>: {f.text} <span className="muted small">[{f.removedSource ? `removed source ${f.removedSource.fileName} (${f.removedSource.format})` : f.source.fileName}{f.source.recordRef ? ` ${f.source.recordRef}` : ''}]</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/**
 * "stale: decide again" beside a decided case whose verdict changed since it was decided on. A new
 * decision (decidedAt) clears it, so the list is asked again when that changes.
 */
export function StaleMark(props: { caseId: string; decidedAt?: string | null }) {
  const changes = useChanges();
  useEffect(() => {
    if (props.decidedAt) void refreshChanges().catch(() => undefined);
  }, [props.decidedAt]);
  if (!changes?.staleCases.includes(props.caseId)) return null;
  return <Tag tone="warn">stale: decide again</Tag>;
}
