// Does a signed report's verdict still hold on a case database today? Re-runs the engine for the
// report's subject under the report's effective policy (only the as-of date moves to today) and
// compares the result with the verdict JSON embedded in the report: verdict, method shares,
// evidence paths, cited sources and their SHA-256, gaps.
import { policySha256, resolvePolicy, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import type { VerdictReport } from '../../../shared/domain/engine';
import { appendAudit } from '../cases/audit.js';
import { formatRange } from '../report/format.js';
import type { Evidence } from '../report/evidence.js';
import type { ShareRange, VerdictJson, VerdictValue } from '../report/types.js';
import { pathViews } from '../report/views.js';
import type { Db } from '../store/db';
import { RefError, resolveRef } from '../store/queries';
import { computeVerdict } from '../verdict/verdict';
import { todayIso } from '../verdict/policy-input';

export interface MethodChange {
  method: 'control' | 'lookThrough';
  thenVerdict: string | null;
  nowVerdict: string;
  thenShare: string;
  nowShare: string;
  changed: boolean;
}

export interface PathKeyed {
  /** "Origin → … → Subject", names as the engine printed them. */
  key: string;
  origin: string | null;
  share: string;
}

export interface SourceKeyed {
  fileName: string;
  sha256: string;
}

export interface VerdictDiff {
  verdictChanged: boolean;
  thenVerdict: VerdictValue;
  nowVerdict: VerdictValue;
  methods: MethodChange[];
  paths: { added: PathKeyed[]; removed: PathKeyed[]; shareChanged: Array<{ key: string; then: string; now: string }> };
  /** The sources whose records the verdict cites or read. `changed`: same file name, other SHA-256. */
  sources: { added: SourceKeyed[]; removed: SourceKeyed[]; changed: Array<{ fileName: string; thenSha256: string; nowSha256: string }> };
  gaps: { added: string[]; removed: string[] };
  /** One sentence per difference, in the order above; empty when nothing changed. */
  changes: string[];
}

export interface RecheckResult {
  /** The entity the verdict was recomputed for, in this database. */
  subject: { id: number; name: string; matchedBy: string };
  policy: { name: string; sha256: string; reportSha256: string; asOf: string; reportAsOf: string };
  /** True when today's computed verdict equals the computed verdict in the report. */
  stillHolds: boolean;
  /** The verdict the report states (after the investigator's decision) and whether it was an override. */
  reportedVerdict: VerdictValue;
  wasOverride: boolean;
  diff: VerdictDiff;
  verdict: VerdictReport;
}

export class RecheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecheckError';
  }
}

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => !!v && typeof v === 'object' && !Array.isArray(v);
const shareText = (r: unknown): string => formatRange(isObj(r) ? (r as unknown as ShareRange) : null);

/** The report's effective policy with only its as-of date replaced. */
export function policyOfReport(verdict: VerdictJson, asOf: string): EffectivePolicy {
  if (!isObj(verdict.policy)) throw new RecheckError('The evidence holds no policy.');
  const { sha256: _sha, ...fields } = verdict.policy as Loose;
  return resolvePolicy({ ...fields, asOf }, { today: todayIso() });
}

/**
 * The subject in this database: by its identifiers first (they survive a re-import into another
 * database), by internal id only when that entity still carries the same name.
 */
export function findSubject(db: Db, subject: VerdictJson['subject']): { id: number; matchedBy: string } {
  for (const ident of subject.identifiers ?? []) {
    try {
      return { id: resolveRef(db, ident), matchedBy: ident };
    } catch (e) {
      if (!(e instanceof RefError)) throw e;
    }
  }
  const id = Number(subject.id);
  if (Number.isInteger(id)) {
    const row = db.prepare('SELECT name FROM entities WHERE id = ?').get(id) as { name: string } | undefined;
    if (row && row.name === subject.name) return { id, matchedBy: `id:${id}` };
  }
  throw new RecheckError(
    `The report's subject ${subject.name} (${[...(subject.identifiers ?? []), `id:${subject.id}`].join(', ')}) is not in this database.`,
  );
}

function pathKeys(v: VerdictJson): PathKeyed[] {
  return pathViews(v).map((p) => {
    const names = p.edges.length ? [p.edges[0]!.ownerName, ...p.edges.map((e) => e.ownedName)] : [p.originName ?? '?'];
    return { key: names.join(' → '), origin: p.originName, share: p.share };
  });
}

/** Sources the verdict relies on: the engine's `sources` list plus every source a path link cites. */
function citedSources(v: VerdictJson): SourceKeyed[] {
  const out = new Map<string, SourceKeyed>();
  const raw = (v as unknown as Loose).sources;
  if (Array.isArray(raw)) for (const s of raw) if (isObj(s) && typeof s.sha256 === 'string') out.set(s.sha256, { fileName: String(s.fileName ?? ''), sha256: s.sha256 });
  for (const p of pathViews(v)) for (const l of p.links) if (l.source?.sha256) out.set(l.source.sha256, { fileName: l.source.fileName, sha256: l.source.sha256 });
  return [...out.values()];
}

function methodOf(v: VerdictJson, m: 'control' | 'lookThrough'): { verdict: string | null; share: string } {
  const r = v.methods?.[m];
  return { verdict: r?.verdict ?? null, share: r ? shareText(r.restrictedShare) : 'unknown' };
}

const METHOD_LABEL = { control: 'control method', lookThrough: 'look-through method' } as const;

/** What differs between the verdict in a report (`then`) and a recomputation (`now`). */
export function compareVerdicts(then: VerdictJson, now: VerdictJson): VerdictDiff {
  const changes: string[] = [];
  const verdictChanged = then.verdict !== now.verdict;
  if (verdictChanged) changes.push(`The computed verdict is now ${now.verdict.toUpperCase()}; the report says ${then.verdict.toUpperCase()}.`);

  const methods: MethodChange[] = (['control', 'lookThrough'] as const).map((m) => {
    const a = methodOf(then, m);
    const b = methodOf(now, m);
    const changed = a.verdict !== b.verdict || a.share !== b.share;
    if (changed) changes.push(`${METHOD_LABEL[m][0]!.toUpperCase()}${METHOD_LABEL[m].slice(1)}: restricted share ${a.share} (${a.verdict ?? '?'}) then, ${b.share} (${b.verdict ?? '?'}) now.`);
    return { method: m, thenVerdict: a.verdict, nowVerdict: b.verdict ?? '?', thenShare: a.share, nowShare: b.share, changed };
  });

  const pa = pathKeys(then);
  const pb = pathKeys(now);
  const byKey = (xs: PathKeyed[]) => new Map(xs.map((x) => [x.key, x]));
  const ma = byKey(pa);
  const mb = byKey(pb);
  const added = pb.filter((p) => !ma.has(p.key));
  const removed = pa.filter((p) => !mb.has(p.key));
  const shareChanged = pa.filter((p) => mb.has(p.key) && mb.get(p.key)!.share !== p.share).map((p) => ({ key: p.key, then: p.share, now: mb.get(p.key)!.share }));
  for (const p of added) changes.push(`New evidence path: ${p.key}${p.share ? ` (look-through ${p.share})` : ''}.`);
  for (const p of removed) changes.push(`Evidence path no longer found: ${p.key}${p.share ? ` (look-through ${p.share} in the report)` : ''}.`);
  for (const p of shareChanged) changes.push(`Evidence path ${p.key}: look-through ${p.then} then, ${p.now} now.`);

  const sa = citedSources(then);
  const sb = citedSources(now);
  const shaA = new Set(sa.map((s) => s.sha256));
  const shaB = new Set(sb.map((s) => s.sha256));
  const goneA = sa.filter((s) => !shaB.has(s.sha256));
  const newB = sb.filter((s) => !shaA.has(s.sha256));
  const changed: VerdictDiff['sources']['changed'] = [];
  for (const s of goneA) {
    const same = newB.find((n) => n.fileName === s.fileName);
    if (same) changed.push({ fileName: s.fileName, thenSha256: s.sha256, nowSha256: same.sha256 });
  }
  const changedNames = new Set(changed.map((c) => c.fileName));
  const srcRemoved = goneA.filter((s) => !changedNames.has(s.fileName));
  const srcAdded = newB.filter((s) => !changedNames.has(s.fileName));
  for (const s of srcAdded) changes.push(`The verdict now also relies on ${s.fileName} (sha256 ${s.sha256}).`);
  for (const s of srcRemoved) changes.push(`The verdict no longer relies on ${s.fileName} (sha256 ${s.sha256}).`);
  for (const c of changed) changes.push(`${c.fileName} has a different SHA-256: ${c.thenSha256} in the report, ${c.nowSha256} now.`);

  const gapTexts = (v: VerdictJson) => (v.gaps ?? []).map((g) => g.text);
  const ga = new Set(gapTexts(then));
  const gb = new Set(gapTexts(now));
  const gapsAdded = [...gb].filter((g) => !ga.has(g));
  const gapsRemoved = [...ga].filter((g) => !gb.has(g));
  for (const g of gapsAdded) changes.push(`New gap: ${g}`);
  for (const g of gapsRemoved) changes.push(`Gap settled or gone: ${g}`);

  return {
    verdictChanged,
    thenVerdict: then.verdict,
    nowVerdict: now.verdict,
    methods,
    paths: { added, removed, shareChanged },
    sources: { added: srcAdded, removed: srcRemoved, changed },
    gaps: { added: gapsAdded, removed: gapsRemoved },
    changes,
  };
}

export interface RecheckOptions {
  /** The date the links must be current on; default today. */
  asOf?: string;
  /** When set, the recomputation is recorded in the audit log (action "verdict") under this actor. */
  audit?: { actor: string | null; reportEvidenceSha256: string | null } | null;
}

/** Recomputes the report's verdict on `db` and says whether it still holds and what changed. */
export function recheckEvidence(db: Db, evidence: Pick<Evidence, 'verdict' | 'decision' | 'finalVerdict' | 'case'>, options: RecheckOptions = {}): RecheckResult {
  const then = evidence.verdict;
  const asOf = options.asOf ?? todayIso();
  const policy = policyOfReport(then, asOf);
  const subject = findSubject(db, then.subject);
  const now = computeVerdict(db, subject.id, policy);
  const diff = compareVerdicts(then, now as unknown as VerdictJson);
  const result: RecheckResult = {
    subject: { id: subject.id, name: now.subject.name, matchedBy: subject.matchedBy },
    policy: { name: policy.name, sha256: policySha256(policy), reportSha256: then.policy.sha256, asOf, reportAsOf: then.asOf },
    stillHolds: !diff.verdictChanged,
    reportedVerdict: evidence.finalVerdict,
    wasOverride: evidence.decision?.kind === 'override',
    diff,
    verdict: now,
  };
  if (options.audit) {
    appendAudit(db, {
      action: 'verdict',
      actor: options.audit.actor,
      // Recorded under the report's case when this is the database the case lives in.
      caseId: evidence.case?.id && db.prepare('SELECT 1 FROM cases WHERE id = ?').get(evidence.case.id) ? evidence.case.id : null,
      payload: {
        purpose: 'report-recheck',
        reportCaseId: evidence.case?.id ?? null,
        reportEvidenceSha256: options.audit.reportEvidenceSha256,
        subjectId: subject.id,
        policySha256: result.policy.sha256,
        asOf,
        verdict: now.verdict,
        reportComputedVerdict: then.verdict,
        stillHolds: result.stillHolds,
        changes: diff.changes.length,
      },
    });
  }
  return result;
}
