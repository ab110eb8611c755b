// Loads the case database into the verdict engine's compact graph. Cached per connection and
// data version: the graph is rebuilt only after an import changed the data.
import { GraphBuilder, type OwnershipGraph } from '../../../shared/domain/engine';
import type { ControlBasis, CountryRole, EntityKind, LinkKind, LinkStatus, UndisclosedCategory } from '../../../shared/domain/model';
import type { MarkerScope } from '../../../shared/domain/engine';
import type { Db } from '../store/db';
import { shareFromRow } from '../store/queries';

const DEAD_REGISTRATION = new Set(['RETIRED', 'ANNULLED', 'DUPLICATE']);
const cache = new WeakMap<Db, { key: string; graph: OwnershipGraph }>();

function dataKey(db: Db): string {
  const r = db.prepare('SELECT (SELECT count(*) FROM sources) AS s, (SELECT max(id) FROM sources) AS m, (SELECT count(*) FROM links) AS l').get() as {
    s: number; m: number | null; l: number;
  };
  return `${r.s}:${r.m}:${r.l}`;
}

export function loadGraph(db: Db): OwnershipGraph {
  const key = dataKey(db);
  const hit = cache.get(db);
  if (hit && hit.key === key) return hit.graph;
  const b = new GraphBuilder();
  const countries = new Map<number, { role: CountryRole; code: string }[]>();
  for (const c of db.prepare('SELECT entity_id, role, code FROM entity_countries WHERE code IS NOT NULL').iterate() as Iterable<{ entity_id: number; role: CountryRole; code: string }>) {
    let list = countries.get(c.entity_id);
    if (!list) countries.set(c.entity_id, (list = []));
    list.push({ role: c.role, code: c.code });
  }
  const idents = new Map<number, string[]>();
  for (const i of db.prepare('SELECT entity_id, scheme, value FROM identifiers').iterate() as Iterable<{ entity_id: number; scheme: string; value: string }>) {
    let list = idents.get(i.entity_id);
    if (!list) idents.set(i.entity_id, (list = []));
    list.push(`${i.scheme}:${i.value}`);
  }
  for (const e of db.prepare('SELECT id, name, kind, topics FROM entities').iterate() as Iterable<{ id: number; name: string; kind: EntityKind; topics: string }>) {
    b.addEntity({ id: e.id, name: e.name, kind: e.kind, countries: countries.get(e.id) ?? [], topics: JSON.parse(e.topics) as string[], identifiers: idents.get(e.id) ?? [] });
  }
  type LinkRow = {
    id: number; owner_id: number; owned_id: number; kind: LinkKind; control_basis: ControlBasis | null; share_lo: number | null;
    share_lo_open: number | null; share_hi: number | null; share_hi_open: number | null; stated: string; is_summary: number;
    start_date: string | null; end_date: string | null; status: LinkStatus; registration_status: string | null;
    source_id: number; file_name: string; sha256: string; record_ref: string;
  };
  for (const l of db.prepare(`SELECT l.*, s.file_name, s.sha256 FROM links l JOIN sources s ON s.id = l.source_id`).iterate() as Iterable<LinkRow>) {
    b.addLink({
      id: l.id, ownerId: l.owner_id, ownedId: l.owned_id, kind: l.kind, controlBasis: l.control_basis, share: shareFromRow(l),
      stated: l.stated, isSummary: l.is_summary === 1, startDate: l.start_date, endDate: l.end_date,
      status: l.registration_status && DEAD_REGISTRATION.has(l.registration_status) ? 'inactive' : l.status,
      source: { sourceId: l.source_id, fileName: l.file_name, sha256: l.sha256, recordRef: l.record_ref },
    });
  }
  type MarkerRow = LinkRow & { entity_id: number; category: UndisclosedCategory; scope: MarkerScope; reason: string; detail: string | null };
  for (const m of db.prepare(`SELECT u.*, s.file_name, s.sha256 FROM undisclosed u JOIN sources s ON s.id = u.source_id`).iterate() as Iterable<MarkerRow>) {
    b.addMarker({
      id: m.id, subjectId: m.entity_id, category: m.category, scope: m.scope, reason: m.reason, detail: m.detail, share: shareFromRow(m),
      startDate: m.start_date, endDate: m.end_date, status: m.status,
      source: { sourceId: m.source_id, fileName: m.file_name, sha256: m.sha256, recordRef: m.record_ref },
    });
  }
  const graph = b.freeze();
  cache.set(db, { key, graph });
  return graph;
}
