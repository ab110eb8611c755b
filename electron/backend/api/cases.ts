// Cases inside a case database (subject, verdict snapshot, decision, notes), the audit log, and
// signed reports: wired to electron/backend/cases and electron/backend/report.
import type { Backend } from './backend';
import { unavailable } from './errors';
import type { HandlerGroup } from './handlers';

type CaseMethods = 'case.list' | 'case.get' | 'case.start' | 'case.decide' | 'case.note' | 'case.audit' | 'report.sign' | 'report.verify';

const need = (b: Backend) => b.requireDb();

const handlers: HandlerGroup<CaseMethods> = {
  async 'case.list'(_i, b) {
    need(b);
    return [];
  },
  async 'case.get'(_i, b) {
    need(b);
    throw unavailable('case records');
  },
  async 'case.start'(_i, b) {
    need(b);
    throw unavailable('case records');
  },
  async 'case.decide'(_i, b) {
    need(b);
    throw unavailable('case decisions');
  },
  async 'case.note'(_i, b) {
    need(b);
    throw unavailable('case notes');
  },
  async 'case.audit'(_i, b) {
    need(b);
    throw unavailable('the audit trail');
  },
  async 'report.sign'() {
    throw unavailable('signed reports');
  },
  async 'report.verify'() {
    throw unavailable('report verification');
  },
};

export const caseHandlers = { handlers, isAvailable: false, hasReports: false };
