// `ownerscope` command line: dispatches to the commands, maps errors to exit codes
// (0 success, 1 failure with the message on stderr, 2 usage error).
import { askSecretOnTerminal } from './terminal';
import { VERSION } from '../api/version';
import { UsageError, type CliIo, type Command } from './io';

// The commands (and through them better-sqlite3, pdfkit, node-forge...) load only once one runs,
// and then only that command's module: `--version` stays a bare Node start. In the CLI bundle
// esbuild splits them into chunks.
type Commands = Command[];
const registry = () => import('./commands');
const loadCommands = async (): Promise<Commands> => (await registry()).allCommands();

function help(commands: Commands): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'ownerscope: ownership tracing and restricted-ownership verdicts on a local case database',
    '',
    'usage: ownerscope <command> [options]   (ownerscope help <command> for details)',
    '       ownerscope --version',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'REF: lei:LEI, a bare LEI, gb-coh:NUMBER, any scheme:value, or an internal id.',
    'Exit codes: 0 success, 1 failure (message on stderr), 2 usage error.',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.summary}\n`;
}

function unknown(name: string, commands: Commands, io: CliIo): number {
  io.stderr(`ownerscope: unknown command "${name}"\n\n${help(commands)}`);
  return 2;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout(`ownerscope ${VERSION}\n`);
    return 0;
  }
  if (name === 'help' && rest.length > 0) {
    // `ownerscope help COMMAND`: the same text as `ownerscope COMMAND --help`
    if (rest.length > 1) {
      io.stderr(`ownerscope help: takes one command name, got ${rest.length}: ${rest.join(' ')}\n`);
      return 2;
    }
    const command = await (await registry()).findCommand(rest[0]!);
    if (!command) return unknown(rest[0]!, await loadCommands(), io);
    io.stdout(commandHelp(command));
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help(await loadCommands()));
    return name ? 0 : 2;
  }
  const command = await (await registry()).findCommand(name);
  if (!command) return unknown(name, await loadCommands(), io);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ownerscope ${name}: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`ownerscope ${name}: ${err.message}\n`);
    if (io.env.OWNERSCOPE_DEBUG) io.stderr(`${err.stack}\n`);
    return 1;
  }
}

export function processIo(): CliIo {
  const isTTY = Boolean(process.stderr.isTTY);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY,
    progress: (t) => {
      if (isTTY) process.stderr.write(`\r\x1b[K${t}`);
    },
    env: process.env,
    // created on first use only: commands that do not read standard input never open it
    get stdin() {
      return process.stdin;
    },
    ...(process.stdin.isTTY && process.stderr.isTTY ? { askSecret: askSecretOnTerminal } : {}),
  };
}
