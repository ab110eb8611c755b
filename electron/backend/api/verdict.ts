// Policies, verdicts and batch screening: wired to the verdict engine (shared/domain/engine)
// and the policy module (shared/domain/policy).
import type { Backend } from './backend';
import { ApiFailure, unavailable } from './errors';
import type { HandlerGroup } from './handlers';

type VerdictMethods = 'policy.list' | 'policy.get' | 'verdict.compute' | 'screen.start' | 'screen.cancel' | 'screen.export';

const handlers: HandlerGroup<VerdictMethods> = {
  async 'policy.list'() {
    throw unavailable('the policy presets');
  },
  async 'policy.get'() {
    throw unavailable('the policy presets');
  },
  async 'verdict.compute'(_i, b: Backend) {
    b.requireDb();
    throw unavailable('the verdict engine');
  },
  async 'screen.start'(_i, b: Backend) {
    b.requireDb();
    throw unavailable('batch screening');
  },
  async 'screen.cancel'(i, b) {
    return { isCancelling: b.cancelJob(i.jobId, 'screen') };
  },
  async 'screen.export'(i, b) {
    if (!b.screenResults.has(i.jobId)) throw new ApiFailure('not-found', `no screening results for job ${i.jobId}`);
    throw unavailable('batch screening');
  },
};

export const verdictHandlers = { handlers, isAvailable: false, hasPolicies: false };
