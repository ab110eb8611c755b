// A job thread that blocks in a read nobody will answer (a FIFO without a writer), as an import
// of a file on a hung network share would: it never reads its 'cancel' message.
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

readFileSync(`${workerData.data.paths[0]}.fifo`);
