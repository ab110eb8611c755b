// What changed after an update: which verdicts of the watched subjects (every case, every saved
// watchlist row) moved, and the facts that moved them.
//
// Incremental: a re-check takes the objects the new sources changed (objectsChangedBySource, the
// one door to the record history), maps each to the entity whose verdict it bears on (a link's
// owned entity, a marker's subject, the entity itself), walks down to their descendants (a verdict
// depends only on the subject's ancestors, so nothing else can move), and recomputes only the
// watched subjects in that set. Each computation is kept (verdict_checks) with the data state it
// saw, so "before" is the latest check below the first source of the window.
//
// A source removal (`sources remove`) is a step of the data state too: it takes the next number of
// the sources' sequence and keeps the objects whose facts it changed (store/removals.ts), which
// the re-check reads as it reads an import's, and lists as "source removed" facts.
import { applyListsToScreening, formatBounds, readsLists, screenAll, type ScreeningEntry, type ShareBounds } from '../../../shared/domain/engine';
import { policySha256, resolvePolicy, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import { shareFromRow, RefError, resolveRef } from '../store/queries';
import { canonicalMap, resolutionGroups } from '../resolve';
import { listsConsulted } from '../store/lists';
import { loadClosure } from '../verdict/load';
import type { Db } from '../store/db';
import { readSnapshotAsync, writeTurn, type WriteTurnOptions } from '../store/concurrency';
import { objectsChangedBySource } from '../store/changes';
import { removalObjects, removalsAfter, type RemovalBrief } from '../store/removals';
import * as W from '../store/watch';
import { todayIso } from '../verdict/policy-input';
import { screen } from '../verdict/verdict';
import type { ListRow } from '../verdict/screen-list';
import type * as T from '../../../shared/api/types';

export type { CheckResult } from '../store/watch';

// The shapes of the change list are the API's (shared/api/types.ts), the CLI's JSON is the same.
export type ChangeFact = T.ChangeFactInfo;
export type VerdictChange = T.VerdictChangeInfo;
export type ChangesResult = T.ChangesInfo;

export interface RecheckSummary {
  /** how many cases and watchlist rows are watched */
  watched: number;
  /** of those, how many changed verdict in this re-check */
  changed: number;
  from: number;
  through: number;
  changedObjects: number;
  affectedEntities: number;
  recomputed: number;
  ms: number;
  /** where the time went: reading the changed objects, walking to the descendants, recomputing */
  phases: { describeMs: number; walkMs: number; computeMs: number };
}

// ---- results

export function resultOfEntry(e: ScreeningEntry): W.CheckResult {
  return {
    verdict: e.verdict,
    control: { verdict: e.control.verdict, share: formatBounds(e.control.restrictedShare) },
    lookThrough: { verdict: e.lookThrough.verdict, share: formatBounds(e.lookThrough.restrictedShare) },
  };
}

/** A case's verdict snapshot as a check result (both methods). */
function resultOfSnapshot(json: string): W.CheckResult | undefined {
  const v = JSON.parse(json) as { verdict?: W.CheckResult['verdict']; methods?: Record<string, { verdict: string; restrictedShare: ShareBounds } | undefined> };
  if (!v.verdict) return undefined;
  const m = (k: string) => {
    const x = v.methods?.[k];
    return x ? { verdict: x.verdict, share: formatBounds(x.restrictedShare) } : { verdict: 'indeterminate', share: '' };
  };
  return { verdict: v.verdict, control: m('control'), lookThrough: m('lookThrough') };
}

function differs(a: W.CheckResult, b: W.CheckResult): boolean {
  return a.verdict !== b.verdict || a.control.verdict !== b.control.verdict || a.lookThrough.verdict !== b.lookThrough.verdict;
}

/** A saved effective policy with its as-of date moved to today (as `verify --db` re-checks a report). */
export function policyNow(policyJson: string): EffectivePolicy {
  const { sha256: _sha, ...fields } = JSON.parse(policyJson) as Record<string, unknown>;
  return resolvePolicy({ ...fields, asOf: todayIso() }, { today: todayIso() });
}

// ---- watched subjects

interface Target {
  kind: W.TargetKind;
  id: string;
  entityId: number | null;
  policyJson: string;
  policyName: string;
  policySha256: string;
  label: Partial<VerdictChange>;
  /** cases: the verdict decided on (the snapshot), the data state it saw */
  snapshot?: { result: W.CheckResult; state: number };
  /** cases: when the investigator last decided (null: open) */
  decidedAt?: string | null;
}

function targets(db: Db): Target[] {
  const out: Target[] = [];
  for (const c of W.caseTargets(db)) {
    let entityId: number | null = null;
    try {
      entityId = resolveRef(db, c.subjectRef);
    } catch (e) {
      if (!(e instanceof RefError)) throw e;
    }
    const p = JSON.parse(c.policyJson) as { name: string; sha256: string };
    const snap = c.verdictJson ? resultOfSnapshot(c.verdictJson) : undefined;
    out.push({
      kind: 'case', id: c.id, entityId, policyJson: c.policyJson, policyName: p.name, policySha256: p.sha256,
      label: { caseId: c.id, status: c.status, subject: { id: entityId ?? 0, name: c.subjectName ?? c.subjectRef, ref: c.subjectRef } },
      snapshot: snap && { result: snap, state: W.dataStateAt(db, c.computedAt ?? new Date(0).toISOString()) },
      decidedAt: c.decidedAt,
    });
  }
  for (const w of W.listWatchlists(db)) {
    for (const r of W.watchlistRows(db, w.id)) {
      out.push({
        kind: 'watchlist', id: String(r.id), entityId: r.entityId, policyJson: w.policyJson,
        policyName: (JSON.parse(w.policyJson) as { name: string }).name, policySha256: w.policySha256,
        label: { watchlist: w.name, row: r.row, input: r.input, subject: { id: r.entityId ?? 0, name: r.input, ref: null } },
      });
    }
  }
  return out;
}

/**
 * Every watched subject's verdict, by policy, for the entities given (one screening of their joint
 * ancestor closure per policy). As `screen` does, but the closure's identifiers are read only when
 * the policy names restricted parties: a check keeps verdicts, not identifier lists.
 */
async function compute(db: Db, ts: Target[]): Promise<Map<Target, W.CheckResult>> {
  const byPolicy = new Map<string, Target[]>();
  for (const t of ts) {
    if (t.entityId === null) continue;
    const list = byPolicy.get(t.policyJson) ?? [];
    list.push(t);
    byPolicy.set(t.policyJson, list);
  }
  const out = new Map<Target, W.CheckResult>();
  const canonical = byPolicy.size ? canonicalMap(db) : new Map<number, number>();
  for (const [policyJson, list] of byPolicy) {
    const policy = policyNow(policyJson);
    const graph = loadClosure(db, [...new Set(list.map((t) => t.entityId!))], { allIdentifiers: policy.restrictedParties.length > 0 });
    const computed = screenAll(graph, policy);
    const result = readsLists(policy) ? applyListsToScreening(computed, listsConsulted(db, policy)) : computed;
    for (const t of list) out.set(t, resultOfEntry(result.entry(graph.indexOf(canonical.get(t.entityId!) ?? t.entityId!))));
  }
  return out;
}

// ---- from changed objects to facts and entities

function describeChanges(db: Db, from: number, through: number): ChangeFact[] {
  const facts: ChangeFact[] = [];
  const groups = resolutionGroups(db);
  for (const s of W.sourcesAfter(db, from, through)) {
    for (const o of objectsChangedBySource(db, s.id)) {
      const fact = describe(db, s, o);
      if (fact) facts.push({ ...fact, entity: { id: groups.canonical(fact.entity.id), name: fact.entity.name } });
    }
  }
  for (const r of removalsAfter(db, from, through)) {
    for (const fact of describeRemoval(db, r)) facts.push({ ...fact, entity: { id: groups.canonical(fact.entity.id), name: fact.entity.name } });
  }
  // in data-state order: an import's facts and a removal's interleave as they happened
  return facts.sort((a, b) => stateOf(a) - stateOf(b));
}

const stateOf = (f: ChangeFact) => f.removedSource?.state ?? f.source.id;

export const removedSourceInfo = (r: RemovalBrief): T.RemovedSourceInfo => ({
  state: r.state, id: r.sourceId, fileName: r.fileName, format: r.format, sha256: r.sha256, removedAt: r.removedAt,
});

/** The "source removed" facts of one removal: each object it changed, as it was before it. */
function describeRemoval(db: Db, r: RemovalBrief): ChangeFact[] {
  const removedSource = removedSourceInfo(r);
  const sourceName = db.prepare('SELECT file_name FROM sources WHERE id = ?').pluck();
  return removalObjects(db, r.state).map((o) => {
    const names = W.entityNames(db, o.ownerId === null ? [o.entityId] : [o.entityId, o.ownerId]);
    const fellBackTo = o.fellBackTo === null ? undefined : { id: o.fellBackTo, fileName: (sourceName.get(o.fellBackTo) as string | undefined) ?? null };
    const what = fellBackTo ? `source ${fellBackTo.id}${fellBackTo.fileName ? ` (${fellBackTo.fileName})` : ''} states it again` : 'no other source states it';
    return {
      change: 'source removed', object: o.object, key: o.key, entity: { id: o.entityId, name: names.get(o.entityId)! },
      ...(o.ownerId !== null ? { owner: { id: o.ownerId, name: names.get(o.ownerId)! } } : {}), ...(o.linkKind ? { linkKind: o.linkKind } : {}),
      text: `${o.text} (${what})`,
      source: { id: r.sourceId, fileName: r.fileName, recordRef: o.recordRef },
      removedSource, outcome: o.outcome, ...(fellBackTo ? { fellBackTo } : {}),
    };
  });
}

const NOUN = { entity: 'entity', link: 'link', undisclosed: 'marker' } as const;

function describe(db: Db, s: W.SourceBrief, o: ReturnType<typeof objectsChangedBySource>[number]): ChangeFact | undefined {
  const now = o.action === 'delete' || o.action === 'dropped' ? undefined : W.objectNow(db, o.object, o.key);
  const before = o.action === 'insert' ? undefined : W.statedBefore(db, o.object, o.key, s.id);
  const refOf = (f: unknown) => (f && typeof f === 'object' ? `${(f as { scheme: string }).scheme}:${(f as { value: string }).value}` : '');
  let entityId = now?.entityId;
  if (entityId === undefined && before) {
    entityId = W.entityByRef(db, o.object === 'link' ? refOf(before.owned) : o.object === 'undisclosed' ? refOf(before.subject) : o.key);
  }
  if (entityId === undefined) return undefined;
  const names = W.entityNames(db, [entityId]);
  const noun = NOUN[o.object];
  let change =
    o.action === 'dropped' ? `${noun} no longer stated` : o.action === 'insert' ? `${noun} added` : o.action === 'delete' ? `${noun} removed` : `${noun} changed`;
  let text = names.get(entityId)!;
  let link: Pick<ChangeFact, 'owner' | 'linkKind'> = {};
  if (o.object === 'link') {
    const ownerId = now?.ownerId ?? (before ? W.entityByRef(db, refOf(before.owner)) : undefined);
    const owner = ownerId !== undefined ? W.entityNames(db, [ownerId]).get(ownerId)! : '?';
    const linkKind = now?.linkKind ?? (before?.kind as string | undefined);
    link = { ...(ownerId !== undefined ? { owner: { id: ownerId, name: owner } } : {}), ...(linkKind ? { linkKind } : {}) };
    const stated = now?.stated ?? (before?.stated as string | undefined) ?? '';
    text = `${owner} → ${text}${stated ? `: ${stated}` : ''}`;
    if (o.action === 'update' && now?.share && before) {
      const was = (before.share ?? null) as { lo: number; loOpen: boolean; hi: number; hiOpen: boolean } | null;
      const is = shareFromRow({ share_lo: now.share.lo, share_lo_open: now.share.loOpen, share_hi: now.share.hi, share_hi_open: now.share.hiOpen });
      const same = was === null || is === null ? was === is : was.lo === is.lo && was.hi === is.hi && !was.loOpen === !is.loOpen && !was.hiOpen === !is.hiOpen;
      if (!same) {
        change = 'share changed';
        text = `${owner} → ${names.get(entityId)}: ${String(before.stated ?? '')} → ${stated}`;
      }
    }
  }
  return {
    change, object: o.object, key: o.key, entity: { id: entityId, name: names.get(entityId)! }, ...link, text,
    source: { id: s.id, fileName: s.fileName, recordRef: now && now.sourceId === s.id ? now.recordRef : null },
  };
}

/**
 * The entities whose verdicts the sources after `from` can move directly (their descendants follow):
 * a link's owned entity (before and after the change), a head office for a branch link (the
 * closure loader reads a subject's branches), a marker's subject, an entity record's entity.
 */
function changedRoots(db: Db, from: number, through: number): { roots: Set<number>; objects: number } {
  const roots = new Set<number>();
  let objects = 0;
  const refOf = (f: unknown) => (f && typeof f === 'object' ? `${(f as { scheme: string }).scheme}:${(f as { value: string }).value}` : '');
  const add = (id: number | undefined) => id !== undefined && roots.add(id);
  for (const s of W.sourcesAfter(db, from, through)) {
    for (const o of objectsChangedBySource(db, s.id)) {
      objects++;
      const now = o.action === 'delete' || o.action === 'dropped' ? undefined : W.objectNow(db, o.object, o.key);
      add(now?.entityId);
      if (now?.linkKind === 'branch') add(now.ownerId);
      if (o.action === 'insert') continue;
      const before = W.statedBefore(db, o.object, o.key, s.id);
      if (!before) continue;
      if (o.object === 'link') {
        add(W.entityByRef(db, refOf(before.owned)));
        if (before.kind === 'branch') add(W.entityByRef(db, refOf(before.owner)));
      } else add(W.entityByRef(db, o.object === 'undisclosed' ? refOf(before.subject) : o.key));
    }
  }
  // a removal: each object it changed bears on the entity it bore on, and on the one the fallback statement names
  for (const r of removalsAfter(db, from, through)) {
    for (const o of removalObjects(db, r.state)) {
      objects++;
      add(o.entityId);
      if (o.linkKind === 'branch' && o.ownerId !== null) add(o.ownerId);
      const now = o.outcome === 'fell back' ? W.objectNow(db, o.object, o.key) : undefined;
      add(now?.entityId);
      if (now?.linkKind === 'branch') add(now.ownerId);
    }
  }
  return { roots, objects };
}

function groupOf(db: Db): (id: number) => readonly number[] {
  const g = resolutionGroups(db);
  return (id) => g.members(g.canonical(id));
}

// ---- the re-check

/**
 * Brings the verdict checks up to date with the imported sources: recomputes the watched subjects
 * that the sources imported since the last re-check can affect, and only those. Computes in a read
 * snapshot, then writes the checks in one short write transaction (an import may run meanwhile).
 */
export async function recheck(db: Db, options: WriteTurnOptions = {}): Promise<RecheckSummary> {
  const t0 = performance.now();
  const plan = await readSnapshotAsync(db, async () => {
    const through = W.dataState(db);
    const ts = targets(db);
    const checkedCases = W.checkedTargets(db, 'case');
    // a case never checked: its snapshot is its first check, on the data it was computed on
    const baselines = ts.filter((t) => t.kind === 'case' && t.snapshot && !checkedCases.has(t.id));
    const last = W.lastCheckedThrough(db);
    const from = Math.min(last ?? through, ...baselines.map((t) => t.snapshot!.state));
    const t1 = performance.now();
    const { roots, objects } = from < through ? changedRoots(db, from, through) : { roots: new Set<number>(), objects: 0 };
    const t2 = performance.now();
    const affected = roots.size ? W.reachable(db, roots, 'down', groupOf(db)) : new Set<number>();
    const hit = ts.filter((t) => t.entityId !== null && affected.has(t.entityId));
    const t3 = performance.now();
    const results = await compute(db, hit);
    const phases = { describeMs: t2 - t1, walkMs: t3 - t2, computeMs: performance.now() - t3 };
    const changed = [...results].filter(([t, r]) => {
      const prior = t.kind === 'case' && !checkedCases.has(t.id) ? t.snapshot : W.checkAt(db, t.kind, t.id, through);
      return prior !== undefined && differs(prior.result, r);
    }).length;
    return { through, from, baselines, objects, affected, results, watched: ts.length, changed, phases };
  });
  // nothing imported since the last re-check and nothing new to record: no write at all
  const idle = plan.from >= plan.through && plan.baselines.length === 0 && W.lastCheckedThrough(db) !== null;
  if (!idle) await writeTurn(
    db,
    () => {
      // another re-check wrote these data states meanwhile: its checks stand
      if ((W.lastCheckedThrough(db) ?? -1) >= plan.through && plan.baselines.length === 0) return;
      const checkedCases = W.checkedTargets(db, 'case');
      for (const t of plan.baselines) if (!checkedCases.has(t.id)) W.insertCheck(db, 'case', t.id, t.snapshot!.state, t.snapshot!.result);
      for (const [t, r] of plan.results) W.insertCheck(db, t.kind, t.id, plan.through, r);
      W.logCheck(db, plan.from, plan.through, plan.affected.size, plan.results.size);
    },
    options,
  );
  return {
    watched: plan.watched, changed: plan.changed, from: plan.from, through: plan.through, changedObjects: plan.objects, affectedEntities: plan.affected.size,
    recomputed: plan.results.size, ms: performance.now() - t0, phases: plan.phases,
  };
}

export class ChangesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangesError';
  }
}

/**
 * The verdicts that changed since a source (its id), a date (the first source imported then or
 * later), or by default since the last import (the sources of the last re-check that applied any).
 * Reads the checks as the last re-check left them: run `recheck` first.
 */
export function listChanges(db: Db, since: { sourceId?: number; date?: string } = {}): ChangesResult {
  const through = W.lastCheckedThrough(db) ?? 0;
  let sinceId: number | null;
  if (since.sourceId !== undefined) {
    if (!W.sourceExists(db, since.sourceId)) throw new ChangesError(`no source ${since.sourceId} in this case database (see \`ownerscope sources\`)`);
    sinceId = since.sourceId;
  } else if (since.date !== undefined) sinceId = W.firstSourceSince(db, since.date) ?? null;
  else sinceId = (W.lastCheckRange(db)?.from ?? through) + 1;
  const ts = targets(db);
  const staleCases = ts.filter((t) => t.decidedAt && t.snapshot && isStale(db, t)).map((t) => t.id);
  const window = sinceId === null || sinceId > through ? [] : W.sourcesAfter(db, sinceId - 1, through);
  const removals = sinceId === null || sinceId > through ? [] : removalsAfter(db, sinceId - 1, through);
  const changes: VerdictChange[] = [];
  if (window.length || removals.length) {
    let facts: ChangeFact[] | undefined;
    const group = groupOf(db);
    for (const t of ts) {
      const before = W.checkAt(db, t.kind, t.id, sinceId! - 1);
      const after = W.checkAt(db, t.kind, t.id, through);
      if (!before || !after || !differs(before.result, after.result)) continue;
      facts ??= describeChanges(db, sinceId! - 1, through);
      const above = t.entityId === null ? new Set<number>() : W.reachable(db, [t.entityId], 'up', group);
      const names = t.entityId === null ? new Map<number, string>() : W.entityNames(db, [t.entityId]);
      changes.push({
        target: t.kind, ...t.label,
        subject: { ...t.label.subject!, name: t.kind === 'watchlist' && t.entityId !== null ? names.get(t.entityId)! : t.label.subject!.name },
        ...(t.kind === 'case' ? { stale: staleCases.includes(t.id) } : {}),
        policy: { name: t.policyName, sha256: t.policySha256 },
        before: before.result, after: after.result,
        facts: facts.filter((f) => above.has(f.entity.id)),
      } as VerdictChange);
    }
  }
  return { since: { sourceId: sinceId, sources: window, removals: removals.map(removedSourceInfo) }, checkedThrough: through, changes, staleCases };
}

/**
 * A decided case is stale when its latest verdict differs from the verdict it had when it was
 * decided (the latest check then, else its snapshot): deciding again, having seen the change, clears it.
 */
function isStale(db: Db, t: Target): boolean {
  const latest = W.checkAt(db, t.kind, t.id, Number.MAX_SAFE_INTEGER);
  const decidedOn = W.checkAsOfTime(db, t.kind, t.id, t.decidedAt!) ?? t.snapshot!.result;
  return latest !== undefined && differs(latest.result, decidedOn);
}

// ---- watchlists

export interface SavedWatchlist {
  name: string;
  rows: number;
  screened: number;
  policy: { name: string; sha256: string };
}

/**
 * Saves a portfolio screening under a name (replacing a watchlist of that name): its rows as the
 * list resolved them and each resolved row's verdict as its first check. `entryOf` gives the
 * screening's entry for an entity (the screening just run, so it is not computed twice).
 */
export function saveWatchlist(
  db: Db,
  w: { name: string; policy: EffectivePolicy; listFile: string | null; createdBy: string | null },
  list: ListRow[],
  entryOf: (entityId: number) => ScreeningEntry,
  state: number,
): SavedWatchlist {
  const sha = policySha256(w.policy);
  const { rowIds } = W.writeWatchlist(
    db,
    { name: w.name, policyJson: JSON.stringify({ ...w.policy, sha256: sha }), policySha256: sha, listFile: w.listFile, createdBy: w.createdBy },
    list.map((r) => ({ row: r.row, input: r.input, match: r.match, entityId: r.id, note: r.note })),
  );
  let screened = 0;
  list.forEach((r, i) => {
    if (r.id === null) return;
    W.insertCheck(db, 'watchlist', String(rowIds[i]), state, resultOfEntry(entryOf(r.id)));
    screened++;
  });
  // the checks are current: a later re-check starts from here, not from the case's first source
  if (W.lastCheckedThrough(db) === null) W.logCheck(db, state, state, 0, 0);
  return { name: w.name, rows: list.length, screened, policy: { name: w.policy.name, sha256: sha } };
}

/** Screens a list and saves it as a watchlist, in one go (the `watchlist save` command, the app). */
export async function screenAndSaveWatchlist(
  db: Db,
  w: { name: string; policy: EffectivePolicy; listFile: string | null; createdBy: string | null },
  list: ListRow[],
  options: WriteTurnOptions = {},
): Promise<SavedWatchlist> {
  const ids = [...new Set(list.filter((r) => r.id !== null).map((r) => r.id!))];
  const { result, indexOf, state } = await readSnapshotAsync(db, async () => ({ ...(await screen(db, w.policy, ids)), state: W.dataState(db) }));
  return writeTurn(db, () => saveWatchlist(db, w, list, (id) => result.entry(indexOf(id)), state), options);
}

export function watchlists(db: Db) {
  return W.listWatchlists(db).map((w) => ({
    name: w.name, rows: w.rows, listFile: w.listFile, createdAt: w.createdAt, createdBy: w.createdBy,
    policy: { name: (JSON.parse(w.policyJson) as { name: string }).name, sha256: w.policySha256 },
    lastScreened: W.lastScreened(db, w.id),
  }));
}

/** A watchlist's rows with each row's latest verdict. */
export function watchlistDetail(db: Db, name: string) {
  const w = W.findWatchlist(db, name);
  if (!w) return undefined;
  const names = W.entityNames(db, W.watchlistRows(db, w.id).filter((r) => r.entityId !== null).map((r) => r.entityId!));
  return {
    name: w.name, listFile: w.listFile, createdAt: w.createdAt, policy: { name: (JSON.parse(w.policyJson) as { name: string }).name, sha256: w.policySha256 },
    rows: W.watchlistRows(db, w.id).map((r) => {
      const c = W.checkAt(db, 'watchlist', String(r.id), Number.MAX_SAFE_INTEGER);
      return { row: r.row, input: r.input, match: r.match, note: r.note, entity: r.entityId === null ? null : { id: r.entityId, name: names.get(r.entityId)! }, latest: c?.result ?? null, checkedOn: c?.sourceId ?? null };
    }),
  };
}

export function removeWatchlist(db: Db, name: string): boolean {
  const w = W.findWatchlist(db, name);
  if (!w) return false;
  W.deleteWatchlist(db, w.id);
  return true;
}
