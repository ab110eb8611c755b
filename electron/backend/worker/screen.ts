// Batch screening in the worker thread: a CSV list (a column of references or names; a name
// matching several entities is reported as ambiguous with its candidates, never guessed) or every
// entity. Rows go to the backend in chunks as they are built, never all in one message.
import type { MessagePort } from 'node:worker_threads';
import type { ScreenRow } from '../../../shared/api/types';
import type { EffectivePolicy } from '../../../shared/domain/policy/policy';
import { readList } from '../verdict/screen-list';
import { screen } from '../verdict/verdict';
import { openCaseDb } from '../store/db';
import { listSources } from '../store/queries';
import { readSnapshotAsync } from '../store/concurrency';
import { dataDateText, emptyCounts, screenedRow, unresolvedRow } from '../verdict/screen-csv';

export interface ScreenJobData {
  dbPath: string;
  listPath: string | null;
  policy: EffectivePolicy;
  asOf: string;
}

/** Rows per message: small enough to keep each message and the page it feeds quick. */
export const SCREEN_CHUNK = 5000;

export async function runScreen(data: ScreenJobData, port: MessagePort, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const db = openCaseDb(data.dbPath, { create: false, readonly: true });
  try {
    // the list's references, the graph and the sources' data dates from one snapshot
    const { list, result, indexOf, dataDate } = await readSnapshotAsync(db, async () => {
      const list = data.listPath ? readList(db, data.listPath) : null;
      const ids = list ? [...new Set(list.flatMap((r) => (r.id === null ? [] : [r.id])))] : undefined;
      return { list, dataDate: dataDateText(listSources(db).map((s) => s.dataDate)), ...(await screen(db, data.policy, ids)) };
    });
    const total = list ? list.length : result.graph.count;
    port.postMessage({ type: 'start', total, dataDate });
    const counts = emptyCounts();
    let chunk: ScreenRow[] = [];
    let last = 0;
    const flush = () => {
      port.postMessage({ type: 'rows', rows: chunk });
      chunk = [];
    };
    for (let i = 0; i < total; i++) {
      if (signal.aborted) {
        port.postMessage({ type: 'failed', error: { message: 'screening cancelled', isCancelled: true } });
        return;
      }
      let row: ScreenRow;
      if (list) {
        const r = list[i]!;
        row = r.id === null ? unresolvedRow(i, r) : screenedRow(result, i, r.row, r.input, r.match, indexOf(r.id));
      } else row = screenedRow(result, i, null, '', 'all', i);
      counts[row.verdict]++;
      chunk.push(row);
      if (chunk.length >= SCREEN_CHUNK) flush();
      if (Date.now() - last > 200) {
        last = Date.now();
        if (chunk.length) flush();
        port.postMessage({ type: 'progress', done: i + 1, total, elapsedMs: Date.now() - started, counts });
        await new Promise((r) => setImmediate(r));
      }
    }
    if (chunk.length) flush();
    port.postMessage({ type: 'done', elapsedMs: Date.now() - started });
  } catch (e) {
    port.postMessage({ type: 'failed', error: { message: e instanceof Error ? e.message : String(e), isCancelled: false } });
  } finally {
    db.close();
  }
}
