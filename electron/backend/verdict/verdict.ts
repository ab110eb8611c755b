// Verdicts on the case database: one subject (reads only its ancestor closure) or many.
import { applyLists, applyListsToScreening, explainSubject, readsLists, screenAll, type ScreeningResult, type VerdictReport } from '../../../shared/domain/engine';
import { derivedTopicsOf, listsConsulted } from '../store/lists';
import { policySha256, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import type { Db } from '../store/db';
import { canonicalMap } from '../resolve';
import { readSnapshot, readSnapshotAsync } from '../store/concurrency';
import { withIdentifiers } from './identifiers';
import { loadAll, loadClosure, newReadout, resolvedId, type AssertionReadout } from './load';
import { listAssertions, type AssertionInfo } from '../assertions/assertions';
import { assertionSummary } from '../../../shared/domain/assertions';
import type { Finding, Verdict } from '../../../shared/domain/engine';

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

/** An assertion the verdict read (issue 14): the fact and the document it rests on. */
export type AssertionUsed = AssertionInfo;

/** How a verdict depends on the investigator's assertions. */
export interface VerdictAssertions {
  /** the assertions the computation read (their facts are in the subject's closure) */
  used: AssertionUsed[];
  /** the same subject and policy with useAssertions false: registry data alone */
  withoutAssertions: { verdict: Verdict; methods: VerdictReport['methods']; reasons: string[] };
  /** "data alone: INDETERMINATE; with 2 assertions: RESTRICTED" */
  summary: string;
}

/** The engine's report plus the location facts of the subject and of every origin on a path. */
export interface VerdictResult extends VerdictReport {
  locations: LocationEvidence[];
  /** present when the verdict read investigator assertions */
  assertions?: VerdictAssertions;
}

export function computeVerdict(db: Db, subjectId: number, policy: EffectivePolicy): VerdictResult {
  // the graph, the resolution and the location evidence from one snapshot
  return readSnapshot(db, () => {
    const readout = newReadout();
    const result = verdictIn(db, subjectId, policy, readout);
    if (readout.read.size === 0 && readout.overridden.length === 0) return result;
    return withAssertions(db, subjectId, policy, result, readout);
  });
}

/** Marks the asserted facts in the verdict, says how they were used, and puts data alone beside it. */
function withAssertions(db: Db, subjectId: number, policy: EffectivePolicy, result: VerdictResult, readout: AssertionReadout): VerdictResult {
  const ids = new Set<number>([...readout.read, ...readout.overridden.map((o) => o.assertionId)]);
  const used = listAssertions(db).filter((a) => ids.has(a.id));
  const bySource = new Map(used.map((a) => [a.sourceId, a.id]));
  // the facts asserted about an origin (what makes it one may be among them: a kind, a listing, a country)
  const about = new Map<number, number[]>();
  for (const a of used) {
    if (a.fact === 'link') continue;
    const id = resolvedId(db, a.entityId);
    about.set(id, [...(about.get(id) ?? []), a.id]);
  }
  const paths = {
    ...result.paths,
    items: result.paths.items.map((p) => ({
      ...p,
      ...(about.has(p.origin.id) ? { origin: { ...p.origin, assertionIds: about.get(p.origin.id)! } } : {}),
      steps: p.steps.map((st) => ({ ...st, links: st.links.map((l) => (bySource.has(l.source.sourceId) ? { ...l, assertionId: bySource.get(l.source.sourceId)! } : l)) })),
    })),
  };
  const findings: Finding[] = [...result.findings];
  for (const o of readout.overridden) {
    findings.push({
      kind: 'assertion-over-registry',
      text: `Assertion ${o.assertionId} and a registry record state the same ${o.kind} link of #${o.ownerId} in #${o.ownedId}: the registry says "${o.stated}" (${o.source.fileName}, ${o.source.recordRef}); the assertion is used.`,
      entityIds: [o.ownerId, o.ownedId],
    });
  }
  for (const m of readout.settledMarkers) {
    findings.push({
      kind: 'assertion-settles-undisclosed',
      text: `The undisclosed part of #${m.entityId} (${m.share}, ${m.source.fileName}) is read from the holdings asserted by assertion ${m.assertionIds.join(', ')}: what they and the registry leave uncovered stays undisclosed.`,
      entityIds: [m.entityId],
    });
  }
  const without = verdictIn(db, subjectId, { ...policy, useAssertions: false }, newReadout());
  const summary = assertionSummary(without.verdict, result.verdict, used.length);
  const reasons = [...result.reasons];
  reasons.splice(1, 0, `this verdict depends on ${used.length} investigator assertion${used.length === 1 ? '' : 's'} (${summary})`);
  return {
    ...result, paths, findings, reasons,
    assertions: { used, withoutAssertions: { verdict: without.verdict, methods: without.methods, reasons: without.reasons }, summary },
  };
}

function verdictIn(db: Db, subjectId: number, policy: EffectivePolicy, readout: AssertionReadout): VerdictResult {
  const graph = loadClosure(db, [subjectId], { allIdentifiers: policy.restrictedParties.length > 0, useAssertions: policy.useAssertions, readout });
  const report = explainSubject(graph, policy, resolvedId(db, subjectId), { policySha256: policySha256(policy) });
  const ids = new Set<number>([report.subject.id, ...report.paths.items.map((p) => p.origin.id)]);
  const rows = db.prepare(
    `SELECT c.role, c.code, c.subdivision, c.text, c.source_id, s.file_name, s.sha256, c.record_ref
     FROM entity_countries c JOIN sources s ON s.id = c.source_id
     WHERE ${policy.useAssertions ? '' : `s.format <> 'assertion' AND `}c.entity_id IN (SELECT ? UNION SELECT entity_id FROM entity_canonical WHERE canonical_id = ?) ORDER BY c.id`,
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
    graph: subjectIds
      ? loadClosure(db, subjectIds, { useAssertions: policy.useAssertions })
      : await loadAll(db, { identifiers: policy.restrictedParties.length > 0, useAssertions: policy.useAssertions }),
    canonical: canonicalMap(db),
    lists: readsLists(policy) ? listsConsulted(db, policy) : null,
  }));
  const t1 = performance.now();
  const computed = screenAll(graph, policy);
  const result = lists ? applyListsToScreening(computed, lists) : computed;
  const t2 = performance.now();
  return { result, timing: { loadMs: t1 - t0, computeMs: t2 - t1 }, indexOf: (id) => graph.indexOf(canonical.get(id) ?? id) };
}
