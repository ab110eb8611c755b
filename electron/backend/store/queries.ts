// Read-side queries over the case database: reference resolution, search, entity detail, traces.
import { ON_YES, onDate, parseDateInt } from '../../../shared/domain/engine';
import { formatShare, type ShareInterval } from '../../../shared/domain/model';
import type { EntityHit, EntityInfo, LinkInfo, MarkerInfo, SourceInfo, SourceRef } from '../../../shared/api/types';
import type { Db } from './db';
import { searchNames } from './search-index';
import { entityHistory } from './history';

// The API contract's types are the store's: one declaration of what a link or marker looks like.
export type LinkView = LinkInfo;
export type MarkerView = MarkerInfo;
export type { SourceRef };

export class RefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefError';
  }
}

const LEI_RE = /^[0-9A-Z]{18}[0-9]{2}$/;

/** Normalizes an identifier value for its scheme (UK company numbers are zero-padded to 8). */
export function normalizeIdentifier(scheme: string, value: string): { scheme: string; value: string } {
  const s = scheme.trim().toLowerCase();
  let v = value.trim();
  if (s === 'lei') v = v.toUpperCase();
  if (s === 'gb-coh') {
    v = v.toUpperCase().replace(/\s+/g, '');
    if (/^\d{1,8}$/.test(v)) v = v.padStart(8, '0');
    else if (/^[A-Z]{2}\d{1,6}$/.test(v)) v = v.slice(0, 2) + v.slice(2).padStart(6, '0');
  }
  return { scheme: s, value: v };
}

/**
 * Resolves a reference: `lei:LEI`, a bare LEI, `gb-coh:NUMBER`, any `scheme:value`,
 * an internal id (`123` or `id:123`).
 */
export function resolveRef(db: Db, ref: string): number {
  const r = ref.trim();
  if (!r) throw new RefError('empty reference');
  const byId = (id: number) => {
    const row = db.prepare('SELECT id FROM entities WHERE id = ?').get(id) as { id: number } | undefined;
    if (!row) throw new RefError(`no entity with internal id ${id}`);
    return row.id;
  };
  if (/^\d+$/.test(r)) return byId(Number(r));
  const idm = /^id:(\d+)$/i.exec(r);
  if (idm) return byId(Number(idm[1]));
  let scheme: string;
  let value: string;
  if (LEI_RE.test(r.toUpperCase()) && !r.includes(':')) {
    scheme = 'lei';
    value = r;
  } else {
    const i = r.indexOf(':');
    if (i <= 0) throw new RefError(`"${r}" is not a reference: use lei:LEI, a bare LEI, gb-coh:NUMBER, scheme:value or an internal id`);
    scheme = r.slice(0, i);
    value = r.slice(i + 1);
  }
  const n = normalizeIdentifier(scheme, value);
  const row = db.prepare('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?').get(n.scheme, n.value) as
    | { entity_id: number }
    | undefined;
  if (!row) throw new RefError(`no entity with identifier ${n.scheme}:${n.value}`);
  return row.entity_id;
}

export type SourceRow = SourceInfo;

export function listSources(db: Db): SourceRow[] {
  return db
    .prepare(
      `SELECT id, file_name AS fileName, sha256, size, format, data_date AS dataDate, imported_at AS importedAt,
              records, entities, links, markers, deletions FROM sources ORDER BY id`,
    )
    .all() as SourceRow[];
}

/** Entities as search hits: name, kind, countries, first identifiers; `matched` is the name unless given. */
export function entityHits(db: Db, ids: number[], matched = new Map<number, string>()): EntityHit[] {
  const ent = db.prepare('SELECT id, name, kind FROM entities WHERE id = ?');
  const ctr = db.prepare('SELECT DISTINCT code FROM entity_countries WHERE entity_id = ? AND code IS NOT NULL ORDER BY code');
  const ids2 = db.prepare('SELECT scheme, value FROM identifiers WHERE entity_id = ? ORDER BY scheme, value LIMIT 5');
  return ids.map((id) => {
    const e = ent.get(id) as { id: number; name: string; kind: string };
    return {
      ...e,
      countries: (ctr.all(id) as { code: string }[]).map((c) => c.code),
      identifiers: (ids2.all(id) as { scheme: string; value: string }[]).map((i) => `${i.scheme}:${i.value}`),
      matched: matched.get(id) ?? e.name,
    };
  });
}

/**
 * Countries and whether an undisclosed-ownership marker (other than "no parent by definition")
 * exists, over a group of entities: one entity as entity resolution merged it from several records
 * (the graph's nodes, the trace's entities).
 */
export function groupFacts(db: Db): (entityIds: number[]) => { countries: string[]; hasUndisclosed: boolean } {
  const ctr = db.prepare(`SELECT DISTINCT code FROM entity_countries WHERE entity_id IN (SELECT value FROM json_each(?)) AND code IS NOT NULL ORDER BY code`);
  const und = db.prepare(`SELECT 1 FROM undisclosed WHERE entity_id IN (SELECT value FROM json_each(?)) AND category != 'no-parent' LIMIT 1`);
  return (entityIds) => {
    const ids = JSON.stringify(entityIds);
    return { countries: (ctr.all(ids) as { code: string }[]).map((c) => c.code), hasUndisclosed: und.get(ids) !== undefined };
  };
}

/**
 * Names in any script (substring, accent-insensitive, through a transliterated key, then similar
 * spellings) and identifiers (exact, or by value alone). `offset` pages beyond the first hits.
 */
export function searchEntities(db: Db, query: string, limit = 50, offset = 0): EntityHit[] {
  const q = query.trim();
  if (!q) return [];
  const want = offset + limit;
  const matched = new Map<number, { text: string; how: NonNullable<EntityHit['how']> }>();
  const order: number[] = [];
  const add = (id: number, text: string, how: NonNullable<EntityHit['how']>) => {
    if (matched.has(id) || order.length >= want) return;
    matched.set(id, { text, how });
    order.push(id);
  };
  // identifiers first: an exact identifier is the strongest match
  const i = q.indexOf(':');
  if (i > 0) {
    const n = normalizeIdentifier(q.slice(0, i), q.slice(i + 1));
    for (const r of db.prepare('SELECT entity_id, scheme, value FROM identifiers WHERE scheme = ? AND value = ?').all(n.scheme, n.value) as {
      entity_id: number;
      scheme: string;
      value: string;
    }[])
      add(r.entity_id, `${r.scheme}:${r.value}`, 'identifier');
  }
  const upper = q.toUpperCase();
  const padded = /^\d{1,8}$/.test(q) ? q.padStart(8, '0') : upper;
  for (const r of db
    .prepare('SELECT entity_id, scheme, value FROM identifiers WHERE value IN (?, ?, ?) LIMIT ?')
    .all(q, upper, padded, want) as { entity_id: number; scheme: string; value: string }[])
    add(r.entity_id, `${r.scheme}:${r.value}`, 'identifier');
  for (const m of searchNames(db, q, want - order.length)) add(m.entityId, m.name, m.how);
  const page = order.slice(offset);
  const hits = entityHits(db, page, new Map(page.map((id) => [id, matched.get(id)!.text])));
  return hits.map((h) => ({ ...h, how: matched.get(h.id)!.how }));
}


/**
 * Whether a link or marker held on `asOf`, by the verdict's rule (docs/VERDICT.md §3, Dates): its
 * own dates decide, whatever its status today; one that ended without an end date (inactive,
 * retired) is not shown as current (the verdict counts it as undecided before its source's data
 * date); an annulled or duplicate registration never stated it.
 */
export function isCurrentOn(
  asOf: string,
  row: { status: string; start_date: string | null; end_date: string | null; registration_status?: string | null },
): boolean {
  const reg = row.registration_status ?? null;
  if (reg === 'ANNULLED' || reg === 'DUPLICATE') return false;
  const inactive = row.status === 'inactive' || reg === 'RETIRED';
  const d = parseDateInt(asOf, 'start');
  return onDate(inactive, parseDateInt(row.start_date, 'start'), parseDateInt(row.end_date, 'end'), 0, d) === ON_YES;
}

interface LinkRow {
  id: number;
  owner_id: number;
  owner_name: string;
  owned_id: number;
  owned_name: string;
  kind: string;
  control_basis: string | null;
  share_lo: number | null;
  share_lo_open: number | null;
  share_hi: number | null;
  share_hi_open: number | null;
  stated: string;
  is_summary: number;
  start_date: string | null;
  end_date: string | null;
  status: string;
  registration_status: string | null;
  source_id: number;
  file_name: string;
  sha256: string;
  record_ref: string;
}

export function shareFromRow(r: { share_lo: number | null; share_lo_open: number | null; share_hi: number | null; share_hi_open: number | null }): ShareInterval | null {
  if (r.share_lo === null || r.share_hi === null) return null;
  return { lo: r.share_lo, loOpen: r.share_lo_open === 1, hi: r.share_hi, hiOpen: r.share_hi_open === 1 };
}

const LINK_SELECT = `SELECT l.id, l.owner_id, o.name AS owner_name, l.owned_id, d.name AS owned_name, l.kind, l.control_basis,
  l.share_lo, l.share_lo_open, l.share_hi, l.share_hi_open, l.stated, l.is_summary, l.start_date, l.end_date, l.status,
  l.registration_status, l.source_id, s.file_name, s.sha256, l.record_ref
  FROM links l JOIN entities o ON o.id = l.owner_id JOIN entities d ON d.id = l.owned_id JOIN sources s ON s.id = l.source_id`;

function linkView(r: LinkRow, asOf: string): LinkView {
  const share = shareFromRow(r);
  return {
    id: r.id, ownerId: r.owner_id, ownerName: r.owner_name, ownedId: r.owned_id, ownedName: r.owned_name, kind: r.kind,
    controlBasis: r.control_basis, share, shareText: share ? formatShare(share) : r.kind === 'control' ? 'control' : 'unknown',
    stated: r.stated, isSummary: r.is_summary === 1, startDate: r.start_date, endDate: r.end_date, status: r.status,
    registrationStatus: r.registration_status, isCurrent: isCurrentOn(asOf, r),
    source: { sourceId: r.source_id, fileName: r.file_name, sha256: r.sha256, recordRef: r.record_ref },
  };
}

export function ownersOf(db: Db, id: number, asOf: string): LinkView[] {
  return (db.prepare(`${LINK_SELECT} WHERE l.owned_id = ? ORDER BY l.is_summary, l.kind, l.id`).all(id) as LinkRow[]).map((r) =>
    linkView(r, asOf),
  );
}

export function holdingsOf(db: Db, id: number, asOf: string): LinkView[] {
  return (db.prepare(`${LINK_SELECT} WHERE l.owner_id = ? ORDER BY l.is_summary, l.kind, l.id`).all(id) as LinkRow[]).map((r) =>
    linkView(r, asOf),
  );
}

export function markersOf(db: Db, id: number, asOf: string): MarkerView[] {
  const rows = db
    .prepare(
      `SELECT u.*, s.file_name, s.sha256 FROM undisclosed u JOIN sources s ON s.id = u.source_id WHERE u.entity_id = ? ORDER BY u.id`,
    )
    .all(id) as (LinkRow & { entity_id: number; category: string; scope: string; reason: string; detail: string | null })[];
  return rows.map((r) => ({
    id: r.id, entityId: r.entity_id, category: r.category, scope: r.scope, reason: r.reason, detail: r.detail,
    share: shareFromRow(r), status: r.status, startDate: r.start_date, endDate: r.end_date, isCurrent: isCurrentOn(asOf, r),
    source: { sourceId: r.source_id, fileName: r.file_name, sha256: r.sha256, recordRef: r.record_ref },
  }));
}

/** An entity's own facts; `resolvedEntityDetail` (resolve/resolve.ts) adds its resolution group. */
export type EntityDetail = Omit<EntityInfo, 'asOf' | 'resolution'>;

export function entityDetail(db: Db, id: number, asOf: string): EntityDetail {
  const e = db.prepare('SELECT * FROM entities WHERE id = ?').get(id) as
    | {
        id: number; name: string; kind: string; status: string | null; registration_status: string | null;
        category: string | null; is_placeholder: number; topics: string; attributes: string; source_id: number | null; record_ref: string | null;
      }
    | undefined;
  if (!e) throw new RefError(`no entity with internal id ${id}`);
  const src = (r: { source_id: number; file_name: string; sha256: string; record_ref: string }): SourceRef => ({
    sourceId: r.source_id, fileName: r.file_name, sha256: r.sha256, recordRef: r.record_ref,
  });
  type SrcCols = { source_id: number; file_name: string; sha256: string; record_ref: string };
  const names = (
    db.prepare(`SELECT n.name, n.type, n.lang, n.source_id, s.file_name, s.sha256, n.record_ref FROM entity_names n
      JOIN sources s ON s.id = n.source_id WHERE n.entity_id = ? ORDER BY n.id`).all(id) as ({ name: string; type: string; lang: string | null } & SrcCols)[]
  ).map((r) => ({ name: r.name, type: r.type, lang: r.lang, source: src(r) }));
  const identifiers = (
    db.prepare(`SELECT i.scheme, i.value, i.source_id, s.file_name, s.sha256, i.record_ref FROM identifiers i
      LEFT JOIN sources s ON s.id = i.source_id WHERE i.entity_id = ? ORDER BY i.scheme, i.value`).all(id) as ({ scheme: string; value: string } & SrcCols)[]
  ).map((r) => ({ scheme: r.scheme, value: r.value, source: r.source_id ? src(r) : null }));
  const countries = (
    db.prepare(`SELECT c.role, c.code, c.subdivision, c.text, c.source_id, s.file_name, s.sha256, c.record_ref FROM entity_countries c
      JOIN sources s ON s.id = c.source_id WHERE c.entity_id = ? ORDER BY c.id`).all(id) as ({ role: string; code: string | null; subdivision: string | null; text: string } & SrcCols)[]
  ).map((r) => ({ role: r.role, code: r.code, subdivision: r.subdivision, text: r.text, source: src(r) }));
  const owners = ownersOf(db, id, asOf);
  const holdings = holdingsOf(db, id, asOf);
  const markers = markersOf(db, id, asOf);
  const sourceIds = new Set<number>([
    ...names.map((n) => n.source.sourceId), ...countries.map((c) => c.source.sourceId),
    ...owners.map((l) => l.source.sourceId), ...holdings.map((l) => l.source.sourceId), ...markers.map((m) => m.source.sourceId),
  ]);
  const sources = listSources(db).filter((s) => sourceIds.has(s.id));
  // the record the shown name, status and kind come from (the writer's precedence chose it)
  const from = e.source_id === null ? undefined : sources.find((s) => s.id === e.source_id) ?? listSources(db).find((s) => s.id === e.source_id);
  const valueSource: SourceRef | null = from ? { sourceId: from.id, fileName: from.fileName, sha256: from.sha256, recordRef: e.record_ref ?? '' } : null;
  return {
    valueSources: { name: valueSource, status: e.status === null ? null : valueSource, kind: valueSource },
    id: e.id, name: e.name, kind: e.kind, status: e.status, registrationStatus: e.registration_status, category: e.category,
    isPlaceholder: e.is_placeholder === 1, topics: JSON.parse(e.topics) as string[],
    attributes: JSON.parse(e.attributes) as Record<string, string>, names, identifiers, countries, owners, holdings, markers, sources,
    history: entityHistory(db, id),
  };
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
