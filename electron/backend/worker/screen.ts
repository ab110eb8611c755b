// Batch screening in the worker thread: a CSV list (a column of references or names; a name
// matching several entities is reported as ambiguous, never guessed) or every entity.
import type { MessagePort } from 'node:worker_threads';
import type { ScreenRow } from '../../../shared/api/types';
import { formatBounds, type ScreeningEntry } from '../../../shared/domain/engine';
import type { EffectivePolicy } from '../../../shared/domain/policy/policy';
import { readList } from '../verdict/screen-list';
import { screen } from '../verdict/verdict';
import { openCaseDb } from '../store/db';
import type { CsvCell } from '../files/csv';
import { screenedCells, unresolvedCells } from '../verdict/screen-csv';

export interface ScreenJobData {
  dbPath: string;
  listPath: string | null;
  policy: EffectivePolicy;
  asOf: string;
}

function row(ref: string, e: ScreeningEntry): ScreenRow {
  return {
    ref, name: e.name, entityId: e.id, verdict: e.verdict,
    control: e.control.verdict, controlShare: formatBounds(e.control.restrictedShare),
    lookThrough: e.lookThrough.verdict, lookThroughShare: formatBounds(e.lookThrough.restrictedShare),
    reason: e.reason,
  };
}

const blank = (ref: string, verdict: ScreenRow['verdict'], reason: string, name: string | null = null): ScreenRow => ({
  ref, name, entityId: null, verdict, control: null, controlShare: null, lookThrough: null, lookThroughShare: null, reason,
});

export async function runScreen(data: ScreenJobData, port: MessagePort, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const db = openCaseDb(data.dbPath, { create: false, readonly: true });
  try {
    const list = data.listPath ? readList(db, data.listPath) : null;
    const ids = list ? [...new Set(list.flatMap((r) => (r.id === null ? [] : [r.id])))] : undefined;
    const { result, indexOf } = await screen(db, data.policy, ids);
    const total = list ? list.length : result.graph.count;
    const rows: ScreenRow[] = [];
    // the export's cells, the same columns as `ownerscope screen` writes
    const csv: CsvCell[][] = [];
    let last = 0;
    for (let i = 0; i < total; i++) {
      if (signal.aborted) {
        port.postMessage({ type: 'failed', error: { message: 'screening cancelled', isCancelled: true } });
        return;
      }
      if (list) {
        const r = list[i]!;
        if (r.id === null) {
          rows.push(blank(r.input, r.match === 'ambiguous' || r.match === 'invalid' ? r.match : 'not-found', r.note));
          csv.push(unresolvedCells(r.row, r.input, r.match, r.note));
        } else {
          rows.push(row(r.input, result.entry(indexOf(r.id))));
          csv.push(screenedCells(result, r.row, r.input, r.match, indexOf(r.id)));
        }
      } else {
        const e = result.entry(i);
        rows.push(row(String(e.id), e));
        csv.push(screenedCells(result, '', '', 'all', i));
      }
      if (Date.now() - last > 200) {
        last = Date.now();
        port.postMessage({ type: 'progress', done: i + 1, total, elapsedMs: Date.now() - started });
        await new Promise((r) => setImmediate(r));
      }
    }
    port.postMessage({ type: 'done', rows, csv, elapsedMs: Date.now() - started });
  } catch (e) {
    port.postMessage({ type: 'failed', error: { message: e instanceof Error ? e.message : String(e), isCancelled: false } });
  } finally {
    db.close();
  }
}
