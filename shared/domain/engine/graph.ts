// The compact ownership graph the engine runs on. A loader (SQLite rows, test fixtures) feeds
// plain rows into a GraphBuilder and freezes it; everything after that is integer indices and
// typed arrays (CSR adjacency), because at 1M entities + 1M links loading is what costs.
import {
  CONTROL_BASES,
  COUNTRY_ROLES,
  ENTITY_KINDS,
  LINK_KINDS,
  LINK_STATUSES,
  UNDISCLOSED_CATEGORIES,
  type ControlBasis,
  type CountryRole,
  type EntityKind,
  type LinkKind,
  type LinkStatus,
  type ShareInterval,
  type UndisclosedCategory,
} from '../model';

export interface SourceRef {
  sourceId: number;
  fileName: string;
  sha256: string;
  recordRef: string;
  /** The date the source's data describes (its file date); a status-only "ended" is known by then. */
  dataDate?: string | null;
}

export interface EntityInput {
  /** Database id. */
  id: number;
  name: string;
  kind: EntityKind;
  /** `code` is ISO 3166-1 alpha-2 or an ISO 3166-2 subdivision (`CN-ZJ` counts as CN). */
  countries?: readonly { role: CountryRole; code: string }[];
  topics?: readonly string[];
  /** `scheme:value`, e.g. `lei:5299…`, `gb-coh:01234567`. */
  identifiers?: readonly string[];
  /** When the entity came into existence (founded, incorporated, created); none = always. */
  startDate?: string | null;
  /** When it ceased to exist (dissolved); none = still exists. */
  endDate?: string | null;
  /** A state (BODS `state`): no owners by definition, located in its own country. */
  isState?: boolean;
  /** A natural person trading under a business registration (GLEIF SOLE_PROPRIETOR, a sole trader). */
  soleProprietor?: boolean;
}

/** Entity flags. */
export const E_STATE = 1;
export const E_SOLE_PROPRIETOR = 2;

export interface LinkInput {
  id: number;
  ownerId: number;
  ownedId: number;
  kind: LinkKind;
  controlBasis?: ControlBasis | null;
  share: ShareInterval | null;
  stated: string;
  isSummary: boolean;
  startDate?: string | null;
  endDate?: string | null;
  status: LinkStatus;
  /** The record was void from the start (GLEIF ANNULLED or DUPLICATE): it never counts. */
  isVoid?: boolean;
  source: SourceRef;
}

export const MARKER_SCOPES = ['direct', 'ultimate', 'any'] as const;
export type MarkerScope = (typeof MARKER_SCOPES)[number];

export interface MarkerInput {
  id: number;
  subjectId: number;
  category: UndisclosedCategory;
  scope: MarkerScope;
  reason: string;
  detail?: string | null;
  share?: ShareInterval | null;
  startDate?: string | null;
  endDate?: string | null;
  status: LinkStatus;
  source: SourceRef;
}

/** Share flags on links and holdings. */
export const F_HAS_SHARE = 1;
export const F_LO_OPEN = 2;
export const F_HI_OPEN = 4;
export const F_SUMMARY = 8;
/** A void record (annulled, duplicate): shown, never counted. */
export const F_VOID = 16;

/**
 * Parses an ISO date (or its prefix: YYYY, YYYY-MM, a full timestamp) to yyyymmdd. Partial
 * dates are widened the way that keeps a link counting: a start date to the earliest day it
 * can mean, an end date to the latest. 0 = no date.
 */
export function parseDateInt(s: string | null | undefined, side: 'start' | 'end'): number {
  if (!s) return 0;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(s.trim());
  if (!m) return 0;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : side === 'start' ? 1 : 12;
  const d = m[3] ? Number(m[3]) : side === 'start' ? 1 : 31;
  return y * 10000 + mo * 100 + d;
}

class Growable {
  data: Int32Array;
  length = 0;
  constructor(cap = 16) {
    this.data = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  freeze(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class GrowableF64 {
  data: Float64Array;
  length = 0;
  constructor(cap = 16) {
    this.data = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  freeze(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

const KIND_CODE = new Map<string, number>(ENTITY_KINDS.map((k, i) => [k, i]));
const ROLE_CODE = new Map<string, number>(COUNTRY_ROLES.map((k, i) => [k, i]));
const LINK_KIND_CODE = new Map<string, number>(LINK_KINDS.map((k, i) => [k, i]));
const BASIS_CODE = new Map<string, number>(CONTROL_BASES.map((k, i) => [k, i + 1]));
const STATUS_CODE = new Map<string, number>(LINK_STATUSES.map((k, i) => [k, i]));
const CATEGORY_CODE = new Map<string, number>(UNDISCLOSED_CATEGORIES.map((k, i) => [k, i]));
const SCOPE_CODE = new Map<string, number>(MARKER_SCOPES.map((k, i) => [k, i]));

function code(map: Map<string, number>, value: string, what: string): number {
  const c = map.get(value);
  if (c === undefined) throw new Error(`graph: unknown ${what} "${value}"`);
  return c;
}

/** Links as columns, for GraphBuilder.addLinkColumns. */
export interface LinkColumns {
  count: number;
  id: Float64Array;
  owner: Float64Array;
  owned: Float64Array;
  kind: Uint8Array;
  basis: Uint8Array;
  lo: Int32Array;
  hi: Int32Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  status: Uint8Array;
  source: Int32Array;
  sources: { sourceId: number; fileName: string; sha256: string; dataDate?: string | null }[];
  stated?: string[];
  recordRef?: string[];
}

/** Accumulates rows; `freeze()` resolves ids and builds the CSR adjacency. */
export class GraphBuilder {
  private readonly index = new Map<number, number>();
  private readonly eId = new GrowableF64();
  private readonly eName: string[] = [];
  private readonly eKind = new Growable();
  private readonly cStart = new Growable();
  private readonly cRole = new Growable();
  private readonly cCode: string[] = [];
  private readonly tStart = new Growable();
  private readonly topics: string[] = [];
  private readonly iStart = new Growable();
  private readonly idents: string[] = [];
  private readonly eStart = new Growable();
  private readonly eEnd = new Growable();
  private readonly eFlags = new Growable();

  private readonly sourceIndex = new Map<number, number>();
  private readonly sourceIds: number[] = [];
  private readonly sourceFiles: string[] = [];
  private readonly sourceHashes: string[] = [];
  private readonly sourceDataDates: string[] = [];

  private readonly lId = new GrowableF64();
  private readonly lOwner = new GrowableF64();
  private readonly lOwned = new GrowableF64();
  private readonly lKind = new Growable();
  private readonly lBasis = new Growable();
  private readonly lLo = new Growable();
  private readonly lHi = new Growable();
  private readonly lFlags = new Growable();
  private readonly lStart = new Growable();
  private readonly lEnd = new Growable();
  private readonly lStatus = new Growable();
  private readonly lSource = new Growable();
  private readonly lStated: string[] = [];
  private readonly lRecord: string[] = [];

  private readonly markers: MarkerInput[] = [];

  addEntity(e: EntityInput): number {
    const existing = this.index.get(e.id);
    if (existing !== undefined) throw new Error(`graph: entity ${e.id} added twice`);
    const i = this.eId.length;
    this.index.set(e.id, i);
    this.eId.push(e.id);
    this.eName.push(e.name);
    this.eKind.push(code(KIND_CODE, e.kind, 'entity kind'));
    this.cStart.push(this.cCode.length);
    if (e.countries) {
      for (const c of e.countries) {
        if (!c.code) continue;
        this.cRole.push(code(ROLE_CODE, c.role, 'country role'));
        this.cCode.push(c.code.trim().toUpperCase());
      }
    }
    this.tStart.push(this.topics.length);
    if (e.topics) for (const t of e.topics) this.topics.push(t);
    this.iStart.push(this.idents.length);
    if (e.identifiers) for (const t of e.identifiers) this.idents.push(t);
    this.eStart.push(parseDateInt(e.startDate, 'start'));
    this.eEnd.push(parseDateInt(e.endDate, 'end'));
    this.eFlags.push((e.isState ? E_STATE : 0) | (e.soleProprietor ? E_SOLE_PROPRIETOR : 0));
    return i;
  }

  private source(s: SourceRef): number {
    let i = this.sourceIndex.get(s.sourceId);
    if (i === undefined) {
      i = this.sourceIds.length;
      this.sourceIndex.set(s.sourceId, i);
      this.sourceIds.push(s.sourceId);
      this.sourceFiles.push(s.fileName);
      this.sourceHashes.push(s.sha256);
      this.sourceDataDates.push(s.dataDate ? s.dataDate.slice(0, 10) : '');
    }
    return i;
  }

  addLink(l: LinkInput): void {
    this.lId.push(l.id);
    this.lOwner.push(l.ownerId);
    this.lOwned.push(l.ownedId);
    this.lKind.push(code(LINK_KIND_CODE, l.kind, 'link kind'));
    this.lBasis.push(l.controlBasis ? code(BASIS_CODE, l.controlBasis, 'control basis') : 0);
    let flags = (l.isSummary ? F_SUMMARY : 0) | (l.isVoid ? F_VOID : 0);
    if (l.share) {
      const s = l.share;
      if (!(Number.isInteger(s.lo) && Number.isInteger(s.hi) && s.lo >= 0 && s.hi <= 1_000_000 && s.lo <= s.hi))
        throw new Error(`graph: link ${l.id} has an invalid share interval ${JSON.stringify(s)}`);
      flags |= F_HAS_SHARE | (s.loOpen ? F_LO_OPEN : 0) | (s.hiOpen ? F_HI_OPEN : 0);
      this.lLo.push(s.lo);
      this.lHi.push(s.hi);
    } else {
      this.lLo.push(0);
      this.lHi.push(1_000_000);
    }
    this.lFlags.push(flags);
    this.lStart.push(parseDateInt(l.startDate, 'start'));
    this.lEnd.push(parseDateInt(l.endDate, 'end'));
    this.lStatus.push(code(STATUS_CODE, l.status, 'link status'));
    this.lSource.push(this.source(l.source));
    this.lStated.push(l.stated);
    this.lRecord.push(l.source.recordRef);
  }

  /**
   * Adds many links at once from columns (a loader that read them in another thread). Codes are
   * indices into LINK_KINDS, CONTROL_BASES (+1, 0 = none) and LINK_STATUSES; `flags` use the F_*
   * bits; dates are yyyymmdd integers (0 = none); `source` indexes `sources`.
   */
  addLinkColumns(c: LinkColumns): void {
    const src = c.sources.map((s) => this.source({ ...s, recordRef: '' }));
    for (let k = 0; k < c.count; k++) {
      const kind = c.kind[k]!;
      const basis = c.basis[k]!;
      const status = c.status[k]!;
      const lo = c.lo[k]!;
      const hi = c.hi[k]!;
      if (kind >= LINK_KINDS.length || basis > CONTROL_BASES.length || status >= LINK_STATUSES.length || lo < 0 || hi > 1_000_000 || lo > hi)
        throw new Error(`graph: link ${c.id[k]} has invalid columns`);
      this.lId.push(c.id[k]!);
      this.lOwner.push(c.owner[k]!);
      this.lOwned.push(c.owned[k]!);
      this.lKind.push(kind);
      this.lBasis.push(basis);
      this.lLo.push(lo);
      this.lHi.push(hi);
      this.lFlags.push(c.flags[k]!);
      this.lStart.push(c.start[k]!);
      this.lEnd.push(c.end[k]!);
      this.lStatus.push(status);
      this.lSource.push(src[c.source[k]!]!);
      this.lStated.push(c.stated ? c.stated[k]! : '');
      this.lRecord.push(c.recordRef ? c.recordRef[k]! : '');
    }
  }

  addMarker(m: MarkerInput): void {
    code(CATEGORY_CODE, m.category, 'undisclosed category');
    code(SCOPE_CODE, m.scope, 'marker scope');
    code(STATUS_CODE, m.status, 'marker status');
    this.markers.push(m);
  }

  freeze(): OwnershipGraph {
    const n = this.eId.length;
    const cStart = new Int32Array(n + 1);
    cStart.set(this.cStart.freeze());
    cStart[n] = this.cCode.length;
    const tStart = new Int32Array(n + 1);
    tStart.set(this.tStart.freeze());
    tStart[n] = this.topics.length;
    const iStart = new Int32Array(n + 1);
    iStart.set(this.iStart.freeze());
    iStart[n] = this.idents.length;

    // Resolve link endpoints; links to entities that were never added are dropped and counted.
    const rawCount = this.lId.length;
    const keep = new Int32Array(rawCount);
    let m = 0;
    let dangling = 0;
    const ownerRaw = this.lOwner.data;
    const ownedRaw = this.lOwned.data;
    const owner = new Int32Array(rawCount);
    const owned = new Int32Array(rawCount);
    // Ids are usually small positive integers: resolve them through a dense array instead of the map.
    const eIds = this.eId.data;
    let maxId = -1;
    let dense = n > 0;
    for (let i = 0; i < n; i++) {
      const id = eIds[i]!;
      if (!(id >= 0 && id <= 0x3fffffff && Number.isInteger(id))) {
        dense = false;
        break;
      }
      if (id > maxId) maxId = id;
    }
    if (dense && maxId > 4 * n + 1024) dense = false;
    let denseIndex: Int32Array | null = null;
    if (dense) {
      denseIndex = new Int32Array(maxId + 1).fill(-1);
      for (let i = 0; i < n; i++) denseIndex[eIds[i]!] = i;
    }
    const index = this.index;
    const resolve = (id: number): number | undefined => {
      if (denseIndex !== null) {
        if (id >= 0 && id <= maxId && Number.isInteger(id)) {
          const i = denseIndex[id]!;
          return i === -1 ? undefined : i;
        }
        return undefined;
      }
      return index.get(id);
    };
    for (let k = 0; k < rawCount; k++) {
      const o = resolve(ownerRaw[k]!);
      const d = resolve(ownedRaw[k]!);
      if (o === undefined || d === undefined) {
        dangling++;
        continue;
      }
      owner[m] = o;
      owned[m] = d;
      keep[m++] = k;
    }
    const pick = (src: Int32Array): Int32Array => {
      if (m === rawCount) return src.slice(0, m);
      const out = new Int32Array(m);
      for (let k = 0; k < m; k++) out[k] = src[keep[k]!]!;
      return out;
    };
    const pickF = (src: Float64Array): Float64Array => {
      if (m === rawCount) return src.slice(0, m);
      const out = new Float64Array(m);
      for (let k = 0; k < m; k++) out[k] = src[keep[k]!]!;
      return out;
    };
    const pickS = (src: string[]): string[] => {
      if (m === rawCount) return src.slice();
      const out = new Array<string>(m);
      for (let k = 0; k < m; k++) out[k] = src[keep[k]!]!;
      return out;
    };
    const links: LinkTable = {
      count: m,
      id: pickF(this.lId.data),
      owner: owner.slice(0, m),
      owned: owned.slice(0, m),
      kind: new Uint8Array(pick(this.lKind.data)),
      basis: new Uint8Array(pick(this.lBasis.data)),
      lo: pick(this.lLo.data),
      hi: pick(this.lHi.data),
      flags: new Uint8Array(pick(this.lFlags.data)),
      start: pick(this.lStart.data),
      end: pick(this.lEnd.data),
      status: new Uint8Array(pick(this.lStatus.data)),
      source: pick(this.lSource.data),
      stated: pickS(this.lStated),
      recordRef: pickS(this.lRecord),
    };

    const csr = (keys: Int32Array): { start: Int32Array; items: Int32Array } => {
      const start = new Int32Array(n + 1);
      for (let k = 0; k < m; k++) start[keys[k]! + 1]!++;
      for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
      const fill = start.slice(0, n);
      const items = new Int32Array(m);
      for (let k = 0; k < m; k++) items[fill[keys[k]!]!++] = k;
      return { start, items };
    };
    const incoming = csr(links.owned);
    const outgoing = csr(links.owner);

    // Markers are few; keep them as objects grouped by subject index.
    const markerStart = new Int32Array(n + 1);
    const resolved: { m: MarkerInput; s: number }[] = [];
    for (const mk of this.markers) {
      const s = this.index.get(mk.subjectId);
      if (s === undefined) {
        dangling++;
        continue;
      }
      resolved.push({ m: mk, s });
      markerStart[s + 1]!++;
    }
    for (let i = 0; i < n; i++) markerStart[i + 1]! += markerStart[i]!;
    const markerFill = markerStart.slice(0, n);
    const markers = new Array<MarkerInput>(resolved.length);
    for (const r of resolved) markers[markerFill[r.s]!++] = r.m;

    return new OwnershipGraph({
      count: n,
      index: this.index,
      id: this.eId.freeze(),
      name: this.eName,
      kind: new Uint8Array(this.eKind.freeze()),
      countryStart: cStart,
      countryRole: new Uint8Array(this.cRole.freeze()),
      countryCode: this.cCode,
      topicStart: tStart,
      topics: this.topics,
      identStart: iStart,
      idents: this.idents,
      links,
      inStart: incoming.start,
      inLinks: incoming.items,
      outStart: outgoing.start,
      outLinks: outgoing.items,
      markerStart,
      markers,
      sources: {
        id: this.sourceIds, fileName: this.sourceFiles, sha256: this.sourceHashes, dataDate: this.sourceDataDates,
        dataDateInt: this.sourceDataDates.map((d) => parseDateInt(d, 'start')),
      },
      entityStart: this.eStart.freeze(),
      entityEnd: this.eEnd.freeze(),
      entityFlags: new Uint8Array(this.eFlags.freeze()),
      danglingCount: dangling,
    });
  }
}

export interface LinkTable {
  count: number;
  id: Float64Array;
  owner: Int32Array;
  owned: Int32Array;
  kind: Uint8Array;
  /** 0 = none, else CONTROL_BASES index + 1 */
  basis: Uint8Array;
  lo: Int32Array;
  hi: Int32Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  status: Uint8Array;
  source: Int32Array;
  stated: string[];
  recordRef: string[];
}

interface GraphData {
  count: number;
  index: Map<number, number>;
  id: Float64Array;
  name: string[];
  kind: Uint8Array;
  countryStart: Int32Array;
  countryRole: Uint8Array;
  countryCode: string[];
  topicStart: Int32Array;
  topics: string[];
  identStart: Int32Array;
  idents: string[];
  links: LinkTable;
  inStart: Int32Array;
  inLinks: Int32Array;
  outStart: Int32Array;
  outLinks: Int32Array;
  markerStart: Int32Array;
  markers: MarkerInput[];
  /** `dataDate`: YYYY-MM-DD or '' per source; `dataDateInt` the same as yyyymmdd (0 = none) */
  sources: { id: number[]; fileName: string[]; sha256: string[]; dataDate: string[]; dataDateInt: number[] };
  /** yyyymmdd, 0 = none: when each entity came into / went out of existence */
  entityStart: Int32Array;
  entityEnd: Int32Array;
  /** E_* bits */
  entityFlags: Uint8Array;
  danglingCount: number;
}

export const KIND = Object.fromEntries(ENTITY_KINDS.map((k, i) => [k, i])) as Record<EntityKind, number>;
export const LKIND = Object.fromEntries(LINK_KINDS.map((k, i) => [k, i])) as Record<LinkKind, number>;
export const LSTATUS = Object.fromEntries(LINK_STATUSES.map((k, i) => [k, i])) as Record<LinkStatus, number>;
export const ROLE = Object.fromEntries(COUNTRY_ROLES.map((k, i) => [k, i])) as Record<CountryRole, number>;
export const BASIS = Object.fromEntries(CONTROL_BASES.map((k, i) => [k, i + 1])) as Record<ControlBasis, number>;

/** Frozen graph. Entity indices are 0..count-1 in insertion order. */
export class OwnershipGraph implements GraphData {
  readonly count!: number;
  readonly index!: Map<number, number>;
  readonly id!: Float64Array;
  readonly name!: string[];
  readonly kind!: Uint8Array;
  readonly countryStart!: Int32Array;
  readonly countryRole!: Uint8Array;
  readonly countryCode!: string[];
  readonly topicStart!: Int32Array;
  readonly topics!: string[];
  readonly identStart!: Int32Array;
  readonly idents!: string[];
  readonly links!: LinkTable;
  readonly inStart!: Int32Array;
  readonly inLinks!: Int32Array;
  readonly outStart!: Int32Array;
  readonly outLinks!: Int32Array;
  readonly markerStart!: Int32Array;
  readonly markers!: MarkerInput[];
  readonly sources!: { id: number[]; fileName: string[]; sha256: string[]; dataDate: string[]; dataDateInt: number[] };
  readonly entityStart!: Int32Array;
  readonly entityEnd!: Int32Array;
  readonly entityFlags!: Uint8Array;
  readonly danglingCount!: number;

  constructor(data: GraphData) {
    Object.assign(this, data);
  }

  indexOf(id: number): number {
    return this.index.get(id) ?? -1;
  }

  kindOf(i: number): EntityKind {
    return ENTITY_KINDS[this.kind[i]!]!;
  }

  identifiersOf(i: number): string[] {
    return this.idents.slice(this.identStart[i]!, this.identStart[i + 1]!);
  }

  topicsOf(i: number): string[] {
    return this.topics.slice(this.topicStart[i]!, this.topicStart[i + 1]!);
  }

  countriesOf(i: number): { role: CountryRole; code: string }[] {
    const out: { role: CountryRole; code: string }[] = [];
    for (let k = this.countryStart[i]!; k < this.countryStart[i + 1]!; k++)
      out.push({ role: COUNTRY_ROLES[this.countryRole[k]!]!, code: this.countryCode[k]! });
    return out;
  }

  markersOf(i: number): MarkerInput[] {
    return this.markers.slice(this.markerStart[i]!, this.markerStart[i + 1]!);
  }

  linkKind(k: number): LinkKind {
    return LINK_KINDS[this.links.kind[k]!]!;
  }

  linkBasis(k: number): ControlBasis | null {
    const b = this.links.basis[k]!;
    return b === 0 ? null : CONTROL_BASES[b - 1]!;
  }

  linkShare(k: number): ShareInterval | null {
    const f = this.links.flags[k]!;
    if (!(f & F_HAS_SHARE)) return null;
    return { lo: this.links.lo[k]!, loOpen: (f & F_LO_OPEN) !== 0, hi: this.links.hi[k]!, hiOpen: (f & F_HI_OPEN) !== 0 };
  }

  linkSource(k: number): SourceRef {
    const s = this.links.source[k]!;
    return {
      sourceId: this.sources.id[s]!,
      fileName: this.sources.fileName[s]!,
      sha256: this.sources.sha256[s]!,
      recordRef: this.links.recordRef[k]!,
    };
  }

  /** The data date of the source that states link k ('' when unknown). */
  linkDataDate(k: number): string {
    return this.sources.dataDate[this.links.source[k]!]!;
  }
}

/** Convenience for tests and small callers: builds a frozen graph from arrays of rows. */
export function buildGraph(input: {
  entities: readonly EntityInput[];
  links?: readonly LinkInput[];
  markers?: readonly MarkerInput[];
}): OwnershipGraph {
  const b = new GraphBuilder();
  for (const e of input.entities) b.addEntity(e);
  for (const l of input.links ?? []) b.addLink(l);
  for (const m of input.markers ?? []) b.addMarker(m);
  return b.freeze();
}
