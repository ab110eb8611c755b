import type { Command } from '../io';
import { importCommand, searchCommand, showCommand, sourcesCommand, traceCommand } from './data';
import { notSameCommand, resolveCommand, sameCommand } from './resolve';

export const commands: Command[] = [importCommand, sourcesCommand, searchCommand, showCommand, traceCommand, resolveCommand, sameCommand, notSameCommand];
