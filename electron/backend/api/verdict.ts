// Policies, verdicts and batch screening, wired to the verdict engine (shared/domain/engine)
// and the policy module (shared/domain/policy).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { requireRegularFile } from '../files/safe-path';
import { screenedRow, writeScreenCsv } from '../verdict/screen-csv';
import { ScreenStore } from './screen-store';
import { forgetSavedPolicy, listSavedPolicies, savePolicy } from '../store/policies';
import { writeTurn } from '../store/concurrency';
import { currentUser } from '../resolve';
import { identityStatus } from './identity';
import type { PolicyInput } from '../../../shared/api/contract';
import type { ScreenCounts, ScreenRow } from '../../../shared/api/types';
import { PRESET_NAMES, presetFields, policySha256, resolvePolicy, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import { resolveRef, today } from '../store/queries';
import type { Backend } from './backend';
import { ApiFailure } from './errors';
import { computeVerdict, screen } from '../verdict/verdict';
import type { HandlerGroup } from './handlers';

type VerdictMethods = 'policy.list' | 'policy.get' | 'policy.saved' | 'policy.save' | 'policy.forget' | 'verdict.compute' | 'screen.start' | 'screen.cancel' | 'screen.rows' | 'screen.resolve' | 'screen.export';

/** A preset name or a user policy object; `asOf` from the request wins over the policy's own. */
export function effectivePolicy(policy: PolicyInput | undefined, asOf: string | undefined): EffectivePolicy {
  const input: Record<string, unknown> = typeof policy === 'string' ? { preset: policy } : { ...(policy ?? {}) };
  if (asOf) input.asOf = asOf;
  return resolvePolicy(input, { today: today() });
}

const handlers: HandlerGroup<VerdictMethods> = {
  async 'policy.list'() {
    return PRESET_NAMES.map((p) => {
      const eff = resolvePolicy({ preset: p }, { today: today() });
      return { name: p, preset: p, title: presetFields(p).name, sha256: policySha256(eff) };
    });
  },
  async 'policy.get'(i) {
    const eff = effectivePolicy(i.policy, i.asOf);
    return { preset: eff.preset, sha256: policySha256(eff), fields: { ...eff } };
  },
  async 'policy.saved'(_i, b) {
    return listSavedPolicies(b.requireDb());
  },
  async 'policy.save'(i, b) {
    const db = b.requireDb();
    const name = i.name.trim();
    if (!name) throw new ApiFailure('invalid-input', 'a saved policy needs a name', 'name');
    // the policy prints under the name it is saved as; it is validated before it is kept
    const policy: Record<string, unknown> = { ...i.policy, name };
    delete policy.asOf;
    const eff = effectivePolicy(policy, undefined);
    const by = identityStatus(b).signer?.name ?? currentUser();
    return writeTurn(db, () => savePolicy(db, { name, policy, sha256: policySha256(eff), savedBy: by }));
  },
  async 'policy.forget'(i, b) {
    const db = b.requireDb();
    const gone = await writeTurn(db, () => forgetSavedPolicy(db, i.name));
    if (!gone) throw new ApiFailure('not-found', `no saved policy named "${i.name}"`, 'name');
    return listSavedPolicies(db);
  },
  async 'verdict.compute'(i, b) {
    const db = b.requireDb();
    const id = resolveRef(db, i.ref);
    const policy = effectivePolicy(i.policy, i.asOf);
    return computeVerdict(db, id, policy);
  },
  async 'screen.start'(i, b) {
    b.requireDb();
    if (!i.isAll && !i.path) throw new ApiFailure('invalid-input', 'give a CSV list (path) or screen every entity (isAll)', 'path');
    if (!i.isAll) requireRegularFile(i.path, 'list');
    const policy = effectivePolicy(i.policy, i.asOf);
    const store = new ScreenStore(policy, { policyName: policy.name, policySha256: policySha256(policy), asOf: policy.asOf, dataDate: '' });
    let total = 0;
    let jobId = '';
    jobId = b.startWorker('screen', { dbPath: b.caseFile, listPath: i.isAll ? null : i.path, policy, asOf: policy.asOf }, (m) => {
      const msg = m as { type: string; done?: number; total?: number; dataDate?: string; elapsedMs?: number; rows?: ScreenRow[]; counts?: ScreenCounts; error?: { message: string; isCancelled: boolean } };
      if (msg.type === 'start') {
        total = msg.total ?? 0;
        store.context.dataDate = msg.dataDate ?? '';
      } else if (msg.type === 'rows') {
        store.add(msg.rows ?? []);
      } else if (msg.type === 'progress') {
        const rate = (msg.done ?? 0) / Math.max(1, msg.elapsedMs ?? 1);
        b.emit('screen.progress', { jobId, done: msg.done ?? 0, total: msg.total ?? 0, elapsedMs: msg.elapsedMs ?? 0, etaMs: rate > 0 ? ((msg.total ?? 0) - (msg.done ?? 0)) / rate : null, counts: { ...store.counts } });
      } else if (msg.type === 'done') {
        const c = store.context;
        store.result = { jobId, total, counts: { ...store.counts }, policyName: c.policyName, policySha256: c.policySha256, asOf: c.asOf, dataDate: c.dataDate, elapsedMs: msg.elapsedMs ?? 0 };
        b.emit('screen.done', store.result);
      } else if (msg.type === 'failed') {
        b.screenResults.delete(jobId);
        b.emit('screen.failed', { jobId, message: msg.error?.message ?? 'screening failed', isCancelled: msg.error?.isCancelled ?? false });
      }
    });
    // readable while it runs: the rows screened so far page in as they arrive
    b.screenResults.set(jobId, store);
    return { jobId };
  },
  async 'screen.cancel'(i, b) {
    return { isCancelling: b.cancelJob(i.jobId, 'screen') };
  },
  async 'screen.rows'(i, b) {
    return screenStore(b, i.jobId).page(i);
  },
  async 'screen.resolve'(i, b) {
    const store = screenStore(b, i.jobId);
    const old = store.row(i.index);
    if (!old) throw new ApiFailure('invalid-input', `row ${i.index} is not a row of screening ${i.jobId} (it has ${store.size})`, 'index');
    const db = b.requireDb();
    const id = resolveRef(db, i.ref);
    // the chosen subject under the job's own policy and date, as the worker screened the others
    const { result, indexOf } = await screen(db, store.policy, [id]);
    const row = screenedRow(result, i.index, old.line, old.input, 'chosen', indexOf(id));
    store.replace(row);
    return row;
  },
  async 'screen.export'(i, b) {
    const store = screenStore(b, i.jobId);
    if (!store.result) throw new ApiFailure('busy', `screening ${i.jobId} is still running: export it when it is done`, 'jobId');
    const dir = path.join(b.dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `screening-${i.jobId}${i.bom ? '-excel' : ''}.csv`);
    await writeScreenCsv(file, store.all(), store.context, { bom: i.bom ?? false });
    b.markProduced(file);
    const opened = await b.host.openFile(file);
    return { path: file, url: opened.url };
  },
};

function screenStore(b: Backend, jobId: string): ScreenStore {
  const store = b.screenResults.get(jobId);
  if (!store) throw new ApiFailure('not-found', `no screening results for job ${jobId}`, 'jobId');
  return store;
}

export const verdictHandlers = { handlers, isAvailable: true, hasPolicies: true };
