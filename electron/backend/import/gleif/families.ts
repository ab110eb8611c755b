// The three GLEIF record families and how their XML/JSON element paths flatten to golden-copy CSV
// column names, so that one pure mapper per family (shared/formats/gleif/map.ts) serves every rendering.
import type { Fact } from '../../../../shared/formats/facts';
import { mapException, mapLevel1, mapRelationship, type Get } from '../../../../shared/formats/gleif/map';

export interface Family {
  name: 'level1' | 'rr' | 'repex';
  label: string;
  namespace: string;
  root: string;
  header: string;
  record: string;
  /** Flattened keys of elements that repeat (numbered .1, .2, … like the CSV). */
  repeatable: Set<string>;
  /** Element subtrees the mapper never reads (skipped for speed). */
  skip: Set<string>;
  /** Renames an element's path segment (XML/JSON → CSV); '' collapses the element. */
  segment(local: string, parentLocal: string): string;
  /** Normalizes a CSV header to the canonical column name. */
  column(header: string): string;
  /** Columns a CSV file of this family must have. */
  required: string[];
  map(get: Get, recordRef: string): Fact;
}

const same = (local: string) => local;
const identity = (h: string) => h;

export const LEVEL1: Family = {
  name: 'level1',
  label: 'Level 1 (LEI-CDF)',
  namespace: 'http://www.gleif.org/data/schema/leidata/2016',
  root: 'LEIData',
  header: 'LEIHeader',
  record: 'LEIRecord',
  repeatable: new Set([
    'Entity.OtherEntityNames.OtherEntityName',
    'Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName',
    'Entity.LegalAddress.AdditionalAddressLine',
    'Entity.HeadquartersAddress.AdditionalAddressLine',
    'Entity.SuccessorEntity',
  ]),
  skip: new Set([
    'Geocoding', 'OtherAddresses', 'TransliteratedOtherAddresses', 'LegalEntityEvents', 'ValidationAuthority',
    'OtherValidationAuthorities', 'AssociatedEntity',
  ]),
  segment: same,
  column: identity,
  required: ['LEI', 'Entity.LegalName', 'Entity.LegalAddress.Country', 'Entity.LegalJurisdiction', 'Registration.RegistrationStatus'],
  map: mapLevel1,
};

const RR_SEGMENTS: Record<string, string> = {
  RelationshipPeriods: '',
  RelationshipQualifiers: '',
  RelationshipQuantifiers: '',
  RelationshipPeriod: 'Period',
  RelationshipQualifier: 'Qualifiers',
  RelationshipQuantifier: 'Quantifiers',
};
const PERIOD_FIELDS: Record<string, string> = { StartDate: 'startDate', EndDate: 'endDate', PeriodType: 'periodType' };
const PERIOD_COLUMN = /^(Relationship\.Period\.\d+\.)(StartDate|EndDate|PeriodType)$/;

export const RR: Family = {
  name: 'rr',
  label: 'Level 2 relationship (RR-CDF)',
  namespace: 'http://www.gleif.org/data/schema/rr/2016',
  root: 'RelationshipData',
  header: 'Header',
  record: 'RelationshipRecord',
  repeatable: new Set(['Relationship.Period', 'Relationship.Qualifiers', 'Relationship.Quantifiers']),
  skip: new Set(),
  segment(local, parent) {
    if (parent === 'RelationshipPeriod') return PERIOD_FIELDS[local] ?? local;
    return RR_SEGMENTS[local] ?? local;
  },
  column(h) {
    const m = PERIOD_COLUMN.exec(h);
    return m ? m[1]! + PERIOD_FIELDS[m[2]!]! : h;
  },
  required: [
    'Relationship.StartNode.NodeID', 'Relationship.EndNode.NodeID', 'Relationship.RelationshipType',
    'Relationship.RelationshipStatus', 'Registration.RegistrationStatus',
  ],
  map: mapRelationship,
};

const REPEX_COLUMN = /^Exception\.(Category|Reason|Reference)(\.\d+)?$/;

export const REPEX: Family = {
  name: 'repex',
  label: 'Level 2 reporting exception',
  namespace: 'http://www.gleif.org/data/schema/repex/2016',
  root: 'ReportingExceptionData',
  header: 'Header',
  record: 'Exception',
  repeatable: new Set(['ExceptionReason', 'ExceptionReference']),
  skip: new Set(),
  segment: same,
  column(h) {
    // Accept both `ExceptionReason.1` and the dotted `Exception.Reason.1` reported by some importers.
    const m = REPEX_COLUMN.exec(h);
    return m ? `Exception${m[1]}${m[2] ?? ''}` : h;
  },
  required: ['LEI', 'ExceptionCategory', 'ExceptionReason.1'],
  map: mapException,
};

/** Golden-copy file names start with the publication time: `20240505-0000-gleif-goldencopy-…`. */
const GC_NAME = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})-gleif-goldencopy/;
export function dataDateFromFileName(fileName: string): string | null {
  const m = GC_NAME.exec(fileName);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z` : null;
}

/** Fact batches handed to the runner: large enough to amortize the generator hop, small enough to stay flat. */
export const BATCH = 1000;
