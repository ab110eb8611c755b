// Generates GLEIF-format files of a given size with realistic structure: Level 1 (XML, CSV), RR
// relationships (XML, CSV) and reporting exceptions (XML, CSV). Streaming output (constant memory),
// deterministic, LEIs with correct check digits.
//   node --import tsx test/bench/gleif-generate.ts --entities 100000 --out DIR
// Structure: groups laid out over consecutive LEIs — deep chains (up to 40 levels), wide groups (one
// parent, hundreds of children), trees, cycles of direct links; branches of foreign head offices,
// funds with managers/umbrellas/master funds; ~5% CN (incl. CN-ZJ/CN-BJ sub-national jurisdictions),
// RU, HK, IR entities; quantifiers incl. ambiguous 1.00; INACTIVE/ended/RETIRED relationships; and
// reporting exceptions of every reason for entities without a parent.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeLei } from '../../shared/formats/gleif/lei';

// ---------------------------------------------------------------- record specs and renderers

export interface Address {
  line: string;
  city: string;
  region?: string;
  country: string;
  postal?: string;
}

export interface L1Spec {
  lei: string;
  name: string;
  lang?: string;
  otherNames?: { name: string; type: string; lang?: string }[];
  transliterated?: { name: string; type: string; lang?: string }[];
  legal: Address;
  hq: Address;
  raId?: string;
  raEntityId?: string;
  jurisdiction: string;
  category?: string;
  subCategory?: string;
  legalForm?: string;
  status: string;
  creationDate?: string;
  successor?: string;
  regStatus: string;
  initial: string;
  lastUpdate: string;
  nextRenewal: string;
  lou: string;
  deleted?: boolean;
}

export interface Period {
  start?: string;
  end?: string;
  type: string;
}

export interface RRSpec {
  start: string;
  end: string;
  type: string;
  periods: Period[];
  status: string;
  qualifier?: string;
  quantifier?: string;
  regStatus: string;
  initial: string;
  lastUpdate: string;
  nextRenewal: string;
  lou: string;
  validationSources: string;
  deleted?: boolean;
}

export interface RepexSpec {
  lei: string;
  category: string;
  reasons: string[];
  references?: string[];
  deleted?: boolean;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
const el = (ind: string, name: string, v: string | undefined): string => (v === undefined ? '' : `${ind}<${name}>${esc(v)}</${name}>\n`);

function addressXml(tag: string, a: Address, lang: string): string {
  return (
    `      <lei:${tag} xml:lang="${lang}">\n` +
    el('         ', 'lei:FirstAddressLine', a.line) +
    el('         ', 'lei:City', a.city) +
    el('         ', 'lei:Region', a.region) +
    el('         ', 'lei:Country', a.country) +
    el('         ', 'lei:PostalCode', a.postal) +
    `      </lei:${tag}>\n`
  );
}

export const L1_XML_HEAD = (date: string, count: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><lei:LEIData xmlns:lei="http://www.gleif.org/data/schema/leidata/2016" xmlns:gleif="http://www.gleif.org/data/schema/golden-copy/extensions/1.0">\n` +
  `  <lei:LEIHeader>\n    <lei:ContentDate>${date}</lei:ContentDate>\n    <lei:FileContent>GLEIF_FULL_PUBLISHED</lei:FileContent>\n    <lei:RecordCount>${count}</lei:RecordCount>\n  </lei:LEIHeader>\n  <lei:LEIRecords>\n`;
export const L1_XML_TAIL = '  </lei:LEIRecords>\n</lei:LEIData>\n';

export function l1Xml(s: L1Spec): string {
  const lang = s.lang ?? 'en';
  let x = `<lei:LEIRecord>\n   <lei:LEI>${s.lei}</lei:LEI>\n   <lei:Entity>\n      <lei:LegalName xml:lang="${lang}">${esc(s.name)}</lei:LegalName>\n`;
  if (s.otherNames?.length) {
    x += '      <lei:OtherEntityNames>\n';
    for (const n of s.otherNames) x += `         <lei:OtherEntityName xml:lang="${n.lang ?? lang}" type="${n.type}">${esc(n.name)}</lei:OtherEntityName>\n`;
    x += '      </lei:OtherEntityNames>\n';
  }
  if (s.transliterated?.length) {
    x += '      <lei:TransliteratedOtherEntityNames>\n';
    for (const n of s.transliterated) {
      x += `         <lei:TransliteratedOtherEntityName xml:lang="${n.lang ?? 'en'}" type="${n.type}">${esc(n.name)}</lei:TransliteratedOtherEntityName>\n`;
    }
    x += '      </lei:TransliteratedOtherEntityNames>\n';
  }
  x += addressXml('LegalAddress', s.legal, lang) + addressXml('HeadquartersAddress', s.hq, lang);
  if (s.raId) {
    x += '      <lei:RegistrationAuthority>\n' + el('         ', 'lei:RegistrationAuthorityID', s.raId) +
      el('         ', 'lei:RegistrationAuthorityEntityID', s.raEntityId) + '      </lei:RegistrationAuthority>\n';
  }
  x += el('      ', 'lei:LegalJurisdiction', s.jurisdiction) + el('      ', 'lei:EntityCategory', s.category) +
    el('      ', 'lei:EntitySubCategory', s.subCategory);
  if (s.legalForm) x += `      <lei:LegalForm>\n         <lei:EntityLegalFormCode>${s.legalForm}</lei:EntityLegalFormCode>\n      </lei:LegalForm>\n`;
  x += el('      ', 'lei:EntityStatus', s.status) + el('      ', 'lei:EntityCreationDate', s.creationDate);
  if (s.successor) x += `      <lei:SuccessorEntity>\n         <lei:SuccessorLEI>${s.successor}</lei:SuccessorLEI>\n      </lei:SuccessorEntity>\n`;
  x += '   </lei:Entity>\n   <lei:Registration>\n' + el('      ', 'lei:InitialRegistrationDate', s.initial) +
    el('      ', 'lei:LastUpdateDate', s.lastUpdate) + el('      ', 'lei:RegistrationStatus', s.regStatus) +
    el('      ', 'lei:NextRenewalDate', s.nextRenewal) + el('      ', 'lei:ManagingLOU', s.lou) +
    el('      ', 'lei:ValidationSources', 'FULLY_CORROBORATED') + '   </lei:Registration>\n';
  x += '   <lei:Extension>\n      <gleif:conformity>\n         <gleif:conformityflag>CONFORMING</gleif:conformityflag>\n      </gleif:conformity>\n';
  if (s.deleted) x += '      <gleif:Deletion>true</gleif:Deletion>\n';
  x += '   </lei:Extension>\n</lei:LEIRecord>\n';
  return x;
}

const ADDRESS_COLS = ['FirstAddressLine', 'AdditionalAddressLine.1', 'City', 'Region', 'Country', 'PostalCode'];
export const L1_CSV_COLUMNS = [
  'LEI', 'Entity.LegalName', 'Entity.LegalName.xmllang',
  ...[1, 2, 3].flatMap((n) => [`Entity.OtherEntityNames.OtherEntityName.${n}`, `Entity.OtherEntityNames.OtherEntityName.${n}.xmllang`, `Entity.OtherEntityNames.OtherEntityName.${n}.type`]),
  ...[1, 2].flatMap((n) => [
    `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${n}`,
    `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${n}.xmllang`,
    `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${n}.type`,
  ]),
  'Entity.LegalAddress.xmllang', ...ADDRESS_COLS.map((c) => `Entity.LegalAddress.${c}`),
  'Entity.HeadquartersAddress.xmllang', ...ADDRESS_COLS.map((c) => `Entity.HeadquartersAddress.${c}`),
  'Entity.RegistrationAuthority.RegistrationAuthorityID', 'Entity.RegistrationAuthority.OtherRegistrationAuthorityID',
  'Entity.RegistrationAuthority.RegistrationAuthorityEntityID', 'Entity.LegalJurisdiction', 'Entity.EntityCategory',
  'Entity.EntitySubCategory', 'Entity.LegalForm.EntityLegalFormCode', 'Entity.LegalForm.OtherLegalForm', 'Entity.EntityStatus',
  'Entity.EntityCreationDate', 'Entity.SuccessorEntity.1.SuccessorLEI', 'Entity.SuccessorEntity.1.SuccessorEntityName',
  'Registration.InitialRegistrationDate', 'Registration.LastUpdateDate', 'Registration.RegistrationStatus',
  'Registration.NextRenewalDate', 'Registration.ManagingLOU', 'Registration.ValidationSources', 'ConformityFlag',
];

const q = (v: string | undefined): string => (v === undefined ? '""' : `"${v.replace(/"/g, '""')}"`);

export function csvLine(columns: string[], row: Record<string, string | undefined>): string {
  let s = '';
  for (let i = 0; i < columns.length; i++) s += (i ? ',' : '') + q(row[columns[i]!]);
  return s + '\r\n';
}

export function l1Row(s: L1Spec): Record<string, string | undefined> {
  const lang = s.lang ?? 'en';
  const r: Record<string, string | undefined> = {
    LEI: s.lei, 'Entity.LegalName': s.name, 'Entity.LegalName.xmllang': lang,
    'Entity.LegalAddress.xmllang': lang, 'Entity.HeadquartersAddress.xmllang': lang,
    'Entity.RegistrationAuthority.RegistrationAuthorityID': s.raId,
    'Entity.RegistrationAuthority.RegistrationAuthorityEntityID': s.raEntityId, 'Entity.LegalJurisdiction': s.jurisdiction,
    'Entity.EntityCategory': s.category, 'Entity.EntitySubCategory': s.subCategory, 'Entity.LegalForm.EntityLegalFormCode': s.legalForm,
    'Entity.EntityStatus': s.status, 'Entity.EntityCreationDate': s.creationDate, 'Entity.SuccessorEntity.1.SuccessorLEI': s.successor,
    'Registration.InitialRegistrationDate': s.initial, 'Registration.LastUpdateDate': s.lastUpdate,
    'Registration.RegistrationStatus': s.regStatus, 'Registration.NextRenewalDate': s.nextRenewal, 'Registration.ManagingLOU': s.lou,
    'Registration.ValidationSources': 'FULLY_CORROBORATED', ConformityFlag: 'CONFORMING',
  };
  s.otherNames?.forEach((n, i) => {
    const k = `Entity.OtherEntityNames.OtherEntityName.${i + 1}`;
    r[k] = n.name;
    r[`${k}.xmllang`] = n.lang ?? lang;
    r[`${k}.type`] = n.type;
  });
  s.transliterated?.forEach((n, i) => {
    const k = `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${i + 1}`;
    r[k] = n.name;
    r[`${k}.xmllang`] = n.lang ?? 'en';
    r[`${k}.type`] = n.type;
  });
  for (const [p, a] of [['Entity.LegalAddress', s.legal], ['Entity.HeadquartersAddress', s.hq]] as const) {
    r[`${p}.FirstAddressLine`] = a.line;
    r[`${p}.City`] = a.city;
    r[`${p}.Region`] = a.region;
    r[`${p}.Country`] = a.country;
    r[`${p}.PostalCode`] = a.postal;
  }
  return r;
}

export const RR_XML_HEAD = (date: string, count: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><rr:RelationshipData xmlns:rr="http://www.gleif.org/data/schema/rr/2016" xmlns:gleif="http://www.gleif.org/data/schema/golden-copy/extensions/1.0">\n` +
  `  <rr:Header>\n    <rr:ContentDate>${date}</rr:ContentDate>\n    <rr:FileContent>GLEIF_FULL_PUBLISHED</rr:FileContent>\n    <rr:RecordCount>${count}</rr:RecordCount>\n  </rr:Header>\n  <rr:RelationshipRecords>\n`;
export const RR_XML_TAIL = '  </rr:RelationshipRecords>\n</rr:RelationshipData>\n';

export function rrXml(s: RRSpec): string {
  let x = `<rr:RelationshipRecord>\n   <rr:Relationship>\n      <rr:StartNode>\n         <rr:NodeID>${s.start}</rr:NodeID>\n         <rr:NodeIDType>LEI</rr:NodeIDType>\n      </rr:StartNode>\n` +
    `      <rr:EndNode>\n         <rr:NodeID>${s.end}</rr:NodeID>\n         <rr:NodeIDType>LEI</rr:NodeIDType>\n      </rr:EndNode>\n` +
    `      <rr:RelationshipType>${s.type}</rr:RelationshipType>\n`;
  if (s.periods.length) {
    x += '      <rr:RelationshipPeriods>\n';
    for (const p of s.periods) {
      x += '         <rr:RelationshipPeriod>\n' + el('            ', 'rr:StartDate', p.start) + el('            ', 'rr:EndDate', p.end) +
        el('            ', 'rr:PeriodType', p.type) + '         </rr:RelationshipPeriod>\n';
    }
    x += '      </rr:RelationshipPeriods>\n';
  }
  x += `      <rr:RelationshipStatus>${s.status}</rr:RelationshipStatus>\n`;
  if (s.qualifier) {
    x += `      <rr:RelationshipQualifiers>\n         <rr:RelationshipQualifier>\n            <rr:QualifierDimension>ACCOUNTING_STANDARD</rr:QualifierDimension>\n            <rr:QualifierCategory>${s.qualifier}</rr:QualifierCategory>\n         </rr:RelationshipQualifier>\n      </rr:RelationshipQualifiers>\n`;
  }
  if (s.quantifier) {
    x += `      <rr:RelationshipQuantifiers>\n         <rr:RelationshipQuantifier>\n            <rr:MeasurementMethod>ACCOUNTING_CONSOLIDATION</rr:MeasurementMethod>\n            <rr:QuantifierAmount>${s.quantifier}</rr:QuantifierAmount>\n            <rr:QuantifierUnits>PERCENTAGE</rr:QuantifierUnits>\n         </rr:RelationshipQuantifier>\n      </rr:RelationshipQuantifiers>\n`;
  }
  x += '   </rr:Relationship>\n   <rr:Registration>\n' + el('      ', 'rr:InitialRegistrationDate', s.initial) +
    el('      ', 'rr:LastUpdateDate', s.lastUpdate) + el('      ', 'rr:RegistrationStatus', s.regStatus) +
    el('      ', 'rr:NextRenewalDate', s.nextRenewal) + el('      ', 'rr:ManagingLOU', s.lou) +
    el('      ', 'rr:ValidationSources', s.validationSources) + el('      ', 'rr:ValidationDocuments', 'ACCOUNTS_FILING') + '   </rr:Registration>\n';
  if (s.deleted) x += '   <rr:Extension>\n      <gleif:Deletion>true</gleif:Deletion>\n   </rr:Extension>\n';
  return x + '</rr:RelationshipRecord>\n';
}

export const RR_CSV_COLUMNS = [
  'Relationship.StartNode.NodeID', 'Relationship.StartNode.NodeIDType', 'Relationship.EndNode.NodeID', 'Relationship.EndNode.NodeIDType',
  'Relationship.RelationshipType',
  ...[1, 2, 3, 4, 5].flatMap((n) => [`Relationship.Period.${n}.startDate`, `Relationship.Period.${n}.endDate`, `Relationship.Period.${n}.periodType`]),
  'Relationship.RelationshipStatus',
  ...[1, 2, 3, 4, 5].flatMap((n) => [`Relationship.Qualifiers.${n}.QualifierDimension`, `Relationship.Qualifiers.${n}.QualifierCategory`]),
  ...[1, 2, 3, 4, 5].flatMap((n) => [
    `Relationship.Quantifiers.${n}.MeasurementMethod`, `Relationship.Quantifiers.${n}.QuantifierAmount`, `Relationship.Quantifiers.${n}.QuantifierUnits`,
  ]),
  'Registration.InitialRegistrationDate', 'Registration.LastUpdateDate', 'Registration.RegistrationStatus',
  'Registration.NextRenewalDate', 'Registration.ManagingLOU', 'Registration.ValidationSources', 'Registration.ValidationDocuments',
  'Registration.ValidationReference', 'Extension.Deletion',
];

export function rrRow(s: RRSpec): Record<string, string | undefined> {
  const r: Record<string, string | undefined> = {
    'Relationship.StartNode.NodeID': s.start, 'Relationship.StartNode.NodeIDType': 'LEI', 'Relationship.EndNode.NodeID': s.end,
    'Relationship.EndNode.NodeIDType': 'LEI', 'Relationship.RelationshipType': s.type, 'Relationship.RelationshipStatus': s.status,
    'Registration.InitialRegistrationDate': s.initial, 'Registration.LastUpdateDate': s.lastUpdate, 'Registration.RegistrationStatus': s.regStatus,
    'Registration.NextRenewalDate': s.nextRenewal, 'Registration.ManagingLOU': s.lou, 'Registration.ValidationSources': s.validationSources,
    'Registration.ValidationDocuments': 'ACCOUNTS_FILING', 'Extension.Deletion': s.deleted ? 'true' : undefined,
  };
  s.periods.forEach((p, i) => {
    r[`Relationship.Period.${i + 1}.startDate`] = p.start;
    r[`Relationship.Period.${i + 1}.endDate`] = p.end;
    r[`Relationship.Period.${i + 1}.periodType`] = p.type;
  });
  if (s.qualifier) {
    r['Relationship.Qualifiers.1.QualifierDimension'] = 'ACCOUNTING_STANDARD';
    r['Relationship.Qualifiers.1.QualifierCategory'] = s.qualifier;
  }
  if (s.quantifier) {
    r['Relationship.Quantifiers.1.MeasurementMethod'] = 'ACCOUNTING_CONSOLIDATION';
    r['Relationship.Quantifiers.1.QuantifierAmount'] = s.quantifier;
    r['Relationship.Quantifiers.1.QuantifierUnits'] = 'PERCENTAGE';
  }
  return r;
}

export const REPEX_XML_HEAD = (date: string, count: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><repex:ReportingExceptionData xmlns:repex="http://www.gleif.org/data/schema/repex/2016" xmlns:gleif="http://www.gleif.org/data/schema/golden-copy/extensions/1.0">\n` +
  `  <repex:Header>\n    <repex:ContentDate>${date}</repex:ContentDate>\n    <repex:FileContent>GLEIF_FULL_PUBLISHED</repex:FileContent>\n    <repex:RecordCount>${count}</repex:RecordCount>\n  </repex:Header>\n  <repex:ReportingExceptions>\n`;
export const REPEX_XML_TAIL = '  </repex:ReportingExceptions>\n</repex:ReportingExceptionData>\n';

export function repexXml(s: RepexSpec): string {
  let x = `<repex:Exception>\n   <repex:LEI>${s.lei}</repex:LEI>\n   <repex:ExceptionCategory>${s.category}</repex:ExceptionCategory>\n`;
  for (const r of s.reasons) x += `   <repex:ExceptionReason>${r}</repex:ExceptionReason>\n`;
  for (const r of s.references ?? []) x += `   <repex:ExceptionReference>${esc(r)}</repex:ExceptionReference>\n`;
  if (s.deleted) x += '   <repex:Extension>\n      <gleif:Deletion>true</gleif:Deletion>\n   </repex:Extension>\n';
  return x + '</repex:Exception>\n';
}

export const REPEX_CSV_COLUMNS = [
  'LEI', 'ExceptionCategory', ...[1, 2, 3, 4, 5].map((n) => `ExceptionReason.${n}`), ...[1, 2, 3, 4, 5].map((n) => `ExceptionReference.${n}`),
  'Extension.Deletion',
];

export function repexRow(s: RepexSpec): Record<string, string | undefined> {
  const r: Record<string, string | undefined> = { LEI: s.lei, ExceptionCategory: s.category, 'Extension.Deletion': s.deleted ? 'true' : undefined };
  s.reasons.forEach((v, i) => (r[`ExceptionReason.${i + 1}`] = v));
  s.references?.forEach((v, i) => (r[`ExceptionReference.${i + 1}`] = v));
  return r;
}

// ---------------------------------------------------------------- synthetic population

/** Deterministic hash → [0, 1). */
export function rnd(i: number, salt: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

const LOU = '5299000J2N45DDNE4Y28';
export function genLei(i: number): string {
  return makeLei(('5299' + i.toString(36).toUpperCase().padStart(14, '0')).slice(-18).padStart(18, '0'));
}

interface Country {
  code: string;
  regions?: string[];
  weight: number;
  lang: string;
}
const COUNTRIES: Country[] = [
  { code: 'US', regions: ['US-DE', 'US-NY', 'US-CA'], weight: 30, lang: 'en' },
  { code: 'GB', weight: 15, lang: 'en' },
  { code: 'DE', weight: 12, lang: 'de' },
  { code: 'FR', weight: 10, lang: 'fr' },
  { code: 'NL', weight: 8, lang: 'nl' },
  { code: 'LU', weight: 6, lang: 'fr' },
  { code: 'KY', weight: 5, lang: 'en' },
  { code: 'CN', regions: ['CN-ZJ', 'CN-BJ', 'CN-SH', 'CN-GD'], weight: 5, lang: 'zh' },
  { code: 'HK', weight: 3, lang: 'zh' },
  { code: 'RU', weight: 3, lang: 'ru' },
  { code: 'IR', weight: 1, lang: 'fa' },
  { code: 'CY', weight: 2, lang: 'el' },
];
const TOTAL_WEIGHT = COUNTRIES.reduce((s, c) => s + c.weight, 0);
function pickCountry(x: number): Country {
  let t = x * TOTAL_WEIGHT;
  for (const c of COUNTRIES) {
    if ((t -= c.weight) < 0) return c;
  }
  return COUNTRIES[0]!;
}

type Shape = 'chain' | 'wide' | 'tree' | 'cycle' | 'single';
interface Group {
  start: number;
  size: number;
  shape: Shape;
}

/**
 * The mix of the population. `test` (the default): many groups, deep chains and wide ones, to
 * exercise the engine. `real`: GLEIF's own proportions (golden copy of 2024: 3.4M Level 1 records,
 * 0.5M relationships, 6.35M reporting exceptions): all but 3.5% of the groups are broken up into
 * unrelated entities, and every entity without a direct or ultimate parent states an exception for
 * it, as GLEIF requires of every LEI holder.
 */
export type Mix = 'test' | 'real';

export interface GenerateOptions {
  mix?: Mix;
  /**
   * 2: the next golden copy of version 1 — a later content date, and 1% of the records of each
   * file changed (a renamed entity, a relationship that ended, an exception with another reason);
   * every other record byte for byte the same.
   */
  version?: 1 | 2;
}

/** Whether record `i` (of a family told apart by `salt`) differs in version 2. */
export function changedInV2(i: number, salt: number): boolean {
  return rnd(i, 90 + salt) < 0.01;
}

/** Groups over consecutive entity indices, deterministic. */
function* groups(n: number, mix: Mix = 'test'): Generator<Group> {
  let i = 0;
  let g = 0;
  while (i < n) {
    const r = rnd(g, 1);
    let shape: Shape;
    let size: number;
    if (r < 0.55) [shape, size] = ['single', 1];
    else if (r < 0.75) [shape, size] = ['tree', 3 + Math.floor(rnd(g, 2) * 30)];
    else if (r < 0.88) [shape, size] = ['chain', 2 + Math.floor(rnd(g, 3) * 39)];
    else if (r < 0.97) [shape, size] = ['wide', 10 + Math.floor(rnd(g, 4) * 400)];
    else [shape, size] = ['cycle', 2 + Math.floor(rnd(g, 5) * 3)];
    size = Math.min(size, n - i);
    if (size === 1 || (mix === 'real' && rnd(g, 6) < 0.965)) shape = 'single';
    if (shape === 'single') {
      for (let k = 0; k < size; k++) yield { start: i + k, size: 1, shape };
      i += size;
      g++;
      continue;
    }
    yield { start: i, size, shape };
    i += size;
    g++;
  }
}

interface Member {
  i: number;
  direct: number | null;
  ultimate: number | null;
}

function directParent(gr: Group, i: number): number | null {
  const k = i - gr.start;
  switch (gr.shape) {
    case 'single':
      return null;
    case 'chain':
      return k === 0 ? null : i - 1;
    case 'wide':
      return k === 0 ? null : gr.start;
    case 'tree':
      return k === 0 ? null : gr.start + Math.floor((k - 1) / 3);
    case 'cycle':
      // every member's direct parent is the next one: a cycle with no root
      return gr.start + ((k + 1) % gr.size);
  }
}

function* members(n: number, mix: Mix = 'test'): Generator<Member> {
  for (const gr of groups(n, mix)) {
    for (let i = gr.start; i < gr.start + gr.size; i++) {
      const direct = directParent(gr, i);
      const ultimate = gr.shape === 'cycle' || direct === null ? null : gr.start;
      yield { i, direct, ultimate };
    }
  }
}

function category(i: number): string {
  const r = rnd(i, 10);
  if (r < 0.85) return 'GENERAL';
  if (r < 0.93) return 'FUND';
  if (r < 0.96) return 'SOLE_PROPRIETOR';
  if (r < 0.965) return 'BRANCH';
  if (r < 0.97) return 'RESIDENT_GOVERNMENT_ENTITY';
  return 'GENERAL';
}

const WORDS = ['Alpha', 'Nord', 'Sino', 'Global', 'Ural', 'Pearl', 'Atlas', 'Zhejiang', 'Delta', 'Meridian', 'Volga', 'Harbour', 'Caspian', 'Union'];
const SUFFIX: Record<string, string> = { US: 'LLC', GB: 'Limited', DE: 'GmbH', FR: 'SAS', NL: 'B.V.', LU: 'S.à r.l.', KY: 'Ltd.', CN: '有限公司', HK: 'Limited', RU: 'ООО', IR: 'Co.', CY: 'Ltd' };

export function entitySpec(i: number): L1Spec {
  const c = pickCountry(rnd(i, 20));
  const cat = category(i);
  const w1 = WORDS[Math.floor(rnd(i, 21) * WORDS.length)]!;
  const w2 = WORDS[Math.floor(rnd(i, 22) * WORDS.length)]!;
  const region = c.regions ? c.regions[Math.floor(rnd(i, 23) * c.regions.length)] : undefined;
  const reg = rnd(i, 24);
  const regStatus = reg < 0.6 ? 'ISSUED' : reg < 0.95 ? 'LAPSED' : reg < 0.98 ? 'RETIRED' : 'PENDING_TRANSFER';
  const name = c.code === 'RU' ? `ООО «${w1} ${w2} ${i}»` : `${w1} ${w2} ${cat === 'FUND' ? 'Fund ' : ''}${i} ${SUFFIX[c.code] ?? 'Ltd'}`;
  const s: L1Spec = {
    lei: genLei(i),
    name,
    lang: c.lang,
    legal: { line: `${1 + (i % 200)} Main Street`, city: 'City', region, country: c.code, postal: String(10000 + (i % 89999)) },
    hq: { line: `${1 + (i % 200)} Main Street`, city: 'City', region, country: rnd(i, 25) < 0.1 ? 'CN' : c.code },
    raId: c.code === 'GB' ? 'RA000585' : 'RA000' + String(100 + (i % 600)),
    raEntityId: c.code === 'GB' ? String(100000 + i) : `R${i}`,
    jurisdiction: c.code === 'CN' && region && rnd(i, 26) < 0.5 ? region : c.code === 'US' && region ? region : c.code,
    category: cat,
    subCategory: cat === 'RESIDENT_GOVERNMENT_ENTITY' ? 'CENTRAL_GOVERNMENT' : undefined,
    legalForm: '8888',
    status: regStatus === 'RETIRED' ? 'INACTIVE' : 'ACTIVE',
    creationDate: '2010-01-01T00:00:00Z',
    regStatus,
    initial: '2014-01-01T00:00:00Z',
    lastUpdate: '2024-01-01T00:00:00Z',
    nextRenewal: '2025-01-01T00:00:00Z',
    lou: LOU,
  };
  if (rnd(i, 27) < 0.1) s.otherNames = [{ name: `${w2} ${w1} ${i} (former)`, type: 'PREVIOUS_LEGAL_NAME' }];
  if (c.code === 'CN' || c.code === 'RU') s.transliterated = [{ name: `${w1} ${w2} ${i}`, type: 'AUTO_ASCII_TRANSLITERATED_LEGAL_NAME' }];
  if (regStatus === 'RETIRED' && i > 0) s.successor = genLei(i - 1);
  return s;
}

const PERIOD_START = '2015-01-01T00:00:00Z';

function relSpec(start: number, end: number, type: string, i: number): RRSpec {
  const r = rnd(i, 30 + type.length);
  const s: RRSpec = {
    start: genLei(start), end: genLei(end), type,
    periods: [{ start: PERIOD_START, type: 'RELATIONSHIP_PERIOD' }],
    status: 'ACTIVE', regStatus: r < 0.7 ? 'PUBLISHED' : 'LAPSED',
    initial: '2018-01-01T00:00:00Z', lastUpdate: '2024-01-01T00:00:00Z', nextRenewal: '2025-01-01T00:00:00Z', lou: LOU,
    validationSources: 'FULLY_CORROBORATED',
  };
  if (type.includes('CONSOLIDATED')) {
    s.qualifier = 'IFRS';
    s.periods.push({ start: '2023-01-01T00:00:00Z', end: '2023-12-31T00:00:00Z', type: 'ACCOUNTING_PERIOD' });
    const qr = rnd(i, 40);
    if (qr < 0.08) s.quantifier = '100.00';
    else if (qr < 0.1) s.quantifier = String(50 + Math.floor(rnd(i, 41) * 50)) + '.00';
    else if (qr < 0.11) s.quantifier = '1.00';
  }
  const er = rnd(i, 42);
  if (er < 0.03) {
    s.status = 'INACTIVE';
    s.periods[0]!.end = '2021-06-30T00:00:00Z';
  } else if (er < 0.04) s.regStatus = 'RETIRED';
  else if (er < 0.045) s.status = 'NULL';
  return s;
}

/** Every relationship record of entity i (as child). */
export function relationships(m: Member, n: number): RRSpec[] {
  const out: RRSpec[] = [];
  const cat = category(m.i);
  if (cat === 'BRANCH') {
    // head office: a GENERAL entity elsewhere (deterministic probe)
    let h = Math.floor(rnd(m.i, 50) * n);
    for (let k = 0; k < 20 && (h === m.i || category(h) !== 'GENERAL'); k++) h = (h + 7) % n;
    if (h !== m.i) out.push(relSpec(m.i, h, 'IS_INTERNATIONAL_BRANCH_OF', m.i));
    return out;
  }
  if (cat === 'FUND') {
    const mgr = Math.floor(rnd(m.i, 51) * n);
    if (mgr !== m.i) out.push(relSpec(m.i, mgr, 'IS_FUND-MANAGED_BY', m.i));
    if (m.direct !== null) out.push(relSpec(m.i, m.direct, rnd(m.i, 52) < 0.97 ? 'IS_SUBFUND_OF' : 'IS_FEEDER_TO', m.i));
    return out;
  }
  if (m.direct !== null) out.push(relSpec(m.i, m.direct, 'IS_DIRECTLY_CONSOLIDATED_BY', m.i));
  if (m.ultimate !== null && m.ultimate !== m.i) out.push(relSpec(m.i, m.ultimate, 'IS_ULTIMATELY_CONSOLIDATED_BY', m.i + 1));
  return out;
}

const NO_PARENT = ['NATURAL_PERSONS', 'NO_KNOWN_PERSON', 'NON_CONSOLIDATING'];
const WITHHELD = ['NON_PUBLIC', 'LEGAL_OBSTACLES', 'CONSENT_NOT_OBTAINED', 'DETRIMENT_NOT_EXCLUDED', 'DISCLOSURE_DETRIMENTAL', 'BINDING_LEGAL_COMMITMENTS'];

/** Reporting exceptions of entity i: for a missing direct and/or ultimate parent. */
export function exceptions(m: Member, mix: Mix = 'test'): RepexSpec[] {
  const cat = category(m.i);
  if (mix === 'test' && (cat === 'BRANCH' || cat === 'FUND')) return [];
  const out: RepexSpec[] = [];
  const reason = (salt: number): string[] => {
    const r = rnd(m.i, salt);
    if (r < 0.75) return [NO_PARENT[Math.floor(rnd(m.i, salt + 1) * 3)]!];
    if (r < 0.9) return [WITHHELD[Math.floor(rnd(m.i, salt + 1) * WITHHELD.length)]!];
    if (r < 0.97) return ['NO_LEI'];
    return ['LEGAL_OBSTACLES', 'CONSENT_NOT_OBTAINED'];
  };
  if (m.direct === null) {
    const reasons = reason(60);
    out.push({ lei: genLei(m.i), category: 'DIRECT_ACCOUNTING_CONSOLIDATION_PARENT', reasons, references: reasons[0] === 'NO_LEI' ? [`Parent holding ${m.i}`] : undefined });
  }
  if (m.ultimate === null) out.push({ lei: genLei(m.i), category: 'ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT', reasons: reason(70) });
  return out;
}

// ---------------------------------------------------------------- streaming writer

class Out {
  private readonly ws: WriteStream;
  private buf = '';
  constructor(file: string) {
    this.ws = createWriteStream(file);
  }
  async write(s: string): Promise<void> {
    this.buf += s;
    if (this.buf.length >= 1 << 16) {
      const b = this.buf;
      this.buf = '';
      if (!this.ws.write(b)) await new Promise<void>((r) => this.ws.once('drain', () => r()));
    }
  }
  async close(): Promise<void> {
    if (this.buf) this.ws.write(this.buf);
    await new Promise<void>((r, j) => this.ws.end((e?: Error | null) => (e ? j(e) : r())));
  }
}

export const GENERATED_FILES = {
  l1Xml: 'gleif-l1.xml', l1Csv: 'gleif-l1.csv', rrXml: 'gleif-rr.xml', rrCsv: 'gleif-rr.csv', repexXml: 'gleif-repex.xml', repexCsv: 'gleif-repex.csv',
} as const;

/** Version 2 of a record: 1% of them changed in a way the import stores (see GenerateOptions). */
function v2Entity(e: L1Spec, i: number): L1Spec {
  return changedInV2(i, 0) ? { ...e, name: `${e.name} (renamed)`, lastUpdate: '2024-06-02T00:00:00Z' } : e;
}
function v2Relationship(r: RRSpec, k: number): RRSpec {
  if (!changedInV2(k, 1)) return r;
  return { ...r, status: 'INACTIVE', periods: [{ ...r.periods[0]!, end: '2024-05-31T00:00:00Z' }, ...r.periods.slice(1)], lastUpdate: '2024-06-02T00:00:00Z' };
}
function v2Exception(x: RepexSpec, k: number): RepexSpec {
  if (!changedInV2(k, 2)) return x;
  return { ...x, reasons: [x.reasons[0] === 'NON_CONSOLIDATING' ? 'NATURAL_PERSONS' : 'NON_CONSOLIDATING'], references: undefined };
}

/** Writes the six files for n entities into dir; returns record counts per family. */
export async function generateGleif(
  n: number,
  dir: string,
  options: GenerateOptions = {},
): Promise<{ entities: number; relationships: number; exceptions: number; changed: number }> {
  mkdirSync(dir, { recursive: true });
  const mix = options.mix ?? 'test';
  const v2 = options.version === 2;
  const date = v2 ? '2024-06-02T08:00:00Z' : '2024-06-01T08:00:00Z';
  // Counts first (cheap, streaming) so headers carry the real RecordCount.
  let rrCount = 0;
  let exCount = 0;
  for (const m of members(n, mix)) {
    rrCount += relationships(m, n).length;
    exCount += exceptions(m, mix).length;
  }
  const f = (k: keyof typeof GENERATED_FILES) => new Out(path.join(dir, GENERATED_FILES[k]));
  const [l1x, l1c, rrx, rrc, exx, exc] = [f('l1Xml'), f('l1Csv'), f('rrXml'), f('rrCsv'), f('repexXml'), f('repexCsv')];
  await l1x.write(L1_XML_HEAD(date, n));
  await l1c.write(csvLine(L1_CSV_COLUMNS, Object.fromEntries(L1_CSV_COLUMNS.map((c) => [c, c]))));
  await rrx.write(RR_XML_HEAD(date, rrCount));
  await rrc.write(csvLine(RR_CSV_COLUMNS, Object.fromEntries(RR_CSV_COLUMNS.map((c) => [c, c]))));
  await exx.write(REPEX_XML_HEAD(date, exCount));
  await exc.write(csvLine(REPEX_CSV_COLUMNS, Object.fromEntries(REPEX_CSV_COLUMNS.map((c) => [c, c]))));
  let rk = 0;
  let xk = 0;
  let changed = 0;
  for (const m of members(n, mix)) {
    const base = entitySpec(m.i);
    const e = v2 ? v2Entity(base, m.i) : base;
    if (e !== base) changed++;
    await l1x.write(l1Xml(e));
    await l1c.write(csvLine(L1_CSV_COLUMNS, l1Row(e)));
    for (const r0 of relationships(m, n)) {
      const r = v2 ? v2Relationship(r0, rk) : r0;
      if (r !== r0) changed++;
      rk++;
      await rrx.write(rrXml(r));
      await rrc.write(csvLine(RR_CSV_COLUMNS, rrRow(r)));
    }
    for (const x0 of exceptions(m, mix)) {
      const x = v2 ? v2Exception(x0, xk) : x0;
      if (x !== x0) changed++;
      xk++;
      await exx.write(repexXml(x));
      await exc.write(csvLine(REPEX_CSV_COLUMNS, repexRow(x)));
    }
  }
  await l1x.write(L1_XML_TAIL);
  await rrx.write(RR_XML_TAIL);
  await exx.write(REPEX_XML_TAIL);
  await Promise.all([l1x, l1c, rrx, rrc, exx, exc].map((o) => o.close()));
  return { entities: n, relationships: rrCount, exceptions: exCount, changed };
}

/** Record counts of a population without writing it. */
export function countGleif(n: number, mix: Mix = 'test'): { entities: number; relationships: number; exceptions: number } {
  let relationshipsN = 0;
  let exceptionsN = 0;
  for (const m of members(n, mix)) {
    relationshipsN += relationships(m, n).length;
    exceptionsN += exceptions(m, mix).length;
  }
  return { entities: n, relationships: relationshipsN, exceptions: exceptionsN };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(arg('entities') ?? '10000');
  const out = arg('out');
  const mix = (arg('mix') ?? 'test') as Mix;
  const version = Number(arg('version') ?? '1');
  if (!out || !Number.isInteger(n) || n < 1 || (mix !== 'test' && mix !== 'real') || (version !== 1 && version !== 2)) {
    console.error('usage: node --import tsx test/bench/gleif-generate.ts --entities N --out DIR [--mix test|real] [--version 1|2]');
    process.exit(2);
  }
  const t = Date.now();
  const c = await generateGleif(n, out, { mix, version: version as 1 | 2 });
  console.log(
    `wrote ${c.entities} entities, ${c.relationships} relationships, ${c.exceptions} exceptions (${c.changed} changed from version 1) to ${out} in ${((Date.now() - t) / 1000).toFixed(1)}s`,
  );
}
