// The investigator a case database's decisions and notes are attributed to when no signing
// identity exists yet (the app asks once per database). The name is an audit entry itself, so
// setting or changing it is on the record like every other act; the newest one counts.
import type { Db } from '../store/db.js';
import { appendAudit } from './audit.js';
import { CaseError } from './cases.js';

export const INVESTIGATOR_ACTION = 'investigator.name';

export function investigatorName(db: Db): string | null {
  const r = db.prepare('SELECT payload FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1').get(INVESTIGATOR_ACTION) as { payload: string } | undefined;
  if (!r) return null;
  try {
    const name = (JSON.parse(r.payload) as { name?: unknown }).name;
    return typeof name === 'string' && name.trim() ? name.trim() : null;
  } catch {
    return null;
  }
}

export function setInvestigatorName(db: Db, name: string): string {
  const n = name?.trim();
  if (!n || n === '-') throw new CaseError('invalid-input', 'The investigator needs a name.');
  if ([...n].length > 200) throw new CaseError('invalid-input', 'The investigator name is longer than 200 characters.');
  return db.transaction(() => {
    if (investigatorName(db) !== n) appendAudit(db, { action: INVESTIGATOR_ACTION, actor: n, payload: { name: n } });
    return n;
  })();
}
