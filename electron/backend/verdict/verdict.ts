// Verdicts on the case database: one subject (reads only its ancestor closure) or many.
import { explainSubject, screenAll, type ScreeningResult, type VerdictReport } from '../../../shared/domain/engine';
import { policySha256, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import type { Db } from '../store/db';
import { loadAll, loadClosure, resolvedId } from './load';

export function computeVerdict(db: Db, subjectId: number, policy: EffectivePolicy): VerdictReport {
  const graph = loadClosure(db, [subjectId]);
  return explainSubject(graph, policy, resolvedId(db, subjectId), { policySha256: policySha256(policy) });
}

export interface ScreenTiming {
  loadMs: number;
  computeMs: number;
}

/** Screens the given subjects (their joint ancestor closure) or, with no list, every entity. */
export function screen(
  db: Db,
  policy: EffectivePolicy,
  subjectIds?: number[],
): { result: ScreeningResult; timing: ScreenTiming; indexOf: (entityId: number) => number } {
  const t0 = performance.now();
  const graph = subjectIds ? loadClosure(db, subjectIds) : loadAll(db, { identifiers: policy.restrictedParties.length > 0 });
  const t1 = performance.now();
  const result = screenAll(graph, policy);
  const t2 = performance.now();
  return { result, timing: { loadMs: t1 - t0, computeMs: t2 - t1 }, indexOf: (id) => graph.indexOf(resolvedId(db, id)) };
}
