// Loads the case database into the engine's compact graph: either only what a single-subject
// verdict needs (the subject's ancestor closure, plus its own branches), or the whole database
// once for screening. Rows stream from SQLite straight into the builder.
import { GraphBuilder, type OwnershipGraph } from '../../../shared/domain/engine';
import type { ControlBasis, CountryRole, EntityKind, LinkKind, LinkStatus, UndisclosedCategory } from '../../../shared/domain/model';
import type { MarkerScope } from '../../../shared/domain/engine';
import type { Db } from '../store/db';
import { shareFromRow } from '../store/queries';

const DEAD_REGISTRATION = new Set(['RETIRED', 'ANNULLED', 'DUPLICATE']);

interface LinkRow {
  id: number;
  owner_id: number;
  owned_id: number;
  kind: LinkKind;
  control_basis: ControlBasis | null;
  share_lo: number | null;
  share_lo_open: number | null;
  share_hi: number | null;
  share_hi_open: number | null;
  stated: string;
  is_summary: number;
  start_date: string | null;
  end_date: string | null;
  status: LinkStatus;
  registration_status: string | null;
  source_id: number;
  record_ref: string;
}

interface MarkerRow {
  id: number;
  entity_id: number;
  category: UndisclosedCategory;
  scope: MarkerScope;
  reason: string;
  detail: string | null;
  share_lo: number | null;
  share_lo_open: number | null;
  share_hi: number | null;
  share_hi_open: number | null;
  start_date: string | null;
  end_date: string | null;
  status: LinkStatus;
  source_id: number;
  record_ref: string;
}

const LINK_COLUMNS = `id, owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, stated,
  is_summary, start_date, end_date, status, registration_status, source_id, record_ref`;
const MARKER_COLUMNS = `id, entity_id, category, scope, reason, detail, share_lo, share_lo_open, share_hi, share_hi_open,
  start_date, end_date, status, source_id, record_ref`;

class SourceNames {
  private readonly rows = new Map<number, { fileName: string; sha256: string }>();
  constructor(db: Db) {
    for (const s of db.prepare('SELECT id, file_name, sha256 FROM sources').all() as { id: number; file_name: string; sha256: string }[]) {
      this.rows.set(s.id, { fileName: s.file_name, sha256: s.sha256 });
    }
  }
  ref(sourceId: number, recordRef: string) {
    const s = this.rows.get(sourceId)!;
    return { sourceId, fileName: s.fileName, sha256: s.sha256, recordRef };
  }
}

function addLinkRow(b: GraphBuilder, sources: SourceNames, l: LinkRow): void {
  b.addLink({
    id: l.id, ownerId: l.owner_id, ownedId: l.owned_id, kind: l.kind, controlBasis: l.control_basis, share: shareFromRow(l),
    stated: l.stated, isSummary: l.is_summary === 1, startDate: l.start_date, endDate: l.end_date,
    // a retired, annulled or duplicate registration no longer states the relationship
    status: l.registration_status && DEAD_REGISTRATION.has(l.registration_status) ? 'inactive' : l.status,
    source: sources.ref(l.source_id, l.record_ref),
  });
}

function addMarkerRow(b: GraphBuilder, sources: SourceNames, m: MarkerRow): void {
  b.addMarker({
    id: m.id, subjectId: m.entity_id, category: m.category, scope: m.scope, reason: m.reason, detail: m.detail,
    share: shareFromRow(m), startDate: m.start_date, endDate: m.end_date, status: m.status,
    source: sources.ref(m.source_id, m.record_ref),
  });
}

function splitCountries(text: string | null): { role: CountryRole; code: string }[] {
  if (!text) return [];
  return text.split(',').map((rc) => {
    const i = rc.indexOf('=');
    return { role: rc.slice(0, i) as CountryRole, code: rc.slice(i + 1) };
  });
}

const SEP = '\u001f';

/**
 * The entities that can influence the subjects' verdicts: their owners, the owners' owners, and
 * so on (every link kind, summary links included), plus the subjects' own branches (shown in
 * findings). Reads only those rows.
 */
export function loadClosure(db: Db, subjectIds: number[]): OwnershipGraph {
  const sources = new SourceNames(db);
  const ownersOf = db.prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE owned_id = ?`);
  const branchesOf = db.prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE owner_id = ? AND kind = 'branch'`);
  const seen = new Set<number>(subjectIds);
  const queue = [...subjectIds];
  const links: LinkRow[] = [];
  for (let i = 0; i < queue.length; i++) {
    for (const l of ownersOf.all(queue[i]!) as LinkRow[]) {
      links.push(l);
      if (!seen.has(l.owner_id)) {
        seen.add(l.owner_id);
        queue.push(l.owner_id);
      }
    }
  }
  for (const s of subjectIds) {
    for (const l of branchesOf.all(s) as LinkRow[]) {
      links.push(l);
      seen.add(l.owned_id);
    }
  }
  const b = new GraphBuilder();
  const entity = db.prepare(`SELECT id, name, kind, topics,
      (SELECT group_concat(role || '=' || code) FROM entity_countries c WHERE c.entity_id = e.id AND code IS NOT NULL) AS countries,
      (SELECT group_concat(scheme || ':' || value, '${SEP}') FROM identifiers i WHERE i.entity_id = e.id) AS idents
    FROM entities e WHERE id = ?`);
  const markers = db.prepare(`SELECT ${MARKER_COLUMNS} FROM undisclosed WHERE entity_id = ?`);
  for (const id of seen) {
    const e = entity.get(id) as { id: number; name: string; kind: EntityKind; topics: string; countries: string | null; idents: string | null };
    b.addEntity({
      id: e.id, name: e.name, kind: e.kind, countries: splitCountries(e.countries), topics: JSON.parse(e.topics) as string[],
      identifiers: e.idents ? e.idents.split(SEP) : [],
    });
    for (const m of markers.all(id) as MarkerRow[]) addMarkerRow(b, sources, m);
  }
  for (const l of links) addLinkRow(b, sources, l);
  return b.freeze();
}

export interface LoadAllOptions {
  /** Identifiers are needed only to match policy `restrictedParties` (and for display). */
  identifiers?: boolean;
}

/** The whole database, for screening. Streams each table once. */
export function loadAll(db: Db, options: LoadAllOptions = {}): OwnershipGraph {
  const sources = new SourceNames(db);
  const b = new GraphBuilder();
  const withIdents = options.identifiers ?? true;
  const rows = db
    .prepare(
      `SELECT id, name, kind, topics,
        (SELECT group_concat(role || '=' || code) FROM entity_countries c WHERE c.entity_id = e.id AND code IS NOT NULL) AS countries
        ${withIdents ? `, (SELECT group_concat(scheme || ':' || value, '${SEP}') FROM identifiers i WHERE i.entity_id = e.id) AS idents` : ''}
       FROM entities e`,
    )
    .raw()
    .iterate() as Iterable<[number, string, EntityKind, string, string | null, string | null | undefined]>;
  for (const [id, name, kind, topics, countries, idents] of rows) {
    b.addEntity({
      id, name, kind, countries: splitCountries(countries), topics: topics === '[]' ? [] : (JSON.parse(topics) as string[]),
      identifiers: idents ? idents.split(SEP) : [],
    });
  }
  for (const l of db.prepare(`SELECT ${LINK_COLUMNS} FROM links`).iterate() as Iterable<LinkRow>) addLinkRow(b, sources, l);
  for (const m of db.prepare(`SELECT ${MARKER_COLUMNS} FROM undisclosed`).iterate() as Iterable<MarkerRow>) addMarkerRow(b, sources, m);
  return b.freeze();
}
