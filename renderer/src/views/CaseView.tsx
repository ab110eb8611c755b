// One investigative case: its subject, policy and verdicts, the decision and who made it, the
// timeline read from the audit log, notes, attached evidence files and signed reports (open,
// verify). It follows changes made elsewhere (another window, the decision view) live.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseDetail, ReportCheck } from '../../../shared/api/types';
import { call, onEvent, uploadFile } from '../api';
import { fmtBytes } from '../format';
import { useAction, useApp } from '../state';
import { Badge, Empty, ErrorBox, Page, Panel, Tag } from '../ui';
import { ExportDialog } from './ExportDialog';

const KIND_TEXT: Record<CaseDetail['timeline'][number]['kind'], string> = {
  opened: 'opened', verdict: 'verdict', decision: 'decision', note: 'note', attachment: 'attachment', assertion: 'assertion', report: 'report', other: 'other',
};

const when = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

function ReportCheckLine(props: { check: ReportCheck }) {
  const c = props.check;
  const head = c.status === 'valid' ? '✔ Valid signature, evidence intact' : c.status === 'valid-untrusted-signer' ? '⚠ Valid signature, signer not in your trust list' : '✖ Not valid';
  return (
    <div className={c.isValid ? 'ok-box' : 'error-box'} role="status">
      <strong>{head}</strong>
      {c.signer ? <span> · signed by {c.signer.name}</span> : null}
      {c.stillHolds === true ? <span> · the verdict still holds on today's data</span> : c.stillHolds === false ? <span> · the verdict no longer holds on today's data</span> : null}
      {c.problems.length ? <ul className="small">{c.problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
      {c.changes.length ? <ul className="small">{c.changes.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
    </div>
  );
}

export function CaseView() {
  const app = useApp();
  const caseId = app.caseId;
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [note, setNote] = useState('');
  const [checks, setChecks] = useState<Record<number, ReportCheck>>({});
  const { error, busy, run } = useAction();
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    if (caseId) setCase(await call('case.get', { caseId }));
  }, [caseId]);

  useEffect(() => {
    setCase(null);
    void run('load', load);
    return onEvent('case.updated', (e) => {
      if (e.caseId === caseId) void load().catch(() => undefined);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId, app.overview?.path]);

  if (!caseId) return <Page title="Case"><Empty>No case chosen: pick one in Cases.</Empty></Page>;
  if (!c) return <Page title={`Case ${caseId}`}>{error ? <ErrorBox error={error} title="The case could not be read" /> : <p className="muted" role="status">Loading…</p>}</Page>;

  const reportFile = async (reportId: number) => (await call('case.reportFile', { caseId: c.id, reportId })).path;
  const subject = { id: c.subjectId, name: c.subjectName };

  return (
    <Page
      title={`Case ${c.id}: ${c.subjectName}`}
      subtitle={<span className="mono small">{c.identifiers.join(' · ') || c.subjectRef}</span>}
      actions={
        <div className="row">
          <button type="button" onClick={() => app.go('cases')}>All cases</button>
          <ExportDialog scope={{ caseId: c.id }} label="what this case's verdict read" />
          <button type="button" disabled={c.subjectId < 0} onClick={() => app.openEntity(subject)}>Subject</button>
          {c.status !== 'reported' ? <button type="button" className="primary" disabled={c.subjectId < 0} onClick={() => app.openEntity(subject, 'decision')}>Decide & sign…</button> : null}
        </div>
      }
    >
      <Panel title="Summary">
        <table className="table" aria-label="Case summary">
          <tbody>
            <tr><th>Status</th><td><Tag tone={c.status === 'reported' ? 'info' : c.status === 'decided' ? 'muted' : 'warn'}>{c.status}</Tag></td></tr>
            <tr><th>Policy</th><td>{c.policyName ?? '—'} <span className="muted small mono">sha256 {c.policySha256?.slice(0, 16)}…</span></td></tr>
            <tr><th>As of</th><td>{c.asOf ?? '—'}</td></tr>
            <tr><th>Computed verdict</th><td><Badge verdict={c.verdict} /></td></tr>
            <tr>
              <th>Decision</th>
              <td>
                {c.decision ? (
                  <>
                    <Badge verdict={c.decision.verdict} /> {c.decision.kind === 'override' ? 'override' : 'confirmed'} by <strong>{c.decision.decidedBy}</strong> · {when(c.decision.decidedAt)}
                    {c.decision.justification ? <div className="small">“{c.decision.justification}”</div> : null}
                  </>
                ) : <span className="muted">not decided yet</span>}
              </td>
            </tr>
            <tr><th>Opened</th><td>{when(c.createdAt)}{c.createdBy ? ` by ${c.createdBy}` : ''}</td></tr>
          </tbody>
        </table>
      </Panel>
      <ErrorBox error={error} />
      <div className="grid-2">
        <Panel title={`Notes (${c.notes.length})`}>
          {c.notes.length === 0 ? <Empty>No notes yet.</Empty> : (
            <ul className="notes" aria-label="Notes">{c.notes.map((n, i) => <li key={i}><span className="muted small">{when(n.at)} · {n.author}</span> {n.text}</li>)}</ul>
          )}
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void run('note', async () => {
                if (!(await app.needInvestigator())) return;
                await call('case.note', { caseId: c.id, text: note });
                setNote('');
                await load();
              });
            }}
          >
            <label htmlFor="case-note">Add a note</label>
            <textarea id="case-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
            <div className="row"><button type="submit" disabled={!note.trim() || busy !== null}>Add note</button></div>
          </form>
        </Panel>
        <Panel title={`Attachments (${c.evidenceFiles.length})`}>
          {c.evidenceFiles.length === 0 ? <Empty>No evidence files yet.</Empty> : (
            <table className="table" aria-label="Attachments">
              <thead><tr><th>File</th><th>Size</th><th>Added</th><th>SHA-256</th></tr></thead>
              <tbody>
                {c.evidenceFiles.map((f) => (
                  <tr key={f.id}><td>{f.fileName}</td><td className="nowrap">{fmtBytes(f.size)}</td><td className="small">{when(f.addedAt)} · {f.addedBy ?? '—'}</td><td className="mono small" title={f.sha256}>{f.sha256.slice(0, 12)}…</td></tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="row">
            <input
              ref={fileInput}
              type="file"
              multiple
              aria-label="Attach evidence files"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                void run('attach', async () => {
                  if (!files.length || !(await app.needInvestigator())) return;
                  for (const f of files) setCase(await call('case.attach', { caseId: c.id, path: await uploadFile(f) }));
                });
              }}
            />
          </div>
        </Panel>
      </div>
      <Panel title={`Signed reports (${c.signedReports.length})`}>
        {c.signedReports.length === 0 ? <Empty>No report signed yet.</Empty> : (
          <table className="table" aria-label="Signed reports">
            <thead><tr><th>#</th><th>Signed</th><th>Verdict</th><th>Signer</th><th>PDF SHA-256</th><th /></tr></thead>
            <tbody>
              {c.signedReports.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{when(r.createdAt)}</td>
                  <td><Badge verdict={r.verdict} /></td>
                  <td>{r.signerName ?? '—'}</td>
                  <td className="mono small" title={r.pdfSha256}>{r.pdfSha256.slice(0, 16)}…</td>
                  <td>
                    {r.isStored ? (
                      <div className="row">
                        <button type="button" disabled={busy !== null} aria-label={`Open report ${r.id}`} onClick={() => void run('open', async () => { const o = await call('file.open', { path: await reportFile(r.id) }); if (o.url) window.open(o.url, '_blank', 'noopener'); })}>Open</button>
                        <button type="button" disabled={busy !== null} aria-label={`Verify report ${r.id}`} onClick={() => void run('verify', async () => { const check = await call('report.verify', { path: await reportFile(r.id) }); setChecks((x) => ({ ...x, [r.id]: check })); })}>Verify</button>
                      </div>
                    ) : <span className="muted small">signed before reports were stored: verify its file</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {Object.entries(checks).map(([id, check]) => <div key={id}><span className="muted small">report {id}</span><ReportCheckLine check={check} /></div>)}
      </Panel>
      <Panel title={`Timeline (${c.timeline.length})`}>
        <ol className="timeline" aria-label="Timeline">
          {c.timeline.map((t) => (
            <li key={t.seq} data-kind={t.kind}>
              <span className="small muted">{when(t.at)}</span>
              <span className="tl-kind">{KIND_TEXT[t.kind]}</span>
              <span className="tl-text">{t.text}{t.actor ? <span className="muted small"> · {t.actor}</span> : null}</span>
            </li>
          ))}
        </ol>
      </Panel>
    </Page>
  );
}
