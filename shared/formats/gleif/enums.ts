// GLEIF code lists (LEI-CDF 3.1 incl. CDF 2.1 legacy values, RR-CDF 2.1, Reporting Exceptions 2.1).
// An unknown value in a field the ownership decision depends on is an import error, not a guess.

export const ENTITY_CATEGORIES = new Set([
  'GENERAL', 'BRANCH', 'FUND', 'SOLE_PROPRIETOR', 'RESIDENT_GOVERNMENT_ENTITY', 'INTERNATIONAL_ORGANIZATION',
]);
export const ENTITY_SUB_CATEGORIES = new Set(['CENTRAL_GOVERNMENT', 'STATE_GOVERNMENT', 'LOCAL_GOVERNMENT', 'SOCIAL_SECURITY']);
export const ENTITY_STATUSES = new Set(['ACTIVE', 'INACTIVE', 'NULL']);
export const LEI_REGISTRATION_STATUSES = new Set([
  'PENDING_VALIDATION', 'ISSUED', 'DUPLICATE', 'LAPSED', 'MERGED', 'RETIRED', 'ANNULLED', 'CANCELLED',
  'TRANSFERRED', 'PENDING_TRANSFER', 'PENDING_ARCHIVAL',
]);

export const RELATIONSHIP_TYPES = new Set([
  'IS_DIRECTLY_CONSOLIDATED_BY', 'IS_ULTIMATELY_CONSOLIDATED_BY', 'IS_INTERNATIONAL_BRANCH_OF',
  'IS_FUND-MANAGED_BY', 'IS_SUBFUND_OF', 'IS_FEEDER_TO',
]);
export const RELATIONSHIP_STATUSES = new Set(['ACTIVE', 'INACTIVE', 'NULL']);
export const NODE_ID_TYPES = new Set(['LEI', 'ISO_17442_COMPATIBLE']);
export const PERIOD_TYPES = new Set(['RELATIONSHIP_PERIOD', 'ACCOUNTING_PERIOD', 'DOCUMENT_FILING_PERIOD']);
export const RR_REGISTRATION_STATUSES = new Set([
  'PENDING_VALIDATION', 'PUBLISHED', 'DUPLICATE', 'LAPSED', 'RETIRED', 'ANNULLED', 'TRANSFERRED',
  'PENDING_TRANSFER', 'PENDING_ARCHIVAL',
]);
export const QUALIFIER_DIMENSIONS = new Set(['ACCOUNTING_STANDARD']);
export const QUALIFIER_CATEGORIES = new Set(['US_GAAP', 'IFRS', 'OTHER_ACCOUNTING_STANDARD', 'GOVERNMENT_ACCOUNTING_STANDARD']);
export const MEASUREMENT_METHODS = new Set(['ACCOUNTING_CONSOLIDATION']);
export const QUANTIFIER_UNITS = new Set(['PERCENTAGE']);

export const EXCEPTION_CATEGORIES = new Set(['DIRECT_ACCOUNTING_CONSOLIDATION_PARENT', 'ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT']);
/** "No parent by the definition": not a gap in the ownership picture. */
export const NO_PARENT_REASONS = new Set(['NATURAL_PERSONS', 'NO_KNOWN_PERSON', 'NON_CONSOLIDATING']);
/** A parent exists but its identity is withheld: a gap, and a red flag for due diligence. */
export const WITHHELD_REASONS = new Set([
  'NON_PUBLIC', 'LEGAL_OBSTACLES', 'CONSENT_NOT_OBTAINED', 'DETRIMENT_NOT_EXCLUDED', 'DISCLOSURE_DETRIMENTAL',
  'BINDING_LEGAL_COMMITMENTS',
]);
/** A parent exists but has no LEI: a gap without implied concealment. */
export const UNKNOWN_PARENT_REASONS = new Set(['NO_LEI']);
export const EXCEPTION_REASONS = new Set([...NO_PARENT_REASONS, ...WITHHELD_REASONS, ...UNKNOWN_PARENT_REASONS]);

/** Registration statuses after which a record no longer describes a live fact. */
export const DEAD_REGISTRATION = new Set(['RETIRED', 'ANNULLED', 'DUPLICATE']);
/** Registration statuses under which GLEIF publishes LEIs that fail MOD 97-10 (accepted, see docs). */
export const CHECKSUM_EXEMPT_REGISTRATION = new Set(['ANNULLED', 'DUPLICATE']);

/** Throws a GleifDataError when `value` is present and not in `allowed`. */
export function checkEnum(field: string, value: string | undefined, allowed: Set<string>): void {
  if (value !== undefined && !allowed.has(value)) {
    throw new GleifDataError(`unknown ${field} "${value}" (expected one of ${[...allowed].join(', ')})`);
  }
}

/** A problem with one record's content; the parser turns it into an ImportError with the record's location. */
export class GleifDataError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'GleifDataError';
  }
}
