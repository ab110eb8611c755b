// Worker thread: reads the links of a case database into columns while the main thread reads
// the entities (screening loads both; on two cores they overlap).
import { parentPort, workerData } from 'node:worker_threads';
import { openCaseDb } from '../store/db';
import { readLinkColumns, transferables } from './link-columns';

const { file, canonical, withEvidence } = workerData as { file: string; canonical: [number, number][]; withEvidence: boolean };
const db = openCaseDb(file, { readonly: true, create: false });
try {
  const columns = readLinkColumns(db, new Map(canonical), withEvidence);
  parentPort!.postMessage({ columns }, transferables(columns));
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
} finally {
  db.close();
}
