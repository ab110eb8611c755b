// Batch screening in the worker thread. Wired to the verdict engine once it is part of the build.
import type { MessagePort } from 'node:worker_threads';

export interface ScreenJobData {
  dbPath: string;
  listPath: string | null;
  policy: unknown;
  asOf: string;
}

export async function runScreen(_data: ScreenJobData, port: MessagePort, _signal: AbortSignal): Promise<void> {
  port.postMessage({
    type: 'failed',
    error: { message: 'batch screening is not available in this build of Ownerscope (no verdict engine)', isCancelled: false },
  });
}
