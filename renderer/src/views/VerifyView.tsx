import { useRef } from 'react';
import type { ReportCheck } from '../../../shared/api/types';
import { call, errorText, uploadFile } from '../api';
import { fmtDate } from '../format';
import { Badge, Page, Panel } from '../ui';

export type VerifyState =
  | { status: 'idle' }
  | { status: 'checking'; fileName: string }
  | { status: 'done'; result: ReportCheck }
  | { status: 'error'; fileName: string; error: string };

export function VerifyView(props: { state: VerifyState; setState: (s: VerifyState) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const s = props.state;
  const check = async (f: File) => {
    props.setState({ status: 'checking', fileName: f.name });
    try {
      const path = await uploadFile(f);
      props.setState({ status: 'done', result: await call('report.verify', { path }) });
    } catch (e) {
      props.setState({ status: 'error', fileName: f.name, error: errorText(e) });
    }
  };
  return (
    <Page title="Verify a report" subtitle="Checks the PDF signature, that the embedded evidence is intact, and (with a case database open) whether the verdict still holds today.">
      <Panel>
        <div className="dropzone">
          <p>Drop a signed Ownerscope report (PDF) anywhere on this window, or</p>
          <input ref={input} id="verify-file" type="file" accept="application/pdf,.pdf" className="visually-hidden" aria-label="Choose a report to verify" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void check(f); }} />
          <button type="button" onClick={() => input.current?.click()}>Choose a PDF…</button>
        </div>
      </Panel>
      {s.status === 'checking' ? <p role="status" className="muted">Checking {s.fileName}…</p> : null}
      {s.status === 'error' ? <div className="error-box" role="alert"><strong>{s.fileName} could not be checked</strong><div>{s.error}</div></div> : null}
      {s.status === 'done' ? (
        <div className={`verify-result ${s.result.isValid ? 'valid' : 'invalid'}`} role="status">
          <h2>{s.result.isValid ? '✔ Valid signature, evidence intact' : '✖ Not valid'}</h2>
          <dl className="kv-dl">
            <dt>File</dt><dd>{s.result.fileName}</dd>
            <dt>Signed by</dt><dd>{s.result.signer ? `${s.result.signer.name}${s.result.signer.org ? `, ${s.result.signer.org}` : ''}` : '—'}</dd>
            <dt>Signed at</dt><dd>{s.result.signedAt ? `${fmtDate(s.result.signedAt)} ${s.result.signedAt.slice(11, 19)}` : '—'}</dd>
            <dt>Subject</dt><dd>{s.result.subject ?? '—'}</dd>
            <dt>Verdict</dt><dd>{s.result.verdict ? <Badge verdict={s.result.verdict} /> : '—'}</dd>
            <dt>Still holds today</dt><dd>{s.result.stillHolds === null ? 'no case database checked' : s.result.stillHolds ? 'yes' : 'no'}</dd>
          </dl>
          {s.result.problems.length > 0 ? <ul className="danger">{s.result.problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
          {s.result.changes.length > 0 ? <><h3 className="minor">Changed since</h3><ul>{s.result.changes.map((p, i) => <li key={i}>{p}</li>)}</ul></> : null}
        </div>
      ) : null}
    </Page>
  );
}
