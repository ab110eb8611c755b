// `sources remove` / `sources.remove`: one write transaction that removes a source's facts
// (store/sources.ts), brings names search and entity resolution up to date, and records the
// removal in the audit log, all or nothing.
import { appendAudit } from '../cases/audit';
import { currentUser, refreshResolution } from '../resolve';
import type { Db } from '../store/db';
import { indexPendingNames } from '../store/search-index';
import { removeSourceFacts, type SourceRemoval } from '../store/sources';
import { inImportTransaction } from './runner';

export async function removeSource(db: Db, sourceId: number, options: { actor?: string } = {}): Promise<SourceRemoval> {
  return inImportTransaction(db, async () => {
    const at = new Date().toISOString();
    const actor = options.actor ?? currentUser();
    const r = removeSourceFacts(db, sourceId, at, actor);
    indexPendingNames(db);
    refreshResolution(db);
    appendAudit(db, {
      action: 'source.remove',
      actor,
      payload: { sourceId: r.sourceId, file: r.fileName, sha256: r.sha256, removed: r.removed, fellBack: r.fellBack, flaggedCases: r.flaggedCases },
    });
    return r;
  });
}
