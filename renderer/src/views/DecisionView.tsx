import { useEffect, useState } from 'react';
import type { CaseRecord, IdentityStatus, SignedReport, VerdictValue } from '../../../shared/api/types';
import { call, onEvent } from '../api';
import { fmtDate } from '../format';
import { useAction, useApp } from '../state';
import { Badge, Empty, ErrorBox, Page, Panel } from '../ui';
import { StaleMark } from './ChangesNotice';

function IdentitySetup(props: { onDone: (s: IdentityStatus) => void }) {
  const [name, setName] = useState('');
  const [org, setOrg] = useState('');
  const [email, setEmail] = useState('');
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [remember, setRemember] = useState(true);
  const { error, setError, busy, run } = useAction();
  return (
    <form
      className="form"
      aria-label="Create your signing identity"
      onSubmit={async (e) => {
        e.preventDefault();
        if (pass !== pass2) return setError('the two passphrases differ');
        await run('identity', async () => props.onDone(await call('identity.create', { name, org, email, passphrase: pass, remember })));
      }}
    >
      <p className="muted">First signature: create your signing identity (a self-signed certificate; the key stays encrypted on this computer).</p>
      <div className="grid-2 tight">
        <div><label htmlFor="id-name">Your name</label><input id="id-name" value={name} onChange={(e) => setName(e.target.value)} required /></div>
        <div><label htmlFor="id-org">Organisation</label><input id="id-org" value={org} onChange={(e) => setOrg(e.target.value)} /></div>
        <div><label htmlFor="id-email">E-mail</label><input id="id-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></div>
        <div />
        <div><label htmlFor="id-pass">Passphrase (8+ characters)</label><input id="id-pass" type="password" value={pass} onChange={(e) => setPass(e.target.value)} required minLength={8} /></div>
        <div><label htmlFor="id-pass2">Repeat passphrase</label><input id="id-pass2" type="password" value={pass2} onChange={(e) => setPass2(e.target.value)} required /></div>
      </div>
      <label className="check"><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember the passphrase (desktop: OS keychain; browser mode: until Ownerscope stops)</label>
      <ErrorBox error={error} />
      <div className="row"><button type="submit" className="primary" disabled={busy !== null}>{busy ? 'Creating…' : 'Create identity'}</button></div>
    </form>
  );
}

export function DecisionView() {
  const app = useApp();
  const subject = app.subject;
  const verdict = app.verdict && subject && app.verdict.subjectId === subject.id ? app.verdict : null;
  // a stale verdict (policy, date or data changed, or its recompute failed) is never opened as a case
  const stale = verdict?.stale ?? null;
  const [record, setRecord] = useState<CaseRecord | null>(null);
  const [decision, setDecision] = useState<'confirm' | 'override'>('confirm');
  const [override, setOverride] = useState<VerdictValue>('indeterminate');
  const [why, setWhy] = useState('');
  const [note, setNote] = useState('');
  const [identity, setIdentity] = useState<IdentityStatus | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [report, setReport] = useState<SignedReport | null>(null);
  const { error, busy, run } = useAction();

  useEffect(() => {
    call('identity.status', {}).then(setIdentity).catch(() => setIdentity(null));
    if (!subject) return;
    const load = () =>
      call('case.list', {})
        .then((list) => setRecord(list.filter((c) => c.subjectId === subject.id).at(-1) ?? null))
        .catch(() => setRecord(null));
    void load();
    return onEvent('case.updated', () => void load());
  }, [subject]);

  /** Runs `f` once the investigator is known (asked once per case database when there is no identity). */
  const asInvestigator = (label: string, f: () => Promise<unknown>) =>
    run(label, async () => {
      if (await app.needInvestigator()) await f();
    });


  if (!subject) return <Page title="Decision & report"><Empty>Pick an entity first.</Empty></Page>;

  return (
    <Page title={`Decision & report: ${subject.name}`} subtitle="Record your decision on the computed verdict, add notes, and sign the verdict report.">
      <Panel title="Case">
        {record ? (
          <div className="row wrap">
            <span>Case <button type="button" className="linklike mono" onClick={() => app.openCase(record.id)}><strong>{record.id}</strong></button></span>
            <span>status <strong>{record.status}</strong></span>
            <span>computed verdict <Badge verdict={record.verdict} /></span>
            {record.decision ? <span>decision <strong>{record.decision.kind}</strong> → <Badge verdict={record.decision.verdict} /> by <strong>{record.decision.decidedBy}</strong></span> : null}
            <StaleMark caseId={record.id} decidedAt={record.decision?.decidedAt ?? null} />
            <span className="muted small">policy {record.policyName ?? '—'} · opened {fmtDate(record.createdAt)}</span>
          </div>
        ) : (
          <div className="row wrap">
            <span className="muted">
              {stale
                ? `The verdict on screen is stale (${stale}): compute it again before opening a case on it.`
                : verdict ? `Open a case for ${subject.name} with the verdict just computed (${verdict.result.verdict}).` : 'Compute a verdict first, or open a case with the default policy.'}
            </span>
            <button type="button" className="primary" disabled={busy !== null || stale !== null} onClick={() => void asInvestigator('case', async () => setRecord(await call('case.start', { ref: String(subject.id), ...(verdict ? { policy: verdict.policy, asOf: verdict.result.asOf } : {}) })))}>
              Open case
            </button>
          </div>
        )}
      </Panel>
      {record ? (
        <div className="grid-2">
          <Panel title="Decision">
            <form className="form" onSubmit={(e) => { e.preventDefault(); void asInvestigator('decide', async () => setRecord(await call('case.decide', { caseId: record.id, decision, ...(decision === 'override' ? { verdict: override } : {}), justification: why }))); }}>
              <fieldset className="radios">
                <legend className="visually-hidden">Decision</legend>
                <label className="check"><input type="radio" name="decision" checked={decision === 'confirm'} onChange={() => setDecision('confirm')} /> Confirm the computed verdict ({record.verdict ?? '—'})</label>
                <label className="check"><input type="radio" name="decision" checked={decision === 'override'} onChange={() => setDecision('override')} /> Override with</label>
                <select aria-label="Overriding verdict" value={override} disabled={decision !== 'override'} onChange={(e) => setOverride(e.target.value as VerdictValue)}>
                  <option value="restricted">Restricted</option>
                  <option value="clear">Clear</option>
                  <option value="indeterminate">Indeterminate</option>
                </select>
              </fieldset>
              <label htmlFor="why">Justification (required: why you stand behind this verdict)</label>
              <textarea id="why" rows={4} value={why} onChange={(e) => setWhy(e.target.value)} required />
              <div className="row"><button type="submit" className="primary" disabled={busy !== null || !why.trim()}>Record decision</button></div>
            </form>
          </Panel>
          <Panel title={`Notes (${record.notes.length})`}>
            <ul className="notes">{record.notes.map((n, i) => <li key={i}><span className="muted small">{fmtDate(n.at)} · {n.author}</span> {n.text}</li>)}</ul>
            <form className="form" onSubmit={(e) => { e.preventDefault(); void asInvestigator('note', async () => { setRecord(await call('case.note', { caseId: record.id, text: note })); setNote(''); }); }}>
              <label htmlFor="note">Add a note</label>
              <textarea id="note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
              <div className="row"><button type="submit" disabled={!note.trim() || busy !== null}>Add note</button></div>
            </form>
          </Panel>
        </div>
      ) : null}
      {record ? (
        <Panel title="Signed report">
          {identity && !identity.hasIdentity ? (
            <IdentitySetup onDone={setIdentity} />
          ) : identity ? (
            <form className="form" onSubmit={(e) => { e.preventDefault(); void run('sign', async () => { setReport(await call('report.sign', { caseId: record.id, ...(passphrase ? { passphrase } : {}) })); setRecord(await call('case.get', { caseId: record.id })); }); }}>
              <p>Signing as <strong>{identity.signer?.name}</strong>{identity.signer?.org ? `, ${identity.signer.org}` : ''} <span className="muted small mono">cert {identity.signer?.certSha256.slice(0, 16)}…</span></p>
              {!identity.isPassphraseStored ? (
                <><label htmlFor="sign-pass">Passphrase</label><input id="sign-pass" type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required /></>
              ) : <p className="muted small">The passphrase is remembered ({identity.passphraseStorage === 'os' ? 'OS keychain' : 'this session'}).</p>}
              <div className="row">
                <button type="submit" className="primary" disabled={busy !== null}>{busy === 'sign' ? 'Signing…' : 'Sign report'}</button>
                {report ? <button type="button" onClick={() => void run('open', async () => { const r = await call('file.open', { path: report.path }); if (r.url) window.open(r.url, '_blank', 'noopener'); })}>Open PDF</button> : null}
              </div>
              {report ? <div className="ok-box" role="status">Signed <strong>{report.fileName}</strong> ({report.verdict}) · sha256 <span className="mono small">{report.sha256.slice(0, 24)}…</span><div className="muted small mono">{report.path}</div></div> : null}
            </form>
          ) : null}
        </Panel>
      ) : null}
      <ErrorBox error={error} />
    </Page>
  );
}
