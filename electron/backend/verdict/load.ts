// Loads the case database into the engine's compact graph: either only what a single-subject
// verdict needs (the subject's ancestor closure, plus its own branches), or the whole database
// once for screening. Works on resolved entities: an entity merged into another (entity
// resolution) is read as its canonical entity, while every link and marker keeps its own source
// and record reference.
import { GraphBuilder, type EntityInput, type LinkInput, type MarkerInput, type OwnershipGraph, type SourceRef } from '../../../shared/domain/engine';
import type { ControlBasis, CountryRole, EntityKind, LinkKind, LinkStatus, UndisclosedCategory } from '../../../shared/domain/model';
import { F_SUMMARY, type LinkColumns, type MarkerScope } from '../../../shared/domain/engine';
import { Worker } from 'node:worker_threads';
import { readLinkColumns } from './link-columns';
import { canonicalMap } from '../resolve';
import { readSnapshot, readSnapshotAsync, seesCommittedData } from '../store/concurrency';
import type { Db } from '../store/db';
import { ENTITY_NATURE_SQL, SOURCE_DATA_DATE_SQL, linkReading } from './record-dates';
import { dataState, type WorkerLinks } from './link-columns';
import { LINK_KINDS } from '../../../shared/domain/model';
import { NOT_ASSERTED_SQL, assertionSourceIds, hasAssertions, listAssertionRows, type AssertedEntityKind, type AssertionRow } from '../store/assertions';

const SEP = '\u001f';

// Column order of the raw link and marker rows below.
type LinkRaw = [
  id: number, owner: number, owned: number, kind: LinkKind, basis: ControlBasis | null, lo: number | null, loOpen: number | null,
  hi: number | null, hiOpen: number | null, summary: number, start: string | null, end: string | null, status: LinkStatus,
  registration: string | null, source: number, stated: string, record: string,
];
const LINK_COLUMNS = `id, owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, is_summary,
  start_date, end_date, status, registration_status, source_id`;
type MarkerRaw = [
  id: number, entity: number, category: UndisclosedCategory, scope: MarkerScope, reason: string, detail: string | null,
  lo: number | null, loOpen: number | null, hi: number | null, hiOpen: number | null, start: string | null, end: string | null,
  status: LinkStatus, source: number, record: string,
];
const MARKER_COLUMNS = `id, entity_id, category, scope, reason, detail, share_lo, share_lo_open, share_hi, share_hi_open,
  start_date, end_date, status, source_id, record_ref`;
type EntityRaw = [
  id: number, name: string, kind: EntityKind, topics: string, countries: string | null,
  founded: string | null, dissolved: string | null, isState: number | null, soleProprietor: number | null, idents?: string | null,
];
const entitySql = (withIdents: boolean, where: string, withAsserted = true) => `SELECT id, name, kind, topics,
    (SELECT group_concat(role || '=' || code) FROM entity_countries c WHERE c.entity_id = e.id AND code IS NOT NULL${withAsserted ? '' : ` AND ${NOT_ASSERTED_SQL('c.source_id')}`}),
    ${ENTITY_NATURE_SQL}
    ${withIdents ? `, (SELECT group_concat(scheme || ':' || value, '${SEP}') FROM identifiers i WHERE i.entity_id = e.id)` : ''}
  FROM entities e ${where}`;

/** Source names by id; `ref` returns one shared object per source when record references are not needed. */
class Sources {
  private readonly rows = new Map<number, { fileName: string; sha256: string; dataDate: string | null; shared: SourceRef }>();
  constructor(db: Db) {
    const all = db.prepare(`SELECT id, file_name, sha256, ${SOURCE_DATA_DATE_SQL} FROM sources`).raw().all() as [number, string, string, string | null][];
    for (const [id, fileName, sha256, dataDate] of all) {
      this.rows.set(id, { fileName, sha256, dataDate, shared: { sourceId: id, fileName, sha256, recordRef: '', dataDate } });
    }
  }
  ref(sourceId: number, recordRef: string | null): SourceRef {
    const s = this.rows.get(sourceId)!;
    return recordRef === null ? s.shared : { sourceId, fileName: s.fileName, sha256: s.sha256, recordRef, dataDate: s.dataDate };
  }
}

function splitCountries(text: string | null): { role: CountryRole; code: string }[] {
  if (!text) return [];
  return text.split(',').map((rc) => {
    const i = rc.indexOf('=');
    return { role: rc.slice(0, i) as CountryRole, code: rc.slice(i + 1) };
  });
}

/** Entity resolution as maps: member → canonical, canonical → its members (itself first). */
class Resolution {
  readonly canonical: Map<number, number>;
  private readonly members = new Map<number, number[]>();
  constructor(db: Db) {
    this.canonical = canonicalMap(db);
    for (const [m, c] of this.canonical) {
      let list = this.members.get(c);
      if (!list) this.members.set(c, (list = [c]));
      list.push(m);
    }
  }
  of(id: number): number {
    return this.canonical.get(id) ?? id;
  }
  group(id: number): number[] {
    return this.members.get(id) ?? [id];
  }
  get isEmpty(): boolean {
    return this.canonical.size === 0;
  }
}

/** A registry link left out because an assertion states the same pair and kind (the assertion is used). */
export interface OverriddenLink {
  assertionId: number;
  linkId: number;
  ownerId: number;
  ownedId: number;
  kind: string;
  stated: string;
  source: SourceRef;
}

/**
 * What a load read of the investigator's assertions (issue 14), filled in by the loaders: which
 * assertions the graph holds, the registry links they took precedence over, and the markers
 * whose share an asserted holding replaced.
 */
export interface AssertionReadout {
  read: Set<number>;
  overridden: OverriddenLink[];
  settledMarkers: { assertionIds: number[]; markerId: number; entityId: number; share: string; source: SourceRef }[];
}

export const newReadout = (): AssertionReadout => ({ read: new Set(), overridden: [], settledMarkers: [] });

/** The assertions as the loader applies them, under the policy's useAssertions. */
interface Asserted {
  on: boolean;
  /** source id → assertion id, for every assertion source (retracted ones have no rows left) */
  bySource: Map<number, number>;
  /** "owner|owned|kind" (resolved ids) of active asserted links → assertion id */
  pairs: Map<string, number>;
  /** entities (resolved) with asserted holdings: their markers no longer bound the undisclosed part */
  held: Map<number, number[]>;
  kinds: Map<number, { kind: AssertedEntityKind; id: number }>;
  topics: Map<number, { topics: string[]; id: number }[]>;
  /** entities (resolved) whose facts an assertion states: reading them reads the assertion */
  about: Map<number, number[]>;
  out: AssertionReadout;
}

function readAsserted(db: Db, res: Resolution, on: boolean, out: AssertionReadout): Asserted | null {
  if (!hasAssertions(db)) return null;
  const rows: AssertionRow[] = listAssertionRows(db);
  const A: Asserted = { on, bySource: new Map(), pairs: new Map(), held: new Map(), kinds: new Map(), topics: new Map(), about: new Map(), out };
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const id of assertionSourceIds(db)) A.bySource.set(id, -1);
  for (const a of rows) {
    A.bySource.set(a.sourceId, a.id);
    if (a.status !== 'active') continue;
    const f = a.content;
    if (f.fact === 'link') {
      const owner = res.of(f.ownerId);
      const owned = res.of(f.ownedId);
      A.pairs.set(`${owner}|${owned}|${f.kind}`, a.id);
      if (f.kind !== 'control') push(A.held, owned, a.id);
    } else if (f.fact === 'kind') {
      A.kinds.set(res.of(f.entityId), { kind: f.kind, id: a.id });
      push(A.about, res.of(f.entityId), a.id);
    } else if (f.fact === 'listed') {
      push(A.topics, res.of(f.entityId), { topics: f.topics, id: a.id });
      push(A.about, res.of(f.entityId), a.id);
    } else if (f.fact === 'entity' || f.fact === 'location') {
      push(A.about, res.of(a.entityId), a.id);
    }
  }
  return A;
}

interface Loader {
  db: Db;
  b: GraphBuilder;
  sources: Sources;
  res: Resolution;
  withIdents: boolean;
  withEvidence: boolean;
  link: LinkInput;
  asserted: Asserted | null;
}

function newLoader(db: Db, withIdents: boolean, withEvidence: boolean, useAssertions = true, readout: AssertionReadout = newReadout()): Loader {
  const res = new Resolution(db);
  return {
    db, b: new GraphBuilder(), sources: new Sources(db), res, withIdents, withEvidence, asserted: readAsserted(db, res, useAssertions, readout),
    // one object reused for every row: the builder copies what it keeps
    link: {
      id: 0, ownerId: 0, ownedId: 0, kind: 'shares', controlBasis: null, share: null, stated: '', isSummary: false,
      startDate: null, endDate: null, status: 'active', source: { sourceId: 0, fileName: '', sha256: '', recordRef: '' },
    },
  };
}

function addLink(L: Loader, r: LinkRaw): void {
  const owner = L.res.of(r[1]);
  const owned = L.res.of(r[2]);
  // two records merged into one entity: a link between them is not ownership of itself
  if (owner === owned && r[1] !== r[2]) return;
  const A = L.asserted;
  if (A) {
    const aid = A.bySource.get(r[14]);
    if (aid !== undefined) {
      if (!A.on) return;
      A.out.read.add(aid);
    } else if (A.on && r[9] === 0) {
      // the same pair and kind stated by a registry and asserted: the assertion is used, the
      // registry link is shown beside it (findings) and left out of the computation
      const over = A.pairs.get(`${owner}|${owned}|${r[3]}`);
      if (over !== undefined) {
        A.out.overridden.push({ assertionId: over, linkId: r[0], ownerId: owner, ownedId: owned, kind: r[3], stated: r[15], source: L.sources.ref(r[14], r[16]) });
        return;
      }
    }
  }
  const l = L.link;
  l.id = r[0];
  l.ownerId = owner;
  l.ownedId = owned;
  l.kind = r[3];
  l.controlBasis = r[4];
  l.share = r[5] === null || r[7] === null ? null : { lo: r[5], loOpen: r[6] === 1, hi: r[7], hiOpen: r[8] === 1 };
  l.isSummary = r[9] === 1;
  l.startDate = r[10];
  l.endDate = r[11];
  // a retired registration has ended (its dates still count); an annulled or duplicate one never stated it
  const reading = linkReading(r[12], r[13]);
  l.status = reading.status;
  l.isVoid = reading.isVoid;
  l.stated = L.withEvidence ? r[15] : '';
  l.source = L.sources.ref(r[14], L.withEvidence ? r[16] : null);
  L.b.addLink(l);
}

function addMarker(L: Loader, r: MarkerRaw): void {
  const m: MarkerInput = {
    id: r[0], subjectId: L.res.of(r[1]), category: r[2], scope: r[3], reason: r[4], detail: r[5],
    share: r[6] === null || r[8] === null ? null : { lo: r[6], loOpen: r[7] === 1, hi: r[8], hiOpen: r[9] === 1 },
    startDate: r[10], endDate: r[11], status: r[12], source: L.sources.ref(r[13], r[14]),
  };
  // The investigator says who holds the undisclosed part: the marker still explains that the
  // registry withheld it, but its share no longer bounds what is unknown; what the holdings
  // (registry and asserted) leave uncovered stays undisclosed.
  const held = L.asserted?.on ? L.asserted.held.get(m.subjectId) : undefined;
  if (held && m.share) {
    L.asserted!.out.settledMarkers.push({ assertionIds: held, markerId: m.id, entityId: m.subjectId, share: `${m.share.lo / 10000}%–${m.share.hi / 10000}%`, source: m.source });
    m.share = null;
  }
  L.b.addMarker(m);
}

function entityInput(r: EntityRaw): EntityInput {
  return {
    id: r[0], name: r[1], kind: r[2], countries: splitCountries(r[4]), topics: r[3] === '[]' ? [] : (JSON.parse(r[3]) as string[]),
    identifiers: r[9] ? r[9].split(SEP) : [],
    startDate: r[5], endDate: r[6], isState: r[7] === 1, soleProprietor: r[8] === 1,
  };
}

/** The entity with the kind and listings asserted about it (when the policy reads assertions). */
function withAsserted(L: Loader, e: EntityInput): EntityInput {
  const A = L.asserted;
  if (!A) return e;
  const about = A.about.get(e.id);
  if (!A.on || !about) return e;
  for (const id of about) A.out.read.add(id);
  const kind = A.kinds.get(e.id);
  const listed = A.topics.get(e.id);
  if (!kind && !listed) return e;
  let out = { ...e };
  if (kind) out = { ...out, kind: kind.kind === 'state' ? 'state-body' : kind.kind, isState: kind.kind === 'state' };
  if (listed) out = { ...out, topics: [...new Set([...(out.topics ?? []), ...listed.flatMap((l) => l.topics)])] };
  return out;
}

/** Adds the facts of the entities merged into `e` (countries, topics, identifiers) to `e`. */
function withMembers(L: Loader, e: EntityInput, read: (id: number) => EntityRaw | undefined): EntityInput {
  const group = L.res.group(e.id);
  if (group.length === 1) return e;
  const countries = [...(e.countries ?? [])];
  const topics = new Set(e.topics ?? []);
  const identifiers = new Set(e.identifiers ?? []);
  for (const m of group.slice(1)) {
    const row = read(m);
    if (!row) continue;
    const me = entityInput(row);
    countries.push(...(me.countries ?? []));
    for (const t of me.topics ?? []) topics.add(t);
    for (const i of me.identifiers ?? []) identifiers.add(i);
  }
  return { ...e, countries, topics: [...topics], identifiers: [...identifiers] };
}

/**
 * The entities that can influence the subjects' verdicts: their owners, the owners' owners, and
 * so on (every link kind, summary links included), plus the subjects' own branches (shown in
 * findings). Reads only those rows. Subject ids may be any member of a resolved group.
 */
export interface ClosureOptions {
  allIdentifiers?: boolean;
  /** policy useAssertions (default true) */
  useAssertions?: boolean;
  /** filled with what was read of the assertions */
  readout?: AssertionReadout;
}

export function loadClosure(db: Db, subjectIds: number[], options: ClosureOptions = {}): OwnershipGraph {
  // one snapshot: an import committing between two of the queries below would mix two states
  return readSnapshot(db, () => readClosure(db, subjectIds, options));
}

function readClosure(db: Db, subjectIds: number[], options: ClosureOptions): OwnershipGraph {
  // Identifiers of the other entities matter only to match policy restrictedParties.
  const allIdentifiers = options.allIdentifiers ?? true;
  const useAssertions = options.useAssertions ?? true;
  const L = newLoader(db, true, true, useAssertions, options.readout);
  const sqlAsserted = useAssertions || !L.asserted;
  // Breadth-first, one query per level (ids passed as a JSON array): a subject with 10,000 owners
  // costs a handful of queries, not 30,000.
  const ownersOf = db.prepare(`SELECT ${LINK_COLUMNS}, stated, record_ref FROM links WHERE owned_id IN (SELECT value FROM json_each(?))`).raw();
  const branchesOf = db.prepare(
    `SELECT ${LINK_COLUMNS}, stated, record_ref FROM links WHERE owner_id IN (SELECT value FROM json_each(?)) AND kind = 'branch'`,
  ).raw();
  const members = (ids: number[]) => JSON.stringify(ids.flatMap((id) => L.res.group(id)));
  const subjects = [...new Set(subjectIds.map((id) => L.res.of(id)))];
  const seen = new Set<number>(subjects);
  const links: LinkRaw[] = [];
  for (let frontier = subjects; frontier.length > 0; ) {
    const next: number[] = [];
    for (const l of ownersOf.all(members(frontier)) as LinkRaw[]) {
      // with useAssertions off, an asserted owner is not part of the closure at all
      if (!useAssertions && L.asserted?.bySource.has(l[14])) continue;
      links.push(l);
      const owner = L.res.of(l[1]);
      if (!seen.has(owner)) {
        seen.add(owner);
        next.push(owner);
      }
    }
    frontier = next;
  }
  for (const l of branchesOf.all(members(subjects)) as LinkRaw[]) {
    links.push(l);
    seen.add(L.res.of(l[2]));
  }
  const ids = [...seen];
  const rows = new Map<number, EntityRaw>();
  const entities = db.prepare(entitySql(true, 'WHERE id IN (SELECT value FROM json_each(?))', sqlAsserted)).raw();
  if (allIdentifiers) {
    for (const r of entities.all(members(ids)) as EntityRaw[]) rows.set(r[0], r);
  } else {
    const withoutIdents = db.prepare(entitySql(false, 'WHERE id IN (SELECT value FROM json_each(?))', sqlAsserted)).raw();
    for (const r of withoutIdents.all(members(ids)) as EntityRaw[]) rows.set(r[0], r);
    for (const r of entities.all(members(subjects)) as EntityRaw[]) rows.set(r[0], r);
  }
  const read = (id: number) => rows.get(id);
  for (const id of ids) L.b.addEntity(withAsserted(L, withMembers(L, entityInput(read(id)!), read)));
  const markers = db.prepare(`SELECT ${MARKER_COLUMNS} FROM undisclosed WHERE entity_id IN (SELECT value FROM json_each(?))`).raw();
  for (const m of markers.all(members(ids)) as MarkerRaw[]) addMarker(L, m);
  for (const l of links) addLink(L, l);
  return L.b.freeze();
}

export interface LoadAllOptions {
  /** Identifiers are needed only to match policy `restrictedParties` (and for display). */
  identifiers?: boolean;
  /** Keep each link's stated share and record reference (for evidence); screening needs neither. */
  evidence?: boolean;
  /** Read links in a worker thread (default: when the database has 200,000 links or more). */
  parallel?: boolean;
  /** policy useAssertions (default true) */
  useAssertions?: boolean;
}

/** Below this many links, reading them in the main thread is cheaper than starting a worker. */
const PARALLEL_MIN_LINKS = 200_000;

function readLinksInWorker(file: string, canonical: Map<number, number>, withEvidence: boolean): Promise<WorkerLinks> {
  // development and tests run the TypeScript through a boot file; the packaged app ships the
  // bundled worker next to its own bundle
  const url = import.meta.url.endsWith('.ts') ? new URL('./link-worker-boot.mjs', import.meta.url) : new URL('./link-worker.mjs', import.meta.url);
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: { file, canonical: [...canonical], withEvidence } });
    worker.once('message', (m: { links?: WorkerLinks; error?: string }) => {
      void worker.terminate();
      if (m.links) resolve(m.links);
      else reject(new Error(m.error ?? 'link reader failed'));
    });
    worker.once('error', reject);
  });
}

/**
 * The whole database, for screening. Streams each table once, as raw rows; on a large database
 * a worker thread reads the links while this thread reads the entities.
 */
export async function loadAll(db: Db, options: LoadAllOptions = {}): Promise<OwnershipGraph> {
  // the worker's own connection cannot see uncommitted rows of a transaction already open here
  const canUseWorker = db.name !== '' && db.name !== ':memory:' && seesCommittedData(db);
  // one snapshot for everything read here; the worker's snapshot is checked against it below
  return readSnapshotAsync(db, () => readAll(db, options, canUseWorker));
}

async function readAll(db: Db, options: LoadAllOptions, canUseWorker: boolean): Promise<OwnershipGraph> {
  const L = newLoader(db, options.identifiers ?? true, options.evidence ?? false, options.useAssertions ?? true);
  const sqlAsserted = (options.useAssertions ?? true) || !L.asserted;
  const maxLink = (db.prepare('SELECT COALESCE(MAX(id), 0) FROM links').pluck().get() as number) ?? 0;
  const parallel = canUseWorker && (options.parallel ?? maxLink >= PARALLEL_MIN_LINKS) ? readLinksInWorker(db.name, L.res.canonical, L.withEvidence) : null;
  // The worker reads its own snapshot, on its own connection: it is used only when it shows the
  // same data as this one (no import committed in between); otherwise, and when the worker fails
  // (no worker support, a packaging problem), the links are read here.
  const state = dataState(db);
  const fromWorker = parallel
    ? parallel.then((w) => (w.state === state ? w.columns : null), () => null)
    : Promise.resolve(null);
  const memberRows = new Map<number, EntityRaw>();
  if (!L.res.isEmpty) {
    const one = db.prepare(entitySql(true, 'WHERE id = ?', sqlAsserted)).raw();
    for (const m of L.res.canonical.keys()) memberRows.set(m, one.get(m) as EntityRaw);
  }
  const rows = db.prepare(entitySql(L.withIdents, '', sqlAsserted)).raw().iterate() as Iterable<EntityRaw>;
  for (const r of rows) {
    if (L.res.canonical.has(r[0])) continue; // read as part of its canonical entity
    const e = entityInput(r);
    L.b.addEntity(withAsserted(L, L.res.isEmpty ? e : withMembers(L, e, (id) => memberRows.get(id))));
  }
  const columns = (await fromWorker) ?? readLinkColumns(db, L.res.canonical, L.withEvidence);
  L.b.addLinkColumns(L.asserted ? assertedColumns(L.asserted, columns) : columns);
  for (const m of db.prepare(`SELECT ${MARKER_COLUMNS} FROM undisclosed`).raw().iterate() as Iterable<MarkerRaw>) addMarker(L, m);
  return L.b.freeze();
}

/** Screening's link columns with the assertions applied as addLink applies them to rows. */
function assertedColumns(A: Asserted, c: LinkColumns): LinkColumns {
  const keep: number[] = [];
  for (let k = 0; k < c.count; k++) {
    const sourceId = c.sources[c.source[k]!]!.sourceId;
    if (A.bySource.has(sourceId)) {
      if (A.on) keep.push(k);
      continue;
    }
    const summary = (c.flags[k]! & F_SUMMARY) !== 0;
    if (A.on && !summary && A.pairs.has(`${c.owner[k]}|${c.owned[k]}|${LINK_KINDS[c.kind[k]!]}`)) continue;
    keep.push(k);
  }
  if (keep.length === c.count) return c;
  const pick = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    keep.forEach((k, i) => (out[i] = a[k]!));
    return out;
  };
  return {
    count: keep.length, id: pick(c.id), owner: pick(c.owner), owned: pick(c.owned), kind: pick(c.kind), basis: pick(c.basis), lo: pick(c.lo), hi: pick(c.hi),
    flags: pick(c.flags), start: pick(c.start), end: pick(c.end), status: pick(c.status), source: pick(c.source), sources: c.sources,
    ...(c.stated ? { stated: keep.map((k) => c.stated![k]!) } : {}), ...(c.recordRef ? { recordRef: keep.map((k) => c.recordRef![k]!) } : {}),
  };
}

/** The entity that stands for `id` after entity resolution. */
export function resolvedId(db: Db, id: number): number {
  // callers read in a snapshot (computeVerdict, screen): the same one as their graph
  return canonicalMap(db).get(id) ?? id;
}
