import type { Command } from '../io';
import { auditCommand, caseCommand } from './cases';
import { importCommand, searchCommand, showCommand, sourcesCommand, traceCommand } from './data';
import { notSameCommand, resolveCommand, sameCommand } from './resolve';
import { identityCommand, reportCommand, verifyCommand } from './report';
import { trustCommand } from './trust';
import { policiesCommand, policyCommand, screenCommand, verdictCommand } from './verdict';

export const commands: Command[] = [
  importCommand, sourcesCommand, searchCommand, showCommand, traceCommand,
  verdictCommand, policiesCommand, policyCommand, screenCommand,
  resolveCommand, sameCommand, notSameCommand,
  caseCommand, auditCommand, identityCommand, trustCommand, reportCommand, verifyCommand,
];
