// Who acts in the open case database: shared by the handler groups that write on the
// investigator's behalf (cases, assertions), so that each attributes its rows the same way.
import type * as T from '../../../shared/api/types';
import { investigatorName } from '../cases';
import type { Backend } from './backend';
import { ApiFailure } from './errors';
import { identityStatus } from './identity';

/** Who acts: the signing identity's name, else the name given once for this case database. */
export function investigator(b: Backend): T.Investigator {
  const fromIdentity = identityStatus(b).signer?.name?.trim();
  if (fromIdentity) return { name: fromIdentity, source: 'identity' };
  const fromDb = b.db ? investigatorName(b.db) : null;
  return fromDb ? { name: fromDb, source: 'database' } : { name: null, source: null };
}

/** The investigator's name, or a failure the app answers by asking for it (field "investigator"). */
export function actor(b: Backend): string {
  const name = investigator(b).name;
  if (!name) throw new ApiFailure('invalid-input', 'who is acting? Give your name (asked once for this case database) or create your signing identity', 'investigator');
  return name;
}
