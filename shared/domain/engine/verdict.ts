// Verdicts: whole-graph screening (both methods for every entity in one pass) and the full
// explanation of one subject (paths, ultimate parents, gaps, findings) on its ancestor closure.
import { formatShare, unitsToPercent, type EntityKind, type LinkKind, type ShareInterval } from '../model';
import { policySha256, type EffectivePolicy } from '../policy/policy';
import {
  C_NORMAL,
  C_ORIGIN,
  C_PERSON_MAYBE,
  C_PERSON_NO,
  H_BRANCH,
  H_CONTROL,
  H_HI_OPEN,
  H_LO_OPEN,
  H_MAJORITY,
  H_MAYBE_ENDED,
  H_SHARE,
  H_SUMMARY,
  U_MARKER,
  U_NOTHING_KNOWN,
  U_NO_PARENT,
  cloneCompiled,
  compile,
  linkCounts,
  markerCounts,
  originReason,
  originRules,
  asOfInt,
  type CompiledGraph,
} from './compile';
import type { ListsConsulted } from './lists';
import { F_SUMMARY, KIND, LKIND, ROLE, type OwnershipGraph, type SourceRef } from './graph';
import { ON_MAYBE, ON_NO, dateText, existsOn, isSoleProprietor, isState, linkOnDate } from './asof';
import { roleLabel } from './compile';
import { upToText } from './text';
import {
  S_MAYBE,
  S_NO,
  S_YES,
  controlMethod,
  lookThroughMethod,
  threshold,
  type Bounds,
  type LookThroughResult,
} from './methods';

export type Verdict = 'restricted' | 'clear' | 'indeterminate';

export interface ShareBounds {
  /** percent */
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

export interface MethodVerdict {
  verdict: Verdict;
  restrictedShare: ShareBounds;
  /** whether the policy's method uses this method for the overall verdict */
  decisive: boolean;
}

export interface EntityRef {
  id: number;
  name: string;
}

export interface EvidenceLink {
  linkId: number;
  ownerId: number;
  ownerName: string;
  ownedId: number;
  ownedName: string;
  kind: LinkKind;
  controlBasis: string | null;
  /** the share as read (percent interval text), null when the source states none */
  share: string | null;
  /** the share or nature of control exactly as the source states it */
  stated: string;
  isSummary: boolean;
  source: SourceRef;
  /** set when the link is an investigator's assertion (issue 14): its id */
  assertionId?: number;
}

export interface EvidenceStep {
  ownerId: number;
  ownerName: string;
  ownedId: number;
  ownedName: string;
  /** the holding as counted (merged over its links), e.g. "(25%, 50%]" or "control" */
  counted: string;
  links: EvidenceLink[];
}

export interface EvidencePath {
  /** `assertionIds`: the investigator assertions (issue 14) that state facts of the origin (its kind, a listing, a location, the entity itself), set by the backend */
  origin: EntityRef & { why: string; assertionIds?: number[] };
  /** from the origin down to the subject */
  steps: EvidenceStep[];
  /** product of the steps' shares (look-through contribution), percent */
  lookThroughShare: ShareBounds;
  /** every intermediate is restricted under the control method, so the path counts there */
  countsInControl: boolean;
}

export interface UltimateParent extends EntityRef {
  basis: 'computed' | 'reported';
  /** computed: the chain of entity ids from the subject up; reported: the summary link */
  chain?: number[];
  link?: EvidenceLink;
  /** reported: used in the computation because the chain is broken */
  used?: boolean;
}

export interface Gap {
  /** no-list: the policy's list topics are not carried by any imported source (lists.ts) */
  kind: 'undisclosed-owner' | 'person-location' | 'share-unknown' | 'link-may-have-ended' | 'no-list';
  entityId: number;
  entityName: string;
  ownerId?: number;
  ownerName?: string;
  /**
   * undisclosed-owner: the undisclosed part, from 0 up to what no known holding covers;
   * share-unknown: the holding as it is known. In share units (the facts an assertion would state).
   */
  share?: ShareInterval;
  text: string;
}

export interface Finding {
  kind:
    | 'origin'
    | 'control-link'
    | 'summary-used'
    | 'ultimate-parent-differs'
    | 'cycle'
    | 'branch-takes-head-office'
    | 'head-office-branches-restricted'
    | 'shares-over-100'
    | 'suspicious-share'
    | 'ended-links-ignored'
    | 'link-may-have-ended'
    | 'state'
    | 'state-body-held-by-state'
    | 'sole-proprietor-location'
    | 'not-existing-on-date'
    | 'look-through-not-converged'
    | 'dangling-references'
    | 'derived-topic'
    | 'assertion-over-registry'
    | 'assertion-settles-undisclosed';
  text: string;
  entityIds: number[];
}

export interface VerdictReport {
  subject: { id: number; name: string; kind: EntityKind; identifiers: string[] };
  policy: EffectivePolicy & { sha256: string };
  asOf: string;
  verdict: Verdict;
  methods: { control: MethodVerdict; lookThrough: MethodVerdict };
  ultimateParents: { computed: UltimateParent[]; reported: UltimateParent[]; agree: boolean };
  paths: { items: EvidencePath[]; truncated: boolean; limit: number };
  gaps: Gap[];
  /** what settling the listed gaps as unrestricted would give (`clear`), or null when nothing would */
  gapsSettleTo: Verdict | null;
  findings: Finding[];
  reasons: string[];
  /** the source files whose links or markers were read for this subject */
  sources: { sourceId: number; fileName: string; sha256: string }[];
  /** entities in the ancestor closure that the computation read */
  closureSize: number;
  /** under a policy that reads lists: the lists consulted and the parties checked (lists.ts) */
  lists?: ListsConsulted;
}

const VERDICT_OF = ['clear', 'indeterminate', 'restricted'] as const;

export function overall(policy: EffectivePolicy, control: number, look: number): Verdict {
  if (policy.method === 'control') return VERDICT_OF[control]!;
  if (policy.method === 'lookThrough') return VERDICT_OF[look]!;
  if (control === S_YES || look === S_YES) return 'restricted';
  if (control === S_NO && look === S_NO) return 'clear';
  return 'indeterminate';
}

function pct(units: number): number {
  return Number(unitsToPercent(units).toFixed(4));
}

export function shareBounds(b: Bounds, x: number): ShareBounds {
  return {
    min: pct(b.lo[x]!),
    minInclusive: (b.open[x]! & 1) === 0,
    max: pct(b.hi[x]!),
    maxInclusive: (b.open[x]! & 2) === 0,
  };
}

export function formatBounds(s: ShareBounds): string {
  if (s.min === s.max && s.minInclusive && s.maxInclusive) return `${s.min}%`;
  return `${s.minInclusive ? '[' : '('}${s.min}%, ${s.max}%${s.maxInclusive ? ']' : ')'}`;
}

function thresholdText(p: EffectivePolicy): string {
  return `${p.comparison === 'gt' ? 'more than' : 'at least'} ${p.threshold}%`;
}

// ---------------------------------------------------------------------------------------------
// Whole-graph screening

export interface ScreeningResult {
  graph: OwnershipGraph;
  policy: EffectivePolicy;
  compiled: CompiledGraph;
  control: Bounds;
  lookThrough: LookThroughResult;
  /** per entity index: 0 clear, 1 indeterminate, 2 restricted */
  verdict: Uint8Array;
  verdictOf(index: number): Verdict;
  /** a one-line reason for entity index (built lazily) */
  reasonOf(index: number): string;
  entry(index: number): ScreeningEntry;
}

export interface ScreeningEntry {
  id: number;
  name: string;
  verdict: Verdict;
  control: { verdict: Verdict; restrictedShare: ShareBounds };
  lookThrough: { verdict: Verdict; restrictedShare: ShareBounds };
  reason: string;
}

/** Computes both methods for every entity of the graph once. */
export function screenAll(graph: OwnershipGraph, policy: EffectivePolicy): ScreeningResult {
  const cg = compile(graph, policy);
  return screenCompiled(cg);
}

function screenCompiled(cg: CompiledGraph): ScreeningResult {
  const control = controlMethod(cg);
  const lookThrough = lookThroughMethod(cg);
  const n = cg.n;
  const verdict = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    const v = overall(cg.policy, control.status[x]!, lookThrough.status[x]!);
    verdict[x] = v === 'clear' ? 0 : v === 'indeterminate' ? 1 : 2;
  }
  const rules = originRules(cg.policy);
  const res: ScreeningResult = {
    graph: cg.graph,
    policy: cg.policy,
    compiled: cg,
    control,
    lookThrough,
    verdict,
    verdictOf: (i) => VERDICT_OF[verdict[i]!]!,
    reasonOf: (i) => mainReason(cg, control, lookThrough, i, rules),
    entry: (i) => ({
      id: cg.graph.id[cg.global[i]!]!,
      name: cg.graph.name[cg.global[i]!]!,
      verdict: VERDICT_OF[verdict[i]!]!,
      control: { verdict: VERDICT_OF[control.status[i]!]!, restrictedShare: shareBounds(control, i) },
      lookThrough: { verdict: VERDICT_OF[lookThrough.status[i]!]!, restrictedShare: shareBounds(lookThrough, i) },
      reason: mainReason(cg, control, lookThrough, i, rules),
    }),
  };
  return res;
}

function mainReason(
  cg: CompiledGraph,
  control: Bounds,
  look: Bounds,
  x: number,
  rules: ReturnType<typeof originRules>,
): string {
  const g = cg.graph;
  const gx = cg.global[x]!;
  const name = g.name[gx]!;
  const p = cg.policy;
  const v = overall(p, control.status[x]!, look.status[x]!);
  const c = formatBounds(shareBounds(control, x));
  const l = formatBounds(shareBounds(look, x));
  const th = thresholdText(p);
  if (cg.cls[x] === C_ORIGIN) {
    const isBranch = g.kind[gx] === KIND.branch;
    return `RESTRICTED: ${name} is itself a restricted origin (${originReason(g, gx, rules, false) ?? (isBranch ? 'listed' : 'origin')})`;
  }
  if (cg.cls[x] === C_PERSON_NO && isState(g, gx))
    return `CLEAR: ${name} is a state (it has no owners) and is not a restricted origin`;
  if (cg.cls[x] === C_PERSON_NO) return `CLEAR: ${name} is a natural person who is not a restricted origin`;
  if (cg.cls[x] === C_PERSON_MAYBE)
    return `INDETERMINATE: the ${p.locatePersonsBy.join(' or ')} of ${name}, a natural person, is not known`;
  const shares = `control method ${c}, look-through ${l}; threshold ${th}`;
  if (v === 'restricted') {
    if (control.status[x] === S_YES && control.lo[x]! < threshold(p).units && p.countControl)
      return `RESTRICTED: ${name} is controlled by a restricted entity (${shares})`;
    return `RESTRICTED: restricted origins hold ${th} of ${name}, directly or indirectly (${shares})`;
  }
  if (v === 'clear') return `CLEAR: restricted origins cannot hold ${th} of ${name} (${shares})`;
  return `INDETERMINATE: restricted origins may hold ${th} of ${name}, depending on unknown facts (${shares})`;
}

// ---------------------------------------------------------------------------------------------
// Single subject

/** Graph indices of the subject and everything that may own it (any link kind, any date). */
export function ancestorClosure(g: OwnershipGraph, subject: number): Int32Array {
  const seen = new Uint8Array(g.count);
  const out: number[] = [subject];
  seen[subject] = 1;
  for (let i = 0; i < out.length; i++) {
    const x = out[i]!;
    for (let e = g.inStart[x]!; e < g.inStart[x + 1]!; e++) {
      const o = g.links.owner[g.inLinks[e]!]!;
      if (!seen[o]) {
        seen[o] = 1;
        out.push(o);
      }
    }
  }
  return Int32Array.from(out);
}

export interface ExplainOptions {
  maxPaths?: number;
  maxGapCandidates?: number;
  /** precomputed policy hash (avoids hashing per subject in batch use) */
  policySha256?: string;
}

export class SubjectNotFoundError extends Error {
  constructor(id: number) {
    super(`entity ${id} is not in the graph`);
    this.name = 'SubjectNotFoundError';
  }
}

/** Full verdict for one subject, computed on its ancestor closure only. */
export function explainSubject(
  g: OwnershipGraph,
  policy: EffectivePolicy,
  subjectId: number,
  opts: ExplainOptions = {},
): VerdictReport {
  const gi = g.indexOf(subjectId);
  if (gi < 0) throw new SubjectNotFoundError(subjectId);
  const nodes = ancestorClosure(g, gi);
  const cg = compile(g, policy, nodes);
  const s = 0; // the subject is local index 0
  const control = controlMethod(cg);
  const look = lookThroughMethod(cg, { keepRaw: true });
  const verdict = overall(policy, control.status[s]!, look.status[s]!);
  const rules = originRules(policy);
  const decisiveControl = policy.method !== 'lookThrough';
  const decisiveLook = policy.method !== 'control';

  const linkEvidence = (k: number): EvidenceLink => {
    const L = g.links;
    const share = g.linkShare(k);
    return {
      linkId: L.id[k]!,
      ownerId: g.id[L.owner[k]!]!,
      ownerName: g.name[L.owner[k]!]!,
      ownedId: g.id[L.owned[k]!]!,
      ownedName: g.name[L.owned[k]!]!,
      kind: g.linkKind(k),
      controlBasis: g.linkBasis(k),
      share: share ? formatShare(share) : null,
      stated: L.stated[k]!,
      isSummary: (L.flags[k]! & F_SUMMARY) !== 0,
      source: g.linkSource(k),
    };
  };

  const paths = evidencePaths(cg, control, look, s, opts.maxPaths ?? 25, linkEvidence, rules);
  const ups = ultimateParents(cg, s, linkEvidence);
  const findings = collectFindings(cg, control, look, s, ups, linkEvidence);
  const gaps =
    verdict === 'indeterminate' ? findGaps(cg, control, look, s, opts.maxGapCandidates ?? 60) : { gaps: [], settle: null };

  const reasons = [mainReason(cg, control, look, s, rules)];
  reasons.push(
    `control method: ${VERDICT_OF[control.status[s]!]} (restricted share ${formatBounds(shareBounds(control, s))})${decisiveControl ? '' : ' — not decisive under this policy'}`,
  );
  reasons.push(
    `look-through method: ${VERDICT_OF[look.status[s]!]} (restricted share ${formatBounds(shareBounds(look, s))})${decisiveLook ? '' : ' — not decisive under this policy'}`,
  );
  for (const f of findings) if (f.kind === 'control-link' || f.kind === 'summary-used') reasons.push(f.text);

  const sourceSet = new Map<number, { sourceId: number; fileName: string; sha256: string }>();
  for (let x = 0; x < cg.n; x++) {
    const gx = cg.global[x]!;
    for (let e = g.inStart[gx]!; e < g.inStart[gx + 1]!; e++) {
      const src = g.linkSource(g.inLinks[e]!);
      sourceSet.set(src.sourceId, { sourceId: src.sourceId, fileName: src.fileName, sha256: src.sha256 });
    }
    for (const m of g.markersOf(gx))
      sourceSet.set(m.source.sourceId, { sourceId: m.source.sourceId, fileName: m.source.fileName, sha256: m.source.sha256 });
  }

  return {
    subject: { id: subjectId, name: g.name[gi]!, kind: g.kindOf(gi), identifiers: g.identifiersOf(gi) },
    policy: { ...policy, sha256: opts.policySha256 ?? policySha256(policy) },
    asOf: policy.asOf,
    verdict,
    methods: {
      control: { verdict: VERDICT_OF[control.status[s]!]!, restrictedShare: shareBounds(control, s), decisive: decisiveControl },
      lookThrough: { verdict: VERDICT_OF[look.status[s]!]!, restrictedShare: shareBounds(look, s), decisive: decisiveLook },
    },
    ultimateParents: ups,
    paths,
    gaps: gaps.gaps,
    gapsSettleTo: gaps.settle,
    findings,
    reasons,
    sources: [...sourceSet.values()].sort((a, b) => a.sourceId - b.sourceId),
    closureSize: cg.n,
  };
}

function holdingText(cg: CompiledGraph, h: number): string {
  const f = cg.hFlags[h]!;
  if (f & H_BRANCH) return 'branch (is its head office)';
  const parts: string[] = [];
  if (f & H_SHARE) {
    parts.push(
      formatShare({ lo: cg.hLo[h]!, loOpen: (f & H_LO_OPEN) !== 0, hi: cg.hHi[h]!, hiOpen: (f & H_HI_OPEN) !== 0 }),
    );
  }
  if (f & H_CONTROL) parts.push('control');
  if (f & H_SUMMARY) parts.push('reported ultimate parent');
  if (f & H_MAYBE_ENDED) parts.push('may have ended');
  return parts.join(' + ') || 'not counted';
}

/** All graph links (counting on the date) behind holding h of local node x. */
function holdingLinks(cg: CompiledGraph, x: number, h: number, ev: (k: number) => EvidenceLink): EvidenceLink[] {
  const g = cg.graph;
  const gx = cg.global[x]!;
  const go = cg.global[cg.hOwner[h]!]!;
  const asOf = asOfInt(cg.policy);
  const isSummary = (cg.hFlags[h]! & H_SUMMARY) !== 0;
  if (isSummary) return [ev(cg.hLink[h]!)];
  const out: EvidenceLink[] = [];
  for (let e = g.inStart[gx]!; e < g.inStart[gx + 1]!; e++) {
    const k = g.inLinks[e]!;
    if (g.links.owner[k] !== go || g.links.flags[k]! & F_SUMMARY || linkOnDate(g, k, asOf) === ON_NO) continue;
    const kind = g.links.kind[k]!;
    if (kind === LKIND['fund-management'] || kind === LKIND.other) continue;
    out.push(ev(k));
  }
  return out;
}

function evidencePaths(
  cg: CompiledGraph,
  control: Bounds,
  look: Bounds,
  s: number,
  limit: number,
  ev: (k: number) => EvidenceLink,
  rules: ReturnType<typeof originRules>,
): VerdictReport['paths'] {
  const g = cg.graph;
  const items: EvidencePath[] = [];
  const onPath = new Uint8Array(cg.n);
  const stackH: number[] = [];
  const stackX: number[] = [];
  let steps = 0;
  let truncated = false;
  const budget = 200_000;
  const contributes = (o: number): boolean =>
    cg.cls[o] === C_ORIGIN || (cg.cls[o] === C_NORMAL && (control.status[o] !== S_NO || look.hi[o]! > 0));

  const emit = (origin: number): void => {
    const stepsOut: EvidenceStep[] = [];
    let lo = 1_000_000, hi = 1_000_000;
    let loOpen = false, hiOpen = false;
    let countsInControl = true;
    for (let i = stackH.length - 1; i >= 0; i--) {
      const h = stackH[i]!;
      const x = stackX[i]!;
      const o = cg.hOwner[h]!;
      const f = cg.hFlags[h]!;
      if (i !== stackH.length - 1 && control.status[o] !== S_YES) countsInControl = false;
      const gx = cg.global[x]!, go = cg.global[o]!;
      stepsOut.push({
        ownerId: g.id[go]!,
        ownerName: g.name[go]!,
        ownedId: g.id[gx]!,
        ownedName: g.name[gx]!,
        counted: holdingText(cg, h),
        links: holdingLinks(cg, x, h, ev),
      });
      if (f & H_SHARE) {
        lo = Math.floor((lo * cg.hLo[h]!) / 1_000_000);
        hi = Math.ceil((hi * cg.hHi[h]!) / 1_000_000);
        loOpen = loOpen || (f & H_LO_OPEN) !== 0;
        hiOpen = hiOpen || (f & H_HI_OPEN) !== 0;
      } else {
        lo = 0;
      }
    }
    const go = cg.global[origin]!;
    items.push({
      origin: { id: g.id[go]!, name: g.name[go]!, why: originReason(g, go, rules, false) ?? 'restricted origin' },
      steps: stepsOut,
      lookThroughShare: { min: pct(lo), minInclusive: !loOpen || lo === 0, max: pct(hi), maxInclusive: !hiOpen },
      countsInControl,
    });
  };

  const dfs = (x: number): void => {
    if (truncated) return;
    if (++steps > budget || stackH.length > 30) {
      truncated = true;
      return;
    }
    onPath[x] = 1;
    const hs: number[] = [];
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      const f = cg.hFlags[h]!;
      if (!(f & (H_SHARE | H_CONTROL))) continue;
      const o = cg.hOwner[h]!;
      if (!onPath[o] && contributes(o)) hs.push(h);
    }
    hs.sort((a, b) => cg.hHi[b]! - cg.hHi[a]! || cg.hLo[b]! - cg.hLo[a]!);
    for (const h of hs) {
      const o = cg.hOwner[h]!;
      stackH.push(h);
      stackX.push(x);
      if (cg.cls[o] === C_ORIGIN) {
        if (items.length >= limit) {
          truncated = true;
        } else {
          emit(o);
          // an origin's own owners may be origins too (a state above its ministry): their chains are evidence as well
          dfs(o);
        }
      } else dfs(o);
      stackH.pop();
      stackX.pop();
      if (truncated) break;
    }
    onPath[x] = 0;
  };
  // An origin subject is restricted whatever its owners, but its owners' chains to other origins
  // are evidence too (an HK company's Chinese parent), so they are listed all the same.
  dfs(s);
  return { items, truncated, limit };
}

function ultimateParents(
  cg: CompiledGraph,
  s: number,
  ev: (k: number) => EvidenceLink,
): VerdictReport['ultimateParents'] {
  const g = cg.graph;
  const computed: UltimateParent[] = [];
  const seenTop = new Set<number>();
  const onPath = new Uint8Array(cg.n);
  const chain: number[] = [];
  const majorityOwners = (x: number): number[] => {
    const out: number[] = [];
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++)
      if (cg.hFlags[h]! & H_MAJORITY && !(cg.hFlags[h]! & H_SUMMARY) && cg.hOwner[h] !== x) out.push(cg.hOwner[h]!);
    return out;
  };
  let budget = 10_000;
  const walk = (x: number): void => {
    if (--budget < 0) return;
    onPath[x] = 1;
    chain.push(g.id[cg.global[x]!]!);
    const owners = majorityOwners(x).filter((o) => !onPath[o]);
    if (owners.length === 0 && x !== s && !seenTop.has(x)) {
      seenTop.add(x);
      computed.push({ id: g.id[cg.global[x]!]!, name: g.name[cg.global[x]!]!, basis: 'computed', chain: chain.slice() });
    }
    for (const o of owners) walk(o);
    chain.pop();
    onPath[x] = 0;
  };
  walk(s);

  const reported: UltimateParent[] = [];
  const gs = cg.global[s]!;
  const asOf = asOfInt(cg.policy);
  for (let e = g.inStart[gs]!; e < g.inStart[gs + 1]!; e++) {
    const k = g.inLinks[e]!;
    if (!(g.links.flags[k]! & F_SUMMARY) || !linkCounts(g, k, asOf)) continue;
    const o = g.links.owner[k]!;
    const used = cg.usedSummaries.some((u) => u.link === k);
    reported.push({ id: g.id[o]!, name: g.name[o]!, basis: 'reported', link: ev(k), used });
  }
  const computedIds = new Set(computed.map((c) => c.id));
  const agree = reported.every((r) => computedIds.has(r.id));
  return { computed, reported, agree };
}

function collectFindings(
  cg: CompiledGraph,
  control: Bounds,
  look: LookThroughResult,
  s: number,
  ups: VerdictReport['ultimateParents'],
  ev: (k: number) => EvidenceLink,
): Finding[] {
  const g = cg.graph;
  const p = cg.policy;
  const out: Finding[] = [];
  const gid = (x: number): number => g.id[cg.global[x]!]!;
  const nm = (x: number): string => g.name[cg.global[x]!]!;
  const rules = originRules(p);
  const asOf = asOfInt(p);

  if (cg.cls[s] === C_ORIGIN) {
    out.push({ kind: 'origin', text: `${nm(s)} is itself a restricted origin: ${originReason(g, cg.global[s]!, rules, false)}`, entityIds: [gid(s)] });
  }
  // control without a share decided it
  if (control.status[s] === S_YES && p.countControl && !(control.lo[s]! >= threshold(p).units) && cg.cls[s] === C_NORMAL) {
    for (let h = cg.hStart[s]!; h < cg.hStart[s + 1]!; h++) {
      const o = cg.hOwner[h]!;
      if (cg.hFlags[h]! & H_CONTROL && control.status[o] === S_YES)
        out.push({ kind: 'control-link', text: `${nm(s)} is controlled by restricted ${nm(o)} (control without a known majority share counts under this policy)`, entityIds: [gid(s), gid(o)] });
    }
  }
  for (const u of cg.usedSummaries) {
    const link = ev(u.link);
    out.push({
      kind: 'summary-used',
      text: `the reported ultimate parent ${nm(u.owner)} of ${nm(u.owned)} (${link.source.fileName} ${link.source.recordRef}) is used because the chain is broken at ${nm(u.brokenAt)} (nothing known about its owners)`,
      entityIds: [gid(u.owned), gid(u.owner), gid(u.brokenAt)],
    });
  }
  if (!ups.agree) {
    const computed = ups.computed.map((c) => c.name).join(', ') || 'none (no majority-control chain above the subject)';
    for (const r of ups.reported)
      if (!ups.computed.some((c) => c.id === r.id))
        out.push({
          kind: 'ultimate-parent-differs',
          text: `reported ultimate parent ${r.name} (${r.link?.source.fileName ?? ''}) differs from the computed one: ${computed}`,
          entityIds: [r.id, ...ups.computed.map((c) => c.id)],
        });
  }
  for (const cyc of look.cycles) {
    const ids = Array.from(cyc, gid);
    const names = Array.from(cyc, nm);
    out.push({
      kind: 'cycle',
      text: cyc.length === 1 ? `${names[0]} holds shares in itself` : `ownership cycle among ${names.join(', ')} (solved by iteration, not unrolled)`,
      entityIds: ids,
    });
  }
  if (look.unconverged > 0)
    out.push({ kind: 'look-through-not-converged', text: `look-through iteration on ${look.unconverged} ownership cycle(s) stopped at its cap: bounds are sound but wider than 0.01 pp`, entityIds: [] });
  for (let x = 0; x < cg.n; x++) {
    const gx = cg.global[x]!;
    if (g.kind[gx] === KIND.branch) {
      for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
        if (!(cg.hFlags[h]! & H_BRANCH)) continue;
        const own = originReason(g, gx, rules, false);
        if (own && cg.cls[x] !== C_ORIGIN)
          out.push({ kind: 'branch-takes-head-office', text: `${nm(x)} is a branch of ${nm(cg.hOwner[h]!)}: it takes its head office's status (its own ${own} does not make it an origin)`, entityIds: [gid(x), gid(cg.hOwner[h]!)] });
      }
    }
    if (cg.cls[x] === C_NORMAL && cg.kLo[x]! > 1_000_000)
      out.push({ kind: 'shares-over-100', text: `known shares in ${nm(x)} add up to more than 100% (${pct(cg.kLo[x]!)}%): the data overlaps or double counts`, entityIds: [gid(x)] });
    for (let e = g.inStart[gx]!; e < g.inStart[gx + 1]!; e++) {
      const k = g.inLinks[e]!;
      const f = g.links.flags[k]!;
      if (f & 1 && g.links.hi[k]! <= 10_000 && g.links.lo[k] === g.links.hi[k] && /^\s*(0?\.\d+|1(\.0+)?)\s*%?\s*$/.test(g.links.stated[k]!))
        out.push({ kind: 'suspicious-share', text: `share "${g.links.stated[k]}" of ${g.name[g.links.owner[k]!]} in ${nm(x)} is read as ${pct(g.links.hi[k]!)}%; the source may mean a fraction (${Number(g.links.stated[k]) * 100}%)`, entityIds: [g.id[g.links.owner[k]!]!, gid(x)] });
    }
  }
  // The subject as head office: branches located in restricted regions do not make it restricted.
  const gs = cg.global[s]!;
  const branches: number[] = [];
  for (let e = g.outStart[gs]!; e < g.outStart[gs + 1]!; e++) {
    const k = g.outLinks[e]!;
    if (g.links.kind[k] !== LKIND.branch) continue;
    const b = g.links.owned[k]!;
    if (originReason(g, b, rules, false)) branches.push(b);
  }
  if (branches.length > 0)
    out.push({ kind: 'head-office-branches-restricted', text: `${nm(s)} has branches in restricted regions (${branches.map((b) => g.name[b]).join(', ')}); a head office is not owned by its branches and is not restricted by them`, entityIds: [gid(s), ...branches.map((b) => g.id[b]!)] });
  let ended = 0;
  for (let e = g.inStart[gs]!; e < g.inStart[gs + 1]!; e++) if (linkOnDate(g, g.inLinks[e]!, asOf) === ON_NO) ended++;
  if (ended > 0)
    out.push({
      kind: 'ended-links-ignored',
      text: `${ended === 1 ? '1 link' : `${ended} links`} into ${nm(s)} did not hold on ${p.asOf} (ended before it, started after it, or void): shown, not counted`,
      entityIds: [gid(s)],
    });
  out.push(...asOfFindings(cg, s));
  if (g.danglingCount > 0)
    out.push({ kind: 'dangling-references', text: `${g.danglingCount} link(s)/marker(s) in the loaded data point to entities that were not loaded`, entityIds: [] });
  return out;
}

/** "whether OWNER still held SHARE of X on D is not known (SOURCE says it ended by DATA DATE)" */
function maybeEndedText(cg: CompiledGraph, x: number, h: number): string {
  const g = cg.graph;
  const k = cg.hLink[h]!;
  const share = g.linkShare(k);
  const what = share ? formatShare(share) : g.links.kind[k] === LKIND.control ? 'control' : 'an unknown share';
  const dd = g.linkDataDate(k);
  const src = g.linkSource(k);
  return `whether ${g.name[cg.global[cg.hOwner[h]!]!]} still held ${what === 'unknown' ? 'an unknown share' : what} of ${g.name[cg.global[x]!]} on ${cg.policy.asOf} is not known (${src.fileName} says it ended by ${dd || 'its data date'})`;
}

/** Findings about dates, states, state bodies and sole proprietors in the subject's closure. */
function asOfFindings(cg: CompiledGraph, s: number): Finding[] {
  const g = cg.graph;
  const p = cg.policy;
  const asOf = asOfInt(p);
  const out: Finding[] = [];
  const gid = (x: number): number => g.id[cg.global[x]!]!;
  const nm = (x: number): string => g.name[cg.global[x]!]!;
  const gs = cg.global[s]!;
  if (!existsOn(g, gs, asOf)) {
    const st = g.entityStart[gs]!, en = g.entityEnd[gs]!;
    const why = st !== 0 && st > asOf ? `it was founded on ${dateText(st)}` : `it was dissolved on ${dateText(en)}`;
    out.push({ kind: 'not-existing-on-date', text: `${nm(s)} did not exist on ${p.asOf} (${why}): no link into or out of it counts on that date`, entityIds: [gid(s)] });
  }
  for (let x = 0; x < cg.n; x++) {
    const gx = cg.global[x]!;
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++)
      if (cg.hFlags[h]! & H_MAYBE_ENDED)
        out.push({ kind: 'link-may-have-ended', text: maybeEndedText(cg, x, h), entityIds: [gid(cg.hOwner[h]!), gid(x)] });
    if (isState(g, gx)) {
      const cs = [...new Set(g.countriesOf(gx).map((c) => c.code))];
      out.push({
        kind: 'state',
        text: `${nm(x)} is a state: it has no owners by definition and is located in its own country (${cs.join(', ') || 'no country stated'})`,
        entityIds: [gid(x)],
      });
    }
    if (g.kind[gx] === KIND.person && isSoleProprietor(g, gx)) {
      const cs = g.countriesOf(gx).filter((c) => c.role === 'legal-address' || c.role === 'headquarters' || c.role === 'jurisdiction');
      const where = cs.map((c) => `${roleLabel(ROLE[c.role])} ${c.code}`).join(', ');
      out.push({
        kind: 'sole-proprietor-location',
        text: cs.length > 0
          ? `${nm(x)} is a sole proprietor (one natural person trading under that name): the person's location was read from the business registration (${where})`
          : `${nm(x)} is a sole proprietor (one natural person trading under that name), but its business registration states no country`,
        entityIds: [gid(x)],
      });
    }
  }
  for (const sh of cg.stateHeld) {
    const jur = [...new Set(g.countriesOf(cg.global[sh.x]!).map((c) => c.code))].join(', ') || 'no country stated';
    out.push({
      kind: 'state-body-held-by-state',
      text: sh.state >= 0
        ? `${nm(sh.x)} is a state body whose owners are not stated: it is held by the state of its jurisdiction, ${nm(sh.state)} (${jur}), as 100%`
        : `${nm(sh.x)} is a state body whose owners are not stated: it is held by the state of its jurisdiction (${jur}), which is not in the data; its own location judges it`,
      entityIds: sh.state >= 0 ? [gid(sh.x), gid(sh.state)] : [gid(sh.x)],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Gaps: greedy choice of unknown facts whose clearing settles the verdict.

interface Candidate {
  /** built only for the candidates that are reported (a wide subject has thousands) */
  gap: () => Gap;
  /** the node whose inputs the candidate changes, and the holding it changes (-1: none) */
  x: number;
  h: number;
  apply: (c: CompiledGraph) => void;
}

/**
 * Evaluates the subject's verdict with some candidates applied, without re-running both methods
 * on the whole closure: only the entities downstream of the changed ones can change, so both
 * methods run on that part alone, with its other owners fixed at their computed values (the
 * least fixpoints restricted to an owner-closed part are that part's own least fixpoints).
 */
function gapEvaluator(
  cg: CompiledGraph,
  control: Bounds,
  look: LookThroughResult,
  s: number,
): (applied: Candidate[]) => { v: Verdict; hi: number } {
  const n = cg.n;
  const p = cg.policy;
  const m = cg.hOwner.length;
  const hStart = cg.hStart;
  // owner -> owned, over holdings
  const outStart = new Int32Array(n + 1);
  for (let h = 0; h < m; h++) outStart[cg.hOwner[h]! + 1]!++;
  for (let i = 0; i < n; i++) outStart[i + 1]! += outStart[i]!;
  const fill = outStart.slice(0, n);
  const outOwned = new Int32Array(m);
  for (let x = 0; x < n; x++) for (let h = hStart[x]!; h < hStart[x + 1]!; h++) outOwned[fill[cg.hOwner[h]!]!++] = x;
  const rawHi = look.rawHi ?? look.hi;
  const rawOpen = look.rawOpen ?? look.open;
  const baseResult = { v: overall(p, control.status[s]!, look.status[s]!), hi: Math.max(control.hi[s]!, look.hi[s]!) };
  const work = cloneCompiled(cg);
  const dMark = new Int32Array(n);
  const bMark = new Int32Array(n);
  const sub = new Int32Array(n);
  let mark = 0;
  const dList: number[] = [];
  const bList: number[] = [];
  const controlCls = [C_PERSON_NO, C_PERSON_MAYBE, C_ORIGIN];

  return (applied) => {
    for (const a of applied) a.apply(work);
    mark++;
    dList.length = 0;
    bList.length = 0;
    for (const a of applied) {
      if (dMark[a.x] !== mark) {
        dMark[a.x] = mark;
        dList.push(a.x);
      }
    }
    for (let i = 0; i < dList.length; i++) {
      const y = dList[i]!;
      for (let e = outStart[y]!; e < outStart[y + 1]!; e++) {
        const x = outOwned[e]!;
        if (dMark[x] !== mark) {
          dMark[x] = mark;
          dList.push(x);
        }
      }
    }
    let result = baseResult;
    if (dMark[s] === mark) {
      dList.sort((a, b) => a - b);
      const nd = dList.length;
      let hm = 0;
      for (let i = 0; i < nd; i++) {
        const y = dList[i]!;
        sub[y] = i;
        hm += hStart[y + 1]! - hStart[y]!;
        for (let h = hStart[y]!; h < hStart[y + 1]!; h++) {
          const o = cg.hOwner[h]!;
          if (dMark[o] !== mark && bMark[o] !== mark) {
            bMark[o] = mark;
            bList.push(o);
          }
        }
      }
      for (let i = 0; i < bList.length; i++) sub[bList[i]!] = nd + i;
      const sn = nd + bList.length;
      const global = new Int32Array(sn);
      const clsC = new Uint8Array(sn);
      const clsL = new Uint8Array(sn);
      const uHi = new Int32Array(sn);
      const uOpen = new Uint8Array(sn);
      const sStart = new Int32Array(sn + 1);
      const hOwner = new Int32Array(hm);
      const hLo = new Int32Array(hm);
      const hHi = new Int32Array(hm);
      const hFlags = new Uint8Array(hm);
      const fixed = { mask: new Uint8Array(sn), lo: new Int32Array(sn), hi: new Int32Array(sn), open: new Uint8Array(sn) };
      let w = 0;
      for (let i = 0; i < nd; i++) {
        const y = dList[i]!;
        global[i] = cg.global[y]!;
        clsC[i] = clsL[i] = work.cls[y]!;
        uHi[i] = work.uHi[y]!;
        uOpen[i] = work.uOpen[y]!;
        sStart[i] = w;
        for (let h = hStart[y]!; h < hStart[y + 1]!; h++) {
          hOwner[w] = sub[cg.hOwner[h]!]!;
          hLo[w] = work.hLo[h]!;
          hHi[w] = work.hHi[h]!;
          hFlags[w++] = work.hFlags[h]!;
        }
      }
      for (let i = nd; i <= sn; i++) sStart[i] = w;
      for (let i = 0; i < bList.length; i++) {
        const o = bList[i]!;
        const j = nd + i;
        global[j] = cg.global[o]!;
        // control: an owner's computed status is all the owned read from it
        clsC[j] = controlCls[control.status[o]!]!;
        clsL[j] = cg.cls[o]!;
        fixed.mask[j] = 1;
        fixed.lo[j] = look.lo[o]!;
        fixed.hi[j] = rawHi[o]!;
        fixed.open[j] = rawOpen[o]!;
      }
      const part: CompiledGraph = {
        ...cg, n: sn, global, cls: clsC, hStart: sStart, hOwner, hLo, hHi, hFlags, hLink: new Int32Array(hm),
        uHi, uOpen, uFlags: new Uint8Array(sn), kLo: new Float64Array(sn), usedSummaries: [],
      };
      const cb = controlMethod(part);
      const lb = lookThroughMethod({ ...part, cls: clsL }, { fixed });
      const ss = sub[s]!;
      result = { v: overall(p, cb.status[ss]!, lb.status[ss]!), hi: Math.max(cb.hi[ss]!, lb.hi[ss]!) };
    }
    for (const a of applied) {
      work.cls[a.x] = cg.cls[a.x]!;
      work.uHi[a.x] = cg.uHi[a.x]!;
      work.uOpen[a.x] = cg.uOpen[a.x]!;
      if (a.h >= 0) {
        work.hLo[a.h] = cg.hLo[a.h]!;
        work.hHi[a.h] = cg.hHi[a.h]!;
        work.hFlags[a.h] = cg.hFlags[a.h]!;
      }
    }
    return result;
  };
}

function findGaps(
  cg: CompiledGraph,
  control: Bounds,
  look: LookThroughResult,
  s: number,
  maxCandidates: number,
): { gaps: Gap[]; settle: Verdict | null } {
  const g = cg.graph;
  const p = cg.policy;
  const nm = (x: number): string => g.name[cg.global[x]!]!;
  const gid = (x: number): number => g.id[cg.global[x]!]!;
  const asOf = asOfInt(p);
  const relevant = (x: number): boolean => x === s || control.status[x] !== S_NO || look.hi[x]! > 0;
  const cands: (Candidate & { weight: number })[] = [];
  for (let x = 0; x < cg.n; x++) {
    if (!relevant(x)) continue;
    if (cg.cls[x] === C_PERSON_MAYBE) {
      cands.push({
        gap: () => ({ kind: 'person-location', entityId: gid(x), entityName: nm(x), text: `the ${p.locatePersonsBy.join(' or ')} of ${nm(x)}, a natural person, is not known` }),
        x,
        h: -1,
        apply: (c) => (c.cls[x] = C_PERSON_NO),
        weight: look.hi[x]!,
      });
      continue;
    }
    if (cg.cls[x] !== C_NORMAL) continue;
    if (cg.uHi[x]! > 0) {
      const undisclosedGap = (): Gap => {
        let why: string;
        if (cg.uFlags[x]! & U_NOTHING_KNOWN) why = 'nothing is known about its owners';
        else if (cg.uFlags[x]! & U_MARKER) {
          const ms = g.markersOf(cg.global[x]!).filter((m) => m.category !== 'no-parent' && markerCounts(m, asOf));
          why = ms.map((m) => `${m.reason}${m.detail ? `: ${m.detail}` : ''}`).join('; ');
        } else if (cg.uFlags[x]! & U_NO_PARENT) {
          const ms = g.markersOf(cg.global[x]!).filter((m) => m.category === 'no-parent' && markerCounts(m, asOf));
          why = `reported: no parent by definition (${ms.map((m) => m.reason).join('; ')}), which names no owner`;
        } else why = `known shares add up to ${pct(cg.kLo[x]!)}%`;
        const up = upToText(cg.uHi[x]!, cg.uOpen[x] === 1);
        const text = cg.uFlags[x]! & U_NOTHING_KNOWN
          ? `the owners of ${nm(x)} are unknown (no record names any owner)`
          : up === 'all'
            ? `the owners of ${nm(x)} are undisclosed (${why})`
            : `the owner of ${up} of ${nm(x)} is undisclosed (${why})`;
        return { kind: 'undisclosed-owner', entityId: gid(x), entityName: nm(x), share: { lo: 0, loOpen: false, hi: cg.uHi[x]!, hiOpen: cg.uOpen[x] === 1 }, text };
      };
      cands.push({
        gap: undisclosedGap,
        x,
        h: -1,
        apply: (c) => {
          c.uHi[x] = 0;
          c.uOpen[x] = 0;
        },
        weight: cg.uHi[x]!,
      });
    }
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      const f = cg.hFlags[h]!;
      if (!(f & H_SHARE) || f & H_BRANCH) continue;
      if (cg.hLo[h] === cg.hHi[h] && !(f & (H_LO_OPEN | H_HI_OPEN))) continue;
      const o = cg.hOwner[h]!;
      const restrictedSide = cg.cls[o] === C_ORIGIN || cg.cls[o] === C_PERSON_MAYBE || (cg.cls[o] === C_NORMAL && (control.status[o] !== S_NO || look.hi[o]! > 0));
      const k = cg.hLink[h]!;
      if (f & H_MAYBE_ENDED) {
        // settle towards clear: a possibly restricted owner no longer held it, an unrestricted one still did
        cands.push({
          gap: () => ({ kind: 'link-may-have-ended', entityId: gid(x), entityName: nm(x), ownerId: gid(o), ownerName: nm(o), text: maybeEndedText(cg, x, h) }),
          x,
          h,
          apply: (c) => {
            const v = restrictedSide ? 0 : c.hHi[h]!;
            c.hLo[h] = v;
            c.hHi[h] = v;
            c.hFlags[h] = c.hFlags[h]! & ~(H_LO_OPEN | H_HI_OPEN);
          },
          weight: cg.hHi[h]! - cg.hLo[h]!,
        });
        continue;
      }
      cands.push({
        gap: () => {
          const stated = g.links.stated[k]!;
          const shareText = holdingText(cg, h);
          return {
            kind: 'share-unknown',
            entityId: gid(x),
            entityName: nm(x),
            ownerId: gid(o),
            ownerName: nm(o),
            share: { lo: cg.hLo[h]!, loOpen: (cg.hFlags[h]! & H_LO_OPEN) !== 0, hi: cg.hHi[h]!, hiOpen: (cg.hFlags[h]! & H_HI_OPEN) !== 0 },
            text: `the share held by ${nm(o)} in ${nm(x)} is ${shareText === 'unknown' ? 'not stated' : `only known as ${shareText}`} (the source states: ${stated || 'nothing'})`,
          };
        },
        x,
        h,
        apply: (c) => {
          // settle towards clear: a possibly restricted owner at its least, an unrestricted one at its most
          const v = restrictedSide ? c.hLo[h]! : c.hHi[h]!;
          c.hLo[h] = v;
          c.hHi[h] = v;
          c.hFlags[h] = c.hFlags[h]! & ~(H_LO_OPEN | H_HI_OPEN);
        },
        weight: cg.hHi[h]! - cg.hLo[h]!,
      });
    }
  }
  if (cands.length === 0) return { gaps: [], settle: null };
  cands.sort((a, b) => b.weight - a.weight);
  const pool = cands.slice(0, maxCandidates);
  const evalWith = gapEvaluator(cg, control, look, s);
  // Settling a fact only moves the subject towards clear, so when settling the whole pool does not
  // clear it, no subset does: the greedy search below would end with the whole pool anyway.
  const all = evalWith(pool);
  if (all.v !== 'clear') return { gaps: pool.map((c) => c.gap()), settle: all.v === 'indeterminate' ? null : all.v };
  // rank each candidate by how far clearing it alone lowers the subject's upper bound
  const ranked = pool
    .map((c) => {
      const r = evalWith([c]);
      return { c, hi: r.hi, v: r.v };
    })
    .sort((a, b) => a.hi - b.hi);
  const single = ranked.find((r) => r.v === 'clear');
  if (single) return { gaps: [single.c.gap()], settle: 'clear' };
  const chosen: Candidate[] = [];
  for (const r of ranked) {
    chosen.push(r.c);
    const res = evalWith(chosen);
    if (res.v === 'clear') {
      // drop members that turn out unnecessary (keeps the set minimal for this order)
      for (let i = chosen.length - 2; i >= 0; i--) {
        const without = chosen.filter((_, j) => j !== i);
        if (evalWith(without).v === 'clear') chosen.splice(i, 1);
      }
      return { gaps: chosen.map((c) => c.gap()), settle: 'clear' };
    }
  }
  // not reached: the last greedy step holds the whole pool, which clears the subject
  return { gaps: pool.map((c) => c.gap()), settle: 'clear' };
}

export { S_MAYBE, S_NO, S_YES };
export type { ShareInterval };
