// Reads the graph under a policy: which entities are origins, which links count and as what
// holding, how much of each entity is undisclosed, where summary links stand in for a broken
// chain. The result is a small set of typed arrays the two methods iterate over.
import { FULL_SHARE } from '../model';
import type { EffectivePolicy } from '../policy/policy';
import {
  BASIS,
  F_HAS_SHARE,
  F_HI_OPEN,
  F_LO_OPEN,
  F_SUMMARY,
  KIND,
  LKIND,
  LSTATUS,
  ROLE,
  parseDateInt,
  E_SOLE_PROPRIETOR,
  E_STATE,
  type OwnershipGraph,
} from './graph';
import { ON_MAYBE, ON_NO, ON_YES, linkOnDate, markerOnDate } from './asof';

/** Node classes. */
export const C_NORMAL = 0;
export const C_ORIGIN = 1;
export const C_PERSON_NO = 2;
export const C_PERSON_MAYBE = 3;

/** Holding flags (share ends reuse the link flag bits). */
export const H_SHARE = F_HAS_SHARE;
export const H_LO_OPEN = F_LO_OPEN;
export const H_HI_OPEN = F_HI_OPEN;
export const H_SUMMARY = F_SUMMARY;
/** Counts as control (countControl on): a restricted controller makes the owned restricted. */
export const H_CONTROL = 16;
/** Majority control for ultimate-parent chains (consolidation, board, branch), whatever the policy. */
export const H_MAJORITY = 32;
export const H_BRANCH = 64;
/** Known to have ended by its source's data date, end unknown: counted as [0, its share]. */
export const H_MAYBE_ENDED = 128;

/** Undisclosed flags. */
export const U_MARKER = 1;
export const U_NOTHING_KNOWN = 2;
export const U_NO_PARENT = 4;
export const U_REMAINDER = 8;

export interface CompiledGraph {
  graph: OwnershipGraph;
  policy: EffectivePolicy;
  n: number;
  /** local index -> graph index */
  global: Int32Array;
  cls: Uint8Array;
  hStart: Int32Array;
  hOwner: Int32Array;
  hLo: Int32Array;
  hHi: Int32Array;
  hFlags: Uint8Array;
  /** representative graph link index of each holding */
  hLink: Int32Array;
  uHi: Int32Array;
  uOpen: Uint8Array;
  uFlags: Uint8Array;
  /** Σ lo of share holdings (for findings: over 100%). */
  kLo: Float64Array;
  usedSummaries: { owned: number; owner: number; link: number; brokenAt: number }[];
  /** state bodies without stated owners: held by their state (`state` local index, -1 = not in the data) */
  stateHeld: { x: number; state: number }[];
}

/** Does graph link k certainly count on the policy's date (see asof.ts: its own dates decide)? */
export function linkCounts(g: OwnershipGraph, k: number, asOfInt: number): boolean {
  return linkOnDate(g, k, asOfInt) === ON_YES;
}

/** Does the marker count on the date (certainly, or as possibly still current)? */
export function markerCounts(
  m: { status: string; startDate?: string | null; endDate?: string | null; source?: { dataDate?: string | null } },
  asOfInt: number,
): boolean {
  return markerOnDate(m, asOfInt) !== ON_NO;
}

function countryMatches(code: string, restricted: Set<string>): boolean {
  if (restricted.has(code)) return true;
  const dash = code.indexOf('-');
  return dash > 0 && restricted.has(code.slice(0, dash));
}

export interface OriginRules {
  countries: Set<string>;
  parties: Set<string>;
  topics: Set<string>;
  entityRoles: Set<number>;
  personRoles: Set<number>;
}

export function originRules(p: EffectivePolicy): OriginRules {
  const entityRoles = new Set<number>();
  for (const r of p.locateBy) entityRoles.add(r === 'legalAddress' ? ROLE['legal-address'] : ROLE[r]);
  const personRoles = new Set<number>();
  for (const r of p.locatePersonsBy) personRoles.add(ROLE[r]);
  const parties = new Set<string>();
  for (const ref of p.restrictedParties) {
    const low = ref.toLowerCase();
    parties.add(/^\d+$/.test(low) ? `id:${low}` : low);
  }
  return { countries: new Set(p.restrictedCountries), parties, topics: new Set(p.restrictTopics), entityRoles, personRoles };
}

/** Why graph entity i is an origin under the rules, or null. `ignoreLocation` for branches. */
export function originReason(g: OwnershipGraph, i: number, r: OriginRules, ignoreLocation: boolean): string | null {
  if (r.parties.size > 0) {
    if (r.parties.has(`id:${g.id[i]}`)) return `listed restricted party (id:${g.id[i]})`;
    for (let k = g.identStart[i]!; k < g.identStart[i + 1]!; k++) {
      const ident = g.idents[k]!;
      if (r.parties.has(ident.toLowerCase())) return `listed restricted party (${ident})`;
    }
  }
  if (r.topics.size > 0) {
    for (let k = g.topicStart[i]!; k < g.topicStart[i + 1]!; k++)
      if (r.topics.has(g.topics[k]!)) return `carries restricted list topic "${g.topics[k]}"`;
  }
  if (ignoreLocation || r.countries.size === 0) return null;
  const isPerson = g.kind[i] === KIND.person;
  const ef = g.entityFlags[i]!;
  for (let k = g.countryStart[i]!; k < g.countryStart[i + 1]!; k++) {
    const role = g.countryRole[k]!;
    if (!locates(r, role, isPerson, ef)) continue;
    const c = g.countryCode[k]!;
    if (countryMatches(c, r.countries)) {
      if (ef & E_STATE) return `a state, located in ${c}`;
      if (isPerson && ef & E_SOLE_PROPRIETOR && !r.personRoles.has(role))
        return `${roleLabel(role)} in ${c} (the business registration of a sole proprietor)`;
      return `${roleLabel(role)} in ${c}`;
    }
  }
  return null;
}

/** `originReason(...) !== null` without building the reason text. */
export function isOrigin(g: OwnershipGraph, i: number, r: OriginRules, ignoreLocation: boolean): boolean {
  if (r.parties.size > 0) {
    if (r.parties.has(`id:${g.id[i]}`)) return true;
    for (let k = g.identStart[i]!; k < g.identStart[i + 1]!; k++) if (r.parties.has(g.idents[k]!.toLowerCase())) return true;
  }
  if (r.topics.size > 0) {
    for (let k = g.topicStart[i]!; k < g.topicStart[i + 1]!; k++) if (r.topics.has(g.topics[k]!)) return true;
  }
  if (ignoreLocation || r.countries.size === 0) return false;
  const isPerson = g.kind[i] === KIND_PERSON;
  const ef = g.entityFlags[i]!;
  const cs = g.countryStart;
  const ke = cs[i + 1]!;
  for (let k = cs[i]!; k < ke; k++) {
    const role = g.countryRole[k]!;
    if (!locates(r, role, isPerson, ef)) continue;
    if (countryMatches(g.countryCode[k]!, r.countries)) return true;
  }
  return false;
}

const BUSINESS_ROLES = new Set<number>([ROLE.headquarters, ROLE.jurisdiction, ROLE['legal-address']]);

/**
 * Does a country fact of this role locate the entity under the rules? A state is located in its
 * own country (any role). A sole proprietor is one natural person trading under a business
 * registration: its legal address, headquarters and jurisdiction locate that person, wherever
 * persons are located by country at all (`locatePersonsBy` not empty).
 */
function locates(r: OriginRules, role: number, isPerson: boolean, entityFlags: number): boolean {
  if (entityFlags & E_STATE) return true;
  if (r.entityRoles.has(role)) return true;
  if (!isPerson || r.personRoles.size === 0) return false;
  return r.personRoles.has(role) || ((entityFlags & E_SOLE_PROPRIETOR) !== 0 && BUSINESS_ROLES.has(role));
}

export function roleLabel(role: number): string {
  switch (role) {
    case ROLE.headquarters:
      return 'headquarters';
    case ROLE.jurisdiction:
      return 'jurisdiction';
    case ROLE['legal-address']:
      return 'legal address';
    case ROLE.residence:
      return 'residence';
    default:
      return 'nationality';
  }
}

export function asOfInt(p: EffectivePolicy): number {
  return parseDateInt(p.asOf, 'start');
}

interface Eff {
  flags: number;
  lo: number;
  hi: number;
}

/** How a counting link reads as a holding under the policy; flags 0 = does not count. */
function effective(g: OwnershipGraph, k: number, p: EffectivePolicy, out: Eff): void {
  const L = g.links;
  const kind = L.kind[k]!;
  const f = L.flags[k]!;
  out.flags = 0;
  out.lo = 0;
  out.hi = FULL_SHARE;
  if (kind === LKIND_SHARES || kind === LKIND_VOTES) {
    out.flags = H_SHARE | (f & (H_LO_OPEN | H_HI_OPEN));
    out.lo = L.lo[k]!;
    out.hi = L.hi[k]!;
    if (out.lo > 500_000 || (out.lo === 500_000 && f & F_LO_OPEN)) out.flags |= H_MAJORITY;
    return;
  }
  if (kind !== LKIND_CONTROL) return;
  const basis = L.basis[k]!;
  const majority = basis === BASIS.consolidation || basis === BASIS.board;
  if (f & F_HAS_SHARE) {
    out.flags = H_SHARE | (f & (H_LO_OPEN | H_HI_OPEN));
    out.lo = L.lo[k]!;
    out.hi = L.hi[k]!;
  } else if (basis === BASIS.consolidation && p.consolidationImpliesMajority) {
    out.flags = H_SHARE | H_LO_OPEN;
    out.lo = 500_000;
    out.hi = FULL_SHARE;
  }
  if (p.countControl) out.flags |= H_CONTROL;
  if (majority) out.flags |= H_MAJORITY;
}

/** Holdings under construction; capacity is an upper bound (the counted in-links). */
class HoldingList {
  owner: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
  flags: Uint8Array;
  link: Int32Array;
  length = 0;
  constructor(cap: number) {
    this.owner = new Int32Array(cap);
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.link = new Int32Array(cap);
  }
}

// Local copies of imported constants for the hot loops.
const KIND_PERSON = KIND.person;
const KIND_STATE_BODY = KIND['state-body'];
const LKIND_BRANCH = LKIND.branch;
const LKIND_SHARES = LKIND.shares;
const LKIND_VOTES = LKIND.votes;
const LKIND_CONTROL = LKIND.control;
const LSTATUS_INACTIVE = LSTATUS.inactive;
const FULL = FULL_SHARE;
const F_SUMMARY_ = F_SUMMARY;
const F_VOID_ = 16;

/**
 * Compiles the graph (or the sub-graph of `nodes`, which must be closed under owners) under the
 * policy. Local indices follow `nodes` order.
 */
export function compile(g: OwnershipGraph, p: EffectivePolicy, nodes?: Int32Array): CompiledGraph {
  const n = nodes ? nodes.length : g.count;
  let global = nodes;
  if (!global) {
    global = new Int32Array(n);
    for (let i = 0; i < n; i++) global[i] = i;
  }
  let local: Int32Array | null = null;
  if (nodes) {
    local = new Int32Array(g.count).fill(-1);
    for (let i = 0; i < n; i++) local[nodes[i]!] = i;
  }
  const toLocal = (gi: number): number => (local ? local[gi]! : gi);
  const asOf = asOfInt(p);
  const rules = originRules(p);
  const L = g.links;
  const lStatus = L.status;
  const lStart = L.start;
  const lEnd = L.end;
  const lKind = L.kind;
  const lFlags = L.flags;
  const lOwner = L.owner;
  const inStart = g.inStart;
  const inLinks = g.inLinks;
  const gKind = g.kind;
  const assumeClear = p.undisclosed === 'assumeClear';
  // linkOnDate, with its common case (an active link without dates between existing entities) inlined
  const gStart = g.entityStart;
  const gEnd = g.entityEnd;
  const L_owned = L.owned;
  const onDate = (k: number): number => {
    if (lStatus[k] !== LSTATUS_INACTIVE && lStart[k] === 0 && lEnd[k] === 0 && !(lFlags[k]! & F_VOID_)) {
      const o = lOwner[k]!, d = L_owned[k]!;
      if (gStart[o] === 0 && gEnd[o] === 0 && gStart[d] === 0 && gEnd[d] === 0) return ON_YES;
    }
    return linkOnDate(g, k, asOf);
  };
  const counts = (k: number): boolean => onDate(k) === ON_YES;

  // Branch head offices: a branch with a counting branch link takes its head office's status.
  const headOf = new Int32Array(n).fill(-1);
  let inCount = 0;
  for (let x = 0; x < n; x++) {
    const gx = global[x]!;
    const ee = inStart[gx + 1]!;
    inCount += ee - inStart[gx]!;
    for (let e = inStart[gx]!; e < ee; e++) {
      const k = inLinks[e]!;
      if (lKind[k] === LKIND_BRANCH && !(lFlags[k]! & F_SUMMARY_) && counts(k)) {
        const o = local ? local[lOwner[k]!]! : lOwner[k]!;
        if (o >= 0 && o !== x) {
          headOf[x] = o;
          break;
        }
      }
    }
  }

  const cls = new Uint8Array(n);
  const personRolesEmpty = rules.personRoles.size === 0;
  const eFlags = g.entityFlags;
  for (let x = 0; x < n; x++) {
    const gx = global[x]!;
    if (isOrigin(g, gx, rules, headOf[x] !== -1)) {
      cls[x] = C_ORIGIN;
      continue;
    }
    // A state has no owners by definition and is located in its own country: it is an end of
    // every chain, like a person whose location is known.
    if (eFlags[gx]! & E_STATE) {
      cls[x] = C_PERSON_NO;
      continue;
    }
    if (gKind[gx] === KIND_PERSON) {
      if (assumeClear || personRolesEmpty) {
        cls[x] = C_PERSON_NO;
        continue;
      }
      const sole = (eFlags[gx]! & E_SOLE_PROPRIETOR) !== 0;
      let known = false;
      for (let k = g.countryStart[gx]!; k < g.countryStart[gx + 1]!; k++) {
        const role = g.countryRole[k]!;
        if (rules.personRoles.has(role) || (sole && BUSINESS_ROLES.has(role))) known = true;
      }
      cls[x] = known ? C_PERSON_NO : C_PERSON_MAYBE;
    }
  }

  // Direct holdings, merged per (owner, owned): shares and votes (and duplicates) of the same
  // pair describe one holding, and the larger counts.
  const hl = new HoldingList(inCount);
  const hStartArr = new Int32Array(n + 1);
  const slot = new Int32Array(n).fill(-1);
  const slotStamp = new Int32Array(n).fill(-1);
  const eff: Eff = { flags: 0, lo: 0, hi: 0 };
  const summaryNodes: number[] = [];
  let hn = 0;
  for (let x = 0; x < n; x++) {
    hStartArr[x] = hn;
    const c = cls[x]!;
    if (c === C_PERSON_NO || c === C_PERSON_MAYBE) continue;
    const gx = global[x]!;
    if (eFlags[gx]! & E_STATE) continue; // a state has no owners

    const head = headOf[x]!;
    let hasSummary = false;
    const ee = inStart[gx + 1]!;
    for (let e = inStart[gx]!; e < ee; e++) {
      const k = inLinks[e]!;
      const on = onDate(k);
      if (on === ON_NO) continue;
      const o = local ? local[lOwner[k]!]! : lOwner[k]!;
      if (o < 0) continue;
      const kind = lKind[k]!;
      if (lFlags[k]! & F_SUMMARY_) {
        if (on === ON_YES) hasSummary = true;
        continue;
      }
      // a branch link that may have ended does not make the branch its head office
      if (on === ON_MAYBE && head !== -1) continue;
      if (head !== -1) {
        if (kind !== LKIND_BRANCH || o !== head) continue;
        eff.flags = H_SHARE | H_MAJORITY | H_BRANCH;
        eff.lo = FULL;
        eff.hi = FULL;
      } else {
        // A head office is not owned by its branches.
        if (headOf[o] === x) continue;
        effective(g, k, p, eff);
        if (eff.flags === 0) continue;
        if (on === ON_MAYBE) maybeEnded(eff);
      }
      if (slotStamp[o] === x) {
        mergeInto(hl, slot[o]!, eff);
      } else {
        slotStamp[o] = x;
        slot[o] = hn;
        hl.owner[hn] = o;
        hl.lo[hn] = eff.lo;
        hl.hi[hn] = eff.hi;
        hl.flags[hn] = eff.flags;
        hl.link[hn++] = k;
      }
    }
    if (hasSummary) summaryNodes.push(x);
  }
  hStartArr[n] = hn;
  hl.length = hn;

  let cg: CompiledGraph = {
    graph: g,
    policy: p,
    n,
    global,
    cls,
    hStart: hStartArr,
    hOwner: hl.owner.slice(0, hn),
    hLo: hl.lo.slice(0, hn),
    hHi: hl.hi.slice(0, hn),
    hFlags: hl.flags.slice(0, hn),
    hLink: hl.link.slice(0, hn),
    uHi: new Int32Array(n),
    uOpen: new Uint8Array(n),
    uFlags: new Uint8Array(n),
    kLo: new Float64Array(n),
    usedSummaries: [],
    stateHeld: [],
  };

  const noParent = new Uint8Array(n);
  const explicitMarker = new Uint8Array(n);
  const markerHi = new Int32Array(n).fill(-1);
  const markerHiOpen = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    const gx = global[x]!;
    for (let e = g.markerStart[gx]!; e < g.markerStart[gx + 1]!; e++) {
      const m = g.markers[e]!;
      if (!markerCounts(m, asOf)) continue;
      if (m.category === 'no-parent') {
        if (m.scope !== 'ultimate' || cg.hStart[x + 1] === cg.hStart[x]) noParent[x] = 1;
      } else {
        explicitMarker[x] = 1;
        if (m.share && m.share.hi > markerHi[x]!) {
          markerHi[x] = m.share.hi;
          markerHiOpen[x] = m.share.hiOpen ? 1 : 0;
        }
      }
    }
  }

  // Summary links: used only where the chain is broken.
  if (summaryNodes.length > 0) cg = applySummaries(cg, summaryNodes, noParent, toLocal, asOf, eff);
  const stateBodyHeld = stateBodies(cg, explicitMarker);

  const cStart = cg.hStart;
  const cFlags = cg.hFlags;
  const cLo = cg.hLo;
  const kLo = cg.kLo;
  const uFlags = cg.uFlags;
  const uHi = cg.uHi;
  const uOpenArr = cg.uOpen;
  for (let x = 0; x < n; x++) {
    if (cls[x] !== C_NORMAL) continue;
    let k = 0;
    let kOpen = false;
    const hs = cStart[x]!;
    const he = cStart[x + 1]!;
    const count = he - hs;
    for (let h = hs; h < he; h++) {
      const f = cFlags[h]!;
      if (!(f & H_SHARE)) continue;
      k += cLo[h]!;
      if (f & H_LO_OPEN) kOpen = true;
    }
    kLo[x] = k;
    let flags = 0;
    if (explicitMarker[x]) flags |= U_MARKER;
    if (noParent[x]) flags |= U_NO_PARENT;
    if (count === 0 && !explicitMarker[x] && !noParent[x]) flags |= U_NOTHING_KNOWN;
    uFlags[x] = flags;
    if (assumeClear) continue;
    // A "no parent" exception (GLEIF NATURAL_PERSONS, NO_KNOWN_PERSON, NON_CONSOLIDATING; a PSC
    // "no registrable person" statement) says there is no consolidating parent or no single
    // registrable owner: it does not say who the owners are, and they may be restricted
    // (persons of unknown nationality, several small holders). The remainder stays undisclosed;
    // the marker only explains it. `undisclosed: assumeClear` reads it as clear.
    // A state body with nothing known is owned by its state, which its location already judges.
    if (stateBodyHeld[x]) continue;
    let u = 0;
    let uOpen = false;
    if (k < FULL) {
      u = FULL - k;
      uOpen = kOpen;
      uFlags[x] |= U_REMAINDER;
    }
    if (markerHi[x]! > u || (markerHi[x] === u && u > 0 && !markerHiOpen[x])) {
      u = markerHi[x]!;
      uOpen = markerHiOpen[x] === 1;
    }
    uHi[x] = u;
    uOpenArr[x] = uOpen ? 1 : 0;
  }
  return cg;
}

/**
 * A holding that may have ended before the date: it was held [0, its share]; control and majority
 * no longer follow from it (a possibly ended control reads as an unknown share).
 */
function maybeEnded(eff: Eff): void {
  if (eff.flags & H_SHARE) {
    eff.lo = 0;
    eff.flags = (eff.flags & ~(H_LO_OPEN | H_CONTROL | H_MAJORITY)) | H_MAYBE_ENDED;
  } else {
    eff.lo = 0;
    eff.hi = FULL_SHARE;
    eff.flags = H_SHARE | H_MAYBE_ENDED;
  }
}

function mergeInto(hl: HoldingList, h: number, eff: Eff): void {
  const f = hl.flags[h]!;
  // undecided only while every link of the pair is undecided
  const maybe = f & eff.flags & H_MAYBE_ENDED;
  if (eff.flags & H_SHARE) {
    if (!(f & H_SHARE)) {
      hl.lo[h] = eff.lo;
      hl.hi[h] = eff.hi;
      hl.flags[h] = (f & ~(H_LO_OPEN | H_HI_OPEN)) | (eff.flags & (H_LO_OPEN | H_HI_OPEN)) | H_SHARE;
    } else {
      // max of two intervals: the larger lower end (open wins a tie), the larger upper end (closed wins a tie)
      let nf = hl.flags[h]!;
      const lo = hl.lo[h]!;
      if (eff.lo > lo || (eff.lo === lo && eff.flags & H_LO_OPEN)) {
        hl.lo[h] = eff.lo;
        nf = (nf & ~H_LO_OPEN) | (eff.flags & H_LO_OPEN);
      }
      const hi = hl.hi[h]!;
      if (eff.hi > hi || (eff.hi === hi && !(eff.flags & H_HI_OPEN))) {
        hl.hi[h] = eff.hi;
        nf = (nf & ~H_HI_OPEN) | (eff.flags & H_HI_OPEN);
      }
      hl.flags[h] = nf;
    }
  }
  hl.flags[h] = ((hl.flags[h]! | (eff.flags & (H_CONTROL | H_MAJORITY | H_BRANCH))) & ~H_MAYBE_ENDED) | maybe;
}

function applySummaries(
  cg: CompiledGraph,
  summaryNodes: number[],
  noParent: Uint8Array,
  toLocal: (gi: number) => number,
  asOf: number,
  eff: Eff,
): CompiledGraph {
  const g = cg.graph;
  const L = g.links;
  const n = cg.n;
  const stamp = new Int32Array(n).fill(-1);
  const extras: { owned: number; owner: number; link: number; lo: number; hi: number; flags: number }[] = [];
  const queue: number[] = [];
  let mark = 0;
  for (const x of summaryNodes) {
    if (cg.cls[x] !== C_NORMAL) continue;
    const gx = cg.global[x]!;
    for (let e = g.inStart[gx]!; e < g.inStart[gx + 1]!; e++) {
      const k = g.inLinks[e]!;
      if (!(L.flags[k]! & F_SUMMARY) || !linkCounts(g, k, asOf)) continue;
      const P = toLocal(L.owner[k]!);
      if (P < 0 || P === x) continue;
      // Walk X's counting direct owners upward: is P reached, and where does the chain stop?
      let brokenAt = -1;
      let reached = false;
      mark++;
      queue.length = 0;
      queue.push(x);
      stamp[x] = mark;
      while (queue.length > 0 && !reached) {
        const y = queue.pop()!;
        const hs = cg.hStart[y]!, he = cg.hStart[y + 1]!;
        if (he === hs && cg.cls[y] === C_NORMAL && !noParent[y] && brokenAt === -1) brokenAt = y;
        for (let h = hs; h < he; h++) {
          const o = cg.hOwner[h]!;
          if (o === P) {
            reached = true;
            break;
          }
          if (stamp[o] !== mark) {
            stamp[o] = mark;
            if (cg.cls[o] === C_NORMAL) queue.push(o);
          }
        }
      }
      if (reached || brokenAt === -1) continue;
      effective(g, k, cg.policy, eff);
      if (eff.flags === 0) {
        // A summary without a readable share (e.g. a BODS indirect relationship) still tells
        // that P is above X: read it as an unknown share.
        eff.flags = H_SHARE;
        eff.lo = 0;
        eff.hi = FULL_SHARE;
      }
      extras.push({ owned: x, owner: P, link: k, lo: eff.lo, hi: eff.hi, flags: eff.flags | H_SUMMARY });
      cg.usedSummaries.push({ owned: x, owner: P, link: k, brokenAt });
    }
  }
  if (extras.length === 0) return cg;
  extras.sort((a, b) => a.owned - b.owned);
  const total = cg.hOwner.length + extras.length;
  const hStart = new Int32Array(n + 1);
  const hOwner = new Int32Array(total);
  const hLo = new Int32Array(total);
  const hHi = new Int32Array(total);
  const hFlags = new Uint8Array(total);
  const hLink = new Int32Array(total);
  let w = 0;
  let xi = 0;
  for (let x = 0; x < n; x++) {
    hStart[x] = w;
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      hOwner[w] = cg.hOwner[h]!;
      hLo[w] = cg.hLo[h]!;
      hHi[w] = cg.hHi[h]!;
      hFlags[w] = cg.hFlags[h]!;
      hLink[w++] = cg.hLink[h]!;
    }
    while (xi < extras.length && extras[xi]!.owned === x) {
      const ex = extras[xi++]!;
      hOwner[w] = ex.owner;
      hLo[w] = ex.lo;
      hHi[w] = ex.hi;
      hFlags[w] = ex.flags;
      hLink[w++] = ex.link;
    }
  }
  hStart[n] = w;
  return { ...cg, hStart, hOwner, hLo, hHi, hFlags, hLink };
}

/**
 * A state body (ministry, agency) whose owners are not stated (no share holding, no withheld
 * marker) is held by the state of its jurisdiction: a state among its controllers becomes its
 * 100% majority owner (a chain to a ministry ends at the state), and nothing is undisclosed.
 * Without such a state in the data, its own location judges it. Returns the flags per node.
 */
function stateBodies(cg: CompiledGraph, explicitMarker: Uint8Array): Uint8Array {
  const g = cg.graph;
  const held = new Uint8Array(cg.n);
  for (let x = 0; x < cg.n; x++) {
    const gx = cg.global[x]!;
    // origins too: their holdings do not change their status but end their chains at the state
    if ((cg.cls[x] !== C_NORMAL && cg.cls[x] !== C_ORIGIN) || g.kind[gx] !== KIND_STATE_BODY || g.entityFlags[gx]! & E_STATE || explicitMarker[x]) continue;
    let state = -1;
    let stated = false;
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      if (cg.hFlags[h]! & (H_SHARE | H_MAYBE_ENDED) && !(cg.hFlags[h]! & H_SUMMARY)) stated = true;
      if (state === -1 && g.entityFlags[cg.global[cg.hOwner[h]!]!]! & E_STATE) state = h;
    }
    if (stated) continue;
    held[x] = 1;
    if (state !== -1) {
      cg.hLo[state] = FULL;
      cg.hHi[state] = FULL;
      cg.hFlags[state] = (cg.hFlags[state]! & ~(H_LO_OPEN | H_HI_OPEN | H_SUMMARY)) | H_SHARE | H_MAJORITY;
    }
    cg.stateHeld.push({ x, state: state === -1 ? -1 : cg.hOwner[state]! });
  }
  return held;
}

/** Copies the mutable parts so gap analysis can resolve unknowns without touching the original. */
export function cloneCompiled(cg: CompiledGraph): CompiledGraph {
  return {
    ...cg,
    cls: cg.cls.slice(),
    hLo: cg.hLo.slice(),
    hHi: cg.hHi.slice(),
    hFlags: cg.hFlags.slice(),
    uHi: cg.uHi.slice(),
    uOpen: cg.uOpen.slice(),
  };
}
