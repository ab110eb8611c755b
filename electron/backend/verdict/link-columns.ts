// Reads every link of the case database into columns (typed arrays) for the engine's
// GraphBuilder.addLinkColumns: no object per link, and transferable between threads.
import {
  F_HAS_SHARE,
  F_HI_OPEN,
  F_LO_OPEN,
  F_SUMMARY,
  F_VOID,
  parseDateInt,
  type LinkColumns,
} from '../../../shared/domain/engine';
import { CONTROL_BASES, FULL_SHARE, LINK_KINDS, LINK_STATUSES } from '../../../shared/domain/model';
import { readSnapshot } from '../store/concurrency';
import type { Db } from '../store/db';
import { SOURCE_DATA_DATE_SQL, linkReadingCode } from './record-dates';

const KIND = new Map<string, number>(LINK_KINDS.map((k, i) => [k, i]));
const BASIS = new Map<string, number>(CONTROL_BASES.map((k, i) => [k, i + 1]));
const STATUS = new Map<string, number>(LINK_STATUSES.map((k, i) => [k, i]));

type Row = [
  id: number, owner: number, owned: number, kind: string, basis: string | null, lo: number | null, loOpen: number | null,
  hi: number | null, hiOpen: number | null, summary: number, start: string | null, end: string | null, status: string,
  registration: string | null, source: number, stated?: string, record?: string,
];

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

/** Reads the links; owners and owned are mapped through `canonical` (entity resolution). */
export function readLinkColumns(db: Db, canonical: Map<number, number>, withEvidence: boolean): LinkColumns {
  // the sources and the links of one snapshot: a source committed in between would be unknown
  return readSnapshot(db, () => readColumns(db, canonical, withEvidence));
}

function readColumns(db: Db, canonical: Map<number, number>, withEvidence: boolean): LinkColumns {
  let cap = 1024;
  let id = new Float64Array(cap);
  let owner = new Float64Array(cap);
  let owned = new Float64Array(cap);
  let kind = new Uint8Array(cap);
  let basis = new Uint8Array(cap);
  let lo = new Int32Array(cap);
  let hi = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let status = new Uint8Array(cap);
  let source = new Int32Array(cap);
  const stated: string[] | undefined = withEvidence ? [] : undefined;
  const recordRef: string[] | undefined = withEvidence ? [] : undefined;
  const sources = (
    db.prepare(`SELECT id, file_name, sha256, ${SOURCE_DATA_DATE_SQL} FROM sources ORDER BY id`).raw().all() as [number, string, string, string | null][]
  ).map(([sourceId, fileName, sha256, dataDate]) => ({ sourceId, fileName, sha256, dataDate }));
  const sourceIndex = new Map(sources.map((s, i) => [s.sourceId, i]));
  const rows = db
    .prepare(
      `SELECT id, owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, is_summary,
        start_date, end_date, status, registration_status, source_id${withEvidence ? ', stated, record_ref' : ''} FROM links`,
    )
    .raw()
    .iterate() as Iterable<Row>;
  let n = 0;
  const hasCanonical = canonical.size > 0;
  for (const r of rows) {
    const o = hasCanonical ? (canonical.get(r[1]) ?? r[1]) : r[1];
    const d = hasCanonical ? (canonical.get(r[2]) ?? r[2]) : r[2];
    // two records merged into one entity: a link between them is not ownership of itself
    if (o === d && r[1] !== r[2]) continue;
    if (n === cap) {
      cap *= 2;
      id = grow(id, (k) => new Float64Array(k));
      owner = grow(owner, (k) => new Float64Array(k));
      owned = grow(owned, (k) => new Float64Array(k));
      kind = grow(kind, (k) => new Uint8Array(k));
      basis = grow(basis, (k) => new Uint8Array(k));
      lo = grow(lo, (k) => new Int32Array(k));
      hi = grow(hi, (k) => new Int32Array(k));
      flags = grow(flags, (k) => new Uint8Array(k));
      start = grow(start, (k) => new Int32Array(k));
      end = grow(end, (k) => new Int32Array(k));
      status = grow(status, (k) => new Uint8Array(k));
      source = grow(source, (k) => new Int32Array(k));
    }
    id[n] = r[0];
    owner[n] = o;
    owned[n] = d;
    kind[n] = KIND.get(r[3])!;
    basis[n] = r[4] === null ? 0 : BASIS.get(r[4])!;
    let f = r[9] === 1 ? F_SUMMARY : 0;
    if (r[5] !== null && r[7] !== null) {
      f |= F_HAS_SHARE | (r[6] === 1 ? F_LO_OPEN : 0) | (r[8] === 1 ? F_HI_OPEN : 0);
      lo[n] = r[5];
      hi[n] = r[7];
    } else {
      lo[n] = 0;
      hi[n] = FULL_SHARE;
    }
    start[n] = parseDateInt(r[10], 'start');
    end[n] = parseDateInt(r[11], 'end');
    // a retired registration has ended (its dates still count); an annulled or duplicate one never stated it
    const reading = linkReadingCode(STATUS.get(r[12])!, r[13]);
    status[n] = reading.status;
    flags[n] = reading.isVoid ? f | F_VOID : f;
    source[n] = sourceIndex.get(r[14])!;
    if (withEvidence) {
      stated!.push(r[15]!);
      recordRef!.push(r[16]!);
    }
    n++;
  }
  return {
    count: n, id: id.slice(0, n), owner: owner.slice(0, n), owned: owned.slice(0, n), kind: kind.slice(0, n), basis: basis.slice(0, n),
    lo: lo.slice(0, n), hi: hi.slice(0, n), flags: flags.slice(0, n), start: start.slice(0, n), end: end.slice(0, n),
    status: status.slice(0, n), source: source.slice(0, n), sources, stated, recordRef,
  };
}

/** The typed arrays of a LinkColumns, to transfer them to another thread without copying. */
export function transferables(c: LinkColumns): ArrayBuffer[] {
  return [c.id, c.owner, c.owned, c.kind, c.basis, c.lo, c.hi, c.flags, c.start, c.end, c.status, c.source].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/**
 * Which committed state of the links a snapshot shows: links change only in imports, and every
 * import adds a source row (never deleted), so two snapshots with the same highest source id hold
 * the same links and sources.
 */
export function dataState(db: Db): number {
  return db.prepare('SELECT COALESCE(MAX(id), 0) FROM sources').pluck().get() as number;
}

/** What the link reader worker sends back: the columns and the state of the snapshot it read. */
export interface WorkerLinks {
  columns: LinkColumns;
  state: number;
}
