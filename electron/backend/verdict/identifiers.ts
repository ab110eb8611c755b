// Identifiers beside internal ids in every output that names entities (verdict, trace, show,
// graph.neighbourhood, case): an internal id means nothing outside one case database, so a
// script must be able to print the LEI (or company number) of every node. Walks the output once
// and adds, next to each `id`/`entityId`/`ownerId`/`ownedId` (and each id of a `chain` or
// `entityIds` list), the entity's identifiers; nothing else in the output changes.
import type { Db } from '../store/db';

const SEP = '\u001f';
/** id field → the field that carries that entity's identifiers */
const ID_FIELDS: Record<string, string> = {
  id: 'identifiers', subject: 'subjectIdentifiers', subjectId: 'subjectIdentifiers', entityId: 'entityIdentifiers', ownerId: 'ownerIdentifiers', ownedId: 'ownedIdentifiers', canonicalId: 'canonicalIdentifiers',
};
const ID_LISTS: Record<string, string> = {
  chain: 'chainIdentifiers', entityIds: 'entityIdentifiers', entities: 'entityIdentifiers', computedUltimateParents: 'computedUltimateParentIdentifiers',
};

/** Identifiers (`scheme:value`, sorted) of the given entities and of the records merged into them. */
export function identifiersOf(db: Db, ids: Iterable<number>): Map<number, string[]> {
  const list = [...new Set(ids)];
  const out = new Map<number, string[]>(list.map((id) => [id, []]));
  if (list.length === 0) return out;
  const rows = db.prepare(
    `WITH wanted(id) AS (SELECT value FROM json_each(?)),
     members(id, member) AS (
       SELECT id, id FROM wanted
       UNION SELECT w.id, c.entity_id FROM wanted w JOIN entity_canonical c ON c.canonical_id = w.id)
     SELECT m.id, group_concat(i.scheme || ':' || i.value, '${SEP}') FROM members m JOIN identifiers i ON i.entity_id = m.member GROUP BY m.id`,
  ).raw().all(JSON.stringify(list)) as [number, string][];
  for (const [id, idents] of rows) out.set(id, [...new Set(idents.split(SEP))].sort());
  return out;
}

/** The `id` of a link (an object with an owner and an owned entity) is not an entity id. */
function isLinkId(o: Record<string, unknown>, key: string): boolean {
  return key === 'id' && ('ownerId' in o || 'ownedId' in o);
}

function collect(v: unknown, ids: Set<number>): void {
  if (Array.isArray(v)) {
    for (const x of v) collect(x, ids);
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  const o = v as Record<string, unknown>;
  for (const [k, x] of Object.entries(o)) {
    if (k in ID_FIELDS && typeof x === 'number' && !isLinkId(o, k)) ids.add(x);
    else if (k in ID_LISTS && Array.isArray(x)) {
      for (const n of x) if (typeof n === 'number') ids.add(n);
      collect(x, ids);
    } else collect(x, ids);
  }
}

function annotate(v: unknown, idents: Map<number, string[]>, skip: ReadonlySet<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => annotate(x, idents, skip));
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    out[k] = skip.has(k) ? x : annotate(x, idents, skip);
    const field = ID_FIELDS[k];
    if (field && typeof x === 'number' && idents.has(x) && !(field in o) && !isLinkId(o, k)) out[field] = idents.get(x);
    const listField = ID_LISTS[k];
    if (listField && Array.isArray(x) && !(listField in o) && x.every((n) => typeof n === 'number')) out[listField] = x.map((n: number) => idents.get(n) ?? []);
  }
  return out;
}

/**
 * The output with identifiers beside every entity id. `skip` names keys whose content holds
 * ids of other things (sources, links, cases) and is left as is.
 */
export function withIdentifiers<T>(db: Db, output: T, skip: readonly string[] = ['source', 'sources', 'policy', 'locations', 'lists']): T {
  const ids = new Set<number>();
  const skipSet = new Set(skip);
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter(([k]) => !skipSet.has(k)).map(([k, x]) => [k, strip(x)])) : v);
  collect(strip(output), ids);
  return annotate(output, identifiersOf(db, ids), skipSet) as T;
}
