// Runs the CLI in-process with captured output (the same code path as bin/ownerscope.mjs).
import { main } from '../../electron/backend/cli/main';
import type { CliIo } from '../../electron/backend/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  progress: string[];
}

export async function runCli(args: string[], options: { isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const progress: string[] = [];
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: options.isTTY ?? false,
    progress: (t) => progress.push(t),
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr, progress };
}

export function json<T = unknown>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}
