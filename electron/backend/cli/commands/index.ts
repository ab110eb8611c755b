import type { Command } from '../io';
import { importCommand, searchCommand, showCommand, sourcesCommand, traceCommand } from './data';

export const commands: Command[] = [importCommand, sourcesCommand, searchCommand, showCommand, traceCommand];
