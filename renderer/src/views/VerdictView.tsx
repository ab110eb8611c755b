import { useEffect, useState } from 'react';
import type { PolicyInput } from '../../../shared/api/contract';
import type { MethodVerdict, PolicySummary, VerdictResult } from '../../../shared/api/types';
import { call, errorText } from '../api';
import { fmtRange, textOf } from '../format';
import { useApp } from '../state';
import { Badge, Empty, ErrorBox, Page, Panel } from '../ui';

function ShareBar(props: { m: MethodVerdict | undefined; threshold: number | null }) {
  const r = props.m?.restrictedShare;
  if (!r) return null;
  return (
    <div className="sharebar" aria-hidden="true">
      <div className="sharebar-range" style={{ left: `${r.min}%`, width: `${Math.max(0.8, r.max - r.min)}%` }} />
      {props.threshold !== null ? <div className="sharebar-threshold" style={{ left: `${props.threshold}%` }} /> : null}
    </div>
  );
}

function MethodCard(props: { title: string; m: MethodVerdict | undefined; threshold: number | null; note: string }) {
  return (
    <Panel title={props.title} className="method">
      {props.m ? (
        <>
          <Badge verdict={props.m.verdict} />
          <div className="share-figure">{fmtRange(props.m.restrictedShare)}</div>
          <div className="muted small">restricted share</div>
          <ShareBar m={props.m} threshold={props.threshold} />
          <p className="muted small">{props.note}</p>
        </>
      ) : (
        <Empty>Not computed under this policy.</Empty>
      )}
    </Panel>
  );
}

function pathText(p: NonNullable<VerdictResult['paths']>[number]): { chain: string; share: string; sources: string[] } {
  const links = p.links ?? [];
  const names: string[] = [];
  for (const l of links) {
    if (names.length === 0 && l.ownerName) names.push(l.ownerName);
    else if (l.ownerName && names[names.length - 1] !== l.ownerName) names.push(l.ownerName);
    if (l.ownedName) names.push(l.ownedName);
  }
  const share = typeof p.share === 'object' && p.share !== null && 'min' in p.share ? fmtRange(p.share as never) : p.share !== undefined ? String(p.share) : '';
  const sources = links.map((l) => `${l.ownerName ?? l.ownerId} → ${l.ownedName ?? l.ownedId}: ${l.stated !== undefined ? textOf(l.stated) : l.kind ?? ''}${l.source?.fileName ? ` (${l.source.fileName}${l.source.recordRef ? `, ${String(l.source.recordRef)}` : ''})` : ''}`);
  return { chain: names.join(' → '), share, sources };
}

export function VerdictView() {
  const app = useApp();
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const [preset, setPreset] = useState('restricted-regions');
  const [custom, setCustom] = useState<string | null>(null);
  const [asOf, setAsOf] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const subject = app.subject;
  const result = app.verdict && subject && app.verdict.subjectId === subject.id ? app.verdict.result : null;

  useEffect(() => {
    call('policy.list', {}).then((p) => {
      setPolicies(p);
      if (p[0] && !p.some((x) => x.preset === preset)) setPreset(p[0].preset);
    }).catch((e) => setError(errorText(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const editCopy = async () => {
    setError(null);
    try {
      const eff = await call('policy.get', { policy: preset, asOf });
      const fields = { ...eff.fields, preset, name: `${String(eff.fields.name ?? preset)} (edited)` };
      delete (fields as Record<string, unknown>).asOf;
      setCustom(JSON.stringify(fields, null, 2));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const compute = async () => {
    if (!subject) return;
    setError(null);
    let policy: PolicyInput = preset;
    if (custom !== null) {
      try {
        policy = JSON.parse(custom) as Record<string, unknown>;
      } catch (e) {
        setError(`the edited policy is not valid JSON: ${errorText(e)}`);
        return;
      }
    }
    setBusy(true);
    try {
      const r = await call('verdict.compute', { ref: String(subject.id), policy, asOf });
      app.setVerdict({ subjectId: subject.id, result: r, policy });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const threshold = typeof result?.policy.threshold === 'number' ? (result.policy.threshold as number) : null;

  return (
    <Page
      title={`Verdict${subject ? `: ${subject.name}` : ''}`}
      subtitle="Is the subject owned or controlled by restricted origins beyond the policy's threshold? Both methods side by side, with evidence and gaps."
    >
      <Panel title="Policy">
        <form className="form policy-form" onSubmit={(e) => { e.preventDefault(); void compute(); }}>
          <div className="row wrap">
            <label htmlFor="policy-preset">Preset</label>
            <select id="policy-preset" value={preset} onChange={(e) => { setPreset(e.target.value); setCustom(null); }}>
              {policies.map((p) => <option key={p.preset} value={p.preset}>{p.title}</option>)}
            </select>
            <label htmlFor="as-of">As of</label>
            <input id="as-of" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
            <button type="button" onClick={() => (custom === null ? void editCopy() : setCustom(null))}>{custom === null ? 'Edit a copy' : 'Use the preset'}</button>
            <button type="submit" className="primary" disabled={busy || !subject}>{busy ? 'Computing…' : 'Compute verdict'}</button>
          </div>
          {custom !== null ? (
            <>
              <label htmlFor="policy-json">Edited policy (JSON; fields override the preset)</label>
              <textarea id="policy-json" className="mono" rows={12} value={custom} onChange={(e) => setCustom(e.target.value)} spellCheck={false} />
            </>
          ) : null}
        </form>
      </Panel>
      <ErrorBox error={error} title="No verdict" />
      {result ? (
        <>
          <div className={`verdict-banner verdict-${result.verdict}`} role="status">
            <Badge verdict={result.verdict} large />
            <div>
              <div className="verdict-reason">{result.reasons?.[0] ?? `${result.subject.name}: ${result.verdict}`}</div>
              <div className="muted small">
                policy {result.policy.name} · sha256 <span className="mono">{result.policy.sha256.slice(0, 16)}…</span> · as of {result.asOf}
              </div>
            </div>
            <button type="button" className="primary" onClick={() => app.go('decision')}>Decide…</button>
          </div>
          <div className="grid-2">
            <MethodCard title="Control method" m={result.methods.control} threshold={threshold} note="Follows control: a majority (or control) link passes the whole share up; minority links pass nothing." />
            <MethodCard title="Look-through method" m={result.methods.lookThrough} threshold={threshold} note="Multiplies shares along every path and adds them up (cycles solved, never unrolled)." />
          </div>
          {(result.reasons?.length ?? 0) > 1 ? (
            <Panel title="Reasons"><ul>{result.reasons!.map((r, i) => <li key={i}>{r}</li>)}</ul></Panel>
          ) : null}
          <Panel title={`Evidence paths (${result.paths?.length ?? 0})`}>
            {(result.paths?.length ?? 0) === 0 ? <Empty>No path from a restricted origin.</Empty> : (
              <ol className="paths">
                {result.paths!.map((p, i) => {
                  const t = pathText(p);
                  return (
                    <li key={i}>
                      <div><strong>{t.chain}</strong> {t.share ? <span className="tag tag-danger">{t.share}</span> : null}</div>
                      <ul className="muted small">{t.sources.map((s, j) => <li key={j}>{s}</li>)}</ul>
                    </li>
                  );
                })}
              </ol>
            )}
          </Panel>
          <div className="grid-2">
            <Panel title={`Gaps (${result.gaps?.length ?? 0})`}>
              {(result.gaps?.length ?? 0) === 0 ? <Empty>None: the facts settle the verdict.</Empty> : <ul>{result.gaps!.map((g, i) => <li key={i}>{textOf(g)}</li>)}</ul>}
            </Panel>
            <Panel title={`Findings (${result.findings?.length ?? 0})`}>
              {(result.findings?.length ?? 0) === 0 ? <Empty>None.</Empty> : <ul>{result.findings!.map((f, i) => <li key={i}>{textOf(f)}</li>)}</ul>}
            </Panel>
          </div>
          {(result.ultimateParents?.length ?? 0) > 0 ? (
            <Panel title="Ultimate parents"><ul>{result.ultimateParents!.map((u, i) => <li key={i}>{textOf(u)}</li>)}</ul></Panel>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
