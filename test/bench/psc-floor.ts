// The UK PSC import's two halves on their own (docs/BENCHMARKS.md, the PSC floor): our parse() of a
// snapshot with the facts discarded (the parse worker's share), and the writer's database work with
// the facts parsed outside the clock (the importing thread's share). The import overlaps them on two
// cores, so it is never faster than the larger. Usage: psc-floor.ts FILE [DB]
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pscFormat } from '../../electron/backend/import/psc';
import { openCaseDb } from '../../electron/backend/store/db';
import { parseOnly } from './gleif-bench';
import { writeOnlyMs } from './write-floor';

const [file, dbArg] = process.argv.slice(2);
if (!file) throw new Error('usage: psc-floor.ts FILE [DB]');
const db = dbArg ?? path.join(tmpdir(), 'psc-floor.db');
for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
const parse = await parseOnly(pscFormat, file);
console.log(`parse() alone: ${(parse.ms / 1000).toFixed(1)} s (${parse.records.toLocaleString('en')} records)`);
const c = openCaseDb(db);
const write = await writeOnlyMs(c, pscFormat, file);
c.close();
console.log(`writer alone (facts parsed outside the clock; name index and commit included, the checkpoint not): ${(write / 1000).toFixed(1)} s`);
