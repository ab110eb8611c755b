import { useEffect, useState } from 'react';
import type { AssertionInfo, EntityInfo, LinkInfo, MatchCandidate } from '../../../shared/api/types';
import { AssertionsPanel } from './AssertionsPanel';
import { EntityFactForm } from './EntityFactForm';
import { call, errorText } from '../api';
import { explainShare, relationshipWords } from '../../../shared/domain/engine/relationship';
import { fmtDate } from '../format';
import { useAction, useApp } from '../state';
import { Empty, ErrorBox, Page, Panel, Tag } from '../ui';

/** `asserted`: the source ids of investigator assertions, whose links are marked as theirs. */
function LinksTable(props: { links: LinkInfo[]; direction: 'owners' | 'holdings'; label: string; asserted: Set<number> }) {
  const app = useApp();
  if (props.links.length === 0) return <Empty>None recorded.</Empty>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label={props.label}>
        <thead>
          <tr><th>{props.direction === 'owners' ? 'Owner' : 'Subsidiary / branch'}</th><th>Kind</th><th>Share</th><th>Period</th><th>Status</th><th>Source</th></tr>
        </thead>
        <tbody>
          {props.links.map((l) => {
            const otherId = props.direction === 'owners' ? l.ownerId : l.ownedId;
            const otherName = props.direction === 'owners' ? l.ownerName : l.ownedName;
            return (
              <tr key={l.id} className={l.isCurrent ? '' : 'dim'}>
                <td><button type="button" className="linklike" onClick={() => app.openEntity({ id: otherId, name: otherName })}>{otherName}</button></td>
                <td>
                  {l.kind}
                  {l.controlBasis ? <span className="muted small"> ({l.controlBasis})</span> : null}
                  {l.isSummary ? <> <Tag tone="info">ultimate (summary)</Tag></> : null}
                  {props.asserted.has(l.source.sourceId) ? <> <Tag tone="info">asserted by investigator</Tag></> : null}
                </td>
                {/* words for people ("76.5% (shareholding, direct)"); the interval explained and the
                    source's own statement (a code, or BODS JSON) on hover */}
                <td title={`${explainShare(l.shareText)}${l.stated ? `\nAs stated: ${l.stated}` : ''}`} data-testid="share-cell">
                  <strong>{relationshipWords({ kind: l.kind, controlBasis: l.controlBasis, share: l.shareText, stated: l.stated, isSummary: l.isSummary })}</strong>
                </td>
                <td className="small">{fmtDate(l.startDate)} – {l.endDate ? fmtDate(l.endDate) : 'open'}</td>
                <td>{l.isCurrent ? <Tag tone="info">current</Tag> : <Tag>{l.status}{l.registrationStatus ? ` · ${l.registrationStatus}` : ''}</Tag>}</td>
                <td className="small" title={l.source.sha256}>{l.source.fileName}<div className="muted mono">{l.source.recordRef}</div></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Entity resolution from the entity view: the records read as this entity (each can be split off
 * with "Not the same"), and possible matches (names and countries agree) to confirm or reject.
 * Decisions are recorded with who took them and why, in the audit log.
 */
function ResolutionPanel(props: { e: EntityInfo; candidates: MatchCandidate[]; onDecided: () => void }) {
  const app = useApp();
  const { e, candidates } = props;
  const [why, setWhy] = useState('');
  const action = useAction();
  const decide = (otherId: number, decision: 'same' | 'not-same') =>
    action.run(decision, async () => {
      await call('resolution.decide', { refA: String(e.id), refB: String(otherId), decision, ...(why.trim() ? { why: why.trim() } : {}) });
      setWhy('');
      props.onDecided();
    });
  if (e.resolution.sameAs.length === 0 && candidates.length === 0) return null;
  const busy = action.busy !== null;
  return (
    <Panel title={e.resolution.sameAs.length ? `Same entity as (${e.resolution.sameAs.length})` : 'Possible matches'}>
      <ErrorBox error={action.error} />
      {e.resolution.sameAs.length > 0 ? (
        <>
          <p className="muted small">
            Entity resolution reads these records as one entity{e.resolution.canonicalId === e.id ? '' : ` (#${e.resolution.canonicalId})`}:
            verdicts, the graph and the trace use the owners, countries and markers of all of them. Below are this record's own facts.
          </p>
          <ul className="kv" aria-label="Same entity as">
            {e.resolution.sameAs.map((m) => (
              <li key={m.id}>
                <span className="k">#{m.id}</span>
                <span className="row wrap">
                  <button type="button" className="linklike" onClick={() => app.openEntity({ id: m.id, name: m.name })}>{m.name}</button>
                  {m.identifiers.length ? <span className="muted small mono">{m.identifiers.join(', ')}</span> : null}
                  <button type="button" className="small" disabled={busy} onClick={() => void decide(m.id, 'not-same')} aria-label={`Not the same as ${m.name}`}>Not the same</button>
                </span>
              </li>
            ))}
          </ul>
          <ul className="small">
            {e.resolution.evidence.map((l) => <li key={`${l.a}-${l.b}`}><Tag tone={l.method === 'decision' ? 'info' : 'muted'}>{l.method}</Tag> {l.reason}</li>)}
          </ul>
        </>
      ) : null}
      {candidates.length > 0 ? (
        <>
          <h3 className="small">Possible matches: names and countries agree, no identifier proves it</h3>
          <div className="table-wrap">
            <table className="table" aria-label="Possible matches">
              <thead><tr><th>Entity</th><th>Countries</th><th>Identifiers</th><th>Score</th><th>Why proposed</th><th>Decision</th></tr></thead>
              <tbody>
                {candidates.map((c) => (
                  <tr key={c.id}>
                    <td><button type="button" className="linklike" onClick={() => app.openEntity({ id: c.id, name: c.name })}>{c.name}</button> <span className="muted small">#{c.id} · {c.kind}</span></td>
                    <td>{c.countries.join(', ')}</td>
                    <td className="small mono">{c.identifiers.join(', ')}</td>
                    <td>{c.score.toFixed(2)}</td>
                    <td className="small">{c.reason}</td>
                    <td className="row">
                      <button type="button" className="small" disabled={busy} onClick={() => void decide(c.id, 'same')} aria-label={`Same entity as ${c.name}`}>Same</button>
                      <button type="button" className="small" disabled={busy} onClick={() => void decide(c.id, 'not-same')} aria-label={`Not the same as ${c.name}`}>Not the same</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <label className="small" htmlFor="resolution-why">Why (kept with the decision and in the audit log)</label>
      <input id="resolution-why" type="text" style={{ width: '100%', maxWidth: 560 }} value={why} maxLength={2000} onChange={(ev) => setWhy(ev.target.value)} placeholder="e.g. same company number on the annual return" />
    </Panel>
  );
}

export function EntityView() {
  const app = useApp();
  const [e, setE] = useState<EntityInfo | null>(null);
  const [candidates, setCandidates] = useState<MatchCandidate[]>([]);
  const [assertions, setAssertions] = useState<AssertionInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [asserting, setAsserting] = useState(false);
  const [recorded, setRecorded] = useState<string | null>(null);
  const id = app.subject?.id;

  // another entity: its own form and notice
  useEffect(() => {
    setAsserting(false);
    setRecorded(null);
  }, [id]);

  useEffect(() => {
    if (id === undefined) return;
    setE(null);
    setError(null);
    call('entity.get', { ref: String(id) }).then(setE).catch((x) => setError(errorText(x)));
    call('resolution.candidates', { ref: String(id) }).then(setCandidates).catch((x) => setError(errorText(x)));
    call('assertion.list', { ref: String(id) }).then(setAssertions).catch((x) => setError(errorText(x)));
  }, [id, version]);

  if (!app.subject) return <Page title="Entity"><Empty>Pick an entity in Search.</Empty></Page>;
  if (error) return <Page title={app.subject.name}><ErrorBox error={error} /></Page>;
  if (!e) return <Page title={app.subject.name}><p className="muted">Loading…</p></Page>;

  const roles = new Map<string, string[]>();
  for (const c of e.countries) {
    const list = roles.get(c.role) ?? [];
    const text = c.code ? `${c.code}${c.subdivision ? ` (${c.subdivision})` : ''}` : c.text;
    if (!list.includes(text)) list.push(text);
    roles.set(c.role, list);
  }
  const otherNames = e.names.filter((n) => n.name !== e.name);
  const current = e.owners.filter((l) => l.isCurrent).length;
  const asserted = new Set(assertions.map((a) => a.sourceId));
  // what the investigator asserted the entity is: shown beside the registry's kind and topics, marked as asserted
  const assertedTags: { key: string; text: string; tone: 'info' | 'danger'; title: string }[] = [];
  for (const a of assertions) {
    if (a.status !== 'active') continue;
    const f = a.content;
    if (f.fact === 'kind') assertedTags.push({ key: `k${a.id}`, text: `${f.kind} (asserted)`, tone: 'info', title: a.text });
    else if (f.fact === 'listed') for (const t of f.topics) assertedTags.push({ key: `l${a.id}|${t}`, text: `${t} (asserted)`, tone: 'danger', title: a.text });
  }

  return (
    <Page
      title={e.name}
      subtitle={
        <span className="row wrap">
          <Tag>{e.kind}</Tag>
          {e.category ? <Tag>{e.category}</Tag> : null}
          {e.status ? <Tag tone={e.status === 'ACTIVE' ? 'info' : 'warn'}>{e.status}</Tag> : null}
          {e.registrationStatus ? <Tag tone={/RETIRED|ANNULLED|DUPLICATE|LAPSED/.test(e.registrationStatus) ? 'warn' : 'muted'}>registration {e.registrationStatus}</Tag> : null}
          {e.isPlaceholder ? <Tag tone="warn">known only as a reference</Tag> : null}
          {e.topics.map((t) => <Tag key={t} tone="danger">{t}</Tag>)}
          {assertedTags.map((t) => <span key={t.key} title={t.title} data-testid="asserted-tag"><Tag tone={t.tone}>{t.text}</Tag></span>)}
          <span className="muted small">as of {e.asOf}</span>
          {e.valueSources?.name && !e.isPlaceholder ? (
            <span className="muted small value-source">name, kind and status from {e.valueSources.name.fileName} ({e.valueSources.name.recordRef})</span>
          ) : null}
        </span>
      }
      actions={
        <>
          <button type="button" onClick={() => { setAsserting(true); setRecorded(null); }} disabled={asserting}>Assert a fact…</button>
          <button type="button" onClick={() => app.go('graph')}>Ownership graph</button>
          <button type="button" className="primary" onClick={() => app.go('verdict')}>Compute verdict</button>
        </>
      }
    >
      <div className="grid-3">
        <Panel title="Identifiers">
          {e.identifiers.length === 0 ? <Empty>None.</Empty> : (
            <ul className="kv">
              {e.identifiers.map((i) => <li key={`${i.scheme}:${i.value}`}><span className="k">{i.scheme}</span><span className="mono">{i.value}</span></li>)}
            </ul>
          )}
        </Panel>
        <Panel title="Countries by role">
          {roles.size === 0 ? <Empty>None recorded.</Empty> : (
            <ul className="kv">
              {[...roles].map(([role, list]) => <li key={role}><span className="k">{role}</span><span>{list.join(', ')}</span></li>)}
            </ul>
          )}
        </Panel>
        <Panel title="Other names">
          {otherNames.length === 0 ? <Empty>None.</Empty> : (
            <ul className="kv">
              {otherNames.map((n, i) => <li key={i}><span className="k">{n.type}{n.lang ? ` · ${n.lang}` : ''}</span><span>{n.name}</span></li>)}
            </ul>
          )}
        </Panel>
      </div>
      <ResolutionPanel
        e={e}
        candidates={candidates}
        onDecided={() => {
          // merging or splitting entities changes what a verdict computes on
          app.setVerdict(null);
          setVersion((v) => v + 1);
        }}
      />
      {e.markers.length > 0 ? (
        <Panel title="Undisclosed ownership">
          <ul className="markers">
            {e.markers.map((m) => (
              <li key={m.id} className={m.category === 'no-parent' ? '' : 'warn'}>
                <Tag tone={m.category === 'no-parent' ? 'muted' : 'warn'}>{m.category === 'no-parent' ? 'no parent by definition' : m.category === 'withheld' ? 'parent withheld' : 'parent unknown'}</Tag>{' '}
                <strong>{m.scope}</strong> parent: {m.reason}{m.detail ? ` — ${m.detail}` : ''}
                <span className="muted small"> · {m.source.fileName} {m.source.recordRef}</span>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      <Panel title={`Owners (${current} current of ${e.owners.length})`}>
        <LinksTable links={e.owners} direction="owners" label="Owners" asserted={asserted} />
      </Panel>
      <Panel title={`Subsidiaries and branches (${e.holdings.length})`}>
        <LinksTable links={e.holdings} direction="holdings" label="Subsidiaries and branches" asserted={asserted} />
      </Panel>
      {asserting ? (
        <Panel title="Assert a fact">
          <EntityFactForm
            entityId={e.id}
            entityName={e.name}
            onCancel={() => setAsserting(false)}
            onSaved={(text) => {
              // a verdict computed before did not read this fact
              if (app.verdict) app.setVerdict({ ...app.verdict, stale: 'an investigator assertion was added since it was computed' });
              setAsserting(false);
              setRecorded(text);
              setVersion((v) => v + 1);
            }}
          />
        </Panel>
      ) : null}
      {recorded ? <p className="ok-box" role="status" data-testid="fact-recorded">Recorded: {recorded}. Compute the verdict again to use it.</p> : null}
      {assertions.length > 0 ? (
        <AssertionsPanel
          assertions={assertions}
          onRetracted={() => {
            // a verdict computed before no longer answers on these facts
            if (app.verdict) app.setVerdict({ ...app.verdict, stale: 'an investigator assertion was retracted since it was computed' });
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      {/* the sources of the facts above; every source that stated the entity's records, with what
          each said, is in "Who said what" below */}
      <Panel title="Sources of the facts shown">
        <ul className="kv">
          {e.sources.map((s) => <li key={s.id}><span className="k">{s.format}</span><span>{s.fileName} <span className="muted small mono">{s.sha256.slice(0, 16)}… · data {fmtDate(s.dataDate)}</span></span></li>)}
        </ul>
      </Panel>
      <Panel title={`Who said what (${(e.history ?? []).length} record${(e.history ?? []).length === 1 ? '' : 's'})`}>
        <table className="table history" aria-label="Who said what">
          <thead><tr><th>record</th><th>source</th><th>said</th></tr></thead>
          <tbody>
            {(e.history ?? []).flatMap((h) =>
              h.statedBy.map((s, i) => (
                <tr key={`${h.object}|${h.key}|${i}`}>
                  <td className="mono small">{i === 0 ? `${h.object} ${h.key}` : ''}</td>
                  <td>{s.fileName} <span className="muted small">({s.recordRef})</span></td>
                  <td>
                    {HISTORY_WORDS[s.action]}
                    {s.changes && s.changes.length ? (
                      // what this source said where it differed from what was stated before
                      <ul className="said-changes">
                        {s.changes.map((c) => (
                          <li key={c.field}><span className="muted">{c.field}:</span> <span className="was">{c.before}</span> → <strong>{c.after}</strong></li>
                        ))}
                      </ul>
                    ) : s.differs && s.differs.length ? `: ${s.differs.join(', ')}` : ''}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </Panel>
    </Page>
  );
}

/** How the entity view words each statement of a record's history. */
const HISTORY_WORDS: Record<string, string> = {
  insert: 'stated it first',
  update: 'changed it',
  unchanged: 'stated the same',
  delete: 'deleted it',
  dropped: 'no longer states it',
};
