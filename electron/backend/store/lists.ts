// The facts a listed-party policy needs from the case: which imported sources carry which list
// topics (with their datasets and data dates), which restricted parties are in the case, and
// an entity's OpenSanctions derived topics. Read once per verdict or screening.
import type { ListSource, ListsConsulted, PartyCheck } from '../../../shared/domain/engine';
import { DERIVED_TOPICS } from '../../../shared/domain/engine';
import type { EffectivePolicy } from '../../../shared/domain/policy/policy';
import type { Db } from './db';
import { RefError, resolveRef } from './queries';

const SEP = '\u001f';

export function listsConsulted(db: Db, policy: EffectivePolicy): ListsConsulted {
  const topics = policy.restrictTopics;
  const sources: ListSource[] = [];
  if (topics.length) {
    const rows = db.prepare(
      `SELECT s.id, s.file_name, s.format, s.data_date, count(DISTINCT e.id) AS n,
              group_concat(DISTINCT t.value) AS topics,
              group_concat(DISTINCT json_extract(e.attributes, '$.datasets')) AS datasets
       FROM entities e JOIN json_each(e.topics) t JOIN sources s ON s.id = e.source_id
       WHERE t.value IN (SELECT value FROM json_each(?))
       GROUP BY s.id ORDER BY s.id`,
    ).all(JSON.stringify(topics)) as { id: number; file_name: string; format: string; data_date: string | null; n: number; topics: string; datasets: string | null }[];
    for (const r of rows) {
      const datasets = [...new Set((r.datasets ?? '').split(/,\s*/).filter(Boolean))].sort();
      sources.push({ sourceId: r.id, fileName: r.file_name, format: r.format, datasets, dataDate: r.data_date, topics: r.topics.split(',').sort(), listedEntities: r.n });
    }
  }
  const carried = new Set(sources.flatMap((s) => s.topics));
  const parties: PartyCheck[] = policy.restrictedParties.map((ref) => {
    let id: number;
    try {
      id = resolveRef(db, ref);
    } catch (e) {
      if (e instanceof RefError) return { ref, found: false, entityId: null, name: null, identifiers: [] };
      throw e;
    }
    const row = db.prepare(
      `SELECT name, (SELECT group_concat(scheme || ':' || value, '${SEP}') FROM identifiers WHERE entity_id = e.id) AS idents FROM entities e WHERE id = ?`,
    ).get(id) as { name: string; idents: string | null };
    return { ref, found: true, entityId: id, name: row.name, identifiers: row.idents ? row.idents.split(SEP).sort() : [] };
  });
  return { topics, sources, parties, missingTopics: topics.filter((t) => !carried.has(t)) };
}

/** The OpenSanctions derived topics (sanction.linked, …) any record of the entity's resolved group carries. */
export function derivedTopicsOf(db: Db, entityId: number): string[] {
  const rows = db.prepare(
    `SELECT DISTINCT t.value FROM entities e JOIN json_each(e.topics) t
     WHERE e.id IN (SELECT ? UNION SELECT entity_id FROM entity_canonical WHERE canonical_id = ?)`,
  ).pluck().all(entityId, entityId) as string[];
  return rows.filter((t) => t in DERIVED_TOPICS).sort();
}
