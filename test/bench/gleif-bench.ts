// GLEIF import benchmark: generates files (if missing), then times per file
//   (a) the bare parser: saxes / papaparse alone, and our parse() with facts discarded,
//   (b) the full import into a fresh SQLite case database until committed, then the checkpoint
//       of the write-ahead log on its own,
// and prints records/s, MiB/s, peak RSS and the ratio import / bare parser.
//   node --import tsx test/bench/gleif-bench.ts --entities 100000 [--dir DIR]
import Papa from 'papaparse';
import { SaxesParser } from 'saxes';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { pathToFileURL } from 'node:url';
import { gleifFormats } from '../../electron/backend/import/gleif';
import { checkpointWal, importFiles } from '../../electron/backend/import/runner';
import type { FormatModule, ParseContext } from '../../electron/backend/import/types';
import { openCaseDb } from '../../electron/backend/store/db';
import { GENERATED_FILES, generateGleif } from './gleif-generate';
import { writeOnlyMs } from './write-floor';

export interface BenchRow {
  file: string;
  records: number;
  mib: number;
  rawParserMs: number;
  parseMs: number;
  /** Until the import is committed (durable, visible to readers). */
  importMs: number;
  /** Folding the write-ahead log into the database file afterwards (the app does it after reporting). */
  checkpointMs: number;
  recordsPerSec: number;
  mibPerSec: number;
  peakRssMiB: number;
  ratio: number;
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  start(): void {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 20);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}

const read = (file: string) => createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;

/** saxes or papaparse alone over the file, no mapping. */
async function rawParser(file: string): Promise<number> {
  const t = performance.now();
  const dec = new StringDecoder('utf8');
  if (file.endsWith('.xml')) {
    const p = new SaxesParser({ position: true });
    let n = 0;
    p.on('opentag', () => n++);
    for await (const c of read(file)) p.write(dec.write(c));
    p.close();
  } else {
    const p = new Papa.Parser({ delimiter: ',', newline: '\r\n' });
    let partial = '';
    for await (const c of read(file)) {
      const agg = partial + dec.write(c);
      const r = p.parse(agg, 0, true) as { meta: { cursor: number } };
      partial = agg.substring(r.meta.cursor);
    }
    p.parse(partial, 0, false);
  }
  return performance.now() - t;
}

/** Our parse() (parser + flattening + mapping + validation), facts discarded. */
export async function parseOnly(mod: FormatModule, file: string): Promise<{ ms: number; records: number }> {
  let records = 0;
  const ctx: ParseContext = {
    fileName: path.basename(file),
    fail: (l, p) => {
      throw new Error(`${l}: ${p}`);
    },
    setDataDate: () => {},
    countRecords: (n) => (records += n),
    setExpectedRecords: () => {},
  };
  const t = performance.now();
  for await (const batch of mod.parse(read(file), ctx)) void batch;
  return { ms: performance.now() - t, records };
}

export const FORMAT_OF: Record<string, FormatModule['id']> = {
  [GENERATED_FILES.l1Xml]: 'gleif-l1-xml', [GENERATED_FILES.l1Csv]: 'gleif-l1-csv', [GENERATED_FILES.rrXml]: 'gleif-rr-xml',
  [GENERATED_FILES.rrCsv]: 'gleif-rr-csv', [GENERATED_FILES.repexXml]: 'gleif-repex-xml', [GENERATED_FILES.repexCsv]: 'gleif-repex-csv',
};

export interface GleifBenchOptions {
  /** Also time the database work alone (write-floor.ts) in a second case database: the floor. */
  floor?: boolean;
}

export async function benchGleif(entities: number, dir: string, options: GleifBenchOptions = {}): Promise<BenchRow[]> {
  if (!existsSync(path.join(dir, GENERATED_FILES.repexCsv))) {
    const t = Date.now();
    const c = await generateGleif(entities, dir);
    console.log(`generated ${c.entities} entities, ${c.relationships} relationships, ${c.exceptions} exceptions in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  }
  const rows: BenchRow[] = [];
  // Level 1 first into a DB, then RR and repex on top (realistic: links find their entities).
  for (const order of [[GENERATED_FILES.l1Xml, GENERATED_FILES.rrXml, GENERATED_FILES.repexXml], [GENERATED_FILES.l1Csv, GENERATED_FILES.rrCsv, GENERATED_FILES.repexCsv]]) {
    const dbFile = path.join(dir, `bench-${order[0]}.db`);
    for (const s of ['', '-wal', '-shm']) rmSync(dbFile + s, { force: true });
    const db = openCaseDb(dbFile);
    for (const name of order) {
      const file = path.join(dir, name);
      const mod = gleifFormats.find((m) => m.id === FORMAT_OF[name])!;
      const mib = statSync(file).size / (1 << 20);
      const rawParserMs = await rawParser(file);
      const parse = await parseOnly(mod, file);
      global.gc?.();
      const rss = new RssSampler();
      rss.start();
      const t = performance.now();
      const [res] = await importFiles(db, [file], { format: mod.id, checkpoint: false });
      const importMs = performance.now() - t;
      const tc = performance.now();
      checkpointWal(db);
      const checkpointMs = performance.now() - tc;
      const peak = rss.stop();
      rows.push({
        file: name, records: res!.records, mib, rawParserMs, parseMs: parse.ms, importMs, checkpointMs,
        recordsPerSec: res!.records / (importMs / 1000), mibPerSec: mib / (importMs / 1000), peakRssMiB: peak / (1 << 20),
        ratio: parse.ms / importMs,
      });
    }
    db.close();
  }
  const floor = new Map<string, number>();
  if (options.floor) {
    for (const order of [[GENERATED_FILES.l1Xml, GENERATED_FILES.rrXml, GENERATED_FILES.repexXml], [GENERATED_FILES.l1Csv, GENERATED_FILES.rrCsv, GENERATED_FILES.repexCsv]]) {
      const dbFile = path.join(dir, `bench-floor-${order[0]}.db`);
      for (const s of ['', '-wal', '-shm']) rmSync(dbFile + s, { force: true });
      const db = openCaseDb(dbFile);
      for (const name of order) floor.set(name, await writeOnlyMs(db, gleifFormats.find((m) => m.id === FORMAT_OF[name])!, path.join(dir, name)));
      db.close();
    }
  }
  const fmt = (x: number, d = 0) => x.toFixed(d).padStart(9);
  console.log(`\nGLEIF import benchmark, ${entities} entities (${dir})`);
  console.log('file               records      MiB  saxes/papa ms  parse() ms  import ms  checkpoint ms   rec/s     MiB/s  peakRSS MiB  import/parse()  incl. checkpoint  import/raw');
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  for (const r of rows) {
    console.log(
      `${r.file.padEnd(16)} ${fmt(r.records)} ${fmt(r.mib, 1)} ${fmt(r.rawParserMs).padStart(13)} ${fmt(r.parseMs).padStart(11)} ${fmt(r.importMs).padStart(10)} ${fmt(r.checkpointMs).padStart(14)} ${fmt(r.recordsPerSec)} ${fmt(r.mibPerSec, 1)} ${fmt(r.peakRssMiB).padStart(12)} ${pct(r.ratio).padStart(15)} ${pct(r.parseMs / (r.importMs + r.checkpointMs)).padStart(17)} ${pct(r.rawParserMs / r.importMs).padStart(11)}`,
    );
  }
  if (options.floor) {
    console.log('\nThe floor: the database work alone (writer and SQLite, facts parsed outside the clock), against parse()');
    console.log('file               parse() ms  write only ms  best possible import/parse()');
    for (const r of rows) {
      const w = floor.get(r.file)!;
      console.log(`${r.file.padEnd(16)} ${fmt(r.parseMs).padStart(11)} ${fmt(w).padStart(14)} ${pct(r.parseMs / w).padStart(29)}`);
    }
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--entities');
  const n = Number(i >= 0 ? process.argv[i + 1] : '100000');
  const d = process.argv.indexOf('--dir');
  const dir = d >= 0 ? process.argv[d + 1]! : path.join(tmpdir(), `ownerscope-gleif-bench-${n}`);
  mkdirSync(dir, { recursive: true });
  await benchGleif(n, dir, { floor: process.argv.includes('--floor') });
}
