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
import type { Fact } from '../../../shared/formats/facts';
import { contentHash, normalizeContent } from '../store/history';
import { encodeFacts, IN_FLIGHT, type EncodedRecords, type ParseJob, type ParseWorkerMessage } from './parse-protocol';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts must run in a worker thread');
const { input, format, requestUrl, known } = workerData as ParseJob;

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
  const mod = formatById(format);
  const sendBatch = (batch: (Fact | null)[], records?: EncodedRecords) => {
    const texts = new Array<string>(batch.length);
    for (let i = 0; i < batch.length; i++) texts[i] = batch[i] === null ? '' : JSON.stringify(batch[i]);
    // the history hash of each content, here rather than in the importing thread (a record
    // confirmed by its digest has no content: its slot is not read)
    const facts = encodeFacts(texts, (t) => (t === '' ? 0 : contentHash(normalizeContent(t))));
    const transfer = [facts.bytes.buffer, facts.ends.buffer, facts.hashes!.buffer];
    if (records) transfer.push(records.flags.buffer, records.lines.buffer, records.digests.buffer);
    send({ type: 'batch', facts, ...(records ? { items: records } : {}), ...progress() }, transfer);
  };
  const wait = async () => {
    while (credits <= 0) await new Promise<void>((r) => (wake = r));
    credits--;
  };
  if (mod.parseRecords) {
    for await (const b of mod.parseRecords(opened.chunks, ctx, known ?? null)) {
      await wait();
      sendBatch(b.facts, { flags: b.flags, lines: b.lines, digests: b.digests });
    }
  } else {
    for await (const batch of mod.parse(opened.chunks, ctx)) {
      await wait();
      sendBatch(batch);
    }
  }
  send({ type: 'end', ...progress(), sha256: opened.hash() });
} catch (e) {
  if (e instanceof ImportError) send({ type: 'fail', location: e.location, problem: e.problem, bytes: opened.bytes() });
  else send({ type: 'error', message: e instanceof Error ? e.message : String(e), bytes: opened.bytes() });
}
port.removeAllListeners('message');
