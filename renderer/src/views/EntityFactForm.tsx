// "Assert a fact…" from the entity view (issue 14): a fact about this entity found in a document,
// without a verdict's gap to start from: its location by role and country, its kind (e.g. a state
// body), or that it is a listed party (the list and its topics, which the policies match
// exactly). The document, page and reason are the same fields as "Add the missing fact"
// (CitedDocument); the backend applies the CLI's rules (assertion.location / kind / listed). The
// country and the topics are checked here with the same rules (shared/domain/assertions) so a
// typo is said before anything is sent.
import { useState } from 'react';
import { ASSERTED_ENTITY_KINDS, ASSERTED_ROLES, PRESET_TOPICS, checkTopic, normalizeCountry } from '../../../shared/domain/assertions';
import { call } from '../api';
import { useAction, useApp } from '../state';
import { ErrorBox } from '../ui';
import { Field } from './AssertionForm';
import { CitedFields, citationMissing, citedInput, documentMissing, noCitation, type Cited } from './CitedDocument';

type FactKind = 'location' | 'kind' | 'listed';
const FACTS: { value: FactKind; label: string }[] = [
  { value: 'location', label: 'A location (by role)' },
  { value: 'kind', label: 'What it is (its kind)' },
  { value: 'listed', label: 'A listed or restricted party' },
];
const KIND_WORDS: Record<(typeof ASSERTED_ENTITY_KINDS)[number], string> = {
  company: 'company',
  person: 'person (natural person)',
  state: 'state (has no owners; located in its own country)',
  'state-body': 'state body (ministry, agency; held by its state)',
  fund: 'fund',
};

/** The topics of the form: the presets' ticked, plus any others typed (comma or space separated). */
function topicsOf(ticked: Set<string>, other: string): { topics: string[] } | { error: string } {
  const out = new Set(ticked);
  for (const t of other.split(/[\s,]+/).filter(Boolean)) {
    const c = checkTopic(t);
    if ('error' in c) return c;
    out.add(c.topic);
  }
  if (out.size === 0) return { error: 'tick or type at least one topic' };
  return { topics: [...out].sort() };
}

export function EntityFactForm(props: { entityId: number; entityName: string; onSaved: (what: string) => void | Promise<void>; onCancel: () => void }) {
  const app = useApp();
  const [fact, setFact] = useState<FactKind>('location');
  const [role, setRole] = useState<(typeof ASSERTED_ROLES)[number]>('headquarters');
  const [country, setCountry] = useState('');
  const [kind, setKind] = useState<(typeof ASSERTED_ENTITY_KINDS)[number]>('state-body');
  const [list, setList] = useState('');
  const [ticked, setTicked] = useState<Set<string>>(new Set(['sanction']));
  const [otherTopics, setOtherTopics] = useState('');
  const [cited, setCited] = useState<Cited>(noCitation);
  const { error, setError, busy, run } = useAction();

  const countryError = fact === 'location' && country.trim() !== '' && !normalizeCountry(country) ? `"${country.trim()}" is not an ISO 3166-1 alpha-2 code (e.g. CN)` : null;
  const topics = topicsOf(ticked, otherTopics);
  const factMissing =
    fact === 'location' ? (country.trim() === '' ? 'Give the country. ' : countryError ? `${countryError}. ` : '')
    : fact === 'listed' ? `${list.trim() ? '' : 'Name the list. '}${'error' in topics ? `Topics: ${topics.error}. ` : ''}`
    : '';
  const canSave = factMissing === '' && !documentMissing(cited) && cited.why.trim() !== '' && busy === null;

  const save = () =>
    void run('save', async () => {
      if (!(await app.needInvestigator())) return;
      const ref = String(props.entityId);
      const doc = citedInput(cited);
      const a =
        fact === 'location' ? await call('assertion.location', { ref, role, country: country.trim(), ...doc })
        : fact === 'kind' ? await call('assertion.kind', { ref, kind, ...doc })
        : await call('assertion.listed', { ref, list: list.trim(), topics: 'topics' in topics ? topics.topics : [], ...doc });
      return props.onSaved(a.text);
    });

  return (
    <form className="form assertion-form" aria-label="Assert a fact" onSubmit={(e) => { e.preventDefault(); if (canSave) save(); }}>
      <p className="muted small">A fact about <strong>{props.entityName}</strong> found in a document: recorded as an investigator assertion, beside the registry data, never mixed with it.</p>
      <div className="row wrap" role="radiogroup" aria-label="The fact">
        {FACTS.map((f) => (
          <label key={f.value} className="check"><input type="radio" name="entity-fact" checked={fact === f.value} onChange={() => { setFact(f.value); setError(null); }} /> {f.label}</label>
        ))}
      </div>
      {fact === 'location' ? (
        <div className="fields">
          <Field id="fact-role" label="Role">
            <select id="fact-role" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
              {ASSERTED_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </Field>
          <Field id="fact-country" label="Country">
            <input id="fact-country" placeholder="CC" value={country} onChange={(e) => setCountry(e.target.value)} aria-invalid={countryError ? true : undefined} />
          </Field>
        </div>
      ) : fact === 'kind' ? (
        <div className="fields">
          <Field id="fact-kind" label="Kind of entity" wide>
            <select id="fact-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              {ASSERTED_ENTITY_KINDS.map((k) => <option key={k} value={k}>{KIND_WORDS[k]}</option>)}
            </select>
          </Field>
        </div>
      ) : (
        <>
          <div className="fields">
            <Field id="fact-list" label="List" wide>
              <input id="fact-list" placeholder="e.g. OFAC SDN, EU consolidated financial sanctions list, BIS Entity List" value={list} onChange={(e) => setList(e.target.value)} />
            </Field>
          </div>
          <label>Topics</label>
          <div className="row wrap" aria-label="Topics">
            {PRESET_TOPICS.map((t) => (
              <label key={t} className="check">
                <input
                  type="checkbox"
                  checked={ticked.has(t)}
                  onChange={(e) => setTicked((old) => { const n = new Set(old); if (e.target.checked) n.add(t); else n.delete(t); return n; })}
                />{' '}
                {t}
              </label>
            ))}
            <input aria-label="Other topics" placeholder="other topics" value={otherTopics} onChange={(e) => setOtherTopics(e.target.value)} />
          </div>
          <div className="muted small">
            {'error' in topics ? topics.error : 'Policies match topics exactly: sanction is read by ofac-50, eu-50 and uk-ofsi, export.control by bis-affiliates.'}
          </div>
        </>
      )}
      {countryError ? <div className="muted small">{countryError}</div> : null}
      <CitedFields value={cited} onChange={setCited} run={run} idPrefix="fact" testId="fact-dropzone" onEdited={() => setError(null)} />
      <ErrorBox error={error} title="Not recorded" />
      <div className="row">
        <button type="submit" className="primary" disabled={!canSave}>{busy === 'save' ? 'Saving…' : busy === 'upload' ? 'Uploading…' : 'Save the fact'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
        {!canSave && busy === null ? <span className="muted small">{factMissing}{citationMissing(cited)}</span> : null}
      </div>
    </form>
  );
}
