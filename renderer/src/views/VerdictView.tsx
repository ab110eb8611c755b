import { useEffect, useState } from 'react';
import type { PolicyInput } from '../../../shared/api/contract';
import type { Gap, MethodVerdict, PolicySummary, VerdictResult } from '../../../shared/api/types';
import { call, errorText } from '../api';
import { PolicyEditor } from './PolicyEditor';
import { AssertionForm } from './AssertionForm';
import { canAssert } from '../gap-facts';
import { asOfMeaning } from '../../../shared/domain/engine/asof';
import { isValidDate } from '../../../shared/domain/policy/policy';
import { fmtRange } from '../format';
import { listsConsultedLines } from '../../../shared/domain/engine/lists';
import { readPlace, writePlace } from '../place';
import { useApp, type AppState, type VerdictForm, type VerdictState } from '../state';
import { Badge, Empty, ErrorBox, Page, Panel, Tag } from '../ui';

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

/**
 * Why the verdict on screen no longer answers the question on screen: marked stale (recompute
 * failed, data imported since), or the form now differs from the one it was computed from.
 */
export function staleReason(v: VerdictState | null, form: VerdictForm): string | null {
  if (!v) return null;
  if (v.stale) return v.stale;
  if (!v.form) return null;
  if (v.form.preset !== form.preset) return 'the policy preset changed since it was computed';
  if (v.form.custom !== form.custom) return 'the policy was edited since it was computed';
  if (v.form.asOf !== form.asOf) return 'the as-of date changed since it was computed';
  return null;
}

function markStale(app: AppState, subjectId: number, why: string) {
  if (app.verdict && app.verdict.subjectId === subjectId) app.setVerdict({ ...app.verdict, stale: why });
}

/** The gaps, each with "Add the missing fact": the form opens under the gap it settles. */
function Gaps(props: { result: VerdictResult; onAsserted: (count: number) => Promise<void> }) {
  const [open, setOpen] = useState<number | null>(null);
  const r = props.result;
  const key = (g: Gap) => `${g.kind}|${g.entityId}|${g.ownerId ?? ''}`;
  return (
    <Panel title={`Gaps (${r.gaps.length})`}>
      {r.gaps.length === 0 ? <Empty>None: the facts settle the verdict.</Empty> : (
        <>
          <ul className="gaps">
            {r.gaps.map((g, i) => (
              <li key={key(g)}>
                {g.text}
                {canAssert(g) && open !== i ? <> <button type="button" className="small" onClick={() => setOpen(i)}>Add the missing fact</button></> : null}
                {open === i ? <AssertionForm gap={g} onCancel={() => setOpen(null)} onSaved={async (n) => { setOpen(null); await props.onAsserted(n); }} /> : null}
              </li>
            ))}
          </ul>
          {r.gapsSettleTo ? <p className="muted small">Settling these gaps as unrestricted would give: <Badge verdict={r.gapsSettleTo} /></p> : null}
        </>
      )}
    </Panel>
  );
}

/** The investigator's assertions the verdict read, with the verdict on registry data alone. */
function AssertionsUsed(props: { result: VerdictResult }) {
  const a = props.result.assertions;
  if (!a) return null;
  return (
    <Panel title={`Investigator assertions used (${a.used.length})`} className="assertions-used">
      <p data-testid="assertion-summary"><strong>{a.summary}</strong> <span className="muted small">(registry data alone: <Badge verdict={a.withoutAssertions.verdict} />)</span></p>
      <ul className="small">
        {a.used.map((x) => (
          <li key={x.id}>
            <Tag tone="info">assertion {x.id}</Tag> {x.text}{' '}
            <span className="muted">· {x.document.fileName ?? x.document.reference}{x.document.fileName ? ` (sha256 ${x.document.sha256.slice(0, 12)}…)` : ''}{x.cite ? `, ${x.cite}` : ''} · {x.reason} · {x.actor ?? '?'}</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

export function VerdictView() {
  const app = useApp();
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const subject = app.subject;
  const kept = app.verdict && subject && app.verdict.subjectId === subject.id ? app.verdict : null;
  // the form as last left (navigation, reload), else the one the verdict on screen was computed from
  const dbPath = app.overview?.path;
  const [form0] = useState<VerdictForm | null>(() => readPlace<VerdictForm>(dbPath, 'verdictForm') ?? kept?.form ?? null);
  const [preset, setPreset] = useState(form0?.preset ?? 'restricted-regions');
  const [custom, setCustom] = useState<string | null>(form0?.custom ?? null);
  const [asOf, setAsOf] = useState(form0?.asOf ?? new Date().toISOString().slice(0, 10));
  useEffect(() => writePlace(dbPath, 'verdictForm', { preset, custom, asOf }), [dbPath, preset, custom, asOf]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const result = kept ? kept.result : null;
  const stale = staleReason(kept, { preset, custom, asOf });
  // recorded, so that the Decision view (reached by the side bar too) refuses it as well
  useEffect(() => {
    if (stale && kept && !kept.stale && subject) markStale(app, subject.id, stale);
  }, [stale]); // eslint-disable-line react-hooks/exhaustive-deps

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
    // said in the app's words: the browser's own check would speak its locale and show a bubble that
    // names no format (the form has noValidate)
    if (!isValidDate(asOf)) {
      setError(`As of: "${asOf}" is not a date YYYY-MM-DD (year, month, day, e.g. 2024-03-01)`);
      return;
    }
    let policy: PolicyInput = preset;
    if (custom !== null) {
      try {
        // the edit is of the preset selected: a JSON without "preset" keeps that base
        policy = { preset, ...(JSON.parse(custom) as Record<string, unknown>) };
      } catch (e) {
        setError(`the edited policy is not valid JSON: ${errorText(e)}`);
        markStale(app, subject.id, 'the edited policy is not valid JSON');
        return;
      }
    }
    setBusy(true);
    try {
      const r = await call('verdict.compute', { ref: String(subject.id), policy, asOf });
      app.setVerdict({ subjectId: subject.id, result: r, policy, form: { preset, custom, asOf }, stale: null });
    } catch (e) {
      setError(errorText(e));
      markStale(app, subject.id, `the recompute failed: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const threshold = result ? result.policy.threshold : null;

  return (
    <Page
      title={`Verdict${subject ? `: ${subject.name}` : ''}`}
      subtitle="Is the subject owned or controlled by restricted origins beyond the policy's threshold? Both methods side by side, with evidence and gaps."
    >
      <Panel title="Policy">
        <form className="form policy-form" noValidate onSubmit={(e) => { e.preventDefault(); void compute(); }}>
          <div className="row wrap">
            <label htmlFor="policy-preset">Preset</label>
            <select id="policy-preset" value={preset} onChange={(e) => { setPreset(e.target.value); setCustom(null); }}>
              {policies.map((p) => <option key={p.preset} value={p.preset}>{p.title}</option>)}
            </select>
            <label htmlFor="as-of">As of</label>
            {/* the app's ISO dates, not the browser locale's (a type="date" shows 12/03/2026 in en-US) */}
            <input id="as-of" className="date-field" type="text" inputMode="numeric" pattern="\d{4}-\d{2}-\d{2}" placeholder="YYYY-MM-DD" title="YYYY-MM-DD" size={11} value={asOf} onChange={(e) => setAsOf(e.target.value)} />
            <button type="button" onClick={() => (custom === null ? void editCopy() : setCustom(null))}>{custom === null ? 'Edit a copy' : 'Use the preset'}</button>
            <button type="submit" className="primary" disabled={busy || !subject}>{busy ? 'Computing…' : 'Compute verdict'}</button>
          </div>
          {custom !== null ? <PolicyEditor json={custom} onJsonChange={setCustom} asOf={asOf} basePreset={preset} /> : null}
        </form>
      </Panel>
      <ErrorBox error={error} title="No verdict" />
      {result ? (
        <>
          {stale ? (
            <div className="stale-box" role="alert" data-testid="verdict-stale">
              <strong>Stale verdict:</strong> {stale}. It does not answer the question now on screen; compute the verdict again to decide on it.
            </div>
          ) : null}
          <div className={`verdict-banner verdict-${result.verdict}${stale ? ' is-stale' : ''}`} role="status">
            <Badge verdict={result.verdict} large />
            <div>
              <div className="verdict-reason">{result.reasons[0] ?? `${result.subject.name}: ${result.verdict}`}</div>
              {result.assertions ? <div className="assertion-line" data-testid="assertion-line">{result.assertions.summary}</div> : null}
              <div className="muted small">
                policy {result.policy.name} · sha256 <span className="mono">{result.policy.sha256.slice(0, 16)}…</span>
              </div>
              <div className="muted small as-of-meaning">{asOfMeaning(result.asOf)}</div>
            </div>
            <button type="button" className="primary" disabled={stale !== null} title={stale ? 'The verdict is stale: compute it again first' : undefined} onClick={() => app.go('decision')}>Decide…</button>
          </div>
          <div className="grid-2">
            <MethodCard title="Control method" m={result.methods.control} threshold={threshold} note="Follows control: a majority (or control) link passes the whole share up; minority links pass nothing." />
            <MethodCard title="Look-through method" m={result.methods.lookThrough} threshold={threshold} note="Multiplies shares along every path and adds them up (cycles solved, never unrolled)." />
          </div>
          <AssertionsUsed result={result} />
          {result.reasons.length > 0 ? (
            <Panel title="Reasons"><ul className="reasons">{result.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul></Panel>
          ) : null}
          <Panel title={`Evidence paths (${result.paths.items.length}${result.paths.truncated ? `, first ${result.paths.limit}` : ''})`}>
            {result.paths.items.length === 0 ? <Empty>No path from a restricted origin.</Empty> : (
              <ol className="paths">
                {result.paths.items.map((p, i) => (
                  <li key={i}>
                    <div>
                      <strong>{[p.origin.name, ...p.steps.map((s) => s.ownedName)].join(' → ')}</strong>{' '}
                      <span className="tag tag-danger">look-through {fmtRange(p.lookThroughShare)}</span>{' '}
                      {p.countsInControl ? <span className="tag tag-warn">counts under control</span> : null}
                    </div>
                    <div className="muted small">origin: {p.origin.why}{p.origin.assertionIds ? <> <Tag tone="info">{`asserted by investigator (assertion ${p.origin.assertionIds.join(', ')})`}</Tag></> : null}</div>
                    <ul className="small">
                      {p.steps.map((s, j) => (
                        <li key={j}>
                          {s.ownerName} → {s.ownedName}: <strong>{s.counted}</strong>
                          {s.links.map((l) => <span key={l.linkId} className="muted"> · {l.stated || l.kind} ({l.source.fileName}, {l.source.recordRef}){l.assertionId !== undefined ? <> <Tag tone="info">asserted by investigator</Tag></> : null}</span>)}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </Panel>
          {result.lists ? (
            <Panel title="Lists consulted">
              <ul className="lists-consulted">{listsConsultedLines(result.lists).map((x, i) => <li key={i}>{x}</li>)}</ul>
            </Panel>
          ) : null}
          <Gaps result={result} onAsserted={async (n) => { app.toast(`${n === 1 ? 'The fact is' : `${n} facts are`} recorded: the verdict is computed again.`); await compute(); }} />
          <Panel title={`Findings (${result.findings.length})`}>
            {result.findings.length === 0 ? <Empty>None.</Empty> : <ul>{result.findings.map((f, i) => <li key={i}><span className="tag">{f.kind}</span> {f.text}</li>)}</ul>}
          </Panel>
          <Panel title={`Ultimate parents${result.ultimateParents.agree ? '' : ' (computed and reported differ)'}`}>
            <div className="grid-2 tight">
              <div><h3 className="minor">Computed from direct links</h3>{result.ultimateParents.computed.length === 0 ? <Empty>None.</Empty> : <ul>{result.ultimateParents.computed.map((u) => <li key={u.id}>{u.name}</li>)}</ul>}</div>
              <div><h3 className="minor">Reported (summary links)</h3>{result.ultimateParents.reported.length === 0 ? <Empty>None.</Empty> : <ul>{result.ultimateParents.reported.map((u) => <li key={u.id}>{u.name}{u.used ? ' (used: chain broken)' : ''}</li>)}</ul>}</div>
            </div>
          </Panel>
        </>
      ) : null}
    </Page>
  );
}
