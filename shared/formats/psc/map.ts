// Pure mapping of one UK Companies House PSC snapshot line to normalized facts.
// See docs/FORMATS-OTHER.md §1 for every decision taken here.
import { FULL_SHARE, UNITS_PER_PERCENT, type ControlBasis, type LinkKind, type ShareInterval, type UndisclosedCategory } from '../../domain/model';
import { countryFact, normalizeCountry, splitCountries } from '../countries';
import type { CountryFact, EntityFact, Fact, IdentifierFact, LinkFact, UndisclosedFact } from '../facts';
import { ukCompanyNumber } from './company-number';
import { EXEMPTION_DESCRIPTIONS, NATURE_DESCRIPTIONS, STATEMENT_DESCRIPTIONS, SUPER_SECURE_DESCRIPTIONS } from './descriptions';

/** A problem with one line's content; the parser turns it into an ImportError naming the line. */
export class PscDataError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'PscDataError';
  }
}

export interface PscWarn {
  (problem: string): void;
}

const P = UNITS_PER_PERCENT;
const BANDS: Record<string, ShareInterval> = {
  '25-to-50': { lo: 25 * P, loOpen: true, hi: 50 * P, hiOpen: false },
  '50-to-75': { lo: 50 * P, loOpen: true, hi: 75 * P, hiOpen: false },
  '75-to-100': { lo: 75 * P, loOpen: true, hi: FULL_SHARE, hiOpen: false },
  'more-than-25': { lo: 25 * P, loOpen: true, hi: FULL_SHARE, hiOpen: false },
};

export interface Nature {
  /** The link slot: one link per slot and PSC. */
  slot: 'shares' | 'votes' | 'board' | 'influence' | 'nominee' | 'other';
  kind: LinkKind;
  controlBasis?: ControlBasis;
  share: ShareInterval | null;
  /** held via a trust or a firm */
  via?: 'trust' | 'firm' | 'control-over-trust' | 'control-over-firm';
}

const BAND_RE =
  /^(ownership-of-shares|voting-rights|right-to-share-surplus-assets|part-right-to-share-surplus-assets)-(25-to-50|50-to-75|75-to-100|more-than-25)-percent(?:-as-(trust|firm|control-over-trust|control-over-firm))?(?:-limited-liability-partnership|-registered-overseas-entity)?$/;

/** Maps a `natures_of_control` code; null for a code this version does not know. */
export function mapNature(code: string): Nature | null {
  const m = BAND_RE.exec(code);
  if (m) {
    const votes = m[1] === 'voting-rights';
    const n: Nature = { slot: votes ? 'votes' : 'shares', kind: votes ? 'votes' : 'shares', share: BANDS[m[2]!]! };
    if (m[3]) n.via = m[3] as Nature['via'];
    return n;
  }
  const via = /-as-(trust|firm|control-over-trust|control-over-firm)(?:-|$)/.exec(code)?.[1] as Nature['via'] | undefined;
  if (/^right-to-appoint-and-remove-(directors|members|person)/.test(code)) {
    return { slot: 'board', kind: 'control', controlBasis: 'board', share: null, ...(via ? { via } : {}) };
  }
  if (/^significant-influence-or-control/.test(code)) {
    return { slot: 'influence', kind: 'control', controlBasis: 'influence', share: null, ...(via ? { via } : {}) };
  }
  if (/^registered-owner-as-nominee-/.test(code)) return { slot: 'nominee', kind: 'other', share: null };
  return null;
}

const NO_PARENT_STATEMENTS = new Set([
  'no-individual-or-entity-with-signficant-control',
  'no-individual-or-entity-with-signficant-control-partnership',
  'no-individual-or-entity-with-significant-control',
  'no-beneficial-owner-identified',
]);
const WITHHELD_STATEMENTS = new Set([
  'psc-contacted-but-no-response', 'psc-contacted-but-no-response-partnership',
  'psc-has-failed-to-confirm-changed-details', 'psc-has-failed-to-confirm-changed-details-partnership',
  'restrictions-notice-issued-to-psc', 'restrictions-notice-issued-to-psc-partnership',
]);
/** ROE statements that say nothing is missing: no marker (the owners are listed as PSC records). */
const INFORMATIONAL_STATEMENTS = new Set([
  'all-beneficial-owners-identified', 'nobody-has-become-or-ceased-to-be-a-beneficial-owner',
  'somebody-has-become-or-ceased-to-be-a-beneficial-owner', 'no-change-beneficial-owner-relevant-period',
  'change-beneficial-owner-relevant-period', 'no-trust-involved-relevant-period', 'trust-involved-relevant-period',
  'no-change-beneficiary-relevant-period', 'change-beneficiary-relevant-period',
]);

export function statementCategory(code: string): UndisclosedCategory | null {
  if (INFORMATIONAL_STATEMENTS.has(code)) return null;
  if (NO_PARENT_STATEMENTS.has(code)) return 'no-parent';
  if (WITHHELD_STATEMENTS.has(code)) return 'withheld';
  return 'unknown';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new PscDataError(`${path}${key} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function obj(o: Obj, key: string, path: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new PscDataError(`${path}${key} must be an object, got ${JSON.stringify(v)}`);
  return v;
}

function date(o: Obj, key: string, path: string): string | undefined {
  const v = str(o, key, path);
  if (v !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new PscDataError(`${path}${key} is not a date: "${v}"`);
  return v?.slice(0, 10);
}

function addressText(a: Obj | undefined): string | undefined {
  if (!a) return undefined;
  const parts = ['care_of', 'po_box', 'premises', 'address_line_1', 'address_line_2', 'locality', 'region', 'postal_code', 'country']
    .map((k) => a[k])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.length ? parts.join(', ') : undefined;
}

const UK_PLACE = /\b(england|wales|scotland|northern ireland|united kingdom|great britain|companies house|uk)\b/i;

/** Whether a corporate PSC's registration is with Companies House (so its number is a `gb-coh`). */
function registeredInUk(ident: Obj): boolean {
  for (const k of ['country_registered', 'place_registered', 'legal_authority']) {
    const v = ident[k];
    if (typeof v !== 'string' || !v.trim()) continue;
    if (UK_PLACE.test(v)) return true;
    if (k === 'country_registered') return normalizeCountry(v).code === 'GB';
  }
  return false;
}

const GOVERNMENT = /\b(government|state|ministry|department|authority|crown|municipal|council|republic)\b/i;

export interface PscContext {
  recordRef: string;
  warn: PscWarn;
}

function pushCountry(list: CountryFact[], role: CountryFact['role'], text: string | undefined, warn: PscWarn, what: string): void {
  if (!text) return;
  for (const part of role === 'nationality' ? splitCountries(text) : [text]) {
    const f = countryFact(role, part);
    if (f.code === null) warn(`${what} "${part}" is not a country this version can normalize; kept as text`);
    list.push(f);
  }
}

/** The PSC id: the last segment of links.self. */
function pscId(data: Obj, path: string): string {
  const links = obj(data, 'links', path);
  const self = links ? str(links, 'self', `${path}links.`) : undefined;
  if (!self) throw new PscDataError(`${path}links.self is missing: the record has no PSC id`);
  const id = self.replace(/\/+$/, '').split('/').pop()!;
  if (!id) throw new PscDataError(`${path}links.self "${self}" has no id`);
  return id;
}

/** Maps one snapshot line. Returns the facts, or the data date for the totals line. */
export function mapPscLine(line: unknown, c: PscContext): { facts: Fact[]; dataDate?: string; isRecord: boolean } {
  if (!isObj(line)) throw new PscDataError('a PSC snapshot line must be a JSON object');
  const data = obj(line, 'data', '');
  if (!data) throw new PscDataError('"data" is missing');
  const kind = str(data, 'kind', 'data.');
  if (!kind) throw new PscDataError('data.kind is missing');
  if (kind.startsWith('totals#')) {
    const generated = str(data, 'generated_at', 'data.');
    return { facts: [], isRecord: false, ...(generated ? { dataDate: generated } : {}) };
  }
  const rawNumber = line['company_number'];
  if (typeof rawNumber !== 'string' || !rawNumber.trim()) {
    throw new PscDataError(`company_number is missing or not a string (${JSON.stringify(rawNumber)})`);
  }
  const number = ukCompanyNumber(rawNumber);
  if (!number) throw new PscDataError(`company_number "${rawNumber}" is not a UK company number`);
  const company: IdentifierFact = { scheme: 'gb-coh', value: number };
  const notified = date(data, 'notified_on', 'data.');
  const ceasedOn = date(data, 'ceased_on', 'data.');
  const ceasedFlag = data['ceased'] === true;
  const status = ceasedOn || ceasedFlag ? 'inactive' : 'active';
  const recordRef = c.recordRef;
  const facts: Fact[] = [];

  if (kind === 'exemptions') {
    const ex = obj(data, 'exemptions', 'data.');
    if (!ex) throw new PscDataError('data.exemptions is missing');
    for (const [name, v] of Object.entries(ex)) {
      if (!isObj(v)) throw new PscDataError(`data.exemptions.${name} must be an object`);
      const type = str(v, 'exemption_type', `data.exemptions.${name}.`) ?? name.replace(/_/g, '-');
      const items = Array.isArray(v['items']) ? (v['items'] as unknown[]).filter(isObj) : [];
      const latest = items
        .map((i) => ({ from: typeof i['exempt_from'] === 'string' ? i['exempt_from'] : undefined, to: typeof i['exempt_to'] === 'string' ? i['exempt_to'] : undefined }))
        .sort((a, b) => (b.from ?? '').localeCompare(a.from ?? ''))[0];
      const desc = EXEMPTION_DESCRIPTIONS[type];
      if (!desc) c.warn(`unknown exemption type "${type}"; kept as an undisclosed-ownership marker`);
      const m: UndisclosedFact = {
        type: 'undisclosed', key: `gb-psc-exemption:${number}:${type}`, recordRef, subject: company, category: 'unknown',
        scope: 'any', reason: type, detail: desc ?? type, share: null, status: latest?.to ? 'inactive' : 'active',
      };
      if (latest?.from) m.startDate = latest.from.slice(0, 10);
      if (latest?.to) m.endDate = latest.to.slice(0, 10);
      facts.push(m);
    }
    return { facts, isRecord: true };
  }

  const id = pscId(data, 'data.');
  const base = `gb-psc:${id}`;

  if (kind === 'persons-with-significant-control-statement' || kind.endsWith('-statement')) {
    const statement = str(data, 'statement', 'data.');
    if (!statement) throw new PscDataError('data.statement is missing');
    const category = statementCategory(statement);
    if (category === null) return { facts, isRecord: true };
    const desc = STATEMENT_DESCRIPTIONS[statement];
    if (!desc) c.warn(`unknown PSC statement "${statement}"; kept as an "unknown owner" marker`);
    const linked = str(data, 'linked_psc_name', 'data.');
    const m: UndisclosedFact = {
      type: 'undisclosed', key: base, recordRef, subject: company, category, scope: 'any', reason: statement,
      detail: (desc ?? statement).replace('{linked_psc_name}', linked ?? 'A person with significant control'), share: null, status,
    };
    if (notified) m.startDate = notified;
    if (ceasedOn) m.endDate = ceasedOn;
    facts.push(m);
    return { facts, isRecord: true };
  }

  if (kind.startsWith('super-secure-')) {
    const desc = str(data, 'description', 'data.') ?? (kind.includes('beneficial-owner') ? 'super-secure-beneficial-owner' : 'super-secure-persons-with-significant-control');
    const m: UndisclosedFact = {
      type: 'undisclosed', key: base, recordRef, subject: company, category: 'withheld', scope: 'any', reason: kind,
      detail: SUPER_SECURE_DESCRIPTIONS[desc] ?? desc, share: null, status,
    };
    if (notified) m.startDate = notified;
    if (ceasedOn) m.endDate = ceasedOn;
    facts.push(m);
    return { facts, isRecord: true };
  }

  const individual = kind === 'individual-person-with-significant-control' || kind === 'individual-beneficial-owner';
  const corporate = kind === 'corporate-entity-person-with-significant-control' || kind === 'corporate-entity-beneficial-owner';
  const legal = kind === 'legal-person-person-with-significant-control' || kind === 'legal-person-beneficial-owner';
  if (!individual && !corporate && !legal) throw new PscDataError(`unknown data.kind "${kind}"`);

  const name = str(data, 'name', 'data.') ?? '(name not given)';
  const address = obj(data, 'address', 'data.');
  const attributes: Record<string, string> = { pscKind: kind, pscId: id };
  const addr = addressText(address);
  if (addr) attributes['address'] = addr;
  if (notified) attributes['notifiedOn'] = notified;
  if (ceasedOn) attributes['ceasedOn'] = ceasedOn;
  const countries: CountryFact[] = [];
  const identifiers: IdentifierFact[] = [];
  let ref: IdentifierFact = { scheme: 'gb-psc', value: id };
  const topics: string[] = [];
  if (data['is_sanctioned'] === true) {
    topics.push('sanction');
    attributes['isSanctioned'] = 'true';
  }
  let entityKind: EntityFact['kind'];
  if (individual) {
    entityKind = 'person';
    pushCountry(countries, 'nationality', str(data, 'nationality', 'data.'), c.warn, 'nationality');
    pushCountry(countries, 'residence', str(data, 'country_of_residence', 'data.'), c.warn, 'country of residence');
    const dob = obj(data, 'date_of_birth', 'data.');
    if (dob && (typeof dob['year'] === 'number' || typeof dob['year'] === 'string')) {
      attributes['birthDate'] = `${dob['year']}${dob['month'] !== undefined ? '-' + String(dob['month']).padStart(2, '0') : ''}`;
    }
  } else {
    const ident = obj(data, 'identification', 'data.') ?? {};
    for (const k of ['legal_authority', 'legal_form', 'country_registered', 'place_registered', 'registration_number']) {
      const v = str(ident, k, 'data.identification.');
      if (v) attributes[k.replace(/_(.)/g, (_, x: string) => x.toUpperCase())] = v;
    }
    const regNo = str(ident, 'registration_number', 'data.identification.');
    const coh = corporate && regNo && registeredInUk(ident) ? ukCompanyNumber(regNo) : null;
    if (coh) {
      ref = { scheme: 'gb-coh', value: coh };
      identifiers.push({ scheme: 'gb-psc', value: id });
    }
    const legalForm = str(ident, 'legal_form', 'data.identification.') ?? '';
    entityKind = legal && GOVERNMENT.test(`${legalForm} ${name}`) ? 'state-body' : corporate ? 'company' : 'unknown';
    // The jurisdiction: the first of country_registered, legal_authority, place_registered that names a
    // country ("People'S Republic Of China"); legal authorities such as "Companies Act 2006" do not.
    const candidates = (['country_registered', 'legal_authority', 'place_registered'] as const)
      .map((k) => [k, str(ident, k, 'data.identification.')] as const)
      .filter((x): x is readonly [typeof x[0], string] => x[1] !== undefined);
    const named = candidates.map(([k, t]) => [k, countryFact('jurisdiction', t)] as const).find(([, f]) => f.code !== null);
    if (named) countries.push(named[1]);
    else if (coh) countries.push({ role: 'jurisdiction', code: 'GB', text: candidates[0]?.[1] ?? 'Companies House' });
    else {
      const registered = candidates.find(([k]) => k === 'country_registered');
      if (registered) {
        countries.push(countryFact('jurisdiction', registered[1]));
        c.warn(`country_registered "${registered[1]}" is not a country this version can normalize; kept as text`);
      } else if (candidates.length) {
        c.warn(`no jurisdiction country: legal authority "${candidates[0]![1]}" names no country (kept as an attribute)`);
      }
    }
    const principal = obj(data, 'principal_office_address', 'data.');
    if (principal) pushCountry(countries, 'headquarters', str(principal, 'country', 'data.principal_office_address.'), c.warn, 'country');
  }
  // An individual's address is a correspondence address, not a residence: kept as an attribute only.
  if (address && !individual) pushCountry(countries, 'legal-address', str(address, 'country', 'data.address.'), c.warn, 'country');

  const entity: EntityFact = {
    type: 'entity', ref, recordRef, kind: entityKind, name, names: [], identifiers, countries,
    status: ceasedOn ? 'CEASED' : 'ACTIVE', attributes, ...(topics.length ? { topics } : {}),
  };
  facts.push(entity);

  const natures = data['natures_of_control'];
  if (natures !== undefined && natures !== null && !(Array.isArray(natures) && natures.every((n) => typeof n === 'string'))) {
    throw new PscDataError('data.natures_of_control must be a list of strings');
  }
  const slots = new Map<string, { n: Nature; codes: string[] }>();
  for (const code of (natures as string[] | undefined) ?? []) {
    let n = mapNature(code);
    if (!n) {
      c.warn(`unknown nature of control "${code}"; kept as a link that does not count as ownership`);
      n = { slot: 'other', kind: 'other', share: null };
    }
    const s = slots.get(n.slot);
    if (!s) slots.set(n.slot, { n, codes: [code] });
    else {
      s.codes.push(code);
      // two bands for the same slot (held directly and via a trust): the larger one stands
      if (n.share && s.n.share && n.share.lo > s.n.share.lo) s.n = { ...s.n, share: n.share };
    }
  }
  for (const [slot, { n, codes }] of slots) {
    const l: LinkFact = {
      type: 'link', key: `${base}|${slot}`, recordRef, owner: ref, owned: company, kind: n.kind, share: n.share,
      stated: codes.map((code) => NATURE_DESCRIPTIONS[code] ?? code).join(' / '), isSummary: false, status,
      attributes: { naturesOfControl: codes.join(' ') },
    };
    if (n.controlBasis) l.controlBasis = n.controlBasis;
    if (n.via) l.attributes!['heldVia'] = n.via;
    if (notified) l.startDate = notified;
    if (ceasedOn) l.endDate = ceasedOn;
    facts.push(l);
  }
  return { facts, isRecord: true };
}
