// What `ownerscope export` writes, read in one snapshot: entities with their names, identifiers
// and countries, links and undisclosed-ownership markers, each with its source. Raw rows (not
// merged by entity resolution): an export hands over what the registries said, and the reader
// resolves again.
import type { Db } from './db';
import { hasAssertions, listAssertionRows } from './assertions';

export interface ExportSource {
  fileName: string;
  sha256: string;
  format: string;
  dataDate: string | null;
}

export interface ExportEntity {
  id: number;
  /** The reference other rows use: the entity's record key, else an identifier, else ownerscope:ID. */
  ref: string;
  kind: string;
  name: string;
  status: string | null;
  category: string | null;
  topics: string[];
  isPlaceholder: boolean;
  aliases: string[];
  identifiers: string[];
  countries: Array<{ role: string; code: string | null; text: string }>;
  source: ExportSource | null;
  recordRef: string | null;
  /**
   * The entity's kind and listings as active investigator assertions state them (issue 14): the
   * registry row above keeps what the registry said; every export applies these on top and marks
   * them, as it marks asserted links (export/model.ts).
   */
  assertedKind: AssertedOn & { kind: string } | null;
  assertedListings: (AssertedOn & { list: string; topics: string[] })[];
}

/** Which assertion states a fact, and on what document (the assertion's source row). */
export interface AssertedOn {
  assertionId: number;
  source: ExportSource;
}

export interface ExportLink {
  id: number;
  key: string;
  ownerId: number;
  ownedId: number;
  kind: string;
  controlBasis: string | null;
  share: { lo: number; loOpen: boolean; hi: number; hiOpen: boolean } | null;
  stated: string;
  isSummary: boolean;
  startDate: string | null;
  endDate: string | null;
  status: string;
  source: ExportSource;
  recordRef: string;
}

export interface ExportMarker {
  id: number;
  key: string;
  entityId: number;
  category: string;
  scope: string;
  reason: string;
  detail: string | null;
  share: ExportLink['share'];
  startDate: string | null;
  endDate: string | null;
  status: string;
  source: ExportSource;
  recordRef: string;
}

export interface ExportData {
  entities: ExportEntity[];
  links: ExportLink[];
  markers: ExportMarker[];
}

type R = Record<string, unknown>;
const share = (r: R): ExportLink['share'] =>
  r.share_lo === null ? null : { lo: r.share_lo as number, loOpen: r.share_lo_open === 1, hi: r.share_hi as number, hiOpen: r.share_hi_open === 1 };

/**
 * Reads the rows to export. `entityIds`: only these entities, the links between two of them and
 * their markers (a subject's neighbourhood); null: the whole case database. Call inside a read
 * snapshot (readSnapshot) so that all of it is one state of the data.
 */
export function readExportData(db: Db, entityIds: number[] | null): ExportData {
  const sources = new Map<number, ExportSource>();
  for (const s of db.prepare('SELECT id, file_name, sha256, format, data_date FROM sources').all() as R[]) {
    sources.set(s.id as number, { fileName: s.file_name as string, sha256: s.sha256 as string, format: s.format as string, dataDate: (s.data_date as string | null) ?? null });
  }
  const wanted = entityIds ? new Set(entityIds) : null;
  const keep = (id: number) => !wanted || wanted.has(id);
  const byEntity = <T>(sql: string, map: (r: R) => T) => {
    const out = new Map<number, T[]>();
    for (const r of db.prepare(sql).iterate() as Iterable<R>) {
      const id = r.entity_id as number;
      if (!keep(id)) continue;
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(map(r));
    }
    return out;
  };
  const idents = byEntity('SELECT entity_id, scheme, value FROM identifiers ORDER BY entity_id, scheme, value', (r) => `${r.scheme}:${r.value}`);
  const names = byEntity('SELECT entity_id, name FROM entity_names ORDER BY id', (r) => r.name as string);
  const countries = byEntity('SELECT entity_id, role, code, text FROM entity_countries ORDER BY id', (r) => ({ role: r.role as string, code: (r.code as string | null) ?? null, text: r.text as string }));
  const entities: ExportEntity[] = [];
  for (const r of db.prepare('SELECT id, kind, name, status, category, topics, is_placeholder, record_key, source_id, record_ref FROM entities ORDER BY id').iterate() as Iterable<R>) {
    const id = r.id as number;
    if (!keep(id)) continue;
    const ids = idents.get(id) ?? [];
    const ref = (r.record_key as string | null) ?? ids.find((i) => i.startsWith('lei:')) ?? ids[0] ?? `ownerscope:${id}`;
    const name = r.name as string;
    entities.push({
      id, ref, kind: r.kind as string, name, status: (r.status as string | null) ?? null, category: (r.category as string | null) ?? null,
      topics: JSON.parse(r.topics as string) as string[], isPlaceholder: r.is_placeholder === 1,
      aliases: [...new Set((names.get(id) ?? []).filter((n) => n !== name))],
      identifiers: ids, countries: countries.get(id) ?? [],
      source: r.source_id === null ? null : (sources.get(r.source_id as number) ?? null), recordRef: (r.record_ref as string | null) ?? null,
      assertedKind: null, assertedListings: [],
    });
  }
  if (hasAssertions(db)) {
    const byId = new Map(entities.map((e) => [e.id, e]));
    for (const a of listAssertionRows(db, { activeOnly: true })) {
      const e = byId.get(a.entityId);
      const on = { assertionId: a.id, source: sources.get(a.sourceId)! };
      if (!e || !on.source) continue;
      if (a.content.fact === 'kind') e.assertedKind = { ...on, kind: a.content.kind };
      else if (a.content.fact === 'listed') e.assertedListings.push({ ...on, list: a.content.list, topics: a.content.topics });
    }
  }
  const links: ExportLink[] = [];
  for (const r of db.prepare('SELECT * FROM links ORDER BY id').iterate() as Iterable<R>) {
    if (!keep(r.owner_id as number) || !keep(r.owned_id as number)) continue;
    links.push({
      id: r.id as number, key: r.key as string, ownerId: r.owner_id as number, ownedId: r.owned_id as number, kind: r.kind as string,
      controlBasis: (r.control_basis as string | null) ?? null, share: share(r), stated: r.stated as string, isSummary: r.is_summary === 1,
      startDate: (r.start_date as string | null) ?? null, endDate: (r.end_date as string | null) ?? null, status: r.status as string,
      source: sources.get(r.source_id as number)!, recordRef: r.record_ref as string,
    });
  }
  const markers: ExportMarker[] = [];
  for (const r of db.prepare('SELECT * FROM undisclosed ORDER BY id').iterate() as Iterable<R>) {
    if (!keep(r.entity_id as number)) continue;
    markers.push({
      id: r.id as number, key: r.key as string, entityId: r.entity_id as number, category: r.category as string, scope: r.scope as string,
      reason: r.reason as string, detail: (r.detail as string | null) ?? null, share: share(r),
      startDate: (r.start_date as string | null) ?? null, endDate: (r.end_date as string | null) ?? null, status: r.status as string,
      source: sources.get(r.source_id as number)!, recordRef: r.record_ref as string,
    });
  }
  return { entities, links, markers };
}
