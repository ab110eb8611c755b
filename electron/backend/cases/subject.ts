// A case's subject as identifiers, for lists and reports.
import type { Db } from '../store/db.js';
import { identifiersOf } from '../verdict/identifiers.js';
import type { CaseRecord } from './cases.js';

/**
 * The subject's identifiers: those this database holds for it now, else the ones frozen in the
 * verdict snapshot (a case must still name its subject portably when the entity is gone).
 */
export function subjectIdentifiers(db: Db, c: CaseRecord): string[] {
  const id = c.verdict?.subject.id;
  const now = typeof id === 'number' ? (identifiersOf(db, [id]).get(id) ?? []) : [];
  if (now.length) return now;
  const frozen = (c.verdict?.subject as { identifiers?: unknown } | undefined)?.identifiers;
  return Array.isArray(frozen) ? frozen.filter((x): x is string => typeof x === 'string') : [];
}
