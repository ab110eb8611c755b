// A job thread that plays the two moments of an import a cancel can meet after the point of no
// return, following the real commit protocol (worker/commit-gate.ts). The mode is the content of
// `${paths[0]}.mode`:
// - "long-commit": a COMMIT that outlasts the backend's grace period (a large import's commit on
//   a slow disk), then the import is reported done;
// - "hang-after-commit": the batch's first file is committed, then the thread blocks reading the
//   second file (a hung network share) and never reads its 'cancel' message.
import { register } from 'tsx/esm/api';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { beginCommit, endCommit } = await import('../../electron/backend/worker/commit-gate.ts');
const { gate, data } = workerData;
const mode = readFileSync(`${data.paths[0]}.mode`, 'utf8').trim();
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

if (!beginCommit(gate)) throw new Error('the gate refused a commit before any cancel');
if (mode === 'long-commit') {
  // the test cancels once it sees this; the COMMIT is under way already
  parentPort.postMessage({ type: 'progress', progress: { phase: 'committing', file: 'a.csv' } });
  sleep(3500); // synchronous, as COMMIT is: no message is read meanwhile
  endCommit(gate, 0);
  parentPort.postMessage({ type: 'done', files: [], skipped: [], failed: [] });
} else {
  endCommit(gate, 0);
  parentPort.postMessage({ type: 'progress', progress: { phase: 'importing', file: 'b.csv' } });
  readFileSync(`${data.paths[1]}.fifo`);
}
