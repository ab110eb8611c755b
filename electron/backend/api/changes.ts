// What changed after an update, for the app: the re-check and the list of moved verdicts
// (electron/backend/changes), and saving a portfolio list as a watchlist.
import path from 'node:path';
import { requireRegularFile } from '../files/safe-path';
import { ChangesError, listChanges, recheck, screenAndSaveWatchlist, watchlists } from '../changes';
import { currentUser } from '../resolve';
import { readList } from '../verdict/screen-list';
import { ApiFailure } from './errors';
import { effectivePolicy } from './verdict';
import type { HandlerGroup } from './handlers';

type ChangeMethods = 'changes.list' | 'watchlist.list' | 'watchlist.save';

export const changeHandlers: HandlerGroup<ChangeMethods> = {
  async 'changes.list'(i, b) {
    const db = b.requireDb();
    await recheck(db);
    try {
      return listChanges(db, { ...(i.sinceSourceId !== undefined ? { sourceId: i.sinceSourceId } : {}), ...(i.sinceDate !== undefined ? { date: i.sinceDate } : {}) });
    } catch (e) {
      if (e instanceof ChangesError) throw new ApiFailure('not-found', e.message);
      throw e;
    }
  },
  async 'watchlist.list'(_i, b) {
    return watchlists(b.requireDb());
  },
  async 'watchlist.save'(i, b) {
    const db = b.requireDb();
    const name = i.name.trim();
    if (!name) throw new ApiFailure('invalid-input', 'a watchlist needs a name', 'name');
    // the app asks before it replaces: an investigator's saved list is not overwritten by a typo
    if (!i.replace && watchlists(db).some((w) => w.name === name)) {
      throw new ApiFailure('invalid-input', `a watchlist named "${name}" exists already: choose another name, or replace it`, 'name');
    }
    requireRegularFile(i.path);
    const list = readList(db, i.path);
    await screenAndSaveWatchlist(db, { name, policy: effectivePolicy(i.policy, i.asOf), listFile: path.basename(i.path), createdBy: currentUser() }, list);
    return watchlists(db).find((w) => w.name === name)!;
  },
};
