// Worker thread: parses one input and sends its facts to the import runner, which writes the
// previous batches meanwhile (parsing and writing overlap on two cores). Facts travel as JSON
// strings: the writer keeps that exact text as the record's history content, so it is serialized
// once, here, encoded as UTF-8 in a transferred buffer, and the writing thread only parses it back.
//
// Flow control: at most IN_FLIGHT batches wait in the runner; each batch it takes gives a credit
// back, so memory stays bounded whatever the file size.
import { parentPort, workerData } from 'node:worker_threads';
import { openInput } from './input';
import { formatById } from './registry';
import { ImportError, recordingContext } from './types';
import { contentHash, normalizeContent } from '../store/history';
import { encodeFacts, IN_FLIGHT, type ParseJob, type ParseWorkerMessage } from './parse-protocol';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts must run in a worker thread');
const { input, format, requestUrl } = workerData as ParseJob;

let credits = IN_FLIGHT;
let wake: (() => void) | null = null;
port.on('message', (m: unknown) => {
  if (m !== 'more') return;
  credits++;
  wake?.();
  wake = null;
});
const send = (m: ParseWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const { ctx, state } = recordingContext(input.name);
if (requestUrl !== undefined) ctx.requestUrl = requestUrl;
const progress = () => {
  const warnings = state.warnings;
  state.warnings = [];
  return { bytes: opened.bytes(), records: state.records, dataDate: state.dataDate, expectedRecords: state.expectedRecords, warnings };
};

const opened = await openInput(input);
try {
  for await (const batch of formatById(format).parse(opened.chunks, ctx)) {
    while (credits <= 0) await new Promise<void>((r) => (wake = r));
    credits--;
    const texts = new Array<string>(batch.length);
    for (let i = 0; i < batch.length; i++) texts[i] = JSON.stringify(batch[i]);
    const facts = encodeFacts(texts, (t) => contentHash(normalizeContent(t)));
    send({ type: 'batch', facts, ...progress() }, [facts.bytes.buffer, facts.ends.buffer, facts.hashes!.buffer]);
  }
  send({ type: 'end', ...progress(), sha256: opened.hash() });
} catch (e) {
  if (e instanceof ImportError) send({ type: 'fail', location: e.location, problem: e.problem, bytes: opened.bytes() });
  else send({ type: 'error', message: e instanceof Error ? e.message : String(e), bytes: opened.bytes() });
}
port.removeAllListeners('message');
