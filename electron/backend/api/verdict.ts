// Policies, verdicts and batch screening, wired to the verdict engine (shared/domain/engine)
// and the policy module (shared/domain/policy).
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { requireRegularFile } from '../files/safe-path';
import { csvText, type CsvCell } from '../files/csv';
import { SCREEN_COLUMNS } from '../verdict/screen-csv';
import type { PolicyInput } from '../../../shared/api/contract';
import type { ScreenResult } from '../../../shared/api/types';
import { PRESET_NAMES, presetFields, policySha256, resolvePolicy, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import { resolveRef, today } from '../store/queries';
import type { Backend } from './backend';
import { ApiFailure } from './errors';
import { computeVerdict } from '../verdict/verdict';
import type { HandlerGroup } from './handlers';

type VerdictMethods = 'policy.list' | 'policy.get' | 'verdict.compute' | 'screen.start' | 'screen.cancel' | 'screen.export';

/** A preset name or a user policy object; `asOf` from the request wins over the policy's own. */
export function effectivePolicy(policy: PolicyInput | undefined, asOf: string | undefined): EffectivePolicy {
  const input: Record<string, unknown> = typeof policy === 'string' ? { preset: policy } : { ...(policy ?? {}) };
  if (asOf) input.asOf = asOf;
  return resolvePolicy(input, { today: today() });
}

/** The export's cells of each finished screening job (the worker computes them with its rows). */
const screenCsv = new Map<string, CsvCell[][]>();

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
    let jobId = '';
    jobId = b.startWorker('screen', { dbPath: b.caseFile, listPath: i.isAll ? null : i.path, policy, asOf: policy.asOf }, (m) => {
      const msg = m as { type: string; done?: number; total?: number; elapsedMs?: number; rows?: ScreenResult['rows']; csv?: CsvCell[][]; error?: { message: string; isCancelled: boolean } };
      if (msg.type === 'progress') {
        const rate = (msg.done ?? 0) / Math.max(1, msg.elapsedMs ?? 1);
        b.emit('screen.progress', { jobId, done: msg.done ?? 0, total: msg.total ?? 0, elapsedMs: msg.elapsedMs ?? 0, etaMs: rate > 0 ? ((msg.total ?? 0) - (msg.done ?? 0)) / rate : null });
      } else if (msg.type === 'done') {
        const result: ScreenResult = { jobId, rows: msg.rows ?? [], policyName: policy.name, elapsedMs: msg.elapsedMs ?? 0 };
        b.screenResults.set(jobId, result);
        screenCsv.set(jobId, msg.csv ?? []);
        b.emit('screen.done', result);
      } else if (msg.type === 'failed') {
        b.emit('screen.failed', { jobId, message: msg.error?.message ?? 'screening failed', isCancelled: msg.error?.isCancelled ?? false });
      }
    });
    return { jobId };
  },
  async 'screen.cancel'(i, b) {
    return { isCancelling: b.cancelJob(i.jobId, 'screen') };
  },
  async 'screen.export'(i, b) {
    const r = b.screenResults.get(i.jobId);
    if (!r) throw new ApiFailure('not-found', `no screening results for job ${i.jobId}`, 'jobId');
    const dir = path.join(b.dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `screening-${i.jobId}.csv`);
    writeFileSync(file, csvText(SCREEN_COLUMNS, screenCsv.get(i.jobId) ?? []));
    b.markProduced(file);
    const opened = await b.host.openFile(file);
    return { path: file, url: opened.url };
  },
};

export const verdictHandlers = { handlers, isAvailable: true, hasPolicies: true };
