// Worker thread: reads the links of a case database into columns while the main thread reads
// the entities (screening loads both; on two cores they overlap).
import { parentPort, workerData } from 'node:worker_threads';
import { openCaseDb } from '../store/db';
import { readSnapshot } from '../store/concurrency';
import { dataState, readLinkColumns, transferables, type WorkerLinks } from './link-columns';

const { file, canonical, withEvidence } = workerData as { file: string; canonical: [number, number][]; withEvidence: boolean };
const db = openCaseDb(file, { readonly: true, create: false });
try {
  // the state travels with the columns: the main thread uses them only if it read the same one
  const links: WorkerLinks = readSnapshot(db, () => ({ columns: readLinkColumns(db, new Map(canonical), withEvidence), state: dataState(db) }));
  parentPort!.postMessage({ links }, transferables(links.columns));
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
} finally {
  db.close();
}
