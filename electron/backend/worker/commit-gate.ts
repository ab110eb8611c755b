// The one place where a job's thread and the backend agree, without messages, on whether an
// import may still commit. Messages cannot do it: a thread busy in synchronous work (the name
// index, the resolution refresh, COMMIT itself) reads its 'cancel' message only after it has
// committed, and the backend reads the thread's "committing" message only after its own timer
// may already have told the user "cancelled, the database is unchanged". A shared word is read
// and written atomically by both at once, so exactly one of them wins:
// - the backend sets CANCELLED: from then on the thread may not begin a COMMIT (it rolls back);
// - the thread sets COMMITTING before COMMIT and clears it after: while it is set the backend
//   does not end the thread and does not claim anything about the database until the thread
//   reports.
// Slot 1 + i is set to 1 once file i of the batch is committed, so an ended batch says which
// files stayed imported.

const STATE = 0;
const CANCELLED = 1;
const COMMITTING = 2;

/** The most files one job takes (import.start accepts up to 100 paths). */
export const MAX_GATED_FILES = 1000;

export type CommitGate = Int32Array;

export function newCommitGate(fileCount: number): CommitGate {
  const slots = 1 + Math.min(Math.max(fileCount, 0), MAX_GATED_FILES);
  return new Int32Array(new SharedArrayBuffer(slots * Int32Array.BYTES_PER_ELEMENT));
}

/** Backend side: no commit may begin from now on. Returns whether one is under way now. */
export function cancelCommits(gate: CommitGate): { isCommitting: boolean } {
  const before = Atomics.or(gate, STATE, CANCELLED);
  return { isCommitting: (before & COMMITTING) !== 0 };
}

/** Backend side: a COMMIT is running in the thread now (the thread must not be ended). */
export function isCommitting(gate: CommitGate): boolean {
  return (Atomics.load(gate, STATE) & COMMITTING) !== 0;
}

/** Backend side: the indexes of the batch's files that are committed. */
export function committedFiles(gate: CommitGate): number[] {
  const out: number[] = [];
  for (let i = 1; i < gate.length; i++) if (Atomics.load(gate, i) === 1) out.push(i - 1);
  return out;
}

/**
 * Thread side, just before COMMIT: true when the commit may go ahead (and the gate now says
 * COMMITTING), false when the job was cancelled first (the caller rolls back).
 */
export function beginCommit(gate: CommitGate): boolean {
  for (;;) {
    const v = Atomics.load(gate, STATE);
    if (v & CANCELLED) return false;
    if (Atomics.compareExchange(gate, STATE, v, v | COMMITTING) === v) return true;
  }
}

/** Thread side, once COMMIT has returned (or failed: `fileIndex` is then null). */
export function endCommit(gate: CommitGate, fileIndex: number | null): void {
  if (fileIndex !== null && fileIndex + 1 < gate.length) Atomics.store(gate, fileIndex + 1, 1);
  Atomics.and(gate, STATE, ~COMMITTING);
}
