// The policy as a form: every field of shared/domain/policy/policy.ts, the effective policy and
// its SHA-256 as the backend computes them, named policies saved in the case database, and the
// JSON underneath as "advanced". The form edits the same JSON text the advanced view shows: a
// field the JSON leaves out shows the preset's value, a field changed in the form is written in.
import { useEffect, useMemo, useState } from 'react';
import type { PolicyInput } from '../../../shared/api/contract';
import type { EffectivePolicyInfo, PolicySummary, SavedPolicy } from '../../../shared/api/types';
import { countryLabel, findCountries } from '../../../shared/formats/country-names';
import { call, errorText, onEvent } from '../api';

const LOCATE_BY = [
  { value: 'headquarters', label: 'headquarters address' },
  { value: 'jurisdiction', label: 'jurisdiction of registration' },
  { value: 'legalAddress', label: 'legal address' },
];
const LOCATE_PERSONS_BY = [
  { value: 'residence', label: 'country of residence' },
  { value: 'nationality', label: 'nationality' },
];

/** Presets and the case's saved policies, as one list of choices (value "saved:NAME" for a saved one). */
export function usePolicyChoices(): { options: { value: string; label: string }[]; inputOf: (value: string) => PolicyInput; saved: SavedPolicy[]; presets: PolicySummary[]; reload: () => void } {
  const [presets, setPresets] = useState<PolicySummary[]>([]);
  const [saved, setSaved] = useState<SavedPolicy[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    call('policy.list', {}).then(setPresets).catch(() => setPresets([]));
    call('policy.saved', {}).then(setSaved).catch(() => setSaved([]));
  }, [tick]);
  useEffect(() => onEvent('case.changed', () => setTick((t) => t + 1)), []);
  return useMemo(
    () => ({
      presets,
      saved,
      reload: () => setTick((t) => t + 1),
      options: [
        ...presets.map((p) => ({ value: p.preset, label: p.title })),
        ...saved.map((s) => ({ value: `saved:${s.name}`, label: `${s.name} (saved)` })),
      ],
      inputOf: (value: string): PolicyInput => {
        if (!value.startsWith('saved:')) return value;
        const s = saved.find((x) => `saved:${x.name}` === value);
        return s ? s.policy : value.slice('saved:'.length);
      },
    }),
    [presets, saved],
  );
}

function parse(json: string): { obj: Record<string, unknown> | null; error: string | null } {
  try {
    const v = JSON.parse(json) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { obj: null, error: 'the policy must be a JSON object' };
    return { obj: v as Record<string, unknown>, error: null };
  } catch (e) {
    return { obj: null, error: `not valid JSON: ${errorText(e)}` };
  }
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const lines = (text: string) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export function PolicyEditor(props: { json: string; onJsonChange: (json: string) => void; asOf: string; basePreset: string }) {
  const { json, onJsonChange, asOf, basePreset } = props;
  const choices = usePolicyChoices();
  const { obj, error: jsonError } = parse(json);
  const [effective, setEffective] = useState<EffectivePolicyInfo | null>(null);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [countryQuery, setCountryQuery] = useState('');
  const [saveName, setSaveName] = useState('');
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const [isAdvanced, setAdvanced] = useState(false);

  // the effective policy of what the form holds, as the engine will read it
  useEffect(() => {
    if (!obj) return;
    const t = setTimeout(() => {
      call('policy.get', { policy: { preset: basePreset, ...obj }, asOf })
        .then((e) => { setEffective(e); setPolicyError(null); })
        .catch((e) => setPolicyError(errorText(e)));
    }, 150);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [json, asOf, basePreset]);

  const f = effective?.fields ?? {};
  const value = (k: string): unknown => (obj && k in obj ? obj[k] : f[k]);
  const set = (k: string, v: unknown) => onJsonChange(JSON.stringify({ ...(obj ?? {}), [k]: v }, null, 2));
  const toggle = (k: string, item: string) => {
    const cur = list(value(k));
    set(k, cur.includes(item) ? cur.filter((x) => x !== item) : [...cur, item]);
  };

  const choosePreset = async (preset: string) => {
    try {
      // a preset's every field, to edit from: the form then shows what that preset says
      const eff = await call('policy.get', { policy: preset, asOf });
      const fields: Record<string, unknown> = { ...eff.fields, preset, name: `${String(eff.fields.name ?? preset)} (edited)` };
      delete fields.asOf;
      onJsonChange(JSON.stringify(fields, null, 2));
    } catch (e) {
      setPolicyError(errorText(e));
    }
  };

  const loadSaved = (name: string) => {
    const s = choices.saved.find((x) => x.name === name);
    if (s) onJsonChange(JSON.stringify(s.policy, null, 2));
  };

  const save = async () => {
    setSaveNote(null);
    const name = saveName.trim() || String(value('name') ?? '').trim();
    if (!obj || !name) return;
    try {
      const s = await call('policy.save', { name, policy: { preset: basePreset, ...obj } });
      setSaveNote(`saved as "${s.name}" in the case database (sha256 ${s.sha256.slice(0, 12)}…)`);
      onJsonChange(JSON.stringify(s.policy, null, 2));
      choices.reload();
    } catch (e) {
      setSaveNote(`not saved: ${errorText(e)}`);
    }
  };

  const countries = list(value('restrictedCountries'));
  const found = findCountries(countryQuery).filter((c) => !countries.includes(c.code));
  const preset = String(value('preset') ?? basePreset);

  return (
    <div className="policy-editor" aria-label="Policy editor">
      {obj ? (
        <div className="policy-fields">
          <div className="field">
            <label htmlFor="pe-name">Name</label>
            <input id="pe-name" value={String(value('name') ?? '')} onChange={(e) => set('name', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="pe-preset">Based on preset</label>
            <select id="pe-preset" value={preset} onChange={(e) => void choosePreset(e.target.value)}>
              {choices.presets.map((p) => <option key={p.preset} value={p.preset}>{p.title}</option>)}
            </select>
          </div>
          {choices.saved.length ? (
            <div className="field">
              <label htmlFor="pe-saved">Saved policies</label>
              <select id="pe-saved" value="" onChange={(e) => loadSaved(e.target.value)}>
                <option value="" disabled>Load a saved policy…</option>
                {choices.saved.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
              </select>
            </div>
          ) : null}

          <fieldset className="field wide">
            <legend>Restricted countries</legend>
            <div className="chips" aria-label="Restricted countries chosen">
              {countries.length === 0 ? <span className="muted small">none</span> : null}
              {countries.map((c) => (
                <span key={c} className="chip">
                  {countryLabel(c)}
                  <button type="button" className="chip-x" aria-label={`Remove ${countryLabel(c)}`} onClick={() => toggle('restrictedCountries', c)}>×</button>
                </span>
              ))}
            </div>
            <label htmlFor="pe-country" className="visually-hidden">Find a country</label>
            <input id="pe-country" placeholder="Add a country: name or code…" value={countryQuery} autoComplete="off"
              onChange={(e) => setCountryQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && found[0]) { e.preventDefault(); toggle('restrictedCountries', found[0].code); setCountryQuery(''); }
              }} />
            {found.length ? (
              <ul className="country-options" aria-label="Countries found">
                {found.map((c) => (
                  <li key={c.code}>
                    <button type="button" className="linklike" onClick={() => { toggle('restrictedCountries', c.code); setCountryQuery(''); }}>
                      {c.name} <span className="mono muted">{c.code}</span>{c.aliases.length ? <span className="muted small"> · {c.aliases.slice(0, 2).join(', ')}</span> : null}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </fieldset>

          <div className="field">
            <label htmlFor="pe-parties">Listed parties (one scheme:value per line)</label>
            <textarea id="pe-parties" className="mono" rows={3} value={list(value('restrictedParties')).join('\n')} onChange={(e) => set('restrictedParties', lines(e.target.value))} />
          </div>
          <div className="field">
            <label htmlFor="pe-topics">List topics (comma or line separated, e.g. sanction)</label>
            <textarea id="pe-topics" rows={3} value={list(value('restrictTopics')).join('\n')} onChange={(e) => set('restrictTopics', lines(e.target.value))} />
          </div>

          <div className="field">
            <label htmlFor="pe-comparison">Restricted when the share is</label>
            <div className="row">
              <select id="pe-comparison" value={String(value('comparison') ?? 'gte')} onChange={(e) => set('comparison', e.target.value)}>
                <option value="gt">more than</option>
                <option value="gte">at least</option>
              </select>
              <label htmlFor="pe-threshold" className="visually-hidden">Threshold (percent)</label>
              <input id="pe-threshold" type="number" min={0} max={100} step="any" className="narrow" value={String(value('threshold') ?? '')}
                onChange={(e) => set('threshold', e.target.value === '' || Number.isNaN(Number(e.target.value)) ? e.target.value : Number(e.target.value))} />
              <span>%</span>
            </div>
          </div>
          <div className="field">
            <label htmlFor="pe-method">Method</label>
            <select id="pe-method" value={String(value('method') ?? 'strictest')} onChange={(e) => set('method', e.target.value)}>
              <option value="strictest">strictest of both</option>
              <option value="control">control</option>
              <option value="lookThrough">look-through</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="pe-undisclosed">Undisclosed ownership reads as</label>
            <select id="pe-undisclosed" value={String(value('undisclosed') ?? 'unknown')} onChange={(e) => set('undisclosed', e.target.value)}>
              <option value="unknown">unknown (indeterminate)</option>
              <option value="assumeClear">clear (assumed)</option>
            </select>
          </div>

          <fieldset className="field wide checks">
            <legend>Counting</legend>
            <label className="check"><input type="checkbox" checked={value('aggregate') === true} onChange={(e) => set('aggregate', e.target.checked)} /> Aggregation: add up the shares of several restricted owners</label>
            <label className="check"><input type="checkbox" checked={value('countControl') === true} onChange={(e) => set('countControl', e.target.checked)} /> Control: control without a share counts as the whole share</label>
            <label className="check"><input type="checkbox" checked={value('consolidationImpliesMajority') === true} onChange={(e) => set('consolidationImpliesMajority', e.target.checked)} /> Consolidation: an accounting consolidation implies a majority</label>
          </fieldset>
          <fieldset className="field checks">
            <legend>Locate companies by</legend>
            {LOCATE_BY.map((o) => (
              <label key={o.value} className="check"><input type="checkbox" checked={list(value('locateBy')).includes(o.value)} onChange={() => toggle('locateBy', o.value)} /> {o.label}</label>
            ))}
          </fieldset>
          <fieldset className="field checks">
            <legend>Locate persons by</legend>
            {LOCATE_PERSONS_BY.map((o) => (
              <label key={o.value} className="check"><input type="checkbox" checked={list(value('locatePersonsBy')).includes(o.value)} onChange={() => toggle('locatePersonsBy', o.value)} /> {o.label}</label>
            ))}
          </fieldset>
        </div>
      ) : null}

      {jsonError || policyError ? <div className="form-error" role="alert">{jsonError ?? policyError}</div> : null}

      <div className="effective-policy">
        {effective && !policyError ? (
          <div className="small">
            Effective policy <strong>{String(effective.fields.name ?? '')}</strong> · sha256 <span className="mono policy-sha">{effective.sha256}</span>
          </div>
        ) : null}
        <div className="row">
          <label htmlFor="pe-save-name" className="visually-hidden">Save as</label>
          <input id="pe-save-name" placeholder={String(value('name') ?? 'Policy name')} value={saveName} onChange={(e) => setSaveName(e.target.value)} />
          <button type="button" disabled={!obj || Boolean(policyError)} onClick={() => void save()}>Save policy</button>
          <button type="button" aria-expanded={isAdvanced} onClick={() => setAdvanced(!isAdvanced)}>{isAdvanced ? 'Hide JSON' : 'Advanced (JSON)'}</button>
        </div>
        {saveNote ? <div className="muted small" role="status">{saveNote}</div> : null}
      </div>

      {isAdvanced || !obj ? (
        <div className="field wide">
          <label htmlFor="policy-json">Edited policy (JSON; fields override the preset)</label>
          <textarea id="policy-json" className="mono" rows={12} value={json} onChange={(e) => onJsonChange(e.target.value)} spellCheck={false} />
          {effective ? (
            <details>
              <summary>Effective policy (every field, as the engine reads it)</summary>
              <pre className="mono small">{JSON.stringify(effective.fields, null, 2)}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
