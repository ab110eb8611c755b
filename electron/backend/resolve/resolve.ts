// Entity resolution: groups entities that are the same legal person across sources.
// - Automatic where identifiers prove it: an identifier claimed by two entities (one record named
//   both), a GLEIF registration-authority id of Companies House (`ra:RA000585:<n>`) or a
//   registration number with its country (`reg:gb:<n>`) equal to a `gb-coh` number (leading zeros
//   normalized).
// - Confirmed by the investigator (`same`), or kept apart (`not-same`), which beats any proof.
// - Candidates (names and countries agree) are proposed with a score and a reason, never merged.
// Facts are never rewritten: `entity_canonical` / view `resolved_entities` map each entity to the
// entity that stands for its group. See docs/RESOLUTION.md.
import type { EntityInfo, EntityResolution } from '../../../shared/api/types';
import { appendAudit } from '../cases/audit';
import type { Db } from '../store/db';
import { entityDetail, normalizeIdentifier, RefError, resolveRef } from '../store/queries';
import { resolutionKey } from './names';
import { searchNames, similarity, trigrams } from '../store/search-index';

/** Registration authorities whose entity ids are Companies House numbers. */
export const COMPANIES_HOUSE_RAS = new Set(['RA000585']);

export interface ResolutionLink {
  a: number;
  b: number;
  method: 'identifier' | 'decision';
  reason: string;
}

export interface ResolutionGroup {
  canonicalId: number;
  members: { id: number; name: string; identifiers: string[] }[];
  links: ResolutionLink[];
}

export interface Candidate {
  a: number;
  b: number;
  aName: string;
  bName: string;
  score: number;
  reason: string;
}

export interface Decision {
  id: number;
  refA: string;
  refB: string;
  decision: 'same' | 'not-same';
  decidedBy: string;
  decidedAt: string;
  why: string | null;
}

export interface ResolveResult {
  groups: ResolutionGroup[];
  /** Identifier proofs not applied because the investigator decided the pair is not the same. */
  overridden: ResolutionLink[];
  /** Decisions whose references name no entity (yet); they apply once the data arrives. */
  waiting: Decision[];
}

class UnionFind {
  private parent = new Map<number, number>();
  find(x: number): number {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  members(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      if (!out.has(r)) out.set(r, [r]);
      if (x !== r) out.get(r)!.push(x);
    }
    return out;
  }
}

const pairKey = (a: number, b: number) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Latest decision per unordered pair of references. */
export function effectiveDecisions(db: Db): Decision[] {
  const rows = db
    .prepare(
      `SELECT id, ref_a AS refA, ref_b AS refB, decision, decided_by AS decidedBy, decided_at AS decidedAt, why
       FROM resolution_decisions ORDER BY id`,
    )
    .all() as Decision[];
  const latest = new Map<string, Decision>();
  for (const d of rows) latest.set([d.refA, d.refB].sort().join('|'), d);
  return [...latest.values()];
}

function tryRef(db: Db, ref: string): number | null {
  try {
    return resolveRef(db, ref);
  } catch (e) {
    if (e instanceof RefError) return null;
    throw e;
  }
}

/** Identifier proofs: pairs of entities that identifiers show to be one legal person. */
export function identifierProofs(db: Db): ResolutionLink[] {
  const out: ResolutionLink[] = [];
  const find = db.prepare('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?');
  const alias = (scheme: string, value: string): { scheme: string; value: string } | null => {
    if (scheme === 'ra') {
      const i = value.indexOf(':');
      if (i > 0 && COMPANIES_HOUSE_RAS.has(value.slice(0, i).toUpperCase())) return normalizeIdentifier('gb-coh', value.slice(i + 1));
    }
    if (scheme === 'reg' && /^gb:/i.test(value)) return normalizeIdentifier('gb-coh', value.slice(3));
    if (scheme === 'gb-coh' || scheme === 'lei') {
      const n = normalizeIdentifier(scheme, value);
      if (n.value !== value) return n;
    }
    return null;
  };
  for (const r of db
    .prepare(`SELECT scheme, value, entity_id AS entityId FROM identifiers WHERE scheme IN ('ra', 'reg', 'gb-coh', 'lei')`)
    .iterate() as IterableIterator<{ scheme: string; value: string; entityId: number }>) {
    const target = alias(r.scheme, r.value);
    if (!target) continue;
    const hit = find.get(target.scheme, target.value) as { entity_id: number } | undefined;
    if (hit && hit.entity_id !== r.entityId) {
      out.push({
        a: r.entityId, b: hit.entity_id, method: 'identifier',
        reason: `${r.scheme}:${r.value} is ${target.scheme}:${target.value}`,
      });
    }
  }
  for (const c of db
    .prepare(
      `SELECT c.scheme, c.value, c.entity_id AS a, c.holder_id AS b, c.record_ref AS recordRef, s.file_name AS file
       FROM identifier_claims c LEFT JOIN sources s ON s.id = c.source_id`,
    )
    .all() as { scheme: string; value: string; a: number; b: number; recordRef: string | null; file: string | null }[]) {
    out.push({
      a: c.a, b: c.b, method: 'identifier',
      reason: `${c.file ?? 'a source'}${c.recordRef ? ` ${c.recordRef}` : ''} gives this entity ${c.scheme}:${c.value}, held by the other`,
    });
  }
  return out;
}

function fingerprint(db: Db): string {
  const r = db
    .prepare(
      // Identifiers only change in imports, and every import adds a source: the maxima are O(1)
      // lookups, where counting a million identifiers would cost a full scan on every verdict.
      `SELECT (SELECT COALESCE(MAX(id), 0) FROM sources) AS s, (SELECT COALESCE(MAX(id), 0) FROM entities) AS e,
              (SELECT COALESCE(MAX(id), 0) FROM resolution_decisions) AS d, (SELECT COALESCE(MAX(id), 0) FROM identifier_claims) AS c`,
    )
    .get() as Record<string, number>;
  return `${r['s']}/${r['e']}/${r['d']}/${r['c']}`;
}

interface Computed {
  canonical: Map<number, number>;
  used: ResolutionLink[];
  overridden: ResolutionLink[];
  waiting: Decision[];
}

function compute(db: Db): Computed {
  const decisions = effectiveDecisions(db);
  const forbidden: [number, number][] = [];
  const same: ResolutionLink[] = [];
  const waiting: Decision[] = [];
  for (const d of decisions) {
    const a = tryRef(db, d.refA);
    const b = tryRef(db, d.refB);
    if (a === null || b === null) {
      waiting.push(d);
      continue;
    }
    if (a === b) continue;
    if (d.decision === 'not-same') forbidden.push([a, b]);
    else same.push({ a, b, method: 'decision', reason: `${d.decidedBy} on ${d.decidedAt}: ${d.why ?? 'confirmed the same'}` });
  }
  const uf = new UnionFind();
  const used: ResolutionLink[] = [];
  const overridden: ResolutionLink[] = [];
  const blocked = (a: number, b: number) => {
    const ra = uf.find(a);
    const rb = uf.find(b);
    return forbidden.some(([x, y]) => {
      const rx = uf.find(x);
      const ry = uf.find(y);
      return (rx === ra && ry === rb) || (rx === rb && ry === ra);
    });
  };
  const seen = new Set<string>();
  for (const l of [...same, ...identifierProofs(db)]) {
    const k = pairKey(l.a, l.b);
    if (uf.find(l.a) === uf.find(l.b)) {
      if (!seen.has(k)) used.push(l);
      seen.add(k);
      continue;
    }
    if (blocked(l.a, l.b)) {
      overridden.push(l);
      continue;
    }
    uf.union(l.a, l.b);
    seen.add(k);
    used.push(l);
  }
  // the canonical entity: described by a record (not a placeholder), lowest id
  const placeholder = db.prepare('SELECT is_placeholder FROM entities WHERE id = ?');
  const canonical = new Map<number, number>();
  for (const [, members] of uf.members()) {
    const described = members.filter((m) => (placeholder.get(m) as { is_placeholder: number } | undefined)?.is_placeholder === 0);
    const pick = Math.min(...(described.length ? described : members));
    for (const m of members) if (m !== pick) canonical.set(m, pick);
  }
  return { canonical, used, overridden, waiting };
}

function store(db: Db, c: Computed): void {
  db.transaction(() => {
    db.exec('DELETE FROM entity_canonical; DELETE FROM resolution_links;');
    const ins = db.prepare('INSERT INTO entity_canonical (entity_id, canonical_id) VALUES (?, ?)');
    for (const [e, k] of c.canonical) ins.run(e, k);
    const link = db.prepare('INSERT OR IGNORE INTO resolution_links (a, b, method, reason) VALUES (?, ?, ?, ?)');
    for (const l of c.used) link.run(Math.min(l.a, l.b), Math.max(l.a, l.b), l.method, l.reason);
    db.prepare(
      `INSERT INTO resolution_state (id, computed_at, fingerprint) VALUES (1, ?, ?)
       ON CONFLICT(id) DO UPDATE SET computed_at = excluded.computed_at, fingerprint = excluded.fingerprint`,
    ).run(new Date().toISOString(), fingerprint(db));
  })();
}

/** Recomputes the resolution and stores it; returns the merged groups with their evidence. */
export function resolveEntities(db: Db): ResolveResult {
  const c = compute(db);
  store(db, c);
  return { groups: describeGroups(db, c), overridden: c.overridden, waiting: c.waiting };
}

function describeGroups(db: Db, c: Computed): ResolutionGroup[] {
  const byCanon = new Map<number, number[]>();
  for (const [e, k] of c.canonical) {
    if (!byCanon.has(k)) byCanon.set(k, [k]);
    byCanon.get(k)!.push(e);
  }
  const ent = db.prepare('SELECT name FROM entities WHERE id = ?');
  const ids = db.prepare('SELECT scheme, value FROM identifiers WHERE entity_id = ? ORDER BY scheme, value LIMIT 8');
  return [...byCanon].map(([canonicalId, members]) => {
    const set = new Set(members);
    return {
      canonicalId,
      members: members.sort((a, b) => a - b).map((id) => ({
        id,
        name: (ent.get(id) as { name: string }).name,
        identifiers: (ids.all(id) as { scheme: string; value: string }[]).map((i) => `${i.scheme}:${i.value}`),
      })),
      links: c.used.filter((l) => set.has(l.a) && set.has(l.b)),
    };
  });
}

function isStale(db: Db): boolean {
  const row = db.prepare('SELECT fingerprint FROM resolution_state WHERE id = 1').get() as { fingerprint: string } | undefined;
  return row?.fingerprint !== fingerprint(db);
}

/**
 * Stores the resolution again when the data changed since it was last stored. Writers call it
 * inside their write transaction (every import does, before its commit; a decision re-resolves),
 * so the stored resolution is current in every committed snapshot and readers never write.
 */
export function refreshResolution(db: Db): void {
  if (isStale(db)) store(db, compute(db));
}

/**
 * entity id → canonical entity id, for every entity merged into another (an entity not in the
 * map stands for itself). Never writes: a read must not need the write lock, which an import may
 * hold for minutes. When the stored resolution is older than the data (a database from before
 * imports stored it), the fresh result is computed and returned unstored.
 * The verdict loader maps every link's owner/owned and every marker's entity through it.
 */
export function canonicalMap(db: Db): Map<number, number> {
  if (isStale(db)) return compute(db).canonical;
  const out = new Map<number, number>();
  for (const r of db.prepare('SELECT entity_id AS e, canonical_id AS c FROM entity_canonical').iterate() as IterableIterator<{ e: number; c: number }>) {
    out.set(r.e, r.c);
  }
  return out;
}

/** The canonical id of one entity. */
export function canonicalId(db: Db, entityId: number): number {
  return canonicalMap(db).get(entityId) ?? entityId;
}

/** Entity resolution as lookups, for reading many entities: each one's canonical entity, and a canonical entity's group. */
export interface ResolutionGroups {
  canonical(entityId: number): number;
  /** The group a canonical entity stands for: itself first, then the entities merged into it. */
  members(canonicalId: number): number[];
}

export function resolutionGroups(db: Db): ResolutionGroups {
  const map = canonicalMap(db);
  const groups = new Map<number, number[]>();
  for (const [member, c] of map) {
    const g = groups.get(c);
    if (g) g.push(member);
    else groups.set(c, [c, member]);
  }
  return { canonical: (id) => map.get(id) ?? id, members: (id) => groups.get(id) ?? [id] };
}

/** Every entity of the group `entityId` belongs to (its canonical entity first). */
export function groupMembers(db: Db, entityId: number): number[] {
  const g = resolutionGroups(db);
  return g.members(g.canonical(entityId));
}

/** The resolution group of an entity: its canonical entity, the other members, the evidence. */
export function resolutionOf(db: Db, entityId: number): EntityResolution {
  const members = groupMembers(db, entityId);
  const canonicalId = members[0]!;
  if (members.length === 1) return { canonicalId, sameAs: [], evidence: [] };
  const ent = db.prepare('SELECT name FROM entities WHERE id = ?');
  const ids = db.prepare('SELECT scheme, value FROM identifiers WHERE entity_id = ? ORDER BY scheme, value LIMIT 8');
  const set = JSON.stringify(members);
  // both ends of a resolution link are in the same group
  const evidence = db
    .prepare('SELECT a, b, method, reason FROM resolution_links WHERE a IN (SELECT value FROM json_each(?)) ORDER BY a, b')
    .all(set) as EntityResolution['evidence'];
  return {
    canonicalId,
    sameAs: members
      .filter((m) => m !== entityId)
      .sort((x, y) => x - y)
      .map((id) => ({
        id,
        name: (ent.get(id) as { name: string }).name,
        identifiers: (ids.all(id) as { scheme: string; value: string }[]).map((i) => `${i.scheme}:${i.value}`),
      })),
    evidence,
  };
}

/** An entity's own facts with its resolution group (the API's `entity.get`, `ownerscope show`). */
export function resolvedEntityDetail(db: Db, entityId: number, asOf: string): Omit<EntityInfo, 'asOf'> {
  return { ...entityDetail(db, entityId, asOf), resolution: resolutionOf(db, entityId) };
}

export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  return env['OWNERSCOPE_USER'] || env['USER'] || env['USERNAME'] || 'unknown';
}

/** Records a decision (`same` / `not-same`) on two references and re-resolves. */
export function decide(db: Db, refA: string, refB: string, decision: 'same' | 'not-same', by: string, why?: string): ResolveResult {
  const a = resolveRef(db, refA);
  const b = resolveRef(db, refB);
  if (a === b && decision === 'not-same') {
    throw new RefError(`${refA} and ${refB} name the same entity record (id ${a}); records merged by the importer cannot be split`);
  }
  const stable = (ref: string, id: number) => {
    if (/^\d+$/.test(ref.trim()) || /^id:/i.test(ref.trim())) {
      // an internal id is not stable across databases: store the entity's first identifier
      const r = db.prepare('SELECT scheme, value FROM identifiers WHERE entity_id = ? ORDER BY scheme, value LIMIT 1').get(id) as
        | { scheme: string; value: string }
        | undefined;
      return r ? `${r.scheme}:${r.value}` : `id:${id}`;
    }
    const i = ref.indexOf(':');
    return i > 0 ? (({ scheme, value }) => `${scheme}:${value}`)(normalizeIdentifier(ref.slice(0, i), ref.slice(i + 1))) : `lei:${ref.trim().toUpperCase()}`;
  };
  db.prepare(
    `INSERT INTO resolution_decisions (ref_a, ref_b, entity_a, entity_b, decision, decided_by, decided_at, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(stable(refA, a), stable(refB, b), a, b, decision, by, new Date().toISOString(), why ?? null);
  appendAudit(db, { action: `resolution.${decision}`, actor: by, payload: { refA: stable(refA, a), refB: stable(refB, b), entityA: a, entityB: b, why: why ?? null } });
  return resolveEntities(db);
}

export interface CandidateOptions {
  /** Name groups larger than this are too common to propose (default 25). */
  maxGroup?: number;
  limit?: number;
}

/** Name types that can propose a candidate (not previous names: companies rename). */
const CANDIDATE_NAME_TYPES = `('legal', 'other', 'alias', 'trading', 'transliterated')`;

/**
 * Scores two entities whose names normalize to the same key: a candidate when they are not already
 * one group, no decision was taken on them, their kinds are compatible (a person is not a company)
 * and a country agrees; null otherwise.
 */
function candidateScorer(db: Db): { score: (a: number, b: number, key: string, isLegal: boolean) => Candidate | null } {
  const canon = canonicalMap(db);
  const root = (id: number) => canon.get(id) ?? id;
  const countries = db.prepare('SELECT DISTINCT code FROM entity_countries WHERE entity_id = ? AND code IS NOT NULL');
  const kindOf = db.prepare('SELECT kind, name FROM entities WHERE id = ?');
  const decided = new Set<string>();
  for (const d of effectiveDecisions(db)) {
    const a = tryRef(db, d.refA);
    const b = tryRef(db, d.refB);
    if (a !== null && b !== null) decided.add(pairKey(root(a), root(b)));
  }
  const codes = (id: number) => new Set((countries.all(id) as { code: string }[]).map((c) => c.code));
  const score = (a: number, b: number, key: string, isLegal: boolean): Candidate | null => {
    if (root(a) === root(b) || decided.has(pairKey(root(a), root(b)))) return null;
    const ka = kindOf.get(a) as { kind: string; name: string };
    const kb = kindOf.get(b) as { kind: string; name: string };
    if ((ka.kind === 'person') !== (kb.kind === 'person') && ka.kind !== 'unknown' && kb.kind !== 'unknown') return null;
    const cb = codes(b);
    const common = [...codes(a)].filter((c) => cb.has(c));
    if (common.length === 0) return null;
    let value = isLegal ? 0.85 : 0.75;
    if (ka.kind === kb.kind && ka.kind !== 'unknown') value += 0.05;
    if (ka.name.trim().toLowerCase() === kb.name.trim().toLowerCase()) value += 0.05;
    const reason = `${isLegal ? 'legal names' : 'names'} match after normalization ("${key}"); countries agree (${common.join(', ')}); no identifier links them`;
    return { a: Math.min(a, b), b: Math.max(a, b), aName: a < b ? ka.name : kb.name, bName: a < b ? kb.name : ka.name, score: Math.round(value * 100) / 100, reason };
  };
  return { score };
}

/** Keeps the best-scored candidate per pair. */
function keepBest<C extends Candidate>(best: Map<string, C>, c: C | null): void {
  if (!c) return;
  const k = pairKey(c.a, c.b);
  const prev = best.get(k);
  if (!prev || prev.score < c.score) best.set(k, c);
}

const byScore = (x: Candidate, y: Candidate) => y.score - x.score || x.a - y.a || x.b - y.b;

/**
 * Pairs of entities in different groups whose normalized names are equal and whose countries
 * agree, with a score and the reason. Stored in resolution_candidates; decided pairs are left out.
 */
export function findCandidates(db: Db, options: CandidateOptions = {}): Candidate[] {
  const maxGroup = options.maxGroup ?? 25;
  const byName = new Map<string, Map<number, string>>();
  for (const r of db
    .prepare(
      `SELECT n.entity_id AS id, n.name, n.type FROM entity_names n JOIN entities e ON e.id = n.entity_id
       WHERE e.is_placeholder = 0 AND n.type IN ${CANDIDATE_NAME_TYPES}`,
    )
    .iterate() as IterableIterator<{ id: number; name: string; type: string }>) {
    const key = resolutionKey(r.name);
    if (key.length < 3) continue;
    let m = byName.get(key);
    if (!m) byName.set(key, (m = new Map()));
    if (!m.has(r.id) || r.type === 'legal') m.set(r.id, r.type);
  }
  const scorer = candidateScorer(db);
  const best = new Map<string, Candidate>();
  for (const [key, members] of byName) {
    if (members.size < 2 || members.size > maxGroup) continue;
    const ids = [...members.keys()];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i]!;
        const b = ids[j]!;
        keepBest(best, scorer.score(a, b, key, members.get(a) === 'legal' && members.get(b) === 'legal'));
      }
    }
  }
  const out = [...best.values()].sort(byScore).slice(0, options.limit ?? 1000);
  if (!db.readonly) {
    db.transaction(() => {
      db.exec('DELETE FROM resolution_candidates');
      const ins = db.prepare('INSERT INTO resolution_candidates (a, b, score, reason) VALUES (?, ?, ?, ?)');
      for (const c of out) ins.run(c.a, c.b, c.score, c.reason);
    })();
  }
  return out;
}

/**
 * Candidates involving one entity's group, found through the name index instead of reading every
 * name of the case (what the entity view proposes): the same rule and score as findCandidates.
 * Nothing is stored.
 */
export function candidatesFor(db: Db, entityId: number, limit = 20): (Candidate & { otherId: number })[] {
  const scorer = candidateScorer(db);
  const group = resolutionGroups(db);
  const members = group.members(group.canonical(entityId));
  const own = db
    .prepare(`SELECT entity_id AS id, name, type FROM entity_names WHERE entity_id IN (SELECT value FROM json_each(?)) AND type IN ${CANDIDATE_NAME_TYPES}`)
    .all(JSON.stringify(members)) as { id: number; name: string; type: string }[];
  // the other entity's names of the kinds candidates are made of (a placeholder has none to compare)
  const namesOf = db.prepare(
    `SELECT n.name, n.type FROM entity_names n JOIN entities e ON e.id = n.entity_id
     WHERE n.entity_id = ? AND e.is_placeholder = 0 AND n.type IN ${CANDIDATE_NAME_TYPES}`,
  );
  const withWords = db.prepare(`SELECT DISTINCT n.entity_id AS id FROM name_search s JOIN entity_names n ON n.id = s.rowid WHERE name_search MATCH ? LIMIT 500`);
  const best = new Map<string, Candidate & { otherId: number }>();
  for (const mine of own) {
    const key = resolutionKey(mine.name);
    if ([...key].length < 3) continue;
    const keyGrams = trigrams(key);
    // names with every word of the key (three characters or more, what trigrams can find), and
    // what the name search finds: the key's transliteration and similar spellings
    const words = key.split(' ').filter((w) => [...w].length >= 3);
    const pool = new Set<number>(
      words.length ? (withWords.all(words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ')) as { id: number }[]).map((r) => r.id) : [],
    );
    for (const hit of searchNames(db, key, 200)) pool.add(hit.entityId);
    for (const otherId of pool) {
      if (members.includes(otherId)) continue;
      for (const other of namesOf.all(otherId) as { name: string; type: string }[]) {
        const otherKey = resolutionKey(other.name);
        const isSame = otherKey === key;
        // a spelling that differs by a letter or two ("Harbor"/"Harbour"): both ways similar
        if (!isSame && (keyGrams.length < 4 || similarity(keyGrams, otherKey) < 0.75 || similarity(trigrams(otherKey), key) < 0.75)) continue;
        const c = scorer.score(mine.id, otherId, key, mine.type === 'legal' && other.type === 'legal');
        keepBest(best, c && (isSame ? { ...c, otherId } : { ...c, otherId, score: Math.round((c.score - 0.1) * 100) / 100, reason: c.reason.replace(/^(legal names|names) match after normalization \("[^"]*"\)/, `names are spelled alike ("${key}" / "${otherKey}")`) }));
      }
    }
  }
  return [...best.values()].sort(byScore).slice(0, limit);
}
