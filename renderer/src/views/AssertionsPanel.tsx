// The entity view's investigator assertions (issue 14): every fact asserted about the entity (as
// the owned entity, the owner or the entity itself), the document it rests on (name and SHA-256,
// or the reference), where in it, why, who and when; active ones can be retracted with a reason
// (the row stays, with its retraction, in the history and the audit log).
import { useState } from 'react';
import type { AssertionInfo } from '../../../shared/api/types';
import { call } from '../api';
import { useAction, useApp } from '../state';
import { Empty, ErrorBox, Panel, Tag } from '../ui';

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');

function Retract(props: { a: AssertionInfo; onDone: () => void }) {
  const app = useApp();
  const [asking, setAsking] = useState(false);
  const [why, setWhy] = useState('');
  const { error, busy, run } = useAction();
  if (!asking) return <button type="button" className="small" onClick={() => setAsking(true)} aria-label={`Retract assertion ${props.a.id}`}>Retract</button>;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void run('retract', async () => {
          if (!(await app.needInvestigator())) return;
          await call('assertion.retract', { id: props.a.id, why: why.trim() });
          props.onDone();
        });
      }}
    >
      <label htmlFor={`retract-why-${props.a.id}`}>Why retract it?</label>
      <input id={`retract-why-${props.a.id}`} value={why} onChange={(e) => setWhy(e.target.value)} autoFocus />
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary small" disabled={!why.trim() || busy !== null}>Retract</button>
        <button type="button" className="small" onClick={() => setAsking(false)}>Cancel</button>
      </div>
    </form>
  );
}

export function AssertionsPanel(props: { assertions: AssertionInfo[]; onRetracted: () => void }) {
  const list = props.assertions;
  const active = list.filter((a) => a.status === 'active').length;
  return (
    <Panel title={`Investigator assertions (${active} active${list.length > active ? `, ${list.length - active} retracted` : ''})`} className="assertions-used">
      {list.length === 0 ? <Empty>None.</Empty> : (
        <div className="table-wrap">
          <table className="table" aria-label="Investigator assertions">
            <thead><tr><th>#</th><th>Fact</th><th>Document</th><th>Page</th><th>Reason</th><th>By</th><th>Status</th><th /></tr></thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} className={a.status === 'retracted' ? 'is-retracted' : ''}>
                  <td>{a.id}</td>
                  <td>{a.text}</td>
                  <td className="small">
                    {a.document.fileName ?? a.document.reference}
                    {a.document.fileName ? <div className="muted mono" title={a.document.sha256}>sha256 {a.document.sha256.slice(0, 12)}…</div> : <div className="muted">reference</div>}
                  </td>
                  <td className="small">{a.cite ?? '—'}</td>
                  <td className="small">{a.reason}</td>
                  <td className="small">{a.actor ?? '—'}<div className="muted">{when(a.createdAt)}</div></td>
                  <td className="status small">
                    {a.status === 'active' ? <Tag tone="info">active</Tag> : <><Tag tone="warn">retracted</Tag><div className="muted">{when(a.retractedAt)} · {a.retractedBy ?? '?'}: {a.retractionReason}</div></>}
                  </td>
                  <td className="actions">{a.status === 'active' ? <Retract a={a} onDone={props.onRetracted} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
