// `ownerscope` command line: dispatches to the commands, maps errors to exit codes
// (0 success, 1 failure with the message on stderr, 2 usage error).
import { commands } from './commands';
import { UsageError, type CliIo } from './io';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'ownerscope: ownership tracing and restricted-ownership verdicts on a local case database',
    '',
    'usage: ownerscope <command> [options]   (ownerscope <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'REF: lei:LEI, a bare LEI, gb-coh:NUMBER, any scheme:value, or an internal id.',
    'Exit codes: 0 success, 1 failure (message on stderr), 2 usage error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout('ownerscope 0.1.0\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`ownerscope: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${command.usage}\n\n${command.summary}\n`);
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
  };
}
