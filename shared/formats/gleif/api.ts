// Pure mapping of GLEIF API (api.gleif.org/api/v1, JSON:API) resources to the golden-copy CSV column
// names the golden-copy mappers read (map.ts), so that a saved API response maps exactly like the same
// record in a golden-copy file. Field names: docs/FORMATS-GLEIF.md § GLEIF API responses.
//
// Every value is read from the record's own properties only (a "__proto__" or "constructor" key in a
// hostile file is an ordinary unknown key), and only the paths below are read: unknown members, however
// large or deep, are never walked.
import { GleifDataError } from './enums';
import { LEI_PATTERN } from './lei';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An own property (never one inherited from Object.prototype). */
export function own(o: unknown, key: string): unknown {
  return isObj(o) && Object.hasOwn(o, key) ? o[key] : undefined;
}

function at(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split('.')) v = own(v, k);
  return v;
}

/** Longer than any LEI-CDF / RR-CDF field (names and references are at most a few hundred characters). */
export const MAX_TEXT = 10_000;

/** Text of a field: strings and finite numbers; null/absent/blank → undefined; anything else is an error. */
function text(field: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    // a hostile value would otherwise be quoted whole in error messages and stored in attributes
    if (v.length > MAX_TEXT) throw new GleifDataError(`${field}: text of ${v.length} characters is longer than any GLEIF field (${MAX_TEXT})`);
    const s = v.trim();
    return s === '' ? undefined : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  const what = typeof v === 'number' ? `the number ${String(v)}` : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
  throw new GleifDataError(`${field}: expected text, got ${what}`);
}

function list(field: string, v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new GleifDataError(`${field}: expected an array, got ${typeof v === 'object' ? 'an object' : typeof v}`);
}

class Columns {
  readonly out: Record<string, string> = Object.create(null) as Record<string, string>;
  constructor(private readonly attrs: unknown) {}
  /** Copies attributes.PATH to COLUMN. */
  put(column: string, path: string, from: unknown = this.attrs, label = `attributes.${path}`): void {
    const v = text(label, at(from, path));
    if (v !== undefined) this.out[column] = v;
  }
}

/** attributes of a `lei-records` resource → LEI-CDF golden-copy columns (mapLevel1). */
export function level1Columns(attrs: unknown): Record<string, string> {
  const c = new Columns(attrs);
  c.put('LEI', 'lei');
  c.put('Entity.LegalName', 'entity.legalName.name');
  c.put('Entity.LegalName.xmllang', 'entity.legalName.language');
  const names: [string, string][] = [
    ['entity.otherNames', 'Entity.OtherEntityNames.OtherEntityName'],
    ['entity.transliteratedOtherNames', 'Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName'],
  ];
  for (const [path, column] of names) {
    list(`attributes.${path}`, at(attrs, path)).forEach((n, i) => {
      const label = `attributes.${path}[${i}]`;
      c.put(`${column}.${i + 1}`, 'name', n, `${label}.name`);
      c.put(`${column}.${i + 1}.xmllang`, 'language', n, `${label}.language`);
      c.put(`${column}.${i + 1}.type`, 'type', n, `${label}.type`);
    });
  }
  c.put('Entity.LegalAddress.Country', 'entity.legalAddress.country');
  c.put('Entity.LegalAddress.Region', 'entity.legalAddress.region');
  c.put('Entity.HeadquartersAddress.Country', 'entity.headquartersAddress.country');
  c.put('Entity.HeadquartersAddress.Region', 'entity.headquartersAddress.region');
  c.put('Entity.LegalJurisdiction', 'entity.jurisdiction');
  c.put('Entity.EntityCategory', 'entity.category');
  c.put('Entity.EntitySubCategory', 'entity.subCategory');
  c.put('Entity.EntityStatus', 'entity.status');
  c.put('Entity.LegalForm.EntityLegalFormCode', 'entity.legalForm.id');
  c.put('Entity.LegalForm.OtherLegalForm', 'entity.legalForm.other');
  c.put('Entity.EntityCreationDate', 'entity.creationDate');
  c.put('Entity.RegistrationAuthority.RegistrationAuthorityID', 'entity.registeredAt.id');
  c.put('Entity.RegistrationAuthority.OtherRegistrationAuthorityID', 'entity.registeredAt.other');
  c.put('Entity.RegistrationAuthority.RegistrationAuthorityEntityID', 'entity.registeredAs');
  // successorEntities (LEI-CDF 3.1, repeating) supersedes the deprecated single successorEntity
  const successors = list('attributes.entity.successorEntities', at(attrs, 'entity.successorEntities'));
  const all = successors.length > 0 ? successors : [at(attrs, 'entity.successorEntity')];
  all.forEach((s, i) => {
    const label = successors.length > 0 ? `attributes.entity.successorEntities[${i}]` : 'attributes.entity.successorEntity';
    c.put(`Entity.SuccessorEntity.${i + 1}.SuccessorLEI`, 'lei', s, `${label}.lei`);
    c.put(`Entity.SuccessorEntity.${i + 1}.SuccessorEntityName`, 'name', s, `${label}.name`);
  });
  c.put('Registration.RegistrationStatus', 'registration.status');
  c.put('Registration.InitialRegistrationDate', 'registration.initialRegistrationDate');
  c.put('Registration.LastUpdateDate', 'registration.lastUpdateDate');
  c.put('Registration.NextRenewalDate', 'registration.nextRenewalDate');
  c.put('Registration.ManagingLOU', 'registration.managingLou');
  c.put('Registration.ValidationSources', 'registration.corroborationLevel');
  c.put('ConformityFlag', 'conformityFlag');
  return c.out;
}

/** attributes of a `relationship-records` resource → RR-CDF golden-copy columns (mapRelationship). */
export function relationshipColumns(attrs: unknown): Record<string, string> {
  const c = new Columns(attrs);
  c.put('Relationship.StartNode.NodeID', 'relationship.startNode.id');
  c.put('Relationship.StartNode.NodeIDType', 'relationship.startNode.type');
  c.put('Relationship.EndNode.NodeID', 'relationship.endNode.id');
  c.put('Relationship.EndNode.NodeIDType', 'relationship.endNode.type');
  c.put('Relationship.RelationshipType', 'relationship.type');
  c.put('Relationship.RelationshipStatus', 'relationship.status');
  list('attributes.relationship.periods', at(attrs, 'relationship.periods')).forEach((p, i) => {
    const label = `attributes.relationship.periods[${i}]`;
    c.put(`Relationship.Period.${i + 1}.startDate`, 'startDate', p, `${label}.startDate`);
    c.put(`Relationship.Period.${i + 1}.endDate`, 'endDate', p, `${label}.endDate`);
    c.put(`Relationship.Period.${i + 1}.periodType`, 'type', p, `${label}.type`);
  });
  // Not seen in any saved response (no quantified relationship among them): both the short names and
  // the RR-CDF element names are read.
  list('attributes.relationship.qualifiers', at(attrs, 'relationship.qualifiers')).forEach((q, i) => {
    const label = `attributes.relationship.qualifiers[${i}]`;
    const n = i + 1;
    c.put(`Relationship.Qualifiers.${n}.QualifierDimension`, own(q, 'dimension') !== undefined ? 'dimension' : 'qualifierDimension', q, `${label}.dimension`);
    c.put(`Relationship.Qualifiers.${n}.QualifierCategory`, own(q, 'category') !== undefined ? 'category' : 'qualifierCategory', q, `${label}.category`);
  });
  list('attributes.relationship.quantifiers', at(attrs, 'relationship.quantifiers')).forEach((q, i) => {
    const label = `attributes.relationship.quantifiers[${i}]`;
    const n = i + 1;
    c.put(`Relationship.Quantifiers.${n}.MeasurementMethod`, 'measurementMethod', q, `${label}.measurementMethod`);
    c.put(`Relationship.Quantifiers.${n}.QuantifierAmount`, own(q, 'amount') !== undefined ? 'amount' : 'quantifierAmount', q, `${label}.amount`);
    c.put(`Relationship.Quantifiers.${n}.QuantifierUnits`, own(q, 'units') !== undefined ? 'units' : 'quantifierUnits', q, `${label}.units`);
  });
  c.put('Registration.RegistrationStatus', 'registration.status');
  c.put('Registration.LastUpdateDate', 'registration.lastUpdateDate');
  c.put('Registration.ManagingLOU', 'registration.managingLou');
  c.put('Registration.ValidationSources', 'registration.corroborationLevel');
  c.put('Registration.ValidationDocuments', 'registration.corroborationDocuments');
  c.put('Registration.ValidationReference', 'registration.corroborationReference');
  // the API keeps a deleted relationship with its deletion time; the golden-copy delta marks it deleted
  if (text('attributes.extension.deletedAt', at(attrs, 'extension.deletedAt')) !== undefined) c.out['Extension.Deletion'] = 'true';
  return c.out;
}

/** attributes of a `reporting-exceptions` resource → reporting-exception golden-copy columns (mapException). */
export function exceptionColumns(attrs: unknown): Record<string, string> {
  const c = new Columns(attrs);
  c.put('LEI', 'lei');
  c.put('ExceptionCategory', 'category');
  for (const [key, column] of [['reason', 'ExceptionReason'], ['reference', 'ExceptionReference']] as const) {
    const v = own(attrs, key);
    // one value in the responses seen; an array is read as the repeated golden-copy column
    const values = Array.isArray(v) ? v : [v];
    values.forEach((x, i) => {
      const s = text(`attributes.${key}${Array.isArray(v) ? `[${i}]` : ''}`, x);
      if (s !== undefined) c.out[`${column}.${i + 1}`] = s;
    });
  }
  return c.out;
}

/** The API requests whose response names only one side of a relationship. */
export type ApiRelation = 'direct-parent' | 'ultimate-parent' | 'direct-children' | 'ultimate-children';

/** What a response is about, from its request URL: `lei-records/LEI/RELATION`. */
export interface ApiRequest {
  lei: string;
  /** The last path segment (`direct-parent`, `direct-child-relationships`, ...), or null for `lei-records/LEI`. */
  endpoint: string | null;
  /** Set when the endpoint returns lei-records of one side only (the other side is `lei`). */
  relation: ApiRelation | null;
}

const REQUEST = /(?:^|\/)lei-records\/([^/?#]+)(?:\/([a-z-]+))?\/?(?:[?#]|$)/;
const RELATIONS = new Set<string>(['direct-parent', 'ultimate-parent', 'direct-children', 'ultimate-children']);

/** Reads `https://api.gleif.org/api/v1/lei-records/LEI/direct-parent` (or just its path); null when it is not one. */
export function parseApiRequest(url: string): ApiRequest | null {
  // only the path names the request (a query string may quote any URL)
  let s = url.trim().replace(/[?#].*$/s, '');
  try {
    s = decodeURIComponent(s);
  } catch {
    /* keep as written */
  }
  const m = REQUEST.exec(s);
  if (!m || !LEI_PATTERN.test(m[1]!.toUpperCase())) return null;
  const endpoint = m[2] ?? null;
  return { lei: m[1]!.toUpperCase(), endpoint, relation: endpoint !== null && RELATIONS.has(endpoint) ? (endpoint as ApiRelation) : null };
}

/**
 * Golden-copy RR columns for the relationship a parent or children response implies: StartNode = the
 * child, EndNode = the parent; no status, periods or registration (the response does not carry them).
 */
export function impliedRelationshipColumns(relation: ApiRelation, subject: string, recordLei: string): Record<string, string> {
  const parentSide = relation === 'direct-parent' || relation === 'ultimate-parent';
  const child = parentSide ? subject : recordLei;
  const parent = parentSide ? recordLei : subject;
  const out = Object.create(null) as Record<string, string>;
  out['Relationship.StartNode.NodeID'] = child;
  out['Relationship.StartNode.NodeIDType'] = 'LEI';
  out['Relationship.EndNode.NodeID'] = parent;
  out['Relationship.EndNode.NodeIDType'] = 'LEI';
  out['Relationship.RelationshipType'] = relation.startsWith('direct') ? 'IS_DIRECTLY_CONSOLIDATED_BY' : 'IS_ULTIMATELY_CONSOLIDATED_BY';
  return out;
}

/** The text of a saved JSON:API error document (`{"errors": [{"status": "404", "title": ..., "detail": ...}]}`). */
export function apiErrorText(errors: unknown): string {
  const parts: string[] = [];
  for (const e of Array.isArray(errors) ? errors.slice(0, 3) : [errors]) {
    const bits = ['status', 'title', 'detail'].map((k) => own(e, k)).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    parts.push(bits.map(String).join(' ').slice(0, 300));
  }
  return parts.filter((p) => p !== '').join('; ') || 'no detail given';
}
