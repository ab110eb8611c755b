// "Add the missing fact" (issue 14): from a gap of a verdict to an investigator assertion. The form
// is pre-filled from the gap (the owned entity, the owner when the gap names one, the undisclosed
// part or the holding as known), takes a document (picked, chosen or dropped: stored in the case
// database with its SHA-256) or a reference, where in it and why, and records the fact through
// the assertion.* methods: the backend applies the CLI's rules. The share is checked here with
// the same parser (shared/domain/assertions) so a typo is said before anything is sent.
import { useRef, useState, type ReactNode } from 'react';
import type { EntityHit, Gap } from '../../../shared/api/types';
import { ASSERTED_ENTITY_KINDS, ASSERTED_LINK_KINDS, parseShare } from '../../../shared/domain/assertions';
import { prefillShare } from '../gap-facts';
import { call, errorText } from '../api';
import { useAction, useApp } from '../state';
import { CitedFields, citationMissing, citedInput, documentMissing, noCitation, type Cited } from './CitedDocument';
import { ErrorBox } from '../ui';

type Owner = { kind: 'existing'; id: number; name: string } | { kind: 'new' };

function OwnerPicker(props: { owner: Owner | null; onOwner: (o: Owner | null) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<EntityHit[]>([]);
  const latest = useRef('');
  const search = async (q: string) => {
    setQuery(q);
    latest.current = q;
    const found = q.trim().length < 2 ? [] : await call('entity.search', { query: q, limit: 8 }).catch(() => []);
    // answers can arrive out of order while typing: only the last query's count
    if (latest.current === q) setHits(found);
  };
  if (props.owner?.kind === 'existing') {
    return (
      <div className="row">
        <strong>{props.owner.name}</strong> <span className="muted small">#{props.owner.id}</span>
        <button type="button" onClick={() => props.onOwner(null)}>Change</button>
      </div>
    );
  }
  return (
    <>
      <div className="row wrap">
        <label className="check"><input type="radio" name="owner-kind" checked={props.owner?.kind !== 'new'} onChange={() => props.onOwner(null)} /> An entity of the case database</label>
        <label className="check"><input type="radio" name="owner-kind" checked={props.owner?.kind === 'new'} onChange={() => props.onOwner({ kind: 'new' })} /> A new entity the registries do not have</label>
      </div>
      {props.owner?.kind === 'new' ? null : (
        <>
          <input aria-label="Search the owner" placeholder="Search by name or identifier" value={query} onChange={(e) => void search(e.target.value)} />
          {hits.length > 0 ? (
            <ul className="owner-hits" aria-label="Owner candidates">
              {hits.map((h) => (
                <li key={h.id}>
                  <button type="button" className="linklike" onClick={() => props.onOwner({ kind: 'existing', id: h.id, name: h.name })}>{h.name}</button>{' '}
                  <span className="muted small">{h.kind}{h.countries.length ? ` · ${h.countries.join(', ')}` : ''}{h.identifiers[0] ? ` · ${h.identifiers[0]}` : ''}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </>
  );
}

/** A labelled field of the form's grid (`wide`: two columns). */
export function Field(props: { id: string; label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`field${props.wide ? ' wide' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

export function AssertionForm(props: { gap: Gap; onSaved: (count: number) => void | Promise<void>; onCancel: () => void }) {
  const app = useApp();
  const g = props.gap;
  const isLocation = g.kind === 'person-location';
  const [owner, setOwner] = useState<Owner | null>(g.ownerId !== undefined ? { kind: 'existing', id: g.ownerId, name: g.ownerName ?? `#${g.ownerId}` } : null);
  const [newName, setNewName] = useState('');
  const [newKind, setNewKind] = useState<(typeof ASSERTED_ENTITY_KINDS)[number]>('company');
  const [newCountry, setNewCountry] = useState('');
  const [share, setShare] = useState(prefillShare(g));
  const [kind, setKind] = useState<(typeof ASSERTED_LINK_KINDS)[number]>('shares');
  const [to, setTo] = useState('');
  const [role, setRole] = useState<'residence' | 'nationality'>('residence');
  const [country, setCountry] = useState('');
  const [citedState, setCited] = useState<Cited>(noCitation);
  const { error, setError, busy, run } = useAction();

  const parsed = share.trim() === '' ? null : parseShare(share);
  const shareError = !isLocation && kind !== 'control' && (parsed === null ? 'give the share the document states' : 'error' in parsed ? parsed.error : null);
  const ownerMissing = !isLocation && (owner === null || (owner.kind === 'new' && !newName.trim()));
  const canSave = !shareError && !ownerMissing && !documentMissing(citedState) && citedState.why.trim() !== '' && (!isLocation || country.trim() !== '') && busy === null;

  const save = () =>
    void run('save', async () => {
      if (!(await app.needInvestigator())) return;
      const cited = citedInput(citedState);
      if (isLocation) {
        await call('assertion.location', { ref: String(g.entityId), country: country.trim(), role, ...cited });
        return props.onSaved(1);
      }
      let ownerRef: string;
      let count = 1;
      let created: number | null = null;
      if (owner!.kind === 'new') {
        // the new owner is a fact of its own, from the same document
        const e = await call('assertion.entity', { name: newName.trim(), kind: newKind, ...(newCountry.trim() ? { country: newCountry.trim() } : {}), ...cited });
        ownerRef = e.ref;
        created = e.assertion.id;
        count = 2;
      } else ownerRef = String(owner!.id);
      try {
        await call('assertion.link', {
          owner: ownerRef, owned: String(g.entityId), kind, ...(share.trim() ? { share: share.trim() } : {}), ...(to.trim() ? { to: to.trim() } : {}), ...cited,
        });
      } catch (e) {
        // the new entity was only asserted to own this: withdrawn again, on the record, so that
        // saving once more does not leave a second, unused one behind
        if (created !== null) await call('assertion.retract', { id: created, why: `not used: the holding it was asserted for was not recorded (${errorText(e)})` }).catch(() => undefined);
        throw e;
      }
      return props.onSaved(count);
    });

  return (
    <form className="form assertion-form" aria-label="Add the missing fact" onSubmit={(e) => { e.preventDefault(); if (canSave) save(); }}>
      <p className="muted small">The gap: {g.text}</p>
      {isLocation ? (
        <div className="fields">
          <div className="field"><label>Entity</label><strong>{g.entityName}</strong></div>
          <Field id="assert-role" label="Role">
            <select id="assert-role" value={role} onChange={(e) => setRole(e.target.value as 'residence' | 'nationality')}>
              <option value="residence">residence</option>
              <option value="nationality">nationality</option>
            </select>
          </Field>
          <Field id="assert-country" label="Country"><input id="assert-country" placeholder="CC" value={country} onChange={(e) => setCountry(e.target.value)} /></Field>
        </div>
      ) : (
        <>
          <label>Owner</label>
          <OwnerPicker owner={owner} onOwner={setOwner} />
          {owner?.kind === 'new' ? (
            <div className="fields">
              <Field id="assert-new-name" label="Name" wide><input id="assert-new-name" value={newName} onChange={(e) => setNewName(e.target.value)} /></Field>
              <Field id="assert-new-kind" label="Kind of entity">
                <select id="assert-new-kind" value={newKind} onChange={(e) => setNewKind(e.target.value as typeof newKind)}>
                  {ASSERTED_ENTITY_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
                </select>
              </Field>
              <Field id="assert-new-country" label="Country"><input id="assert-new-country" placeholder="CC" value={newCountry} onChange={(e) => setNewCountry(e.target.value)} /></Field>
            </div>
          ) : null}
          <div className="fields">
            <div className="field wide"><label>Holds of</label><strong>{g.entityName}</strong></div>
            <Field id="assert-share" label="Share">
              <input id="assert-share" value={share} onChange={(e) => setShare(e.target.value)} aria-invalid={shareError ? true : undefined} />
            </Field>
            <Field id="assert-kind" label="Kind of holding">
              <select id="assert-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
                {ASSERTED_LINK_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
              </select>
            </Field>
            {g.kind === 'link-may-have-ended' ? (
              <Field id="assert-to" label="Held until"><input id="assert-to" placeholder="YYYY-MM-DD" value={to} onChange={(e) => setTo(e.target.value)} /></Field>
            ) : null}
          </div>
          <div className="muted small">{shareError || 'Write 60, 60%, 25-50 or (25,50].'}{g.kind === 'undisclosed-owner' && g.share ? ' Pre-filled with the whole undisclosed part: narrow it to what the document says.' : ''}</div>
        </>
      )}
      <CitedFields value={citedState} onChange={setCited} run={run} idPrefix="assert" testId="assertion-dropzone" onEdited={() => setError(null)} />
      <ErrorBox error={error} title="Not recorded" />
      <div className="row">
        <button type="submit" className="primary" disabled={!canSave}>{busy === 'save' ? 'Saving…' : busy === 'upload' ? 'Uploading…' : 'Save the fact and recompute'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
        {!canSave && busy === null ? <span className="muted small">{ownerMissing ? 'Choose the owner. ' : ''}{citationMissing(citedState)}</span> : null}
      </div>
    </form>
  );
}
