// Verdicts on the case database: one subject (reads only its ancestor closure) or many.
import { applyLists, applyListsToScreening, explainSubject, readsLists, screenAll, type ScreeningResult, type VerdictReport } from '../../../shared/domain/engine';
import { derivedTopicsOf, listsConsulted } from '../store/lists';
import { policySha256, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import type { Db } from '../store/db';
import { canonicalMap } from '../resolve';
import { readSnapshot, readSnapshotAsync } from '../store/concurrency';
import { withIdentifiers } from './identifiers';
import { loadAll, loadClosure, resolvedId } from './load';

/** Where an entity is located, and which source record says so (evidence for an origin). */
export interface LocationEvidence {
  entityId: number;
  role: string;
  code: string | null;
  subdivision: string | null;
  /** the country as the source wrote it */
  text: string;
  source: { sourceId: number; fileName: string; sha256: string; recordRef: string };
}

/** The engine's report plus the location facts of the subject and of every origin on a path. */
export interface VerdictResult extends VerdictReport {
  locations: LocationEvidence[];
}

export function computeVerdict(db: Db, subjectId: number, policy: EffectivePolicy): VerdictResult {
  // the graph, the resolution and the location evidence from one snapshot
  return readSnapshot(db, () => verdictIn(db, subjectId, policy));
}

function verdictIn(db: Db, subjectId: number, policy: EffectivePolicy): VerdictResult {
  const graph = loadClosure(db, [subjectId], { allIdentifiers: policy.restrictedParties.length > 0 });
  const report = explainSubject(graph, policy, resolvedId(db, subjectId), { policySha256: policySha256(policy) });
  const ids = new Set<number>([report.subject.id, ...report.paths.items.map((p) => p.origin.id)]);
  const rows = db.prepare(
    `SELECT c.role, c.code, c.subdivision, c.text, c.source_id, s.file_name, s.sha256, c.record_ref
     FROM entity_countries c JOIN sources s ON s.id = c.source_id
     WHERE c.entity_id IN (SELECT ? UNION SELECT entity_id FROM entity_canonical WHERE canonical_id = ?) ORDER BY c.id`,
  );
  const locations: LocationEvidence[] = [];
  for (const entityId of ids) {
    for (const r of rows.all(entityId, entityId) as { role: string; code: string | null; subdivision: string | null; text: string; source_id: number; file_name: string; sha256: string; record_ref: string }[]) {
      locations.push({
        entityId, role: r.role, code: r.code, subdivision: r.subdivision, text: r.text,
        source: { sourceId: r.source_id, fileName: r.file_name, sha256: r.sha256, recordRef: r.record_ref },
      });
    }
  }
  const sources = new Map(report.sources.map((s) => [s.sourceId, s]));
  for (const l of locations) sources.set(l.source.sourceId, { sourceId: l.source.sourceId, fileName: l.source.fileName, sha256: l.source.sha256 });
  const withSources: VerdictResult = { ...report, sources: [...sources.values()].sort((a, b) => a.sourceId - b.sourceId), locations };
  // a listed-party policy says which lists it read; without any, nothing can be CLEAR
  const result = readsLists(policy) ? { ...applyLists(withSources, listsConsulted(db, policy), derivedTopicsOf(db, report.subject.id)), locations } : withSources;
  return withIdentifiers(db, result);
}

export interface ScreenTiming {
  loadMs: number;
  computeMs: number;
}

/** Screens the given subjects (their joint ancestor closure) or, with no list, every entity. */
export async function screen(
  db: Db,
  policy: EffectivePolicy,
  subjectIds?: number[],
): Promise<{ result: ScreeningResult; timing: ScreenTiming; indexOf: (entityId: number) => number }> {
  const t0 = performance.now();
  // the resolution behind indexOf is read in the graph's snapshot, before it ends
  // the lists consulted are read in the same snapshot as the graph they are applied to
  const { graph, canonical, lists } = await readSnapshotAsync(db, async () => ({
    graph: subjectIds ? loadClosure(db, subjectIds) : await loadAll(db, { identifiers: policy.restrictedParties.length > 0 }),
    canonical: canonicalMap(db),
    lists: readsLists(policy) ? listsConsulted(db, policy) : null,
  }));
  const t1 = performance.now();
  const computed = screenAll(graph, policy);
  const result = lists ? applyListsToScreening(computed, lists) : computed;
  const t2 = performance.now();
  return { result, timing: { loadMs: t1 - t0, computeMs: t2 - t1 }, indexOf: (id) => graph.indexOf(canonical.get(id) ?? id) };
}
