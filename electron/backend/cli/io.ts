// Command-line plumbing shared by every command: output streams, usage errors, argument parsing.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { writeTurn } from '../store/concurrency';
import { openCaseDb, type Db } from '../store/db';
import { isValidDate } from '../../../shared/domain/policy/policy';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  isTTY: boolean;
  /** Rewrites the current terminal line (progress). */
  progress: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Standard input, for commands that read it (`import -`). */
  stdin?: AsyncIterable<Buffer>;
  /** Asks for a secret on the terminal without echo; absent when there is no terminal to ask on. */
  askSecret?: (prompt: string) => Promise<string | null>;
}

/** Exit code 2: the command line itself is wrong. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

export function requireDb(db: string | undefined, usage: string): string {
  if (!db) throw new UsageError(`--db CASE.db is required\nusage: ${usage}`);
  return db;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

export function dateOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  // Date.parse rolls 2023-02-31 over to March 3rd: check the calendar itself
  if (!isValidDate(value)) {
    throw new UsageError(`${name} must be a date YYYY-MM-DD that exists in the calendar, got "${value}"`);
  }
  return value;
}

/** Pads columns for a plain-text table. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ')).join('\n') + '\n';
}

/** Opens an existing case database for one command and closes it when the command is done, whatever happens. */
export async function withCaseDb<T>(file: string, fn: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openCaseDb(file, { create: false });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** Says on stderr, once, whom a write waits for ("waiting for the import of X to finish…"). */
export function waitNotice(io: CliIo): (message: string) => void {
  return (message) => io.stderr(`ownerscope: ${message}\n`);
}

/** Runs `fn` as one write transaction, waiting its turn (with the notice) while another process writes. */
export function writeTurnCli<T>(db: Db, io: CliIo, fn: () => T | Promise<T>): Promise<T> {
  return writeTurn(db, fn, { onWait: waitNotice(io) });
}

/** withCaseDb for a command that writes: all of `fn` is one write transaction, taken in turn. */
export function withCaseWrite<T>(file: string, io: CliIo, fn: (db: Db) => T | Promise<T>): Promise<T> {
  return withCaseDb(file, (db) => writeTurnCli(db, io, () => fn(db)));
}
