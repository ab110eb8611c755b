// The commands, by the module that defines them. A command run loads only its own module (and the
// packages it uses: `search` does not load pdfkit or node-forge); the full help loads them all.
// In the CLI bundle each module is a chunk of its own (scripts/build-cli.mjs).
import type { Command } from '../io';

type Loader = () => Promise<Record<string, unknown>>;

const data: Loader = () => import('./data');
const verdict: Loader = () => import('./verdict');
const resolve: Loader = () => import('./resolve');
const cases: Loader = () => import('./cases');
const report: Loader = () => import('./report');
const trust: Loader = () => import('./trust');
const exporter: Loader = () => import('./export');
const assert: Loader = () => import('./assert');
const changes: Loader = () => import('./changes');

/**
 * Command names with the module that defines them, in the order of the help (a module may appear
 * more than once; test/integration/cli/cli-version-help.test.ts checks that every command a
 * module exports is listed with it).
 */
export const COMMAND_MODULES: [names: string[], load: Loader][] = [
  [['import', 'sources', 'search', 'show', 'trace'], data],
  [['verdict', 'policies', 'policy', 'screen'], verdict],
  [['resolve', 'same', 'not-same'], resolve],
  [['case', 'audit'], cases],
  [['assert'], assert],
  [['changes', 'watchlist'], changes],
  [['identity'], report],
  [['trust'], trust],
  [['report', 'verify'], report],
  [['export'], exporter],
];

const isCommand = (v: unknown): v is Command =>
  typeof v === 'object' && v !== null && typeof (v as Command).name === 'string' && typeof (v as Command).run === 'function';

async function commandsOf([names, load]: [string[], Loader]): Promise<Command[]> {
  const exported = Object.values(await load()).filter(isCommand);
  return names.map((name) => {
    const c = exported.find((e) => e.name === name);
    if (!c) throw new Error(`CLI: command ${name} is not exported by its module`);
    return c;
  });
}

/** Every command, in help order. */
export async function allCommands(): Promise<Command[]> {
  return (await Promise.all(COMMAND_MODULES.map(commandsOf))).flat();
}

/** One command, loading only its module; undefined for an unknown name. */
export async function findCommand(name: string): Promise<Command | undefined> {
  const entry = COMMAND_MODULES.find(([names]) => names.includes(name));
  return entry ? (await commandsOf(entry)).find((c) => c.name === name) : undefined;
}
