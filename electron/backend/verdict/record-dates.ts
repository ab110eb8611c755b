// How stored records read "as of a date" (docs/VERDICT.md §3, Dates): the SQL and mapping shared by
// the single-subject loader and the screening link reader.
import { LINK_STATUSES } from '../../../shared/domain/model';

/**
 * The date a source's data describes. A status-only "ended" is known by then; a file without a
 * data date of its own is known to say so at the latest when it was imported.
 */
export const SOURCE_DATA_DATE_SQL = 'COALESCE(data_date, substr(imported_at, 1, 10))';

/** A registration that was never valid (annulled, a duplicate): the record states nothing, on any date. */
const VOID_REGISTRATION: ReadonlySet<string> = new Set(['ANNULLED', 'DUPLICATE']);

const INACTIVE = LINK_STATUSES.indexOf('inactive');

/**
 * The status a link is read with: a RETIRED registration says the relationship is no longer
 * current (its own period dates still decide the dates it covers), a void one never counts.
 */
export function linkReading(status: string, registration: string | null): { status: 'active' | 'inactive' | 'unknown'; isVoid: boolean } {
  if (registration !== null && VOID_REGISTRATION.has(registration)) return { status: 'inactive', isVoid: true };
  if (registration === 'RETIRED') return { status: 'inactive', isVoid: false };
  return { status: status as 'active' | 'inactive' | 'unknown', isVoid: false };
}

/** The same for column readers: status code and whether the record is void. */
export function linkReadingCode(statusCode: number, registration: string | null): { status: number; isVoid: boolean } {
  if (registration !== null && VOID_REGISTRATION.has(registration)) return { status: INACTIVE, isVoid: true };
  if (registration === 'RETIRED') return { status: INACTIVE, isVoid: false };
  return { status: statusCode, isVoid: false };
}

/**
 * Entity columns for dates and nature, in this order: founded, dissolved, is a state, is a sole
 * proprietor. Founded: GLEIF EntityCreationDate, BODS foundingDate, FtM incorporationDate;
 * dissolved: BODS/FtM dissolutionDate. A state: BODS entityType `state` (or an investigator's /
 * CSV category STATE); a sole proprietor: GLEIF category SOLE_PROPRIETOR (or CSV category).
 */
export const ENTITY_NATURE_SQL = `COALESCE(json_extract(e.attributes, '$.creationDate'), json_extract(e.attributes, '$.foundingDate'),
      json_extract(e.attributes, '$.incorporationDate')),
    json_extract(e.attributes, '$.dissolutionDate'),
    (json_extract(e.attributes, '$.entityType') = 'state' OR e.category = 'STATE'),
    (e.category IN ('SOLE_PROPRIETOR', 'SOLE_TRADER'))`;
