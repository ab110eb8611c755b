// Runs the CLI in-process with captured output (the same code path as bin/ownerscope.mjs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../electron/backend/cli/main';
import type { CliIo } from '../../electron/backend/cli/io';
import { expect } from 'vitest';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  progress: string[];
}

/** One user data folder per test process: the CLI's trust list never lands in the real home folder. */
let testHome: string | null = null;
export function testUserHome(): string {
  testHome ??= mkdtempSync(path.join(tmpdir(), 'ownerscope-home-'));
  return testHome;
}

export async function runCli(args: string[], options: { isTTY?: boolean; env?: NodeJS.ProcessEnv; stdin?: AsyncIterable<Buffer> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const progress: string[] = [];
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: options.isTTY ?? false,
    progress: (t) => progress.push(t),
    env: options.env ?? { OWNERSCOPE_HOME: testUserHome() },
    ...(options.stdin ? { stdin: options.stdin } : {}),
  };
  const code = await main(args, io);
  return { code, stdout, stderr, progress };
}

export function json<T = unknown>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}

/** Runs the CLI and fails the test (with the command and its stderr) unless it exits 0. */
export async function runOk(args: string[]): Promise<CliRun> {
  const r = await runCli(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}
