// Batch screening in the worker thread: a CSV list (a column of references or names; a name
// matching several entities is reported as ambiguous, never guessed) or every entity.
import { readFileSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import Papa from 'papaparse';
import type { ScreenRow } from '../../../shared/api/types';
import { formatBounds, screenAll, type ScreeningEntry } from '../../../shared/domain/engine';
import type { EffectivePolicy } from '../../../shared/domain/policy/policy';
import { loadGraph } from '../api/engine-load';
import { openCaseDb } from '../store/db';
import { resolveRef, searchEntities } from '../store/queries';

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
    const graph = loadGraph(db);
    const result = screenAll(graph, data.policy);
    const rows: ScreenRow[] = [];
    let refs: string[];
    if (data.listPath) {
      const parsed = Papa.parse<string[]>(readFileSync(data.listPath, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true });
      const table = parsed.data;
      const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
      let col = header.findIndex((h) => ['ref', 'reference', 'lei', 'id', 'name', 'company', 'entity'].includes(h));
      const hasHeader = col >= 0;
      if (col < 0) col = 0;
      refs = table.slice(hasHeader ? 1 : 0).map((r) => (r[col] ?? '').trim()).filter(Boolean);
    } else {
      refs = [];
      for (const r of db.prepare('SELECT id FROM entities WHERE is_placeholder = 0 ORDER BY id').iterate() as Iterable<{ id: number }>) refs.push(String(r.id));
    }
    let last = 0;
    for (let i = 0; i < refs.length; i++) {
      if (signal.aborted) {
        port.postMessage({ type: 'failed', error: { message: 'screening cancelled', isCancelled: true } });
        return;
      }
      const ref = refs[i]!;
      let id: number | null = null;
      try {
        id = resolveRef(db, ref);
      } catch {
        const hits = searchEntities(db, ref, 5).filter((h) => h.name.toLowerCase() === ref.toLowerCase() || h.matched.toLowerCase() === ref.toLowerCase());
        if (hits.length === 1) id = hits[0]!.id;
        else if (hits.length > 1) rows.push(blank(ref, 'ambiguous', `${hits.length} entities are named "${ref}": ${hits.map((h) => `#${h.id}`).join(', ')}; give an identifier`));
        else rows.push(blank(ref, 'not-found', 'no entity with this reference or name'));
      }
      if (id !== null) {
        const gi = graph.indexOf(id);
        rows.push(gi < 0 ? blank(ref, 'error', 'entity not in the graph') : row(ref, result.entry(gi)));
      }
      if (Date.now() - last > 200) {
        last = Date.now();
        port.postMessage({ type: 'progress', done: i + 1, total: refs.length, elapsedMs: Date.now() - started });
        await new Promise((r) => setImmediate(r));
      }
    }
    port.postMessage({ type: 'done', rows, elapsedMs: Date.now() - started });
  } catch (e) {
    port.postMessage({ type: 'failed', error: { message: e instanceof Error ? e.message : String(e), isCancelled: false } });
  } finally {
    db.close();
  }
}
