import { useEffect, useRef, useState } from 'react';
import type { ReportCheck, TrustedSigner } from '../../../shared/api/types';
import { call, errorText, uploadFile } from '../api';
import { fmtDate } from '../format';
import { Badge, ErrorBox, Page, Panel } from '../ui';

export type VerifyState =
  | { status: 'idle' }
  | { status: 'checking'; fileName: string }
  | { status: 'done'; result: ReportCheck; path?: string }
  | { status: 'error'; fileName: string; error: string };

/** The headline of a check: an intact report by an unknown signer is not simply "valid". */
export const VERIFY_HEADLINE: Record<ReportCheck['status'], string> = {
  valid: '✔ Valid signature, evidence intact',
  'valid-untrusted-signer': '⚠ VALID SIGNATURE, SIGNER NOT IN YOUR TRUST LIST',
  invalid: '✖ Not valid',
};

const CSS: Record<ReportCheck['status'], string> = { valid: 'valid', 'valid-untrusted-signer': 'untrusted', invalid: 'invalid' };

function TrustThisSigner(props: { result: ReportCheck; onTrusted: () => void }) {
  const signer = props.result.signer!;
  const [name, setName] = useState([signer.name, signer.org].filter(Boolean).join(', '));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const trust = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('trust.add', { certSha256: signer.certSha256, name });
      props.onTrusted();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="trust-this">
      <p>
        Anyone can make a certificate with this name, organisation and e-mail. Trust it only if the fingerprint above is the one the
        signer gave you (by a channel you trust).
      </p>
      <label>
        Name in your trust list <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </label>{' '}
      <button type="button" disabled={busy || !name.trim()} onClick={() => void trust()}>
        Trust this signer
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

/** The trust list: who the user accepts as a signer, by certificate fingerprint. */
function TrustList(props: { version: number; onChange: () => void }) {
  const [signers, setSigners] = useState<TrustedSigner[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fp, setFp] = useState('');
  const [name, setName] = useState('');
  useEffect(() => {
    call('trust.list', {}).then((r) => setSigners(r.signers), (e) => setError(errorText(e)));
  }, [props.version]);
  const run = async (f: () => Promise<{ signers: TrustedSigner[] }>) => {
    setError(null);
    try {
      setSigners((await f()).signers);
      props.onChange();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Panel title="Trusted signers">
      <p className="muted">Reports verify as valid only when their signer's certificate SHA-256 is listed here. Your own identity is added when you create or import it.</p>
      <ErrorBox error={error} />
      {signers && signers.length === 0 ? <p className="muted">No trusted signers yet.</p> : null}
      {signers && signers.length > 0 ? (
        <table className="table" aria-label="Trusted signers">
          <thead>
            <tr><th>Name</th><th>Certificate SHA-256</th><th>Added</th><th /></tr>
          </thead>
          <tbody>
            {signers.map((s) => (
              <tr key={s.certSha256}>
                <td>{s.name}{s.source === 'own-identity' ? <span className="muted"> (your identity)</span> : null}</td>
                <td className="mono fingerprint">{s.certSha256}</td>
                <td>{s.addedAt ? fmtDate(s.addedAt) : '—'}</td>
                <td><button type="button" aria-label={`Remove ${s.name} from the trust list`} onClick={() => void run(() => call('trust.remove', { certSha256: s.certSha256 }))}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="trust-add" onSubmit={(e) => { e.preventDefault(); void run(async () => { const r = await call('trust.add', { certSha256: fp.trim(), name: name.trim() }); setFp(''); setName(''); return r; }); }}>
        <label>Certificate SHA-256 <input className="mono" value={fp} onChange={(e) => setFp(e.target.value)} placeholder="64 hex digits" size={66} /></label>{' '}
        <label>Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} /></label>{' '}
        <button type="submit" disabled={!fp.trim() || !name.trim()}>Add to trust list</button>
      </form>
    </Panel>
  );
}

export function VerifyView(props: { state: VerifyState; setState: (s: VerifyState) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [trustVersion, setTrustVersion] = useState(0);
  const s = props.state;
  const check = async (f: File) => {
    props.setState({ status: 'checking', fileName: f.name });
    try {
      const path = await uploadFile(f);
      props.setState({ status: 'done', result: await call('report.verify', { path }), path });
    } catch (e) {
      props.setState({ status: 'error', fileName: f.name, error: errorText(e) });
    }
  };
  // After a change of the trust list, the shown result is checked again.
  const recheck = async () => {
    setTrustVersion((v) => v + 1);
    if (s.status !== 'done' || !s.path) return;
    try {
      props.setState({ status: 'done', result: await call('report.verify', { path: s.path }), path: s.path });
    } catch (e) {
      props.setState({ status: 'error', fileName: s.result.fileName, error: errorText(e) });
    }
  };
  return (
    <Page title="Verify a report" subtitle="Checks the PDF signature, that the embedded evidence is intact, whether the signer is in your trust list, and (with a case database open) whether the verdict still holds today.">
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
        <div className={`verify-result ${CSS[s.result.status]}`} role="status">
          <h2>{VERIFY_HEADLINE[s.result.status]}</h2>
          <dl className="kv-dl">
            <dt>File</dt><dd>{s.result.fileName}</dd>
            <dt>Signed by</dt><dd>{s.result.signer ? `${s.result.signer.name}${s.result.signer.org ? `, ${s.result.signer.org}` : ''}${s.result.signer.email ? ` <${s.result.signer.email}>` : ''}` : '—'}</dd>
            <dt>Certificate SHA-256</dt><dd className="mono fingerprint">{s.result.signer?.certSha256 ?? '—'}</dd>
            <dt>Trust list</dt>
            <dd>{s.result.signerTrusted === null ? '—' : s.result.signerTrusted ? `in your trust list as “${s.result.signerTrustedAs ?? s.result.signer?.name}”` : <strong className="danger">not in your trust list</strong>}</dd>
            <dt>Signed at</dt><dd>{s.result.signedAt ? `${fmtDate(s.result.signedAt)} ${s.result.signedAt.slice(11, 19)}` : '—'}</dd>
            <dt>Subject</dt><dd>{s.result.subject ?? '—'}</dd>
            <dt>Verdict</dt><dd>{s.result.verdict ? <Badge verdict={s.result.verdict} /> : '—'}</dd>
            <dt>Still holds today</dt><dd>{s.result.stillHolds === null ? 'no case database checked' : s.result.stillHolds ? 'yes' : 'no'}</dd>
          </dl>
          {s.result.status === 'valid-untrusted-signer' && s.result.signer ? <TrustThisSigner result={s.result} onTrusted={() => void recheck()} /> : null}
          {s.result.problems.length > 0 ? <ul className="danger">{s.result.problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
          {s.result.changes.length > 0 ? <><h3 className="minor">Changed since</h3><ul>{s.result.changes.map((p, i) => <li key={i}>{p}</li>)}</ul></> : null}
        </div>
      ) : null}
      <TrustList version={trustVersion} onChange={() => void recheck()} />
    </Page>
  );
}
